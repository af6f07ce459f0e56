"""Sweeps recorded in the run store: a sweep's grid is saved when it runs (from the CLI or the
app) and comes back as the same grid, axis order included; what can no longer be a grid is
named, not shown half."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from core.store.run_store import RunStore
from core.sweep.cli import main as sweep_cli
from core.sweep.grid import grid_from_tables, grid_tables, load_grid
from core.sweep.names import sweep_key
from core.sweep.results import results_table
from core.sweep.stored import record_grid, stored_grids, sweep_name
from tests.test_sweep import GRID_TOML, TINY_BASE


@pytest.fixture
def store(tmp_path) -> RunStore:
    return RunStore(tmp_path / "store")


def test_grid_tables_give_back_the_same_grid_axis_order_included():
    grid = grid_from_tables(
        {"task": "recall", "steps": 12, "lr": 0.005},
        {"model": ["gru", "rnn"], "seed": [2, 0], "length": [5, 3], "hidden": [8, 4]},
        name="order",
    )
    again = grid_from_tables(**grid_tables(grid), name="order")
    assert again == grid
    assert list(again.axes) == ["seed", "length", "hidden"]  # not sorted
    assert [c.to_dict() for c in again.configs()] == [c.to_dict() for c in grid.configs()]


def test_recorded_grids_come_back_newest_first_and_a_rerun_updates_its_record(store):
    first = grid_from_tables(TINY_BASE, {"model": ["rnn"], "seed": [0, 1]}, name="a")
    second = grid_from_tables(
        TINY_BASE, {"model": ["gru"], "seed": [1, 0], "length": [9, 3]}, name="b"
    )
    record_grid(store, first)
    record_grid(store, second)
    assert [(s.name, s.grid, s.problem) for s in stored_grids(store)] == [
        ("b", second, None),
        ("a", first, None),
    ]
    assert list(stored_grids(store)[0].grid.axes) == ["seed", "length"]  # as run, not sorted
    changed = grid_from_tables(TINY_BASE, {"model": ["rnn"], "seed": [0, 1, 2]}, name="a")
    record_grid(store, changed)  # the same name, run again with another grid
    assert [(s.name, s.grid) for s in stored_grids(store)] == [("a", changed), ("b", second)]


def test_a_cli_sweep_is_recorded_with_its_file_grid(tmp_path, store, capsys):
    path = tmp_path / "tiny.toml"
    path.write_text(GRID_TOML.replace("seed = [0, 1]", "seed = [0]"))
    assert sweep_cli(["run", str(path), "--workers", "1", "--store", str(store.folder)]) == 0
    (recorded,) = stored_grids(store)
    assert (recorded.name, recorded.grid) == ("tiny", load_grid(path))
    table = results_table(recorded.grid, store)  # what the Sweeps page shows for it
    assert len(table) == 4 and (table["status"] == "done").all()


def test_records_that_are_no_grid_any_more_are_named(store):
    store.save_sweep("old", {"base": {"task": "recall"}, "grid": {"model": ["lstm2"]}})
    with sqlite3.connect(store.index) as con:
        con.execute("INSERT INTO sweeps VALUES ('torn', '{\"base\": ', 0)")
    problems = {s.name: s.problem for s in stored_grids(store)}
    assert [s.grid for s in stored_grids(store)] == [None, None]
    assert "stored sweep 'old'" in problems["old"] and "lstm2" in problems["old"]
    assert problems["torn"] == "stored sweep 'torn': its grid could not be read"


def test_a_store_made_before_sweeps_were_recorded_gets_their_table_when_opened(store):
    with sqlite3.connect(store.index) as con:
        con.execute("DROP TABLE sweeps")
    assert RunStore(store.folder).sweeps() == []


def test_records_making_the_same_runs_are_one_sweep_and_a_resubmission_joins_them(store):
    old = grid_from_tables(TINY_BASE, {"model": ["rnn"], "seed": [0, 1]}, name="recall-0ld0ke1")
    again = grid_from_tables(TINY_BASE, {"seed": [1, 0], "model": ["rnn"]}, name="resubmitted")
    other = grid_from_tables(TINY_BASE, {"model": ["gru"], "seed": [0]}, name="other")
    record_grid(store, old)
    assert sweep_name(store, again) == "recall-0ld0ke1"  # joined by its runs, not its key
    assert sweep_name(store, other) == sweep_key(other)
    record_grid(store, other)
    record_grid(store, replace(again, name=sweep_key(again)))  # a store that has both already
    assert [s.name for s in stored_grids(store)] == [sweep_key(again), "other"]
