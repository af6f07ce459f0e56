"""Server-wide services, created once per server and shared by every session: the training job
pool (local worker processes, or the Dask scheduler in $GATESCOPE_SCHEDULER) and the run store
(None, with the reason, when the store cannot be used: runs then live in each session's memory
only)."""

from __future__ import annotations

import os
from dataclasses import dataclass

import streamlit as st

from core.store.records import StoreError
from core.store.run_store import RunStore, open_store
from core.workers.choose import SCHEDULER_ENV, make_pool
from core.workers.registry import TrainingJobs

WORKERS_ENV = "GATESCOPE_WORKERS"  # training worker processes (default: the machine's cores)


@dataclass
class StoreHandle:
    store: RunStore | None  # None when the store cannot be used
    problem: str | None  # why, for the page to show


@dataclass
class PoolHandle:
    pool: object  # JobPool, or core.workers.dask_pool.DaskJobPool (the same methods)
    problem: str | None  # why the configured scheduler is not used, for the page to show


def job_pool():
    """Where trainings run: the Dask scheduler in $GATESCOPE_SCHEDULER, else worker processes
    (spawned, never forked) on this machine. Either way off the server thread."""
    return pool_handle(os.environ.get(SCHEDULER_ENV)).pool


def pool_problem() -> str | None:
    """Why the configured Dask scheduler is not used (None when it is, or none is set)."""
    return pool_handle(os.environ.get(SCHEDULER_ENV)).problem


@st.cache_resource(show_spinner=False)
def pool_handle(scheduler: str | None) -> PoolHandle:
    if scheduler:
        try:
            return PoolHandle(make_pool(scheduler=scheduler), None)
        except (OSError, ValueError) as err:  # unreachable (a timeout), or not an address
            problem = (
                f"The Dask scheduler {scheduler} cannot be reached ({err}), so training runs "
                "on this machine's worker processes."
            )
            return PoolHandle(_local_pool(), problem)
    return PoolHandle(_local_pool(), None)


def _local_pool():
    return make_pool(int(os.environ.get(WORKERS_ENV, "0")) or None)


@st.cache_resource(show_spinner=False)
def run_store(path: str | None = None) -> StoreHandle:
    """The run store at $GATESCOPE_STORE (else ./gatescope-runs), opened once per server."""
    try:
        return StoreHandle(open_store(path), None)
    except StoreError as err:
        return StoreHandle(
            None,
            f"The run store cannot be used, so runs are kept in this session's memory only: {err}",
        )


def training_jobs() -> TrainingJobs:
    """The server's Train-page jobs: any session lists and stops them, and finished runs are
    saved in the run store whether or not the page that submitted them is still open."""
    return _training_jobs(os.environ.get(SCHEDULER_ENV), store_key())


@st.cache_resource(show_spinner=False)
def _training_jobs(scheduler: str | None, store_at: str | None) -> TrainingJobs:
    return TrainingJobs(pool_handle(scheduler).pool, run_store(store_at).store)


def store_key() -> str | None:
    """The configured store location: part of the cache key, so tests can switch stores."""
    return os.environ.get("GATESCOPE_STORE")


def current_store() -> StoreHandle:
    return run_store(store_key())
