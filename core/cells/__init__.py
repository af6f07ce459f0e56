"""The registry of recurrent cells: the one place that lists them. Each cell is one module that
ends with `CELL = Cell(...)` (see core.cells.protocol); adding a model is that file plus a line
below.

    params = cell.init(D, H, rng, init_scale=1.0, orthogonal=True, chrono_length=None,
                       dtype="float32", **its_own_init_options)   # e.g. update_bias=-1.0
    hs, cache = cell.forward(params, xs, state0)    # xs (T, B, D), state0 (B, S) -> hs (T, B, H)
    grads = cell.backward(params, cache, d_hs)      # d_hs (T, B, H) -> CellGrads

Row-vector convention throughout (x_t @ W, h @ U); the parameters' dtype sets the dtype.
"""

from __future__ import annotations

from core.cells import gru, gru_no_reset, gru_no_update, gru_reset_after, lstm, rnn
from core.cells.protocol import Cell, CellGrads, GateInfo, InitOption, Params

__all__ = [
    "CELLS",
    "Cell",
    "CellGrads",
    "GateInfo",
    "InitOption",
    "Params",
    "cell_names",
    "get_cell",
    "init_options",
]

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


def init_options() -> dict[str, InitOption]:
    """Every init option the cells declare, by name, in registry order (each a RunConfig field)."""
    found: dict[str, InitOption] = {}
    for cell in CELLS.values():
        for option in cell.init_options:
            if found.setdefault(option.name, option) != option:
                raise ValueError(f"cells declare init option {option.name!r} differently")
    return found


def get_cell(name: str) -> Cell:
    """The registered cell called `name`."""
    if name not in CELLS:
        raise ValueError(f"unknown model {name!r}; expected one of {', '.join(CELLS)}")
    return CELLS[name]
