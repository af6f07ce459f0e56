"""Workers that train side by side share the cores' BLAS threads (core.train.blas)."""

from __future__ import annotations

import multiprocessing as mp
import os
import subprocess
import sys

import pytest

from core.jobs import pool as pool_module
from core.jobs import worker
from core.jobs.pool import JobPool
from core.train.blas import threads_per_worker
from tests.conftest import REPO

# Prints the loaded OpenBLAS's thread count after each setting asked for on the command line.
SET_AND_READ = """
import sys
from core.train.blas import blas_threads, set_blas_threads
counts = []
for n in sys.argv[1:]:
    set_blas_threads(int(n))
    counts.append(blas_threads())
print(blas_threads.__module__, *counts)
"""


@pytest.mark.parametrize(
    ("workers", "cores", "threads"),
    [(2, 2, 1), (1, 2, 2), (3, 2, 1), (2, 8, 4), (3, 8, 2), (1, 1, 1), (0, 4, 4)],
)
def test_a_pool_never_runs_more_blas_threads_than_cores(workers, cores, threads):
    assert threads_per_worker(workers, cores) == threads
    assert threads_per_worker(workers, cores) * max(1, workers) <= max(cores, workers)


def _counts(*settings: int, env: dict | None = None) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", SET_AND_READ, *map(str, settings)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return out.stdout.split()[1:]


def test_set_blas_threads_changes_the_loaded_openblas():
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "2"}  # numpy loads it with two threads
    counts = _counts(1, 2, 1, env=env)
    if counts == ["None"] * 3:
        pytest.skip("numpy here does not use OpenBLAS: nothing to set")
    assert counts == ["1", "2", "1"]


class _Pipe:
    """A worker's end of the pipe: records what it sends, and closes on the first receive."""

    def __init__(self):
        self.sent = []

    def send(self, message):
        self.sent.append(message)

    def recv(self):
        raise EOFError


def test_a_worker_takes_its_share_before_it_reports_ready(monkeypatch):
    calls = []
    monkeypatch.setattr(worker, "run_in_background", lambda: calls.append("niced"))
    monkeypatch.setattr(worker, "keep_freed_heap", lambda: None)
    monkeypatch.setattr(worker, "set_blas_threads", lambda n: calls.append(n))
    pipe = _Pipe()
    worker.serve(pipe, blas_threads=1)
    assert calls == ["niced", 1]
    assert pipe.sent == [("ready",)]


def test_the_pool_gives_each_worker_its_share(monkeypatch):
    spawn, shares = mp.get_context("spawn"), []

    class Recording:
        """The spawn context, noting the BLAS share each worker is started with."""

        Pipe = staticmethod(spawn.Pipe)

        @staticmethod
        def Process(target, args, **kwargs):  # noqa: N802  (multiprocessing's name)
            shares.append(args[1])
            return spawn.Process(target=target, args=args, **kwargs)

    monkeypatch.setattr(pool_module.mp, "get_context", lambda method: Recording)
    JobPool(workers=2).close()
    assert shares == [threads_per_worker(2)] * 2
