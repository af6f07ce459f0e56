"""Processes that train keep their freed heap: a step's activations are not page-faulted in
afresh every step (core.heap)."""

from __future__ import annotations

import ctypes.util
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO

# A training-like loop in a fresh process: six 4 MB activations per step, written, then freed.
# Prints (keep_freed_heap() result, minor page faults over steps 2..20). Transparent huge pages
# are off in it: where the kernel hands out 2 MB pages the fault counts would depend on its
# settings and on memory pressure, not on malloc.
STEPS = """
import ctypes, resource, sys
ctypes.CDLL(None).prctl(41, 1, 0, 0, 0)  # PR_SET_THP_DISABLE: count 4 KB pages, not huge ones
import numpy as np
from core.heap import keep_freed_heap
done = keep_freed_heap() if sys.argv[1] == "tuned" else None
def step():
    arrays = [np.empty(2**20, dtype=np.float32) for _ in range(6)]
    for a in arrays:
        a.fill(1.0)
step()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(19):
    step()
print(done, keep_freed_heap() if done else None,
      resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""

glibc = pytest.mark.skipif(
    sys.platform != "linux" or ctypes.util.find_library("c") is None,
    reason="glibc malloc tuning applies on Linux only",
)


def faults(mode: str, env: dict[str, str]) -> tuple[str, str, int]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    out = subprocess.run(
        [sys.executable, "-c", STEPS, mode],
        cwd=REPO,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.split()
    return out[0], out[1], int(out[2])


@glibc
@pytest.mark.parametrize(
    "env", [{}, {"MALLOC_TRIM_THRESHOLD_": "65536"}], ids=["plain", "dask-nanny"]
)
def test_freed_activations_are_reused_not_faulted_in_again(env):
    """By default (and under Dask's nanny setting) every step faults its 24 MB in again:
    about 6000 faults a step. Tuned, the second step on reuses the heap."""
    _, _, default = faults("default", env)
    done, again, tuned = faults("tuned", env)
    assert (done, again) == ("True", "True")  # applied, and asking twice is harmless
    assert default > 19 * 3000  # the cost exists: > half of every page, every step
    assert tuned < default / 20
