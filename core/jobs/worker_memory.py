"""glibc malloc thresholds for training inside a Dask worker.

Dask's nanny starts every worker with MALLOC_TRIM_THRESHOLD_=65536 (to hand freed memory back to
the OS). Setting it also pins glibc's mmap threshold at 128 KB, so each (T, B, H) array of a
training step is mmap'd and page-faulted afresh: measured, a GRU run trains about 1.4x slower
than in a plain process. A run on a Dask worker therefore raises both thresholds once per
process (bench/sweep_scaling.py shows the effect). Outside glibc nothing happens.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os

M_TRIM_THRESHOLD = -1  # glibc's mallopt parameter numbers (malloc.h)
M_MMAP_THRESHOLD = -3
TRIM_BYTES = 128 * 2**20  # keep up to 128 MB of freed heap for the next step
MMAP_BYTES = 32 * 2**20  # arrays under 32 MB come from the heap, not fresh mmaps


@functools.cache
def relax_malloc_trim() -> bool:
    """Raise the trim and mmap thresholds when MALLOC_TRIM_THRESHOLD_ is set; True if done."""
    if "MALLOC_TRIM_THRESHOLD_" not in os.environ:
        return False
    name = ctypes.util.find_library("c")
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError, TypeError):  # not glibc: nothing to relax
        return False
    return bool(mallopt(M_TRIM_THRESHOLD, TRIM_BYTES) and mallopt(M_MMAP_THRESHOLD, MMAP_BYTES))
