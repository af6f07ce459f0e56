"""Loss curves of a training job while it runs: one figure per run config and set of validation
rows for the whole server (sessions waiting on the shared default build it once), redrawn in a
page at most every CURVES_SECONDS (a chart costs the browser far more to draw than a progress
bar). They have a small cache of their own: a long training makes a new figure every few
seconds, which must not push the pages' figures (dashboard.shared.figure_cache) out of theirs.

Drawn while the default experiment trains, they also make a new visitor's browser load its
chart code (a few MB, fetched at the first chart) during the wait instead of after it.
"""

from __future__ import annotations

import time

import plotly.graph_objects as go
import streamlit as st

from core.tasks import task_for
from core.train.config import RunConfig
from core.workers.pool import JobStatus
from dashboard.shared.curves import live_loss_figure

CURVES_SECONDS = 2.0  # least time between two drawings of one job's curves


def live_figure(status: JobStatus) -> go.Figure:
    """The loss curves of a running job's validation rows so far, titled with the step the
    slowest model was last validated at (shared by every session: do not modify)."""
    rows = tuple((m, len(h.step)) for m, h in sorted(status.histories.items()))
    return _figure(status.config, rows, status.histories)


@st.cache_resource(show_spinner=False, max_entries=16)
def _figure(cfg: RunConfig, rows: tuple, _histories: dict) -> go.Figure:
    step = min((int(h.step[-1]) for h in _histories.values() if len(h.step)), default=0)
    return live_loss_figure(_histories, task_for(cfg).baseline, cfg.task, step, cfg.steps)


class LiveCurves:
    """A running job's loss curves in one place of a page (`slot`, an st.empty), redrawn from
    each polled status at most every CURVES_SECONDS."""

    def __init__(self, slot, key: str):
        self.slot = slot
        self.key = key  # element key prefix: each drawing in one page run has its own
        self.drawings = 0
        self.drawn_at = float("-inf")

    def draw(self, status: JobStatus) -> None:
        now = time.monotonic()
        if not status.histories or status.finished or now - self.drawn_at < CURVES_SECONDS:
            return
        self.drawings += 1
        self.slot.plotly_chart(live_figure(status), key=f"{self.key}_{self.drawings}")
        self.drawn_at = now

    def clear(self) -> None:
        self.slot.empty()
