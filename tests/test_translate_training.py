"""Training: repeatable, identical batches for every model, budgets and stops end with a
checkpoint and the best weights, and the background job delivers every model."""

from __future__ import annotations

import numpy as np
import pytest
from translate_helpers import copy_corpus

from core.translate.background import TrainingJob
from core.translate.config import TranslateConfig
from core.translate.preprocess import prepare
from core.translate.train import epoch_plan, train_model, train_models
from core.workers.pool import JobPool

pytestmark = pytest.mark.slow  # trains a few tiny models, one set in worker processes

TINY = TranslateConfig(
    models=("rnn", "gru"), embed=6, hidden=6, epochs=2, batch_size=16, dev_limit=10
)


@pytest.fixture(scope="module")
def prepared():
    return prepare(copy_corpus(n=120), TINY)


def test_same_seed_same_weights_and_history(prepared):
    a, b = (train_model(prepared, TINY, "gru") for _ in range(2))
    assert a.history.losses == b.history.losses
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])


def test_every_model_sees_the_same_batches_in_the_same_order(prepared):
    for epoch in range(2):
        plan = epoch_plan(prepared, TINY, epoch)
        again = epoch_plan(prepared, TINY, epoch)
        assert [list(r) for r in plan] == [list(r) for r in again]
        rows = np.concatenate(plan)
        assert sorted(rows) == list(range(len(prepared.train)))  # each pair once per epoch
        for r in plan:  # one source length per batch
            assert len({len(prepared.train.src[i]) for i in r}) == 1
    models = train_models(prepared, TINY)
    assert [m.history.steps for m in models.values()][0] == [
        m.history.steps for m in models.values()
    ][1]


def test_the_kept_weights_are_the_best_dev_checkpoint(prepared):
    model = train_model(prepared, TINY, "rnn")
    best = max(model.history.checkpoints, key=lambda c: c.dev_bleu)
    assert model.best.dev_bleu == best.dev_bleu
    assert len(model.history.checkpoints) == TINY.epochs


def test_a_stop_request_ends_training_with_a_checkpoint(prepared):
    calls = []

    def stop():
        calls.append(1)
        return len(calls) >= 3

    model = train_model(prepared, TINY, "gru", should_stop=stop)
    assert model.history.steps[-1] == 3
    assert model.history.checkpoints[-1].step == 3 and model.best is not None


def test_a_time_budget_ends_training(prepared):
    from dataclasses import replace

    cfg = replace(TINY, epochs=10**6, time_budget=0.0)
    model = train_model(prepared, cfg, "rnn")
    assert model.history.steps[-1] == 1 and len(model.history.checkpoints) == 1


def test_background_job_trains_every_model_in_worker_processes():
    corpus = copy_corpus(n=100)
    cfg = TranslateConfig(
        models=("rnn", "gru"), embed=4, hidden=4, epochs=1, batch_size=16, dev_limit=5
    )
    pool = JobPool(workers=2)
    job = TrainingJob(corpus, cfg, pool)
    job.wait()
    pool.close()
    assert set(job.outcomes) == {"rnn", "gru"} and not job.errors
    here = train_model(prepare(corpus, cfg), cfg, "gru")
    there = job.outcomes["gru"].model
    assert there.history.losses == here.history.losses  # same engine, same seed
    assert len(job.outcomes["gru"].test.hyps) == len(corpus.test)
    assert job.progress["gru"][-1].done
