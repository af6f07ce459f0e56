"""Pools kept for the life of the process, one per size, for short calls run in parallel (a
BLEU analysis's extraction blocks): started once, so a later analysis does not pay their
start-up (about a second each: a fresh interpreter importing numpy and sacrebleu), and apart
from the server's training pool, so an upload never waits behind a training. Closed at exit.

    parts = run_calls(fn, [(a1,), (a2,)], workers=2)   # fn(*args) of each, in finishing order
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable

from core.workers.pool import JobPool
from core.workers.tasks import Call

WAIT = 0.05  # seconds between looks at the calls waited for

_lock = threading.Lock()
_pools: dict[int, JobPool] = {}  # workers -> the kept pool


def kept_pool(workers: int) -> JobPool:
    """The kept pool of `workers` spawned processes (created, and so started, on first use)."""
    with _lock:
        pool = _pools.get(workers)
        if pool is None:
            pool = _pools[workers] = JobPool(workers=workers)
        return pool


def warm(workers: int) -> None:
    """Start the kept pool's processes now (e.g. when the BLEU page opens), so the first large
    upload finds them ready."""
    kept_pool(workers)


def close(wait: bool = False) -> None:
    """Kill every kept pool's workers (at exit; a benchmark waits, to count their CPU)."""
    with _lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.close(wait)


atexit.register(close)


def run_calls(
    fn: Callable, arg_tuples: list[tuple], workers: int, on_done: Callable | None = None
) -> list:
    """fn(*args) for every args on the kept pool, results in the order they finish; on_done()
    after each. A call whose worker died (killed, out of memory) runs once more; a call that
    fails twice raises RuntimeError with its error."""
    pool, out = kept_pool(workers), []
    pending = {pool.submit(Call(fn, args)): (args, 0) for args in arg_tuples}
    while pending:
        for st in pool.wait(list(pending), timeout=WAIT):
            args, tries = pending.pop(st.id)
            pool.forget(st.id)
            if st.state == "done":
                out.append(st.result)
                if on_done is not None:
                    on_done()
            elif tries == 0:
                pending[pool.submit(Call(fn, args))] = (args, 1)
            else:
                raise RuntimeError(f"a worker failed twice on the same call: {st.error}")
    return out
