"""Gradient flow page figures: norm of dL_T/dh_t against steps back, its (checkpoint x k)
heatmap and the clipping history (spectra and Jacobian norms: charts/spectra.py).

Core results hold log10 values; the line charts draw 10**value on a log axis (hover shows the
norm itself), the heatmap draws log10 directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from core.analysis.batch_summary import LogBand
from core.analysis.clipping import ClippingStats
from core.analysis.gradients import GradientFlow
from dashboard.shared.style import (
    BASELINE_COLOUR,
    base_layout,
    log_axis,
    model_colour,
    model_label,
    ordered,
)

SIDE_LEGEND = {"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top"}
BOTTOM_LEGEND = {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.22, "yanchor": "top"}
# Theory overlays: dash-dot styles no measured or reference curve uses (init curves are dotted,
# baselines dashed, a state block such as the LSTM's c long-dashed), grouped in the legend
# under the heading "theory".
THEORY_DASH = {
    "sigma_max": "dashdot",
    "rho": "longdashdot",
    "carry_max": "dashdot",
    "carry_mean": "longdashdot",
}
THEORY_GROUP = "theory"


def shown(flow: GradientFlow, relative: bool) -> GradientFlow:
    """The flow as drawn: normalised at k = 0 (each sequence by its own norm) or raw."""
    return flow.relative() if relative else flow


def flow_figure(
    flows: Mapping[str, GradientFlow],
    init: Mapping[str, GradientFlow] | None = None,
    *,
    relative: bool = True,
    theory: bool = False,
) -> go.Figure:
    """Median ||dL_T/dh_{T-k}|| against k with a percentile band per model, the init curve
    as a faint dotted reference and, optionally, the theory overlays (started at the median's
    value at k = 0)."""
    fig = go.Figure()
    for name in ordered(flows):
        flow = shown(flows[name], relative)
        colour, label = model_colour(name), model_label(name)
        _add_band(fig, flow.k, flow.log, colour, f"{label} {_band_text(flow.log)}", name)
        fig.add_trace(
            go.Scatter(
                x=flow.k,
                y=10.0**flow.median_log10,
                mode="lines",
                legendgroup=name,
                name=f"{label} median (step {flow.step})",
                line={"color": colour, "width": 2.5},
                hovertemplate=f"{label} step {flow.step}: %{{y:.3g}}<extra></extra>",
            )
        )
        if init is not None and name in init and init[name].step != flows[name].step:
            start = shown(init[name], relative)
            fig.add_trace(
                go.Scatter(
                    x=start.k,
                    y=10.0**start.median_log10,
                    mode="lines",
                    legendgroup=name,
                    name=f"{label} at init (step {start.step})",
                    opacity=0.45,
                    line={"color": colour, "width": 1.5, "dash": "dot"},
                    hovertemplate=f"{label} init: %{{y:.3g}}<extra></extra>",
                )
            )
        for block in flow.blocks:
            fig.add_trace(
                go.Scatter(
                    x=flow.k,
                    y=10.0 ** flow.block_log(block).median,
                    mode="lines",
                    legendgroup=name,
                    name=f"{label} median, through {block}",
                    line={"color": colour, "width": 2, "dash": "longdash"},
                    hovertemplate=f"{label} via {block}: %{{y:.3g}}<extra></extra>",
                )
            )
        if theory and flow.theory is not None:
            _add_theory(fig, flow, name)
    what = "relative to k = 0" if relative else "norm"
    base_layout(
        fig,
        "Gradient reaching h_(T-k) from the loss at the last step",
        "steps back k",
        f"||dL_T / dh_(T-k)|| ({what}, log scale)",
    )
    log_axis(fig)
    fig.update_layout(legend=SIDE_LEGEND, margin={"t": 50}, height=480)
    return fig


def _band_text(band: LogBand) -> str:
    return f"{band.band[0]:g}-{band.band[1]:g}th percentile of sequences"


def _add_band(fig: go.Figure, x, band: LogBand, colour: str, name: str, group: str) -> None:
    """A filled band between band.lo and band.hi (two traces; the second carries the legend)."""
    fig.add_trace(
        go.Scatter(
            x=x,
            y=10.0**band.hi,
            mode="lines",
            line={"width": 0},
            legendgroup=group,
            showlegend=False,
            hoverinfo="skip",
            name=f"{name} (upper)",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=10.0**band.lo,
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor=_translucent(colour, 0.18),
            legendgroup=group,
            name=name,
            hoverinfo="skip",
        )
    )


def _add_theory(fig: go.Figure, flow: GradientFlow, model: str) -> None:
    start = float(flow.median_log10[0])
    label = model_label(model)
    for key, curve in flow.theory.curves.items():
        fig.add_trace(
            go.Scatter(
                x=flow.theory.k,
                y=10.0 ** (curve + start),
                mode="lines",
                legendgroup=THEORY_GROUP,
                legendgrouptitle={"text": "theory"},
                name=f"{label} theory: {flow.theory.label(key)}",
                line={
                    "color": model_colour(model),
                    "width": 2,
                    "dash": THEORY_DASH.get(key, "dashdot"),
                },
                opacity=0.9,
                hovertemplate=f"{flow.theory.label(key)}: %{{y:.3g}}<extra></extra>",
            )
        )


def _translucent(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def flow_heatmap(
    model: str,
    steps: Sequence[int],
    grid: np.ndarray,
    *,
    relative: bool = True,
    zrange: tuple[float, float] | None = None,
) -> go.Figure:
    """log10 median norm over (checkpoint x steps back) of one model. grid: (C, T). Pass one
    `zrange` (see shared_range) to every model's heatmap so equal colours mean equal norms."""
    grid = np.asarray(grid)
    what = "log10 norm / norm at k = 0" if relative else "log10 norm"
    lo, hi = zrange if zrange is not None else (None, None)
    fig = go.Figure(
        go.Heatmap(
            z=grid,
            x=np.arange(grid.shape[1]),
            y=[f"step {s}" for s in steps],
            zmin=lo,
            zmax=hi,
            colorscale="Viridis",
            colorbar={"title": {"text": what, "side": "right"}},
            hovertemplate="%{y}, k = %{x}: log10 = %{z:.2f}<extra></extra>",
            name=model,
        )
    )
    base_layout(fig, f"{model_label(model)}: gradient over training", "steps back k", "checkpoint")
    fig.update_layout(hovermode="closest", margin={"t": 60})
    return fig


