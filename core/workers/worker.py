"""What runs inside a worker process: wait for tasks on a pipe, run each, report progress."""

from __future__ import annotations

from core.heap import keep_freed_heap
from core.workers.priority import run_in_background

STOP = ("stop",)  # the pool asks the running task to finish (a task with graceful_stop)


def run_task(conn, task) -> None:
    """Run one task; send ("progress", step, steps, histories, event) messages and finally
    ("done", result) or ("failed", message)."""
    asked = [False]

    def report(step: int, steps: int, histories=None, event=None) -> None:
        conn.send(("progress", step, steps, histories, event))

    def should_stop() -> bool:
        while not asked[0] and conn.poll():
            asked[0] = conn.recv() == STOP
        return asked[0]

    try:
        result = task.run(report, should_stop)
    except Exception as err:  # reported, and the worker takes the next task
        conn.send(("failed", f"{type(err).__name__}: {err}"))
    else:
        conn.send(("done", result))


def serve(conn) -> None:
    """A worker's life: lower its priority, keep its freed heap (core.heap), announce
    readiness (imports done), then run every task received until the pipe closes."""
    run_in_background()
    keep_freed_heap()
    try:
        conn.send(("ready",))
        while True:
            task = conn.recv()
            if task != STOP:  # a late Stop for a task that had already ended
                run_task(conn, task)
    except (EOFError, OSError):  # the pool closed the pipe or exited: nothing to report to
        return
