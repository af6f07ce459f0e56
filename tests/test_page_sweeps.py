"""Sweeps page (AppTest): a tiny grid from the form trains on the worker pool, the results and
figures appear, and resubmitting the same grid trains nothing again."""

from __future__ import annotations

import hashlib
import json
import time

import pytest
from streamlit.testing.v1 import AppTest

from core.runs import stored
from core.store.run_store import RunStore
from core.sweep.backends import PoolBackend
from core.sweep.grid import grid_from_tables
from core.sweep.names import sweep_title
from core.sweep.presets import preset_grid
from core.sweep.runner import run_sweep
from core.train.config import RunConfig
from dashboard.views.sweeps import jobs as sweep_jobs
from dashboard.views.sweeps.form import form_tables
from tests import apptest_helpers as ui

pytestmark = pytest.mark.slow  # the app driven through AppTest, with worker processes

PAGE = "views/sweeps/sweeps.py"


def _open() -> AppTest:
    at = AppTest.from_file(ui.APP, default_timeout=ui.TIMEOUT)
    at.session_state["gatescope_current_run"] = None  # no default run needed here
    return ui.open_page(PAGE, at.run())


def _run_button(at: AppTest):
    return next(b for b in at.button if b.label == "Run sweep")


def _submit(at: AppTest) -> str:
    at.multiselect(key="sweeps_models").set_value(["rnn", "gru"])
    at.text_input(key="sweeps_lengths").set_value("3, 5")
    at.text_input(key="sweeps_hidden").set_value("4")
    at.text_input(key="sweeps_seeds").set_value("0, 1")
    at.number_input(key="sweeps_steps").set_value(12)
    _run_button(at).click().run()
    assert not at.exception and not ui.errors(at)
    name = at.session_state["sweeps_shown"]
    deadline = time.monotonic() + 120
    while sweep_jobs.sweeps()[name].running:
        assert time.monotonic() < deadline
        time.sleep(0.3)
    at.run()
    assert not at.exception, at.exception
    return name


def test_a_tiny_sweep_from_the_form_shows_results_and_resumes(fast):
    at = _open()
    assert any("No sweep yet" in i for i in ui.infos(at))
    name = _submit(at)
    job = sweep_jobs.sweeps()[name]
    assert (job.progress.done, job.progress.failed) == (8, 0)
    (table,) = [df.value for df in at.dataframe]
    assert len(table) == 8 and (table["status"] == "done").all()
    assert sorted(table["model"].unique()) == ["gru", "rnn"]
    assert len(at.get("plotly_chart")) >= 3
    labels = [b.proto.label for b in at.get("download_button")]
    assert sorted(labels) == ["Grid (.toml)", "Results (.csv)", "Results (.parquet)"]
    assert _submit(at) == name  # same grid: same sweep
    again = sweep_jobs.sweeps()[name].progress
    assert (again.done, again.skipped) == (0, 8)  # nothing trained twice


def test_a_bad_length_list_is_named(fast):
    at = _open()
    at.text_input(key="sweeps_lengths").set_value("10, ten")
    _run_button(at).click().run()
    assert not at.exception
    assert any("'ten' is not a number" in e for e in ui.errors(at))


def test_stop_cancels_a_running_sweep_and_keeps_the_page_whole(fast):
    at = _open()
    at.multiselect(key="sweeps_models").set_value(["rnn", "gru"])
    at.text_input(key="sweeps_lengths").set_value("20, 30, 40")
    at.text_input(key="sweeps_hidden").set_value("16")
    at.text_input(key="sweeps_seeds").set_value("0, 1, 2, 3")
    at.number_input(key="sweeps_steps").set_value(2000)
    _run_button(at).click().run()
    name = at.session_state["sweeps_shown"]
    assert sweep_jobs.sweeps()[name].running
    assert at.selectbox(key="sweeps_pick").value == name  # the new sweep is shown
    at.button(key="sweeps_stop").click().run()
    deadline = time.monotonic() + 60
    while sweep_jobs.sweeps()[name].running:
        assert time.monotonic() < deadline, "the sweep did not stop"
        time.sleep(0.2)
    at.run()
    assert not at.exception, at.exception
    progress = sweep_jobs.sweeps()[name].progress
    assert progress.stopped and progress.done < progress.total
    assert any("Stopped on request" in i for i in ui.infos(at))
    (table,) = [df.value for df in at.dataframe]
    assert (table["status"] == "missing").sum() >= progress.total - progress.done


