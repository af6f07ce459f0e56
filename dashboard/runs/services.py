"""Server-wide services, created once per server and shared by every session: the training job
pool and the run store (None, with the reason, when the store cannot be used: runs then live in
each session's memory only)."""

from __future__ import annotations

import os
from dataclasses import dataclass

import streamlit as st

from core.jobs.pool import JobPool
from core.store.records import StoreError
from core.store.run_store import RunStore, open_store

WORKERS_ENV = "GATESCOPE_WORKERS"  # training worker processes (default: the machine's cores)


@dataclass
class StoreHandle:
    store: RunStore | None  # None when the store cannot be used
    problem: str | None  # why, for the page to show


@st.cache_resource(show_spinner=False)
def job_pool() -> JobPool:
    """Worker processes (spawned, never forked) that train off the server thread."""
    workers = int(os.environ.get(WORKERS_ENV, "0")) or None
    return JobPool(workers=workers)


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


def store_key() -> str | None:
    """The configured store location: part of the cache key, so tests can switch stores."""
    return os.environ.get("GATESCOPE_STORE")


def current_store() -> StoreHandle:
    return run_store(store_key())
