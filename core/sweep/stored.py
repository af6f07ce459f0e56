"""Sweeps recorded in the run store. A sweep's grid tables are saved when it starts, so a sweep
run with `python -m core.sweep run`, or before the app restarted, can be shown and resumed.

A sweep is its runs: records whose grids make the same runs (the same sweep_key), e.g. one
recorded under an older key or a grid file's name, are one sweep, and a grid submitted again
joins the record already there (sweep_name)."""

from __future__ import annotations

from dataclasses import dataclass

from core.store.run_store import RunStore
from core.sweep.grid import Grid, GridError, grid_from_tables, grid_tables
from core.sweep.names import sweep_key


@dataclass(frozen=True)
class StoredGrid:
    name: str  # the sweep's name
    grid: Grid | None  # None when the recorded tables no longer make a grid
    problem: str | None  # why not, in a sentence naming the sweep


def record_grid(store: RunStore, grid: Grid) -> None:
    store.save_sweep(grid.name, grid_tables(grid))


def stored_grids(store: RunStore) -> list[StoredGrid]:
    """Every sweep the store has run, the most recently started first; of records that make
    the same runs only the most recently started is listed."""
    out, keys = [], set()
    for s in store.sweeps():
        found = _rebuilt(s.name, s.tables)
        key = sweep_key(found.grid) if found.grid is not None else None
        if key is None or key not in keys:
            out.append(found)
            keys.add(key)
    return out


def sweep_name(store: RunStore, grid: Grid) -> str:
    """The name `grid`'s sweep goes by in the store: that of a recorded sweep making the same
    runs (whatever name or older key it was recorded under), else sweep_key(grid)."""
    key = sweep_key(grid)
    same = (s.name for s in stored_grids(store) if s.grid is not None and sweep_key(s.grid) == key)
    return next(same, key)


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
