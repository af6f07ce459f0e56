"""The first visit of the Gradient flow, Gates and BLEU pages, computed before anyone makes it.

Those pages analyse the run on screen (gradient flow at every checkpoint, spectra, a gate
trace) and cache the results per server. For the shared default run, which every session
shows first, a background thread fills those caches once per server, a moment after the first
session has drawn the run, so that a reader's first click on any of them (in any session)
reads the cache instead of computing while a page waits. The analyses are warmed first
(dashboard.session.analysis_cache.warm_first_views, with the pages' defaults); then each page
named by the app builds its own first view: a module with `warm_first_view(run_id, run)`,
imported in this thread (plotly takes 10-70 ms a chart; the BLEU page's example loads
sacrebleu), never on the first page's path. Pages are named, not imported, so the session
layer stays below the pages.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
import time
from collections.abc import Sequence
from functools import partial

import streamlit as st

from core.train.results import TrainResult
from dashboard.session import state
from dashboard.session.analysis_cache import warm_first_views

DELAY = 2.0  # seconds to wait first: the sessions that waited for the run draw it before this
WARM_UP_ENV = "GATESCOPE_WARM_UP"  # "0" turns warming off (the tests do, bar their own)
LOG = logging.getLogger(__name__)


def warm_default_views(first_views: Sequence[str]) -> threading.Thread | None:
    """Start warming once per server, when this session holds the shared default run;
    `first_views` names the page modules whose `warm_first_view(run_id, run)` to call."""
    if os.environ.get(WARM_UP_ENV, "1") == "0":
        return None
    shared = state.shared_default()
    return None if shared is None else _warming(*shared, tuple(first_views))


@st.cache_resource(show_spinner=False)
def _warming(run_id: str, _run: TrainResult, first_views: tuple[str, ...]) -> threading.Thread:
    thread = threading.Thread(
        target=_warm, args=(run_id, _run, first_views), name="gatescope-warm-up", daemon=True
    )
    thread.start()
    return thread


def _warm(run_id: str, run: TrainResult, first_views: tuple[str, ...]) -> None:
    time.sleep(DELAY)
    steps = [("the default run's analyses", partial(warm_first_views, run_id, run))]
    steps += [(page, partial(_warm_page, page, run_id, run)) for page in first_views]
    for what, warm in steps:
        try:
            warm()
        except Exception:  # a page computes what is missing on its visit, as without warming
            LOG.exception("warming %s failed", what)


def _warm_page(module: str, run_id: str, run: TrainResult) -> None:
    importlib.import_module(module).warm_first_view(run_id, run)
