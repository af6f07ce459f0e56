"""Gate traces, memory time constants and saturation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.analysis.checkpoints import analysis_batch
from core.analysis.gates import (
    GateTrace,
    gate_trace,
    gate_trace_for_run,
    memory_time_constant,
    saturation,
    token_labels,
)
from core.cells import CELLS
from core.tasks import get_task
from tests.fake_runs import tiny_run


def _gru(cell_name="gru", D=4, H=5, seed=0):
    rng = np.random.default_rng(seed)
    return CELLS[cell_name].initialise(
        D,
        H,
        rng,
        {"update_bias": -1.0},
        init_scale=1.0,
        orthogonal=True,
        chrono_length=None,
        dtype="float32",
    )


@pytest.mark.parametrize("cell_name", ["gru", "gru_reset_after"])
def test_trace_holds_the_cells_gates_for_the_chosen_sequence(cell_name):
    p = _gru(cell_name)
    xs = np.random.default_rng(1).normal(size=(7, 3, 4))
    tr = gate_trace(cell_name, p, xs, index=2)
    p64 = {k: v.astype(np.float64) for k, v in p.items()}
    hs, cache = CELLS[cell_name].forward(p64, xs, None)
    np.testing.assert_allclose(tr.h, hs[:, 2], rtol=1e-12)
    np.testing.assert_allclose(tr.u, cache.u[:, 2], rtol=1e-12)
    np.testing.assert_allclose(tr.r, cache.r[:, 2], rtol=1e-12)
    np.testing.assert_allclose(tr.c, cache.c[:, 2], rtol=1e-12)
    np.testing.assert_allclose(tr.z, 1 - cache.u[:, 2], rtol=1e-12)
    # h_t = u c + (1 - u) h_{t-1}: the trace is self-consistent
    prev = np.vstack([np.zeros((1, 5)), tr.h[:-1]])
    np.testing.assert_allclose(tr.h, tr.u * tr.c + (1 - tr.u) * prev, atol=1e-14)
    assert tr.tokens == [str(t) for t in range(7)] and tr.h.dtype == np.float64


def test_time_constant_and_saturation_of_forced_gates():
    """A unit whose update gate is a constant u has tau = 1/u exactly."""
    H, D, T = 3, 2, 40
    p = _gru(D=D, H=H)
    p["W"][:, : 2 * H] = 0.0
    p["U_g"][:] = 0.0
    u_values, r_values = np.array([0.05, 0.5, 0.95]), np.array([0.95, 0.2, 0.02])
    p["b"][:H] = np.log(u_values / (1 - u_values))
    p["b"][H : 2 * H] = np.log(r_values / (1 - r_values))
    tr = gate_trace("gru", p, np.random.default_rng(0).normal(size=(T, 1, D)))
    np.testing.assert_allclose(tr.tau, 1 / u_values, rtol=1e-6)
    sat = tr.saturation
    np.testing.assert_array_equal(sat["u"].low, [1, 0, 0])
    np.testing.assert_array_equal(sat["u"].high, [0, 0, 1])
    np.testing.assert_array_equal(sat["r"].low, [0, 0, 1])
    assert sat["u"].low_all == pytest.approx(1 / 3) and sat["r"].high_all == pytest.approx(1 / 3)
    assert tr.unit_order().tolist() == [0, 1, 2]


def test_time_constant_is_infinite_for_a_closed_gate_and_saturation_counts_steps():
    tau = memory_time_constant(np.array([[0.0, 0.5], [0.0, 0.25]]))
    assert tau[0] == math.inf and tau[1] == pytest.approx(1 / 0.375)
    s = saturation(np.array([[0.05, 0.5], [0.95, 0.5], [0.5, 0.99], [0.5, 0.01]]))
    np.testing.assert_array_equal(s.low, [0.25, 0.25])
    np.testing.assert_array_equal(s.high, [0.25, 0.25])


def test_rnn_trace_has_states_only():
    p = CELLS["rnn"].init(
        2,
        3,
        np.random.default_rng(0),
        init_scale=1.0,
        orthogonal=True,
        chrono_length=None,
        dtype="float64",
    )
    tr = gate_trace("rnn", p, np.ones((4, 2, 2)), index=-1, tokens=list("abcd"))
    assert tr.u is None and tr.tau is None and tr.saturation == {} and tr.index == 1
    assert tr.h.shape == (4, 3) and tr.tokens == list("abcd")


def test_bad_example_index_and_token_count_are_reported():
    p = _gru()
    with pytest.raises(ValueError, match="out of range"):
        gate_trace("gru", p, np.zeros((3, 2, 4)), index=2)
    with pytest.raises(ValueError, match="tokens"):
        gate_trace("gru", p, np.zeros((3, 2, 4)), tokens=["a"])


def test_token_labels_name_each_tasks_inputs():
    rng = np.random.default_rng(0)
    order = get_task("order", 10).sample(rng, 1)
    labels = token_labels("order", order.xs[:, 0])
    assert labels[0] == "B" and labels[-1] == "E" and sum(t in "XY" for t in labels) == 2
    copy = get_task("copy", 5).sample(rng, 1)
    labels = token_labels("copy", copy.xs[:, 0])
    assert labels[14] == ":" and labels[10] == "_" and len(labels) == 25
    adding = get_task("adding", 8).sample(rng, 1)
    assert sum(t.endswith("*") for t in token_labels("adding", adding.xs[:, 0])) == 2
    recall = get_task("recall", 4, 3).sample(rng, 1)
    assert token_labels("recall", recall.xs[:, 0])[0] == str(int(recall.targets[0, 0]))


def test_gate_trace_for_run_labels_the_analysis_batch():
    run = tiny_run(models=("rnn", "gru_reset_after"))
    tr = gate_trace_for_run(run, "gru_reset_after", checkpoint=1, index=3)
    batch = analysis_batch(run)
    assert tr.cell == "gru_reset_after" and tr.index == 3
    assert tr.tokens == [str(i) for i in batch.xs[:, 3].argmax(axis=1)]
    assert tr.u.shape == (10, 6) and np.all((tr.u > 0) & (tr.u < 1))
    with pytest.raises(ValueError, match="out of range"):
        gate_trace_for_run(run, "gru_reset_after", index=64)
    assert gate_trace_for_run(run, "rnn").u is None


def test_trace_turns_into_json():
    import json

    tr = gate_trace("gru", _gru(), np.zeros((3, 1, 4)))
    d = json.loads(json.dumps(tr.to_dict()))
    assert len(d["gates"]["u"]) == 3 and set(d["saturation"]) == {"u", "r"}


def test_memory_stats_summarise_tau_and_skip_infinite_units():
    u = np.array([[0.5, 0.0, 0.1], [0.5, 0.0, 0.1]])  # tau = 2, inf, 10
    tr = GateTrace("gru", 0, ["a", "b"], np.zeros((2, 3)), {"u": u, "r": u}, None, 1.0 - u)
    assert tr.memory.median_tau == pytest.approx(10.0)
    assert tr.memory.longest_finite_tau == pytest.approx(10.0)
    never = GateTrace("gru", 0, ["a"], np.zeros((1, 2)), {}, None, np.ones((1, 2)))
    assert never.memory.longest_finite_tau is None
    assert GateTrace("rnn", 0, ["a"], np.zeros((1, 2))).memory is None
