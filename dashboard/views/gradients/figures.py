"""The Gradient flow page's charts, each asked of the figure cache (shared.figure_cache) by
everything that selects it, and its first view built before anyone opens the page.

The page and the warm-up thread (dashboard.session.warm_up) go through these same functions with
the page's opening settings, so the figures warmed are the ones a first visit asks for.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go

from core.analysis.clipping import ClippingStats, clipping_stats
from core.analysis.gradients import GradientFlow
from core.analysis.jacobians import JacobianNorms
from core.analysis.spectrum import Spectrum
from core.train.results import TrainResult
from dashboard.session.analysis_cache import (
    RELATIVE_DEFAULT,
    checkpoint_steps,
    flow_grid,
    flows_at,
    spectra_at,
)
from dashboard.shared.figure_cache import cached_figure
from dashboard.shared.style import ordered
from dashboard.views.gradients.charts.animation import flow_animation
from dashboard.views.gradients.charts.flow import (
    clipping_figure,
    flow_figure,
    flow_heatmap,
    shared_range,
)
from dashboard.views.gradients.charts.spectra import (
    jacobian_figure,
    singular_values_figure,
    spectrum_figure,
)

THEORY_DEFAULT = False  # theory overlays off until the reader turns them on
Grid = Mapping[str, tuple[list[int], np.ndarray]]  # per model: (steps, curves (C, T))


def flow_chart(
    run_id: str,
    ck: int,
    flows: Mapping[str, GradientFlow],
    init: Mapping[str, GradientFlow] | None,
    *,
    relative: bool,
    theory: bool,
) -> go.Figure:
    """The flows at checkpoint `ck` (the initial ones dotted when `init` is given)."""
    return cached_figure(
        (run_id, ck, relative, theory),
        flow_figure,
        flows,
        init,
        relative=relative,
        theory=theory,
    )


def animation(run_id: str, relative: bool, grid: Grid) -> go.Figure:
    """The median curves, one frame per checkpoint."""
    return cached_figure((run_id, relative), flow_animation, grid, relative=relative)


def heatmaps(run_id: str, relative: bool, grid: Grid) -> dict[str, go.Figure]:
    """Per model in display order: checkpoint x k heatmap, all on one colour scale."""
    zrange = shared_range({name: values for name, (_, values) in grid.items()})
    return {
        name: cached_figure(
            (run_id, relative, name),
            flow_heatmap,
            name,
            grid[name][0],
            grid[name][1],
            relative=relative,
            zrange=zrange,
        )
        for name in ordered(grid)
    }


def spectrum_charts(
    run_id: str, ck: int, name: str, blocks: Mapping[str, Spectrum], step: int
) -> tuple[go.Figure, go.Figure]:
    """(eigenvalues, singular values) of one model's recurrent blocks at checkpoint `ck`."""
    chosen = (run_id, ck, name)
    return (
        cached_figure(chosen, spectrum_figure, blocks, name, step),
        cached_figure(chosen, singular_values_figure, blocks, name, step),
    )


def jacobian_chart(run_id: str, ck: int, norms: Mapping[str, JacobianNorms]) -> go.Figure:
    """Per model: per-step Jacobian norms and their running product at checkpoint `ck`."""
    return cached_figure((run_id, ck), jacobian_figure, norms)


def clipping_by_model(run: TrainResult) -> dict[str, ClippingStats]:
    """Gradient norms before and after clipping, per model, from the run's histories."""
    return {m: clipping_stats(r.history, run.config.clip) for m, r in run.models.items()}


def clipping_chart(run_id: str, stats: Mapping[str, ClippingStats]) -> go.Figure:
    return cached_figure((run_id,), clipping_figure, stats)


def warm_first_view(run_id: str, run: TrainResult) -> None:
    """Build what the page first shows of `run`: the last checkpoint, normalised curves, no
    theory overlays, the Jacobians' expander shut. No st.* calls."""
    ck = len(checkpoint_steps(run)) - 1
    flows = flows_at(run_id, ck, run)
    init = flows_at(run_id, 0, run) if ck != 0 else None
    flow_chart(run_id, ck, flows, init, relative=RELATIVE_DEFAULT, theory=THEORY_DEFAULT)
    grid = flow_grid(run_id, RELATIVE_DEFAULT, run)
    animation(run_id, RELATIVE_DEFAULT, grid)
    heatmaps(run_id, RELATIVE_DEFAULT, grid)
    spectra = spectra_at(run_id, ck, run)
    for name in ordered(spectra):
        spectrum_charts(run_id, ck, name, spectra[name], flows[name].step)
    clipping_chart(run_id, clipping_by_model(run))
