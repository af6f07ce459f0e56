"""Gradient flow ||dL_T/dh_t|| against exact oracles and central finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from core.analysis.checkpoints import analysis_batch, checkpoint_steps
from core.analysis.gradients import (
    gradient_flow,
    gradient_flow_for_run,
    median_grid,
    random_direction,
)
from core.cells import CELLS, cell_names
from core.cells.init import orthogonal
from core.tasks import Batch
from core.train.config import RunConfig
from core.train.model import init_model
from tests.fake_runs import tiny_run

CELL_NAMES = list(cell_names())


def _params(cell_name, D, H, seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    p = CELLS[cell_name].initialise(
        D,
        H,
        rng,
        {"update_bias": 0.5},
        init_scale=scale,
        orthogonal=False,
        chrono_length=None,
        dtype="float64",
    )
    for k in p:  # non-zero biases so every path is exercised
        if k.startswith("b"):
            p[k] = rng.normal(0, 0.3, p[k].shape)
    return p


def _recall_batch(T, B, K, seed=1):
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, K, size=(T, B))
    xs = (ids[..., None] == np.arange(K)).astype(np.float64)
    return Batch(
        xs=xs, steps=np.array([T - 1]), targets=ids[:1], scored=np.array([True]), kind="classify"
    )


def test_rnn_at_zero_state_decays_exactly_as_a_to_the_k():
    """x = 0, b = 0, h0 = 0 keeps h_t = 0, so tanh' = 1 and dL/dh_{T-k} = g (U^T)^k; with
    U = a Q (Q orthogonal) the norm is exactly a^k."""
    H, T, a = 16, 60, 0.8
    U = a * orthogonal(np.random.default_rng(3), H, dtype="float64")
    p = {"W": np.ones((3, H)), "U": U, "b": np.zeros(H)}
    flow = gradient_flow("rnn", p, np.zeros((T, 5, 3)))
    assert flow.source == "direction"
    expected = np.arange(T) * np.log10(a)
    np.testing.assert_allclose(flow.per_sequence_log10, np.tile(expected, (5, 1)), atol=1e-12)
    np.testing.assert_allclose(flow.median_log10, expected, atol=1e-12)


def test_rnn_at_zero_state_with_readout_scales_by_last_step_loss_gradient():
    """Same oracle through the real loss: at h_T = 0 the logits are c, so
    dl/dh_T = (softmax(c) - onehot(y)) V^T, and the norm k steps back is a^k times that."""
    H, T, K, a = 8, 30, 5, 1.1
    rng = np.random.default_rng(4)
    p = {
        "W": rng.normal(size=(K, H)),
        "U": a * orthogonal(rng, H, dtype="float64"),
        "b": np.zeros(H),
        "V": rng.normal(size=(H, K)),
        "c": rng.normal(size=K),
    }
    batch = _recall_batch(T, 6, K)
    batch.xs[:] = 0.0  # keep the state at exactly zero
    flow = gradient_flow("rnn", p, batch)
    assert flow.source == "loss"
    prob = np.exp(p["c"]) / np.exp(p["c"]).sum()
    d_y = prob[None, :] - np.eye(K)[batch.targets[0]]  # (B, K)
    g0 = np.linalg.norm(d_y @ p["V"].T, axis=1)  # (B,)
    expected = np.log10(g0)[:, None] + np.arange(T)[None, :] * np.log10(a)
    np.testing.assert_allclose(flow.per_sequence_log10, expected, atol=1e-12)


@pytest.mark.parametrize("cell_name", ["gru", "gru_reset_after"])
def test_gru_with_closed_update_gate_passes_gradient_unchanged(cell_name):
    """b_u very negative -> u = 0 -> h_t = h_{t-1}: dh_t/dh_{t-1} = I, a flat curve."""
    H, T = 12, 80
    p = _params(cell_name, 4, H, scale=1.5)
    p["b"][:H] = -60.0
    flow = gradient_flow(cell_name, p, np.random.default_rng(0).normal(size=(T, 7, 4)))
    np.testing.assert_allclose(flow.per_sequence_log10, 0.0, atol=1e-12)  # |g| = 1 everywhere


def _state_after(cell_name, p, xs, t):
    """The cell's full state after step t (h, or [h | c] for the LSTM), a fresh copy. (B, S)"""
    cell = CELLS[cell_name]
    return cell.final_state(cell.forward(p, xs[: t + 1], None)[1]).copy()


def _loss_from(cell_name, p, xs_tail, state, y):
    """Per-sequence cross-entropy at the last step after running from `state`. (B,)"""
    h = state[:, : p["V"].shape[0]]
    if len(xs_tail):
        hs, _ = CELLS[cell_name].forward(p, xs_tail, state)
        h = hs[-1]
    z = h @ p["V"] + p["c"]  # (B, K)
    z = z - z.max(axis=1, keepdims=True)
    return -(z[np.arange(len(y)), y] - np.log(np.exp(z).sum(axis=1)))