def shared_range(grids: Mapping[str, np.ndarray]) -> tuple[float, float]:
    """(lowest, highest) finite value over every model's grid: one colour scale for all."""
    values = np.concatenate([np.ravel(g) for g in grids.values()])
    values = values[np.isfinite(values)]
    return (float(values.min()), float(values.max())) if values.size else (0.0, 1.0)


def clipping_figure(stats: Mapping[str, ClippingStats]) -> go.Figure:
    """Gradient norm before (solid) and after (dashed) clipping per model, threshold grey."""
    fig = go.Figure()
    clip = 0.0
    for name in ordered(stats):
        s, colour, label = stats[name], model_colour(name), model_label(name)
        clip = max(clip, s.clip)
        fig.add_trace(
            go.Scatter(
                x=s.step,
                y=s.before,
                mode="lines",
                legendgroup=name,
                name=f"{label} before clipping",
                line={"color": colour},
            )
        )
        fig.add_trace(
            go.Scatter(
                x=s.step,
                y=s.after,
                mode="lines",
                legendgroup=name,
                name=f"{label} applied",
                line={"color": colour, "dash": "dash", "width": 1.2},
            )
        )
    if clip > 0:
        steps = [s.step for s in stats.values() if s.step.size]
        lo = min((float(x.min()) for x in steps), default=0.0)
        hi = max((float(x.max()) for x in steps), default=1.0)
        fig.add_trace(
            go.Scatter(
                x=[lo, hi],
                y=[clip, clip],
                mode="lines",
                name=f"clip threshold {clip:g}",
                line={"color": BASELINE_COLOUR, "dash": "dash", "width": 1.5},
                hoverinfo="skip",
            )
        )
    base_layout(
        fig, "Global gradient norm during training", "optimizer step", "gradient norm (log scale)"
    )
    log_axis(fig)
    return fig
