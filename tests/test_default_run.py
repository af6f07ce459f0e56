"""The shared default run: one job per model when the pool has workers to spare, merged into the
joint run's exact numbers; the joint job with one worker, or when a part stopped early."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from core.store.run_store import open_store
from core.train.loop import train
from core.workers.pool import JobStatus
from dashboard.session.default_run import SharedRun
from tests.test_train import SMALL


class InlinePool:
    """JobPool's submit/status, training each job here once it has been seen running `polls`
    times (so the waiting loop's progress path runs too); a job of model `slow` three times
    more, so that parts end at different times."""

    def __init__(self, workers: int, polls: int = 1, fail: str | None = None, slow: str = ""):
        self.workers, self.polls, self.fail, self.slow = workers, polls, fail, slow
        self.jobs: dict[str, JobStatus] = {}
        self.seen: dict[str, int] = {}
        self.submitted: list = []

    def submit(self, cfg, key=None):
        if key not in self.jobs:
            self.submitted.append(cfg)
            self.jobs[key] = JobStatus(id=key, config=cfg, state="running", steps=cfg.steps)
            self.seen[key] = 0
        return key

    def status(self, job_id):
        st = self.jobs[job_id]
        self.seen[job_id] += 1
        polls = self.polls + 3 * (self.slow in st.config.models)
        if st.state == "running" and self.seen[job_id] > polls:
            if self.fail and self.fail in st.config.models:
                st.state, st.error = "failed", "MemoryError: no room"
            else:
                st.state, st.result = "done", train(st.config)
        return st


def _same_numbers(a, b):
    assert list(a.models) == list(b.models) and a.stopped == b.stopped
    for name, m in b.models.items():
        np.testing.assert_array_equal(a.models[name].history.val_loss, m.history.val_loss)
        for k, p in m.params.items():
            np.testing.assert_array_equal(a.models[name].params[k], p)


def test_two_workers_train_one_job_per_model_and_merge_them():
    pool, progress = InlinePool(workers=2, slow="gru"), []
    run = SharedRun(SMALL).get(pool, None, progress.append)
    assert [c.models for c in pool.submitted] == [(m,) for m in SMALL.models]
    assert progress and all(p.config == SMALL and p.steps == SMALL.steps for p in progress)
    assert run.config == SMALL
    _same_numbers(run, train(SMALL))


def test_one_worker_trains_the_joint_run():
    pool = InlinePool(workers=1)
    run = SharedRun(SMALL).get(pool, None, lambda _: None)
    assert pool.submitted == [SMALL]
    _same_numbers(run, train(SMALL))


def test_a_part_that_stopped_early_is_trained_again_jointly():
    cfg = replace(SMALL, task="adding", optimizer="sgd", lr=1e6, clip=0.0)
    pool = InlinePool(workers=2)
    run = SharedRun(cfg).get(pool, None, lambda _: None)
    assert [c.models for c in pool.submitted] == [("rnn",), ("gru",), cfg.models]
    assert run.stopped is not None
    _same_numbers(run, train(cfg))


def test_a_failed_part_is_reported():
    with pytest.raises(ValueError, match="MemoryError"):
        SharedRun(SMALL).get(InlinePool(workers=2, fail="gru"), None, lambda _: None)


def test_start_submits_the_jobs_once_and_get_waits_for_the_same_ones(run_store):
    pool, shared = InlinePool(workers=2), SharedRun(SMALL)
    store = open_store()
    shared.start(pool, store)
    shared.start(pool, store)  # a second session's visit: nothing more
    assert [c.models for c in pool.submitted] == [(m,) for m in SMALL.models]
    assert not any(pool.seen.values())  # submitted, not waited for
    run = shared.get(pool, store, lambda _: None)
    assert len(pool.submitted) == 2  # get() found the started jobs
    _same_numbers(run, train(SMALL))


def test_start_trains_nothing_when_the_run_is_stored(run_store):
    store = open_store()
    SharedRun(SMALL).get(InlinePool(workers=2), store, lambda _: None)  # trains and stores it
    pool = InlinePool(workers=2)
    SharedRun(SMALL).start(pool, store)  # a restarted server
    assert pool.submitted == []


@pytest.mark.slow  # the app driven through AppTest
def test_pages_that_show_the_default_start_it_and_the_others_do_not(fast, fresh_caches):
    from streamlit.testing.v1 import AppTest

    from dashboard.session.default_run import shared_run
    from dashboard.session.services import store_key
    from dashboard.session.state import default_config
    from tests.apptest_helpers import APP

    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("views/bleu/bleu.py").run()
    assert not at.exception and at.title[0].value == "BLEU breakdown"
    shared = shared_run(default_config(), store_key())
    assert not shared.started and shared.run is None  # nothing trained for the BLEU page
    at.switch_page("views/gates/gates.py").run()
    assert not at.exception and shared.started and shared.run is not None
