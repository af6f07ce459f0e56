"""The one place that decides where jobs run: the Dask scheduler at an address when one is set
(the CLI's --scheduler, or $GATESCOPE_SCHEDULER), else spawned worker processes here.

    pool = make_pool(workers=2, scheduler=scheduler_address())
"""

from __future__ import annotations

import os

from core.workers.pool import JobPool

SCHEDULER_ENV = "GATESCOPE_SCHEDULER"


def scheduler_address(given: str | None = None) -> str | None:
    """The scheduler to use: the one given, else $GATESCOPE_SCHEDULER, else None (local)."""
    return given or os.environ.get(SCHEDULER_ENV) or None


def make_pool(workers: int | None = None, scheduler: str | None = None):
    """A DaskJobPool on `scheduler` when one is given (Dask is imported only then), else a
    JobPool of `workers` spawned processes (default: the machine's cores). Both have the same
    methods: submit, status, wait, stop, forget, busy, close."""
    if scheduler:
        from core.workers.dask_pool import DaskJobPool

        return DaskJobPool(scheduler)
    return JobPool(workers=workers)
