"""The runs store in st.session_state, shared by every page.

One run is *current* (what every page shows); every run trained or loaded in this session is
also kept under a name so a page can offer a choice. Switching pages never retrains: a page
asks `current_run()` (None when there is none) or `ensure_default_run()` (trains the built-in
default experiment once per server, in a worker process, or reads it from the run store; every
session shares that one run read-only).
"""

from __future__ import annotations

import os
import uuid
from dataclasses import replace

import streamlit as st

from core.store.records import config_hash
from core.train.config import RunConfig
from core.train.results import TrainResult
from dashboard.session.default_run import shared_run
from dashboard.session.services import current_store, job_pool, store_key

CURRENT_NAME = "gatescope_current_run"  # name of the run every page shows
RUNS = "gatescope_runs"  # name -> TrainResult, oldest first
RUN_IDS = "gatescope_run_ids"  # name -> unique id, a cache key for the run's bytes
DEFAULT_NAME = "default experiment"
MAX_RUNS = 8  # older runs are dropped (never the current one)

FAST_DEFAULT_ENV = "GATESCOPE_FAST_DEFAULT"  # "1" shrinks the default experiment (tests only)


def default_config() -> RunConfig:
    """The built-in default experiment; a much shorter one when GATESCOPE_FAST_DEFAULT=1."""
    cfg = RunConfig()
    if os.environ.get(FAST_DEFAULT_ENV) == "1":
        cfg = replace(cfg, steps=min(cfg.steps, 20), val_size=64, length=min(cfg.length, 10))
    return cfg


def named_runs() -> dict[str, TrainResult]:
    return st.session_state.setdefault(RUNS, {})


def current_name() -> str | None:
    name = st.session_state.get(CURRENT_NAME)
    return name if name in named_runs() else None


def current_run() -> TrainResult | None:
    """The run every page shows, or None when nothing was trained or loaded yet."""
    name = current_name()
    return None if name is None else named_runs()[name]


def current_run_id() -> str | None:
    """A unique id of the current run (stable while it is current), for cache keys."""
    name = current_name()
    return None if name is None else st.session_state[RUN_IDS][name]


def store_run(run: TrainResult, name: str, run_id: str | None = None) -> str:
    """Keep `run` under `name` (made unique) and make it current. Returns the name used.
    `run_id` keys the run's cached analyses (default: a new unique id); the server's shared
    default run passes one id for every session, so its analyses are computed once."""
    runs = named_runs()
    ids = st.session_state.setdefault(RUN_IDS, {})
    unique, n = name, 1
    while unique in runs:
        n += 1
        unique = f"{name} ({n})"
    runs[unique] = run
    ids[unique] = run_id or uuid.uuid4().hex
    st.session_state[CURRENT_NAME] = unique
    for old in [k for k in runs if k != unique][: max(0, len(runs) - MAX_RUNS)]:
        del runs[old], ids[old]
    return unique


def select_run(name: str) -> None:
    """Make an already stored run current (unknown names are ignored)."""
    if name in named_runs():
        st.session_state[CURRENT_NAME] = name


def start_default() -> None:
    """Start training the server's shared default experiment, without waiting for it (once per
    server; nothing when this session already shows a run)."""
    if current_run() is None:
        shared_run(default_config(), store_key()).start(job_pool(), current_store().store)


def load_default(cfg: RunConfig, on_progress) -> TrainResult:
    """The server's shared run of cfg; ValueError when it cannot be trained."""
    return shared_run(cfg, store_key()).get(job_pool(), current_store().store, on_progress)


def ensure_default_run() -> TrainResult | None:
    """The current run; else the server's shared default experiment (from the store, or trained
    once in a worker process while every waiting session shows the same progress bar and
    live loss curves).

    Returns None (after an st.error) only if the default experiment cannot be trained.
    """
    run = current_run()
    if run is not None:
        return run
    # Imported here: app.py imports this module before the default's training starts, and
    # the curves bring plotly, which need not delay that start.
    from dashboard.session.live_curves import LiveCurves

    cfg = default_config()
    title = "Training the default experiment (RNN and GRU)"
    bar = st.progress(0.0, text=f"{title}: starting")
    curves = LiveCurves(st.empty(), key="default_live")

    def show(status) -> None:
        where = (
            f"waiting for a free worker (place {status.position})"
            if status.state == "queued"
            else f"step {status.step} of {status.steps}"
        )
        bar.progress(min(1.0, status.step / max(status.steps, 1)), text=f"{title}: {where}")
        curves.draw(status)

    try:
        run = load_default(cfg, show)
    except ValueError as err:
        st.error(f"The default experiment could not be trained: {err}")
        return None
    finally:
        bar.empty()
        curves.clear()
    store_run(run, DEFAULT_NAME, run_id=shared_run_id(cfg))
    return run


def shared_run_id(cfg: RunConfig) -> str:
    """The cache key of the server's shared run of `cfg`: one for every session."""
    return f"shared-{config_hash(cfg.to_dict())}"


def shared_default() -> tuple[str, TrainResult] | None:
    """(cache key, run) of the server's shared default run when this session holds it."""
    run = named_runs().get(DEFAULT_NAME)
    run_id = st.session_state.get(RUN_IDS, {}).get(DEFAULT_NAME)
    if run is None or run_id != shared_run_id(default_config()):
        return None
    return run_id, run
