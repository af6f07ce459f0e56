"""The registry of recurrent cells: the one place that lists them. Each cell is one module that
ends with `CELL = Cell(...)` (see core.cells.protocol); adding a model is that file plus a line
below.

    params = cell.init(D, H, rng, init_scale=1.0, orthogonal=True, update_bias=-1.0,
                       chrono_length=None, forget_bias=1.0, dtype="float32")
    hs, cache = cell.forward(params, xs, state0)    # xs (T, B, D), state0 (B, S) -> hs (T, B, H)
    grads = cell.backward(params, cache, d_hs)      # d_hs (T, B, H) -> CellGrads

Row-vector convention throughout (x_t @ W, h @ U); the parameters' dtype sets the dtype.
"""

from __future__ import annotations

from core.cells import gru, gru_no_reset, gru_no_update, gru_reset_after, lstm, rnn
from core.cells.protocol import Cell, CellGrads, GateInfo, Params

__all__ = ["CELLS", "Cell", "CellGrads", "GateInfo", "Params", "cell_names", "get_cell"]

CELLS: dict[str, Cell] = {
    cell.name: cell
    for cell in (
        rnn.CELL,
        gru.CELL,
        gru_reset_after.CELL,
        lstm.CELL,
        gru_no_reset.CELL,
        gru_no_update.CELL,
    )
}


def cell_names() -> tuple[str, ...]:
    """Every registered cell, in display order."""
    return tuple(CELLS)


def retired_config_fields() -> frozenset[str]:
    """Config fields old run files may hold that no config has today (each cell names its own)."""
    return frozenset(f for cell in CELLS.values() for f in cell.retired_config_fields)


def get_cell(name: str) -> Cell:
    """The registered cell called `name`."""
    if name not in CELLS:
        raise ValueError(f"unknown model {name!r}; expected one of {', '.join(CELLS)}")
    return CELLS[name]
