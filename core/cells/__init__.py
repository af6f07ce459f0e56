"""The registry of recurrent cells. Each cell is a pair of pure functions plus an initialiser:

    params = cell.init(D, H, rng, init_scale=1.0, orthogonal=True, update_bias=-1.0,
                       chrono_length=None, dtype="float32")
    hs, cache = cell.forward(params, xs, h0)        # xs (T, B, D), h0 (B, H) -> hs (T, B, H)
    grads = cell.backward(params, cache, d_hs)      # d_hs (T, B, H) -> CellGrads

Row-vector convention throughout (x_t @ W, h @ U); the parameters' dtype sets the dtype.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.cells import gru, gru_reset_after, rnn
from core.cells.protocol import CellGrads, Params

__all__ = ["CELLS", "Cell", "CellGrads", "Params", "get_cell"]


@dataclass(frozen=True)
class Cell:
    name: str           # key in CELLS
    init: Callable      # init(D, H, rng, *, init_scale, orthogonal, update_bias,
                        #      chrono_length, dtype) -> Params
    forward: Callable   # forward(params, xs, h0) -> (hs, cache)
    backward: Callable  # backward(params, cache, d_hs) -> CellGrads


CELLS: dict[str, Cell] = {
    "rnn": Cell("rnn", rnn.init, rnn.forward, rnn.backward),
    "gru": Cell("gru", gru.init, gru.forward, gru.backward),
    "gru_reset_after": Cell("gru_reset_after", gru_reset_after.init, gru_reset_after.forward,
                            gru_reset_after.backward),
}


def get_cell(model: str, gru_variant: str = "seed") -> Cell:
    """("rnn", any) -> rnn; ("gru", "seed") -> gru; ("gru", "reset_after") -> gru_reset_after."""
    if model == "rnn":
        return CELLS["rnn"]
    if model == "gru":
        variants = {"seed": "gru", "reset_after": "gru_reset_after"}
        if gru_variant not in variants:
            raise ValueError(
                f"unknown GRU variant {gru_variant!r}; expected one of {sorted(variants)}")
        return CELLS[variants[gru_variant]]
    raise ValueError(f"unknown model {model!r}; expected 'rnn' or 'gru'")
