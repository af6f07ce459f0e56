"""The Gates page's charts by what selects them (trace, field, row order), and the first view
built ahead: the page and the warm-up thread share these functions, as in
dashboard.views.gradients.figures, so a first visit finds the warmed figures."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.analysis.gates import GateTrace
from core.train.results import TrainResult
from dashboard.session.analysis_cache import (
    EXAMPLE_DEFAULT,
    checkpoint_steps,
    default_gate_model,
    trace_at,
)
from dashboard.shared.figure_cache import cached_figure
from dashboard.views.gates.charts import gate_heatmap, tau_figure
from dashboard.views.gates.explainer import warm_explainer

CONVENTION_DEFAULT = "u"  # the page opens on u (write share), not z = 1 - u
SORT_BY_TAU_DEFAULT = True  # units sorted by tau, longest memory on top, unless turned off


def unit_order(trace: GateTrace, by_tau: bool) -> np.ndarray | None:
    """Rows of the heatmaps: by tau when asked and the cell has one, else as stored. (H,)"""
    return trace.unit_order() if by_tau and trace.tau is not None else None


def shown_fields(trace: GateTrace, convention: str) -> list[str]:
    """The heatmaps drawn, top to bottom: each gate (u as u or z), the candidate, the state."""
    fields = [convention if key == "u" else key for key in trace.gates]
    return fields + ["c"] * (trace.candidate is not None) + ["h"]


def heatmap(chosen: tuple, trace: GateTrace, field: str, order: np.ndarray | None) -> go.Figure:
    """One field's heatmap; `chosen` = (run id, model, checkpoint, source, number): the trace."""
    return cached_figure((*chosen, field, order is not None), gate_heatmap, trace, field, order)


def tau_chart(chosen: tuple, trace: GateTrace, order: np.ndarray | None) -> go.Figure:
    """The units' memory time constants, in the heatmaps' row order."""
    return cached_figure((*chosen, order is not None), tau_figure, trace, order)


def warm_first_view(run_id: str, run: TrainResult) -> None:
    """Build what the page first shows: the explainer's opening chart and, for a run with
    weights, the default gated model at the last checkpoint, the first example, u
    convention, units by tau. No st.* calls."""
    warm_explainer()
    if not run.has_weights:
        return
    model, ck = default_gate_model(run), len(checkpoint_steps(run)) - 1
    trace = trace_at(run_id, model, ck, *EXAMPLE_DEFAULT, run)
    chosen = (run_id, model, ck, *EXAMPLE_DEFAULT)
    order = unit_order(trace, SORT_BY_TAU_DEFAULT) if trace.gates else None
    fields = shown_fields(trace, CONVENTION_DEFAULT) if trace.gates else ["h"]
    for field in fields:
        heatmap(chosen, trace, field, order)
    if trace.gates and trace.tau is not None:
        tau_chart(chosen, trace, order)
