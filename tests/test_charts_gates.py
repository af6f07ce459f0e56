"""Gates page figures, built from core traces without Streamlit."""

from __future__ import annotations

import numpy as np
import pytest

from core.analysis.gates import gate_trace, token_labels
from core.analysis.gru_explainer import PRESETS, TinyGruSpec, demo_inputs, explain, tiny_gru
from core.cells import CELLS
from dashboard.views.gates.charts import gate_heatmap, read_write_carry_figure, tau_figure

T, H, D = 7, 5, 4


def _trace(cell="gru"):
    rng = np.random.default_rng(0)
    params = CELLS[cell].initialise(
        D,
        H,
        rng,
        {"update_bias": -1.0},
        init_scale=1.0,
        orthogonal=True,
        chrono_length=None,
        dtype="float64",
    )
    ids = rng.integers(0, D, size=(T, 2))
    xs = (ids[..., None] == np.arange(D)).astype(np.float64)  # (T, 2, D)
    return gate_trace(cell, params, xs, 1, token_labels("recall", xs[:, 1])), params, xs


def test_update_gate_heatmap_is_units_by_time_with_the_tokens_on_the_time_axis():
    trace, params, xs = _trace()
    _, cache = CELLS["gru"].forward(params, xs, None)
    (heat,) = gate_heatmap(trace, "u").data
    np.testing.assert_allclose(heat.z, cache.u[:, 1].T, rtol=1e-12)  # (H, T)
    assert list(heat.y) == [f"unit {j}" for j in range(H)]
    fig = gate_heatmap(trace, "u")
    assert list(fig.layout.xaxis.ticktext) == [str(i) for i in xs[:, 1].argmax(axis=1)]
    assert np.asarray(heat.customdata).shape == (H, T)
    assert (heat.zmin, heat.zmax) == (0.0, 1.0)


def test_pytorch_convention_shows_z_equal_one_minus_u():
    trace, _, _ = _trace()
    u = gate_heatmap(trace, "u").data[0].z
    z = gate_heatmap(trace, "z").data[0].z
    np.testing.assert_allclose(np.asarray(z), 1.0 - np.asarray(u), rtol=1e-12)


def test_units_follow_the_given_order_rows_and_values_together():
    trace, _, _ = _trace()
    order = trace.unit_order()
    heat = gate_heatmap(trace, "r", order).data[0]
    assert list(heat.y) == [f"unit {j}" for j in order]
    np.testing.assert_allclose(heat.z, trace.r[:, order].T)
    tau = 1.0 / trace.u.mean(axis=0)
    assert np.all(np.diff(tau[order]) <= 0)  # longest memory first


def test_reset_after_candidate_is_its_n():
    trace, params, xs = _trace("gru_reset_after")
    _, cache = CELLS["gru_reset_after"].forward(params, xs, None)
    np.testing.assert_allclose(gate_heatmap(trace, "c").data[0].z, cache.c[:, 1].T)


def test_rnn_trace_has_a_state_heatmap_but_no_gates():
    trace, params, xs = _trace("rnn")
    hs, _ = CELLS["rnn"].forward(params, xs, None)
    np.testing.assert_allclose(gate_heatmap(trace, "h").data[0].z, hs[:, 1].T)
    with pytest.raises(ValueError, match="no 'u'"):
        gate_heatmap(trace, "u")
    with pytest.raises(ValueError, match="no gates"):
        tau_figure(trace)


def test_tau_bars_are_one_over_the_mean_update_gate_in_order():
    trace, _, _ = _trace()
    order = trace.unit_order()
    bars = tau_figure(trace, order).data[0]
    np.testing.assert_allclose(bars.y, 1.0 / trace.u[:, order].mean(axis=0))
    assert list(bars.x) == [f"unit {j}" for j in order]


def _parts(fig, name):
    return [t for t in fig.data if t.name == name]


def test_read_write_carry_bars_stack_carry_and_write_into_h():
    spec = TinyGruSpec(hidden=3, steps=5, update_bias=0.5, seed=2)
    xs, h0 = demo_inputs(spec)
    p = tiny_gru(spec)
    hs, cache = CELLS["gru"].forward(p, xs, h0)  # the truth, directly
    h_prev = np.concatenate([h0[None], hs[:-1]])[:, 0]  # (T, H)
    fig = read_write_carry_figure(explain(spec))
    carry, write = _parts(fig, "carry: (1 - u) * h_(t-1)"), _parts(fig, "write: u * c_t")
    read = _parts(fig, "read: r * h_(t-1)")
    assert len(carry) == len(write) == len(read) == 3  # one row per unit
    for j in range(3):
        base = np.asarray(write[j].base, dtype=float)
        np.testing.assert_allclose(carry[j].y, (1 - cache.u[:, 0, j]) * h_prev[:, j])
        np.testing.assert_allclose(base, carry[j].y)
        np.testing.assert_allclose(base + write[j].y, hs[:, 0, j], atol=1e-12)
        np.testing.assert_allclose(read[j].y, cache.r[:, 0, j] * h_prev[:, j])
    assert sum(t.showlegend is not False for t in read) == 1


def test_u_zero_preset_carries_everything_and_writes_nothing():
    rwc = explain(PRESETS["u = 0: the state is copied"])
    fig = read_write_carry_figure(rwc)
    for trace in _parts(fig, "write: u * c_t"):
        np.testing.assert_allclose(trace.y, 0.0, atol=1e-11)
    np.testing.assert_allclose(rwc.h, rwc.h_prev, atol=1e-11)


def test_r_zero_preset_reads_nothing():
    fig = read_write_carry_figure(explain(PRESETS["r = 0: the candidate ignores the past"]))
    for trace in _parts(fig, "read: r * h_(t-1)"):
        np.testing.assert_allclose(trace.y, 0.0, atol=1e-11)


def test_long_sequences_label_every_nth_step_and_keep_every_token_in_the_hover():
    rng = np.random.default_rng(3)
    params = CELLS["gru"].init(
        D,
        H,
        rng,
        init_scale=1.0,
        orthogonal=True,
        update_bias=-1.0,
        chrono_length=None,
        dtype="float64",
    )
    xs = np.eye(D)[rng.integers(0, D, size=(90, 1))]  # (90, 1, D)
    trace = gate_trace("gru", params, xs, 0, token_labels("recall", xs[:, 0]))
    fig = gate_heatmap(trace, "h")
    ticks = list(fig.layout.xaxis.tickvals)
    assert ticks[0] == 0 and 15 <= len(ticks) <= 25
    assert fig.layout.xaxis.ticktext[1] == f"{trace.tokens[ticks[1]]}<br>t={ticks[1]}"
    assert list(np.asarray(fig.data[0].customdata)[0]) == trace.tokens