def test_a_sweep_run_with_the_cli_is_listed_shown_and_its_missing_runs_trained(fast, run_store):
    """A sweep the store records (run from the CLI, or before a restart) is on the page with its
    results; a run deleted from it and a failed one are trained again from the page. A record
    that is no grid any more is named and the rest of the page stays."""
    grid = grid_from_tables(
        {"task": "recall", "steps": 12, "hidden": 4, "val-size": 16, "checkpoints": 2},
        {"model": ["rnn", "gru"], "length": [3], "seed": [0, 1]},
        name="from-the-cli",
    )
    store = RunStore(run_store)
    backend = PoolBackend.new(workers=1)
    try:
        run_sweep(grid, store, backend)
    finally:
        backend.close()
    deleted, failed = store.list_runs(sweep="from-the-cli")[:2]
    store.delete(deleted.id)
    store.delete(failed.id)  # stands in for a run whose worker died
    stored.save_failure(store, RunConfig.from_dict(failed.config), "worker lost", sweep=grid.name)
    store.save_sweep("retired", {"base": {}, "grid": {"model": ["no-such-cell"]}})
    at = _open()
    assert not at.exception and not any("No sweep yet" in i for i in ui.infos(at))
    assert any("stored sweep 'retired'" in w and "no-such-cell" in w for w in ui.warnings(at))
    pick = at.selectbox(key="sweeps_pick")  # this server's own sweeps (earlier tests) come last
    assert sweep_title(grid) in pick.options  # named by what it varies, not by its file
    pick.set_value("from-the-cli").run()
    (table,) = [df.value for df in at.dataframe]
    assert sorted(table["status"]) == ["done", "done", "failed", "missing"]
    assert at.button(key="sweeps_resume").label == "Train the 2 missing or failed runs"
    at.button(key="sweeps_resume").click().run()
    deadline = time.monotonic() + 120
    while sweep_jobs.sweeps()["from-the-cli"].running:
        assert time.monotonic() < deadline
        time.sleep(0.3)
    at.run()
    assert not at.exception, at.exception
    assert sweep_jobs.sweeps()["from-the-cli"].progress.done == 2  # only those two
    (table,) = [df.value for df in at.dataframe]
    assert (table["status"] == "done").all()
    assert "sweeps_resume" not in {b.key for b in at.button}


def test_a_preset_fills_the_form_and_an_empty_model_list_is_named(fast):
    at = _open()
    at.selectbox(key="sweeps_preset").set_value("ablation").run()
    grid, _ = preset_grid("ablation")
    assert at.multiselect(key="sweeps_models").value == list(grid.models)
    assert at.text_input(key="sweeps_lengths").value == "10, 20, 40"
    assert at.number_input(key="sweeps_steps").value == grid.base["steps"]
    assert f"{len(grid.configs())} runs" in at.markdown[-1].value
    at.multiselect(key="sweeps_models").set_value([]).run()
    assert not at.exception and ui.errors(at) == ["Choose at least one model."]
    assert _run_button(at).disabled


def _old_key(base: dict, grid: dict) -> str:
    """The key the Sweeps page stored a sweep under before keys were its runs' hashes."""
    text = json.dumps([base, grid], sort_keys=True)
    return f"{base['task']}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"


def test_a_sweep_stored_under_an_older_key_is_joined_not_listed_twice(fast, run_store):
    at = _open()
    at.multiselect(key="sweeps_models").set_value(["rnn", "gru"])
    at.text_input(key="sweeps_lengths").set_value("4")  # a grid no other test submits
    at.text_input(key="sweeps_hidden").set_value("4")
    at.text_input(key="sweeps_seeds").set_value("0, 2")
    at.number_input(key="sweeps_steps").set_value(12)
    at.run()
    base, tables = form_tables(at.session_state)
    old = grid_from_tables(base, tables, name=_old_key(base, tables))
    backend = PoolBackend.new(workers=1)
    try:
        run_sweep(old, RunStore(run_store), backend)  # as the page ran it under the old key
    finally:
        backend.close()
    _run_button(at).click().run()
    assert not at.exception and not ui.errors(at)
    name = at.session_state["sweeps_shown"]
    deadline = time.monotonic() + 120
    while sweep_jobs.sweeps()[name].running:
        assert time.monotonic() < deadline
        time.sleep(0.3)
    at.run()
    assert name == old.name  # the stored sweep is resumed, not a second one started
    again = sweep_jobs.sweeps()[name].progress
    assert (again.done, again.skipped) == (0, 4)  # its stored runs are not trained again
    title = sweep_title(old)
    shown = at.selectbox(key="sweeps_pick").options
    assert shown.count(title) == 1 and not [o for o in shown if o.startswith(f"{title} (")]
    assert [s.name for s in RunStore(run_store).sweeps()] == [old.name]
