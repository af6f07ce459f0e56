"""What runs inside a worker process: wait for configs on a pipe, train each, report progress."""

from __future__ import annotations

import time

from core.heap import keep_freed_heap
from core.train.config import RunConfig
from core.train.loop import TrainProgress, train
from core.workers.priority import run_in_background

REPORT_EVERY = 0.25  # seconds between progress messages (evaluations always report)


def run_training(conn, config: dict) -> None:
    """Train RunConfig(**config); send ("progress", step, steps, histories | None) messages and
    finally ("done", TrainResult) or ("failed", message)."""
    last = [0.0]

    def on_step(p: TrainProgress) -> None:
        now = time.monotonic()
        if p.evaluated or now - last[0] >= REPORT_EVERY or p.step == p.steps:
            last[0] = now
            conn.send(("progress", p.step, p.steps, p.histories if p.evaluated else None))

    try:
        result = train(RunConfig.from_dict(config), on_step=on_step)
    except (ValueError, FloatingPointError, MemoryError) as err:
        conn.send(("failed", f"{type(err).__name__}: {err}"))
    else:
        conn.send(("done", result))


def serve(conn) -> None:
    """A worker's life: lower its priority, keep its freed heap (core.heap), announce
    readiness (imports done), then train every config received until the pipe closes."""
    run_in_background()
    keep_freed_heap()
    try:
        conn.send(("ready",))
        while True:
            run_training(conn, conn.recv())
    except (EOFError, OSError):  # the pool closed the pipe or exited: nothing to report to
        return
