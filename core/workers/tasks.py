"""What a worker runs: a task, a small picklable object with a `run` method.

    task.run(report, should_stop) -> result    # in the worker process
    report(step, steps, histories=None, event=None)
                                               # progress: the step counter, a training's latest
                                               # validation rows, or an event the owner keeps
    task.steps                                 # steps planned (0: the task reports them)
    task.graceful_stop                         # True: Stop asks the task (should_stop() turns
                                               # True) and it ends with its result; False: Stop
                                               # kills its worker

TrainRun trains a RunConfig (the Train page, the default experiment, sweeps); Call runs one
function call (a BLEU extraction block). core.translate.background has the translation task.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from core.heap import keep_freed_heap
from core.train.config import RunConfig
from core.train.loop import TrainProgress, train
from core.train.results import TrainResult

REPORT_EVERY = 0.25  # seconds between progress reports (evaluations always report)


@dataclass(frozen=True)
class TrainRun:
    """One seeded training of `config`, reporting its step and validation rows."""

    config: RunConfig
    graceful_stop = False

    @property
    def steps(self) -> int:
        return self.config.steps

    def run(self, report: Callable, should_stop: Callable[[], bool]) -> TrainResult:
        keep_freed_heap()
        last = [0.0]

        def on_step(p: TrainProgress) -> None:
            now = time.monotonic()
            if p.evaluated or now - last[0] >= REPORT_EVERY or p.step == p.steps:
                last[0] = now
                report(p.step, p.steps, histories=p.histories if p.evaluated else None)

        return train(self.config, on_step=on_step)


@dataclass(frozen=True)
class Call:
    """fn(*args): one short piece of work (fn importable by name in a spawned process)."""

    fn: Callable
    args: tuple = ()
    steps = 1
    graceful_stop = False

    def run(self, report: Callable, should_stop: Callable[[], bool]):
        return self.fn(*self.args)


def as_task(work):
    """A RunConfig becomes its TrainRun; a task stays itself."""
    return TrainRun(work) if isinstance(work, RunConfig) else work
