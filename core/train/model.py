"""A recurrent cell with a linear readout at the answer steps: y_s = h_{t_s} V + c.

Parameters are the cell's (see core.cells) plus the readout V (H, C) and c (C,), all in one
dict. The initial state h0 is zero. Outputs are logits (classification) or predictions
(regression) at `batch.steps` only, so the loss reaches the cell through those hidden states.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from core.cells import Cell
from core.tasks import Batch
from core.train.losses import task_loss

Params = dict[str, np.ndarray]
READOUT = ("V", "c")


def init_model(
    cell: Cell,
    D: int,
    H: int,
    C: int,
    rng: np.random.Generator,
    *,
    init_scale: float = 1.0,
    orthogonal: bool = True,
    chrono_length: int | None = None,
    options: dict[str, float] | None = None,
    dtype: str = "float32",
) -> Params:
    """Cell parameters from cell.init (with the init options it declares, taken from
    `options`), then V ~ N(0, 1/H) and c = 0."""
    params = cell.initialise(
        D,
        H,
        rng,
        options,
        init_scale=init_scale,
        orthogonal=orthogonal,
        chrono_length=chrono_length,
        dtype=dtype,
    )
    params["V"] = (rng.standard_normal((H, C)) / np.sqrt(H)).astype(dtype)  # (H, C)
    params["c"] = np.zeros(C, dtype=dtype)  # (C,)
    return params


def model_param_shapes(cell: Cell, D: int, H: int, C: int) -> dict[str, tuple[int, ...]]:
    """Every parameter's shape, readout included, without drawing any random numbers."""
    return {**cell.param_shapes(D, H), "V": (H, C), "c": (C,)}


def cell_params(params: Params) -> Params:
    """The cell's own parameters (everything but the readout)."""
    return {k: v for k, v in params.items() if k not in READOUT}


@dataclass
class ModelCache:
    cell: Any  # the cell's forward cache (hidden states, gates, ...)
    hs: np.ndarray  # (T, B, H) hidden states
    steps: np.ndarray  # (S,) answer steps read out


@dataclass
class ModelLoss:
    loss: float  # mean task loss over answer steps and sequences
    outputs: np.ndarray  # (S, B, C) logits or predictions
    grads: Params  # dloss/dparam for every parameter, readout included
    d_hs: np.ndarray  # (T, B, H) total dloss/dh_t reaching every hidden state


def model_forward(cell: Cell, params: Params, batch: Batch) -> tuple[np.ndarray, ModelCache]:
    """hs = cell(xs, h0=0);  outputs = hs[steps] V + c.  -> (S, B, C), cache."""
    xs = batch.xs.astype(params["V"].dtype, copy=False)
    hs, cache = cell.forward(cell_params(params), xs, None)  # (T, B, H), state0 0
    outputs = hs[batch.steps] @ params["V"] + params["c"]  # (S, B, C)
    return outputs, ModelCache(cell=cache, hs=hs, steps=batch.steps)


def model_loss(cell: Cell, params: Params, batch: Batch) -> ModelLoss:
    """Forward, task loss and backpropagation through the readout and the cell.

    dV = sum_s h_s^T dy_s;  dc = sum_s dy_s;  dL/dh_{t_s} (from above) = dy_s V^T.
    """
    outputs, cache = model_forward(cell, params, batch)
    loss = task_loss(batch.kind, outputs, batch.targets)
    dy = loss.d_outputs  # (S, B, C)
    read = cache.hs[batch.steps]  # (S, B, H)
    H, C = params["V"].shape
    d_hs_above = np.zeros_like(cache.hs)  # (T, B, H)
    d_hs_above[batch.steps] = dy @ params["V"].T  # steps are distinct
    back = cell.backward(cell_params(params), cache.cell, d_hs_above)
    grads = dict(back.params)
    grads["V"] = read.reshape(-1, H).T @ dy.reshape(-1, C)  # (H, C)
    grads["c"] = dy.reshape(-1, C).sum(axis=0)  # (C,)
    return ModelLoss(loss=loss.value, outputs=outputs, grads=grads, d_hs=back.hs)
