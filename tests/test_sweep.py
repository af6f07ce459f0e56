"""Sweeps on the local pool: grid files, Wilson intervals against published values, a tiny
sweep end to end, resume by config hash, the results file, and no Dask without a scheduler."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

import pandas as pd
import pytest

from core.runs import stored
from core.store.run_store import RunStore
from core.sweep.backends import PoolBackend
from core.sweep.cli import main as sweep_cli
from core.sweep.grid import GridError, grid_from_tables, load_grid
from core.sweep.results import results_table, success_rates
from core.sweep.runner import run_sweep
from core.sweep.stats import wilson_interval
from core.train.config import RunConfig
from tests.conftest import REPO

TINY_BASE = {
    "task": "recall",
    "steps": 12,
    "hidden": 4,
    "val-size": 16,
    "eval-every": 4,
    "checkpoints": 2,
}
GRID_TOML = """
[base]
task = "recall"
steps = 12
hidden = 4
val-size = 16
eval_every = 4
checkpoints = 2
[grid]
model = ["rnn", "gru"]
length = [3, 5]
seed = [0, 1]
"""


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),  # Newcombe (1998), Table I, method 3
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_newcombe_1998(k, n, low, high):
    got = wilson_interval(k, n)
    assert got == pytest.approx((low, high), abs=5e-5)


def test_grid_file_expands_to_one_run_per_model(tmp_path):
    path = tmp_path / "g.toml"
    path.write_text(GRID_TOML)
    grid = load_grid(path)
    configs = grid.configs()
    assert len(configs) == 8 and grid.fields == ("model", "length", "seed")
    assert configs[0] == RunConfig(
        task="recall",
        steps=12,
        hidden=4,
        val_size=16,
        eval_every=4,
        checkpoints=2,
        length=3,
        seed=0,
        models=("rnn",),
    )
    assert [c.models for c in configs] == [("rnn",)] * 4 + [("gru",)] * 4


@pytest.mark.parametrize(
    ("base", "grid", "words"),
    [
        ({"colour": "red"}, {}, "base.colour is not a training-config field"),
        ({}, {"length": 5}, "grid.length must be a non-empty list"),
        ({"length": 5}, {"length": [5]}, "length in both [base] and [grid]"),
        (
            {},
            {"hidden": [8, 1_000_000]},
            "grid.hidden: hidden must be a whole number from 1 to 256; got 1000000.",
        ),
        ({}, {"model": ["rnn", "lstmx"]}, "grid.model: models must be a list, each item one of"),
        ({}, {"seed": [0, 1, 0]}, "grid.seed lists 0 twice"),
        ({}, {"model": ["gru", "gru"]}, "grid.model lists 'gru' twice"),
    ],
)
def test_bad_grids_name_the_field(base, grid, words):
    with pytest.raises(GridError) as err:
        grid_from_tables(base, grid, where="g.toml")
    assert str(err.value).startswith("g.toml: ") and words in str(err.value)


def test_bad_toml_exits_2_with_the_file_name(tmp_path, capsys):
    (tmp_path / "bad.toml").write_text("[base\n")
    with pytest.raises(SystemExit) as exit_:
        sweep_cli(["run", str(tmp_path / "bad.toml")])
    assert exit_.value.code == 2
    assert "bad.toml: not valid TOML" in capsys.readouterr().err


@pytest.fixture(scope="module")
def local():
    backend = PoolBackend.new(workers=2)
    yield backend
    backend.close()


def test_tiny_sweep_end_to_end_then_resume_by_hash(tmp_path, local):
    grid = grid_from_tables(
        TINY_BASE, {"model": ["rnn", "gru"], "length": [3, 5], "seed": [0, 1]}, name="tiny"
    )
    store = RunStore(tmp_path)
    first = run_sweep(grid, store, local)
    assert (first.total, first.done, first.failed, first.skipped) == (8, 8, 0, 0)
    table = results_table(grid, store)
    assert list(table.columns[:3]) == ["model", "length", "seed"]
    assert (table["status"] == "done").all() and table["config_hash"].is_unique
    one = stored.load_run(store, store.list_runs(sweep="tiny")[0].id)  # really trained there
    assert len(one.models) == 1 and one.has_weights
    again = run_sweep(grid, store, local)
    assert (again.done, again.skipped) == (0, 8)  # nothing trained twice
    victim = store.find(table["config_hash"][2])
    store.delete(victim.id)
    third = run_sweep(grid, store, local)
    assert (third.done, third.skipped) == (1, 7)
    pd.testing.assert_frame_equal(
        results_table(grid, store).drop(columns="seconds"), table.drop(columns="seconds")
    )  # seeded: same numbers
    rates = success_rates(table, x="length")
    assert list(rates["n"]) == [2, 2, 2, 2]
    assert ((rates["low"] <= rates["rate"]) & (rates["rate"] <= rates["high"])).all()


def test_a_stopped_sweep_keeps_what_finished_and_resumes(tmp_path, local):
    grid = grid_from_tables(
        {**TINY_BASE, "steps": 60}, {"model": ["rnn", "gru"], "seed": list(range(6))}, name="stop"
    )
    store = RunStore(tmp_path)
    stop = threading.Event()

    def after_first(progress):
        if progress.done >= 1:
            stop.set()

    first = run_sweep(grid, store, local, on_progress=after_first, stop=stop)
    assert first.stopped and 1 <= first.done < first.total
    finished = [r for r in store.list_runs(sweep="stop") if r.status == "done"]
    assert len(finished) == first.done - first.failed  # nothing half-written, nothing lost
    rest = run_sweep(grid, store, local)
    assert not rest.stopped
    assert (rest.skipped, rest.done, rest.skipped + rest.done) == (
        len(finished),
        first.total - len(finished),
        first.total,
    )
    assert (results_table(grid, store)["status"] == "done").all()


def test_cli_run_then_results_csv(tmp_path, capsys):
    grid = tmp_path / "g.toml"
    grid.write_text(
        GRID_TOML.replace("length = [3, 5]", "length = [3]").replace("seed = [0, 1]", "seed = [0]")
    )
    store = str(tmp_path / "store")
    assert sweep_cli(["run", str(grid), "--workers", "1", "--store", store]) == 0
    assert "trained 2, failed 0, skipped 0" in capsys.readouterr().out
    out = tmp_path / "r.csv"
    assert (
        sweep_cli(
            [
                "results",
                str(grid),
                "--store",
                store,
                "--csv",
                str(out),
                "--parquet",
                str(tmp_path / "r.parquet"),
            ]
        )
        == 0
    )
    table = pd.read_csv(out)
    assert list(table.columns) == [
        "model",
        "length",
        "seed",
        "task",
        "status",
        "success",
        "final_val_accuracy",
        "final_val_loss",
        "steps_to_success",
        "seconds",
        "config_hash",
        "reason",
    ]
    assert list(table["model"]) == ["rnn", "gru"]
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "r.parquet"), results_table(load_grid(grid), RunStore(store))
    )


def test_no_dask_is_imported_without_a_scheduler(tmp_path):
    grid = tmp_path / "g.toml"
    grid.write_text(
        GRID_TOML.replace('model = ["rnn", "gru"]', 'model = ["gru"]')
        .replace("length = [3, 5]", "length = [3]")
        .replace("seed = [0, 1]", "seed = [0]")
    )
    code = textwrap.dedent(f"""
        import sys
        from core.sweep.cli import main
        assert main(["run", {str(grid)!r}, "--workers", "1",
                     "--store", {str(tmp_path / "s")!r}]) == 0
        import dashboard.session.services, dashboard.views.train.jobs
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("dask", "distributed")))
    """)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_success_follows_the_task_registry():
    import numpy as np

    from core.tasks import get_spec
    from core.train.results import History
    from core.train.success import steps_to_success, succeeded

    need = get_spec("recall").success_accuracy
    acc = np.array([0.1, need, need - 0.01, need + 0.01])
    h = History(
        step=np.array([10, 20, 30, 40]),
        train_loss=acc,
        val_loss=acc,
        val_accuracy=acc,
        grad_norm=acc,
        clipped=np.zeros(4, bool),
        seconds=acc,
    )
    assert succeeded("recall", h) and steps_to_success("recall", h) == 20
    h.val_accuracy = acc[:3]
    h.step = h.step[:3]
    assert not succeeded("recall", h) and steps_to_success("recall", h) == 20


@pytest.mark.parametrize("key", ["vanishing", "ablation"])
def test_presets_expand_on_registered_cells(key):
    from core.sweep.presets import PRESETS, preset_grid

    grid, missing = preset_grid(key)
    assert grid.configs() and set(grid.models) | set(missing) == set(PRESETS[key].grid["model"])
