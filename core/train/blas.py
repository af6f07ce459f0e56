"""BLAS threads for processes that train side by side.

numpy's OpenBLAS starts one thread per core in every process. A pool of W training workers on
C cores would then run W x C BLAS threads, taking turns on the same cores (and with the server
that shares them). Each local worker therefore uses max(1, C // W) threads: one each when the
pool fills the machine, as Dask's nanny gives each of its workers. A single worker on a larger
machine keeps them all.

OpenBLAS reads its thread count when numpy loads, so a worker that has already loaded numpy sets
it through OpenBLAS's own `openblas_set_num_threads` (as threadpoolctl does). Nothing happens
where no OpenBLAS is loaded (another BLAS, or not Linux).
"""

from __future__ import annotations

import ctypes
import os
import re
from pathlib import Path

# the names OpenBLAS builds give their thread setters and getters (numpy's wheels: scipy_..64_)
SETTERS = ("scipy_openblas_set_num_threads64_", "openblas_set_num_threads64_")
SETTERS += ("openblas_set_num_threads",)
GETTERS = ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads64_")
GETTERS += ("openblas_get_num_threads",)


def threads_per_worker(workers: int, cores: int | None = None) -> int:
    """max(1, cores // workers): the pool's BLAS threads never outnumber the cores."""
    return max(1, (cores or os.cpu_count() or 1) // max(1, workers))


def _openblas() -> list[ctypes.CDLL]:
    """The OpenBLAS libraries loaded in this process (from /proc/self/maps)."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return []
    paths = sorted(set(re.findall(r"(/\S*openblas\S*\.so\S*)", maps)))
    return [ctypes.CDLL(p) for p in paths]


def _first(lib: ctypes.CDLL, names: tuple[str, ...]):
    return next((getattr(lib, n) for n in names if hasattr(lib, n)), None)


def set_blas_threads(threads: int) -> bool:
    """Set every loaded OpenBLAS to `threads` threads; True if one was found and set."""
    import numpy  # noqa: F401  (its OpenBLAS must be loaded to be found)

    done = False
    for lib in _openblas():
        setter = _first(lib, SETTERS)
        if setter is not None:
            setter(ctypes.c_int(threads))
            done = True
    return done


def blas_threads() -> int | None:
    """The thread count of the first loaded OpenBLAS; None when there is none."""
    import numpy  # noqa: F401

    for lib in _openblas():
        getter = _first(lib, GETTERS)
        if getter is not None:
            getter.restype = ctypes.c_int
            return int(getter())
    return None
