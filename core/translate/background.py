"""Translation training on the worker layer (core.workers): every model of a config is one job
on the pool, queued with every other job of the server (Train-page trainings, sweeps, other
people's translations), so a UI thread never blocks and the cores are never oversubscribed.
The owner polls: progress events, queue places, results and errors are kept on the job
object, so nothing is lost between polls.

    job = TrainingJob(corpus, cfg, pool, beam=1)
    job.poll()       # job.progress[model]: events; job.positions[model]: place in the queue
    job.stop()       # every running model checkpoints, keeps its best and reports
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from core.translate.config import TranslateConfig
from core.translate.corpus import ParallelCorpus
from core.translate.experiment import TestResult, translate_test_set
from core.translate.preprocess import prepare
from core.translate.train import TrainedModel, TrainProgress, train_model

STOPPED_QUEUED = "stopped before it started"


@dataclass
class ModelOutcome:
    model: TrainedModel
    test: TestResult


@dataclass(frozen=True)
class TranslateModel:
    """The worker layer's task (core.workers.tasks) training one model of `config` and
    translating the test set; its TrainProgress events are reported as they come."""

    corpus: ParallelCorpus
    config: TranslateConfig
    cell: str
    beam: int = 1
    length_norm: float = 1.0
    steps = 0  # unknown ahead: the events carry the step
    graceful_stop = True  # Stop: checkpoint now, keep the best weights, translate

    def run(self, report: Callable, should_stop: Callable[[], bool]) -> ModelOutcome:
        prepared = prepare(self.corpus, self.config)
        model = train_model(
            prepared,
            self.config,
            self.cell,
            lambda p: report(p.step, 0, event=p),
            should_stop,
        )
        test = translate_test_set(model, self.corpus, self.beam, self.length_norm)
        return ModelOutcome(model, test)


@dataclass
class TrainingJob:
    corpus: ParallelCorpus
    config: TranslateConfig
    pool: object  # core.workers: JobPool or DaskJobPool
    beam: int = 1
    length_norm: float = 1.0
    progress: dict[str, list[TrainProgress]] = field(default_factory=dict)
    positions: dict[str, int] = field(default_factory=dict)  # queued model -> place (1-based)
    outcomes: dict[str, ModelOutcome] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        self._jobs = {
            m: self.pool.submit(
                TranslateModel(self.corpus, self.config, m, self.beam, self.length_norm)
            )
            for m in self.config.models
        }
        self.poll()

    @property
    def finished(self) -> set[str]:
        return set(self.outcomes) | set(self.errors)

    @property
    def done(self) -> bool:
        return len(self.finished) == len(self.config.models)

    def poll(self) -> None:
        """Take every model's progress, queue place and, once ended, result or error."""
        for m, job_id in self._jobs.items():
            if m not in self.finished:
                self._take(m, job_id, self.pool.status(job_id))

    def _take(self, m: str, job_id: str, status) -> None:
        if status.state == "queued":
            self.positions[m] = status.position
            return
        self.positions.pop(m, None)
        self.progress[m] = list(status.events)
        if not status.finished:
            return
        if status.state == "done":
            self.outcomes[m] = status.result
        else:
            self.errors[m] = status.error or STOPPED_QUEUED
        self.pool.forget(job_id)

    def stop(self) -> None:
        """Every running model checkpoints now, keeps its best and reports; queued ones end."""
        for m, job_id in self._jobs.items():
            if m not in self.finished:
                self.pool.stop(job_id)

    def wait(self, poll_seconds: float = 0.2) -> None:
        """Block until every model has finished (for scripts and tests)."""
        while not self.done:
            self.poll()
            time.sleep(poll_seconds)
        self.poll()


@dataclass
class FinishedJob:
    """A job that is over: an experiment read back from the run store (the same fields as a
    TrainingJob's, nothing to poll or stop)."""

    outcomes: dict[str, ModelOutcome]
    progress: dict[str, list[TrainProgress]] = field(default_factory=dict)
    positions: dict[str, int] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    done: bool = True

    def poll(self) -> None:
        pass

    def stop(self) -> None:
        pass
