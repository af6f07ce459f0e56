"""Read / write / carry decomposition of the GRU step and the tiny GRU's presets."""

from __future__ import annotations

import numpy as np

from core.analysis.gru_explainer import PRESETS, TinyGruSpec, demo_inputs, explain, tiny_gru


def test_new_state_is_write_plus_carry_and_read_is_r_times_old_state():
    e = explain(TinyGruSpec(hidden=4, steps=9, update_bias=0.3, reset_bias=-0.5, seed=3))
    np.testing.assert_allclose(e.h, e.write + e.carry, atol=1e-15)
    np.testing.assert_allclose(e.read, e.r * e.h_prev, atol=1e-15)
    np.testing.assert_allclose(e.h_prev[1:], e.h[:-1])
    assert e.h.shape == (9, 4) and e.u.min() > 0 and e.u.max() < 1


def test_closed_update_gate_copies_the_state():
    spec = PRESETS["u = 0: the state is copied"]
    e = explain(spec)
    _, h0 = demo_inputs(spec)
    np.testing.assert_allclose(e.h, np.broadcast_to(h0, e.h.shape), atol=1e-10)
    np.testing.assert_allclose(e.write, 0.0, atol=1e-11)
    assert np.abs(e.c).max() > 0.1  # a candidate exists; it is not written


def test_closed_reset_gate_makes_the_candidate_ignore_the_past():
    """r = 0: c_t = tanh(x_t W_c + b_c), whatever h_{t-1} is."""
    spec = PRESETS["r = 0: the candidate ignores the past"]
    e = explain(spec)
    p, (xs, _) = tiny_gru(spec), demo_inputs(spec)
    H = spec.hidden
    np.testing.assert_allclose(
        e.c, np.tanh(xs[:, 0] @ p["W"][:, 2 * H :] + p["b"][2 * H :]), atol=1e-10
    )
    np.testing.assert_allclose(e.read, 0.0, atol=1e-11)


def test_open_gates_give_a_tanh_rnn_with_the_candidate_weights():
    spec = PRESETS["u = 1, r = 1: a plain tanh RNN"]
    e = explain(spec)
    p, (xs, h0) = tiny_gru(spec), demo_inputs(spec)
    H, h = spec.hidden, h0[0]
    for t in range(spec.steps):
        h = np.tanh(xs[t, 0] @ p["W"][:, 2 * H :] + h @ p["U_c"] + p["b"][2 * H :])
        np.testing.assert_allclose(e.h[t], h, atol=1e-10)


def test_regime_names_what_the_presets_do():
    regimes = [explain(spec).regime for spec in PRESETS.values()]
    assert regimes == ["carry", "blind", "mixed"]
    assert explain(TinyGruSpec()).regime == "mixed"
