"""The recurrent cells an encoder-decoder can use, seen through the state protocol:

    cell.state_size(H) -> S;  cell.forward(params, xs, state0) -> (hs, cache)
    cell.final_state(cache) -> (B, S);  cell.backward(params, cache, d_hs, d_final) -> CellGrads

Registry cells that predate the protocol (state = h) are wrapped here; nothing branches on a
cell's name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core import cells as registry


@dataclass(frozen=True)
class _HiddenStateCell:
    """A cell whose whole state is h, given the state protocol."""

    name: str
    label: str
    init: Callable
    _forward: Callable
    _backward: Callable

    def state_size(self, H: int) -> int:
        return H

    def forward(self, params, xs, state0):
        return self._forward(params, xs, state0)

    def final_state(self, cache) -> np.ndarray:
        return cache.hs[-1]

    def backward(self, params, cache, d_hs, d_final=None):
        if d_final is not None:
            d_hs = np.array(d_hs, dtype=cache.hs.dtype)
            d_hs[-1] += d_final
        return self._backward(params, cache, d_hs)


def cell_names() -> tuple[str, ...]:
    """Every registered cell, in registry order."""
    names = getattr(registry, "cell_names", None)
    return tuple(names()) if names else tuple(registry.CELLS)


def recurrent_cell(name: str):
    """The registry's cell `name`, with the state protocol."""
    if name not in cell_names():
        raise ValueError(f"unknown cell {name!r}; expected one of {cell_names()}")
    cell = registry.CELLS[name]
    if hasattr(cell, "final_state"):
        return cell
    return _HiddenStateCell(name, name.upper().replace("_", " "), cell.init, cell.forward,
                            cell.backward)