@pytest.mark.parametrize("cell_name", CELL_NAMES)
def test_per_step_norms_match_central_finite_differences(cell_name):
    """||dl_b/dh_t|| by BPTT equals the norm of the central-difference gradient obtained by
    perturbing h_t and re-running the forward pass from t + 1."""
    D, H, T, B, K = 3, 4, 7, 2, 3
    p = _params(cell_name, D, H, seed=5, scale=1.3)
    rng = np.random.default_rng(6)
    p["V"], p["c"] = rng.normal(size=(H, K)), rng.normal(size=K)
    batch = _recall_batch(T, B, K, seed=7)
    batch.xs[:] = batch.xs + rng.normal(0, 0.5, batch.xs.shape)  # dense inputs
    cell_p = {k: v for k, v in p.items() if k not in ("V", "c")}
    y, eps = batch.targets[0], 1e-6
    numeric = np.zeros((B, T))
    for t in range(T):
        grad = np.zeros((B, H))
        state = _state_after(cell_name, cell_p, batch.xs, t)
        for j in range(H):
            hp, hm = state.copy(), state.copy()
            hp[:, j] += eps
            hm[:, j] -= eps
            grad[:, j] = (
                _loss_from(cell_name, p, batch.xs[t + 1 :], hp, y)
                - _loss_from(cell_name, p, batch.xs[t + 1 :], hm, y)
            ) / (2 * eps)
        numeric[:, T - 1 - t] = np.linalg.norm(grad, axis=1)
    flow = gradient_flow(cell_name, p, batch)
    np.testing.assert_allclose(10**flow.per_sequence_log10, numeric, rtol=1e-6, atol=1e-10)


@pytest.mark.parametrize("cell_name", CELL_NAMES)
def test_direction_source_matches_finite_differences_of_g_dot_h(cell_name):
    """Without a readout L_T = g . h_T with the fixed unit vector g."""
    D, H, T = 2, 3, 5
    p = _params(cell_name, D, H, seed=8)
    xs = np.random.default_rng(9).normal(size=(T, 1, D))
    g = random_direction(H)
    eps, t = 1e-6, 1
    state = _state_after(cell_name, p, xs, t)
    grad = np.zeros(H)
    for j in range(H):
        hp, hm = state.copy(), state.copy()
        hp[0, j] += eps
        hm[0, j] -= eps
        lp = CELLS[cell_name].forward(p, xs[t + 1 :], hp)[0][-1] @ g
        lm = CELLS[cell_name].forward(p, xs[t + 1 :], hm)[0][-1] @ g
        grad[j] = (lp - lm)[0] / (2 * eps)
    flow = gradient_flow(cell_name, p, xs)
    np.testing.assert_allclose(
        10 ** flow.per_sequence_log10[0, T - 1 - t], np.linalg.norm(grad), rtol=1e-6
    )
    np.testing.assert_allclose(flow.per_sequence_log10[:, 0], 0.0, atol=1e-14)  # |g| = 1


def test_float32_parameters_are_analysed_in_float64_without_underflow():
    """A steeply decaying RNN: a^k far below float32's range is still resolved."""
    H, T, a = 8, 150, 0.3
    U = (a * orthogonal(np.random.default_rng(1), H, dtype="float64")).astype(np.float32)
    p = {"W": np.zeros((2, H), np.float32), "U": U, "b": np.zeros(H, np.float32)}
    flow = gradient_flow("rnn", p, np.zeros((T, 2, 2), np.float32))
    assert flow.median_log10[-1] < -70  # 0.3^149 ~ 1e-78
    np.testing.assert_allclose(flow.median_log10, np.arange(T) * np.log10(a), atol=1e-6)


@pytest.mark.parametrize("gru", ["gru", "gru_reset_after"])
def test_gradient_flow_for_run_covers_every_model_at_the_checkpoint(gru):
    run = tiny_run(models=("rnn", gru))
    flows = gradient_flow_for_run(run, checkpoint=1, batch_size=16)
    assert set(flows) == {"rnn", gru}
    assert flows[gru].cell == gru
    for name, f in flows.items():
        assert f.step == 10 and f.source == "loss" and f.model == name
        assert f.per_sequence_log10.shape == (16, 10) and f.k.tolist() == list(range(10))
        assert np.all(f.lo_log10 <= f.median_log10) and np.all(f.median_log10 <= f.hi_log10)
    again = gradient_flow_for_run(run, checkpoint=1, batch_size=16)
    np.testing.assert_array_equal(again["rnn"].per_sequence_log10, flows["rnn"].per_sequence_log10)
    assert flows["rnn"].to_dict()["log10"]["median"] == flows["rnn"].median_log10.tolist()


def test_analysis_batch_is_fixed_by_the_run_seed():
    run = tiny_run()
    a, b = analysis_batch(run, 8), analysis_batch(run, 8)
    np.testing.assert_array_equal(a.xs, b.xs)
    assert a.xs.dtype == np.float64 and a.xs.shape == (10, 8, 4)


