"""Sweeps recorded in the run store. A sweep's grid tables are saved when it starts, so a sweep
run with `python -m core.sweep run`, or before the app restarted, can be shown and resumed."""

from __future__ import annotations

from dataclasses import dataclass

from core.store.run_store import RunStore
from core.sweep.grid import Grid, GridError, grid_from_tables, grid_tables


@dataclass(frozen=True)
class StoredGrid:
    name: str  # the sweep's name
    grid: Grid | None  # None when the recorded tables no longer make a grid
    problem: str | None  # why not, in a sentence naming the sweep


def record_grid(store: RunStore, grid: Grid) -> None:
    store.save_sweep(grid.name, grid_tables(grid))


def stored_grids(store: RunStore) -> list[StoredGrid]:
    """Every sweep the store has run, the most recently started first."""
    return [_rebuilt(s.name, s.tables) for s in store.sweeps()]


def _rebuilt(name: str, tables: dict | None) -> StoredGrid:
    where = f"stored sweep {name!r}"
    if tables is None:
        return StoredGrid(name, None, f"{where}: its grid could not be read")
    try:
        grid = grid_from_tables(
            tables.get("base", {}), tables.get("grid", {}), name=name, where=where
        )
    except GridError as err:  # e.g. a model no longer registered, a field since retired
        return StoredGrid(name, None, str(err))
    return StoredGrid(name, grid, None)
