"""The first visit of the Gradient flow, Gates and BLEU pages, computed before anyone makes it.

Those pages analyse the run on screen (gradient flow at every checkpoint, spectra, a gate
trace) and cache the results per server. For the shared default run, which every session
shows first, a background thread fills those caches once per server, a moment after the first
session has drawn the run, so that a reader's first click on either page (in any session)
reads the cache instead of computing while a page waits. The pages' own cached calls are the
ones warmed (dashboard.runs.analysis_cache.warm_first_views), with the pages' defaults, and
then the charts those first views draw (dashboard.flow_figures, dashboard.gates_figures and
the read / write / carry explainer), each of which plotly takes 10-70 ms to build. Then the
BLEU page's built-in example is scored (dashboard.bleu.warm), its modules imported in this
thread, not on the first page's path.
"""

from __future__ import annotations

import logging
import os
import threading
import time

import streamlit as st

from core.train.results import TrainResult
from dashboard.runs import state
from dashboard.runs.analysis_cache import warm_first_views

DELAY = 2.0  # seconds to wait first: the sessions that waited for the run draw it before this
WARM_UP_ENV = "GATESCOPE_WARM_UP"  # "0" turns warming off (the tests do, bar their own)
LOG = logging.getLogger(__name__)


def warm_default_views() -> threading.Thread | None:
    """Start warming once per server, when this session holds the shared default run."""
    if os.environ.get(WARM_UP_ENV, "1") == "0":
        return None
    shared = state.shared_default()
    return None if shared is None else _warming(*shared)


@st.cache_resource(show_spinner=False)
def _warming(run_id: str, _run: TrainResult) -> threading.Thread:
    thread = threading.Thread(
        target=_warm, args=(run_id, _run), name="gatescope-warm-up", daemon=True
    )
    thread.start()
    return thread


def _warm(run_id: str, run: TrainResult) -> None:
    time.sleep(DELAY)
    for what, warm in (
        ("the default run's analyses", lambda: warm_first_views(run_id, run)),
        ("the first views' charts", lambda: _warm_figures(run_id, run)),
        ("the BLEU page's example", _warm_bleu_example),
    ):
        try:
            warm()
        except Exception:  # a page computes what is missing on its visit, as without warming
            LOG.exception("warming %s failed", what)


def _warm_figures(run_id: str, run: TrainResult) -> None:
    # Imported here: app.py imports this module before a first visit's training starts.
    from dashboard import flow_figures, gates_figures
    from dashboard.gru_explainer_section import warm_explainer

    flow_figures.warm_first_view(run_id, run)
    if run.has_weights:
        gates_figures.warm_first_view(run_id, run)
    warm_explainer()


def _warm_bleu_example() -> None:
    from dashboard.bleu.warm import warm_example  # sacrebleu & co. load here, off the page

    warm_example()