def test_bad_checkpoint_and_model_give_clear_errors():
    run = tiny_run(models=("gru",))
    with pytest.raises(ValueError, match="out of range"):
        gradient_flow_for_run(run, checkpoint=5)
    assert set(gradient_flow_for_run(run, checkpoint=-1, batch_size=4)) == {"gru"}


def test_relative_flow_starts_at_zero():
    p = _params("gru", 3, 5)
    flow = gradient_flow("gru", p, np.random.default_rng(2).normal(size=(9, 4, 3)))
    rel = flow.relative()
    np.testing.assert_array_equal(rel.per_sequence_log10[:, 0], 0.0)
    shift = rel.per_sequence_log10 - flow.per_sequence_log10  # (B, T)
    np.testing.assert_allclose(shift, np.repeat(-flow.per_sequence_log10[:, :1], 9, axis=1))


def test_gradient_flow_of_a_trained_run_at_every_checkpoint():
    from core.train.loop import train

    run = train(
        RunConfig(
            length=8, symbols=3, hidden=5, steps=6, batch=4, val_size=8, eval_every=3, checkpoints=3
        )
    )
    steps = [s.step for s in run.models["gru"].snapshots]
    for i, step in enumerate(steps):
        flows = gradient_flow_for_run(run, checkpoint=i, batch_size=8)
        assert {f.step for f in flows.values()} == {step}
        assert all(np.isfinite(f.per_sequence_log10).all() for f in flows.values())
    run.has_weights = False
    with pytest.raises(ValueError, match="without its weights"):
        gradient_flow_for_run(run)


def test_median_grid_stacks_checkpoints():
    run = tiny_run()
    flows = [gradient_flow_for_run(run, i, batch_size=8)["rnn"] for i in range(3)]
    steps, grid = median_grid(flows)
    assert steps.tolist() == [0, 10, 20] and grid.shape == (3, 10)
    np.testing.assert_array_equal(grid[1], flows[1].median_log10)


@pytest.mark.parametrize("task", ["recall", "adding", "order"])
def test_loss_source_agrees_with_the_training_loss_gradient(task):
    """For last-step tasks the training loss (batch mean) is the same loss: B * its d_hs are
    the per-sequence gradients whose norms the flow reports."""
    from core.cells import get_cell
    from core.tasks import get_task
    from core.train.model import model_loss

    t = get_task(task, 9, 4)
    cell = get_cell("gru")
    p = init_model(cell, t.input_size, 5, t.output_size, np.random.default_rng(0), dtype="float64")
    batch = t.sample(np.random.default_rng(1), 6, "float64")
    d_hs = model_loss(cell, p, batch).d_hs * 6  # (T, B, H)
    expected = np.log10(np.linalg.norm(d_hs, axis=-1)).T[:, ::-1]
    np.testing.assert_allclose(
        gradient_flow("gru", p, batch).per_sequence_log10, expected, atol=1e-12
    )


def test_checkpoint_steps_label_the_snapshots():
    run = tiny_run()
    assert checkpoint_steps(run, "gru") == [0, 10, 20]
    run.models["gru"].snapshots = []
    assert checkpoint_steps(run, "gru") == [20]
    assert gradient_flow_for_run(run, checkpoint=0, batch_size=4)["gru"].step == 20


def test_lstm_cell_state_carries_the_gradient_unchanged_when_f_is_1_and_i_is_0():
    """f = 1, i = 0 and U = 0: c_t = c_{t-1} and nothing flows through h_{t-1}, so the curve
    through c is flat at its k = 0 value and the one through h is zero beyond k = 0."""
    H, T = 6, 30
    p = _params("lstm", 4, H)
    gates = {key: slice(j * H, (j + 1) * H) for j, key in enumerate("ifog")}
    p["U"][:] = 0.0
    for key, bias in (("i", -60.0), ("f", 60.0)):
        p["W"][:, gates[key]] = 0.0
        p["b"][gates[key]] = bias
    flow = gradient_flow("lstm", p, np.random.default_rng(0).normal(size=(T, 5, 4)))
    c = flow.blocks["c"]  # (B, T)
    np.testing.assert_allclose(c, c[:, :1] * np.ones((1, T)), rtol=0, atol=1e-12)
    assert np.all(flow.per_sequence_log10[:, 1:] < -300)  # exact zeros, as log10 tiny
    rel = flow.relative()
    np.testing.assert_allclose(rel.blocks["c"], c - flow.per_sequence_log10[:, :1])
    assert set(flow.to_dict()["blocks"]) == {"c"}


def test_cells_with_state_h_alone_have_no_other_curve():
    xs = np.random.default_rng(0).normal(size=(6, 3, 4))
    flow = gradient_flow("gru", _params("gru", 4, 5), xs)
    assert flow.blocks == {}
