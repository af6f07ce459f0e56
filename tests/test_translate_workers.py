"""Translation trainings on the worker layer: queued on the server's pool with their places,
and the CLI training its models side by side through the same pool."""

from __future__ import annotations

import os
import time

import pytest
from translate_helpers import copy_corpus

from core.train.config import RunConfig
from core.translate import __main__ as cli
from core.translate.background import TrainingJob
from core.translate.config import TranslateConfig
from core.translate.experiment import translate_test_set
from core.translate.generated import GeneratedCorpusConfig, generated_corpus
from core.translate.preprocess import prepare
from core.translate.train import train_model
from core.workers.pool import JobPool

pytestmark = pytest.mark.slow  # worker processes

TINY = TranslateConfig(models=("rnn", "gru"), embed=4, hidden=4, epochs=1, batch_size=16)


def _until(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_translation_models_queue_behind_a_training_and_show_their_places():
    pool = JobPool(workers=1)
    try:
        training = pool.submit(RunConfig(steps=5000))  # running throughout
        _until(lambda: pool.status(training).state == "running")
        job = TrainingJob(copy_corpus(n=80), TINY, pool)
        job.poll()
        assert job.positions == {"rnn": 1, "gru": 2}  # behind the training, in model order
        pool.stop(training)
        job.wait(poll_seconds=0.05)
        assert set(job.outcomes) == {"rnn", "gru"} and not job.errors and not job.positions
    finally:
        pool.close()


def test_stop_before_a_model_starts_ends_it_without_a_result():
    pool = JobPool(workers=1)
    try:
        training = pool.submit(RunConfig(steps=5000))  # running throughout
        _until(lambda: pool.status(training).state == "running")
        job = TrainingJob(copy_corpus(n=80), TINY, pool)
        job.stop()
        job.poll()
        assert job.done and not job.outcomes and set(job.errors) == {"rnn", "gru"}
    finally:
        pool.close()


class RecordingPool(JobPool):
    made: list[RecordingPool] = []

    def __init__(self, workers=None):
        super().__init__(workers)
        self.submitted: list[str] = []
        RecordingPool.made.append(self)

    def submit(self, work, key=None):
        self.submitted.append(work.cell)
        return super().submit(work, key)


def test_the_cli_trains_its_models_side_by_side_on_the_pool(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cli, "JobPool", RecordingPool)
    flags = ["--models", "rnn", "gru", "--epochs", "1", "--hidden", "6", "--embed", "6"]
    assert cli.main(["train", "--generated", *flags, "--out", str(tmp_path)]) == 0
    (pool,) = RecordingPool.made
    assert pool.workers == min(2, os.cpu_count() or 1)  # one process per model
    assert pool.submitted == ["rnn", "gru"]  # both handed to the pool at once
    printed = capsys.readouterr().out
    corpus = generated_corpus(GeneratedCorpusConfig(seed=0))
    cfg = TranslateConfig(models=("rnn", "gru"), epochs=1, hidden=6, embed=6)
    here = translate_test_set(train_model(prepare(corpus, cfg), cfg, "gru"), corpus)
    there = (tmp_path / "gru.hyp").read_text(encoding="utf-8").splitlines()
    assert there == here.hyps  # the worker trained exactly what this process trains
    assert "gru: dev BLEU" in printed and f"test BLEU {here.bleu:.2f}" in printed
