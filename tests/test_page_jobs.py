"""Training from the Train page runs on the worker pool: the page polls it, and Stop ends the job
and leaves the page whole (the shown run, its metrics and charts stay)."""

from __future__ import annotations

import time

import pytest

from core.workers.pool import JobPool
from dashboard.session import state
from dashboard.session.services import current_store
from dashboard.views.train import jobs
from tests import apptest_helpers as ui

pytestmark = pytest.mark.slow  # the app driven through AppTest, with worker processes


def _submit(at, **values):
    for key, value in values.items():
        at.number_input(key=f"train_{key}").set_value(value)
    at.button[0].click().run()
    assert not at.exception


def test_stop_ends_the_job_and_keeps_the_page_whole(fast):
    at = ui.boot()
    before = ui.current_run(at)
    metrics = ui.metrics(at)
    _submit(at, length=200, steps=5000, hidden=64)
    ((job_id, _),) = at.session_state[jobs.JOBS]
    deadline = time.monotonic() + 60
    while not any(b.key == f"stop_{job_id}" for b in at.button):
        assert time.monotonic() < deadline
        at.run()
    at.button(key=f"stop_{job_id}").click().run()
    ui.finish_jobs(at)
    assert not at.exception and not ui.errors(at)
    assert any("was stopped" in i for i in ui.infos(at))
    assert ui.current_run(at) is before and ui.metrics(at) == metrics
    assert len(at.get("plotly_chart")) == 2
    assert not at.get("progress")  # no frozen bar left behind


def test_a_running_job_shows_its_live_loss_curves(fast):
    at = ui.boot()
    _submit(at, length=100, steps=5000, hidden=32)
    ((job_id, _),) = at.session_state[jobs.JOBS]
    deadline = time.monotonic() + 60
    while not any("Loss, live" in c.proto.spec for c in at.get("plotly_chart")):
        assert time.monotonic() < deadline, "no live curves while the job ran"
        time.sleep(0.2)
        at.run()
    at.button(key=f"stop_{job_id}").click().run()
    ui.finish_jobs(at)
    assert not any("Loss, live" in c.proto.spec for c in at.get("plotly_chart"))


def test_a_finished_job_is_saved_in_the_run_store(fast):
    at = ui.boot()
    _submit(at, length=6, steps=10, hidden=4, seed=5)
    ui.finish_jobs(at)
    run = ui.current_run(at)
    assert run.config.seed == 5
    saved = current_store().store.list_runs(kind="train")
    assert [r.name for r in saved] == [at.session_state[state.CURRENT_NAME]]
    kinds = {r.kind for r in current_store().store.list_runs()}
    assert kinds == {"train", "default"}


def test_the_default_experiment_is_shared_and_read_from_the_store_after_a_restart(
    fast, fresh_caches, monkeypatch
):
    first = ui.boot()
    second = ui.boot()  # another session, same server
    assert ui.current_run(second) is ui.current_run(first)  # one shared, read-only run
    assert [r.kind for r in current_store().store.list_runs()] == ["default"]
    import streamlit as st

    st.cache_resource.clear()  # a restarted server ...
    monkeypatch.setattr(JobPool, "submit", _no_training)
    third = ui.boot()  # ... reads it from the store
    assert ui.current_run(third).config == ui.current_run(first).config
    assert ui.metrics(third) == ui.metrics(first)


def test_a_default_trained_ahead_on_the_command_line_is_read_from_the_store(
    fast, fresh_caches, monkeypatch, capsys
):
    """A deployment trains the default before its first visitors (README): `python -m
    core.train` with the default's settings stores the run the app then reads."""
    from core.train.cli import main
    from core.train.config import RunConfig

    cfg, plain = state.default_config(), RunConfig().to_dict()
    flags = [
        [f"--{k.replace('_', '-')}", str(v)] for k, v in cfg.to_dict().items() if v != plain[k]
    ]
    assert main([word for flag in flags for word in flag]) == 0
    monkeypatch.setattr(JobPool, "submit", _no_training)
    at = ui.boot()
    assert ui.current_run(at).config == cfg
    assert [r.kind for r in current_store().store.list_runs()] == ["cli"]


def _no_training(self, cfg, key=None):
    raise AssertionError("the default experiment was trained again")
