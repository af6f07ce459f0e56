"""The full model (cell + readout + task loss): gradients against float64 finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from core.cells import CELLS
from core.tasks import get_task
from core.train.model import init_model, model_forward, model_loss
from tests.numeric import numeric_grad


def tiny_model(cell_name, task_name, seed=0):
    task = get_task(task_name, 5, symbols=3)
    rng = np.random.default_rng(seed)
    cell = CELLS[cell_name]
    params = init_model(
        cell,
        task.input_size,
        4,
        task.output_size,
        rng,
        options={"update_bias": -0.5},
        dtype="float64",
    )
    for k in params:  # move off the init so every term is exercised
        params[k] += 0.3 * rng.standard_normal(params[k].shape)
    batch = task.sample(rng, 3, dtype="float64")
    if task_name == "copy":  # keep the check small: fewer answer steps
        batch.steps, batch.targets, batch.scored = (
            batch.steps[-12:],
            batch.targets[-12:],
            batch.scored[-12:],
        )
    return cell, params, batch


@pytest.mark.parametrize("cell_name", sorted(CELLS))
@pytest.mark.parametrize("task_name", ["recall", "adding", "copy"])
def test_model_gradients_match_finite_differences(cell_name, task_name):
    cell, params, batch = tiny_model(cell_name, task_name)
    analytic = model_loss(cell, params, batch).grads
    assert set(analytic) == set(params) and {"V", "c"} <= set(params)
    for name, p in params.items():
        numeric = numeric_grad(lambda: model_loss(cell, params, batch).loss, p)
        err = np.abs(analytic[name] - numeric).max() / max(np.abs(numeric).max(), 1e-12)
        assert err < 1e-6, f"{cell_name}/{task_name}: d{name} relative error {err:.2e}"


@pytest.mark.parametrize("cell_name", sorted(CELLS))
def test_hidden_state_gradients_match_finite_differences(cell_name):
    """d_hs[t] = dL/dh_t: restart the cell from its state after step t with h_t perturbed (an
    LSTM's c_t held) and run the rest of the sequence."""
    cell, params, batch = tiny_model(cell_name, "recall")
    out = model_loss(cell, params, batch)
    cp = {k: v for k, v in params.items() if k not in ("V", "c")}
    target = batch.targets[0]
    for t in range(len(batch.xs) - 1):
        state = cell.final_state(cell.forward(cp, batch.xs[: t + 1], None)[1]).copy()  # (B, S)
        h = state[:, : out.d_hs.shape[-1]]  # view into state

        def loss_from_h(t=t, state=state):
            hs, _ = cell.forward(cp, batch.xs[t + 1 :], state)
            z = hs[-1] @ params["V"] + params["c"]  # (B, C)
            z = z - z.max(axis=1, keepdims=True)
            logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            return -logp[np.arange(len(target)), target].mean()

        numeric = numeric_grad(loss_from_h, h)
        np.testing.assert_allclose(out.d_hs[t], numeric, rtol=1e-6, atol=1e-10)


def test_outputs_only_at_answer_steps_and_dtype_follows_params():
    task = get_task("recall", 7, symbols=4)
    rng = np.random.default_rng(0)
    params = init_model(CELLS["gru"], 4, 6, 4, rng, dtype="float32")
    assert params["V"].shape == (6, 4) and params["c"].shape == (4,)
    batch = task.sample(rng, 5)
    outputs, cache = model_forward(CELLS["gru"], params, batch)
    assert outputs.shape == (1, 5, 4) and outputs.dtype == np.float32
    np.testing.assert_allclose(outputs[0], cache.hs[-1] @ params["V"] + params["c"], rtol=1e-6)
