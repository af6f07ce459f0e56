"""Training in worker processes (spawn, one per model, at most `workers` at a time) so a UI
thread never blocks. The owner polls: progress events, results and errors arrive on a queue
and are kept on the job object, so nothing is lost between polls."""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import time
import traceback
from dataclasses import dataclass, field

from core.heap import keep_freed_heap
from core.translate.config import TranslateConfig
from core.translate.corpus import ParallelCorpus
from core.translate.experiment import TestResult, translate_test_set
from core.translate.preprocess import prepare
from core.translate.train import TrainedModel, TrainProgress, train_model
from core.workers.priority import run_in_background


@dataclass
class ModelOutcome:
    model: TrainedModel
    test: TestResult


def _work(corpus: ParallelCorpus, cfg: TranslateConfig, cell: str, beam: int, events, stop):
    """Worker process body: train one model, translate the test set, report everything."""
    run_in_background()
    keep_freed_heap()
    try:
        prepared = prepare(corpus, cfg)
        model = train_model(prepared, cfg, cell, events.put, stop.is_set)
        events.put(("result", cell, ModelOutcome(model, translate_test_set(model, corpus, beam))))
    except Exception:  # reported to the owner, who shows it
        events.put(("error", cell, traceback.format_exc(limit=5)))


@dataclass
class TrainingJob:
    corpus: ParallelCorpus
    config: TranslateConfig
    beam: int = 1
    workers: int = field(default_factory=lambda: max(1, os.cpu_count() or 1))
    progress: dict[str, list[TrainProgress]] = field(default_factory=dict)
    outcomes: dict[str, ModelOutcome] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        ctx = mp.get_context("spawn")
        self._events, self._stop = ctx.Queue(), ctx.Event()
        self._procs = {
            m: ctx.Process(
                target=_work,
                daemon=True,
                name=f"translate-{m}",
                args=(self.corpus, self.config, m, self.beam, self._events, self._stop),
            )
            for m in self.config.models
        }
        self._started: list[str] = []
        self._launch()

    def _launch(self) -> None:
        running = sum(1 for m in self._started if m not in self.finished)
        for m in self.config.models:
            if running >= self.workers:
                break
            if m not in self._started:
                self._procs[m].start()
                self._started.append(m)
                running += 1

    @property
    def finished(self) -> set[str]:
        return set(self.outcomes) | set(self.errors)

    @property
    def done(self) -> bool:
        return len(self.finished) == len(self.config.models)

    def poll(self) -> None:
        """Take every waiting event; start queued models as others finish."""
        while True:
            try:
                event = self._events.get_nowait()
            except queue.Empty:
                break
            if isinstance(event, TrainProgress):
                self.progress.setdefault(event.model, []).append(event)
            elif event[0] == "result":
                self.outcomes[event[1]] = event[2]
            else:
                self.errors[event[1]] = event[2]
        for m in self._started:
            if (
                m not in self.finished
                and not self._procs[m].is_alive()
                and self._procs[m].exitcode not in (None, 0)
            ):
                self.errors[m] = f"the worker stopped (exit code {self._procs[m].exitcode})"
        if not self.done:
            self._launch()
        else:
            for p in self._procs.values():
                p.join(timeout=1)

    def stop(self) -> None:
        """Ask every worker to finish now: each checkpoints, keeps its best and reports."""
        self._stop.set()

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
    errors: dict[str, str] = field(default_factory=dict)
    done: bool = True

    def poll(self) -> None:
        pass

    def stop(self) -> None:
        pass
