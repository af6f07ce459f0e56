"""The extraction workers: spawned (never forked: safe from a threaded server) once per process
and kept, so a later analysis does not pay their start-up (about a second each: a fresh
interpreter importing numpy and sacrebleu). They run at a lower priority than the server (see
core.workers.priority), so other people's pages stay responsive. A pool that broke (a worker was
killed) is replaced on the next request. Shut down when the process exits."""

from __future__ import annotations

import atexit
import multiprocessing as mp
import threading
from concurrent.futures import ProcessPoolExecutor

from core.workers.priority import run_in_background

_lock = threading.Lock()
_pools: dict[int, ProcessPoolExecutor] = {}  # workers -> the kept pool


def shared_pool(workers: int) -> ProcessPoolExecutor:
    """The kept pool of `workers` spawned processes (created on first use)."""
    with _lock:
        pool = _pools.get(workers)
        if pool is None:
            pool = _pools[workers] = ProcessPoolExecutor(
                workers, mp_context=mp.get_context("spawn"), initializer=run_in_background
            )
        return pool


def discard(pool: ProcessPoolExecutor) -> None:
    """Forget a broken pool: the next request spawns a new one."""
    with _lock:
        for key, kept in list(_pools.items()):
            if kept is pool:
                del _pools[key]
    pool.shutdown(wait=False, cancel_futures=True)


def close(wait: bool = False) -> None:
    """Shut every kept pool down (at exit; a benchmark waits, to count the workers' CPU)."""
    with _lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.shutdown(wait=wait, cancel_futures=True)


atexit.register(close)


def warm(workers: int) -> None:
    """Start the kept pool's processes now, in the background (e.g. when the BLEU page
    opens), so the first large upload finds them ready."""
    pool = shared_pool(workers)
    for _ in range(workers):
        pool.submit(int)  # a no-op: spawning happens on submit
