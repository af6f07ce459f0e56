"""Gradient flow page figures of the recurrent matrices: eigenvalues in the complex plane,
singular values per block, and the per-step state Jacobian norms ||J_t||."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.analysis.jacobians import JacobianNorms
from core.analysis.spectrum import Spectrum
from core.cells import get_cell
from dashboard.shared.style import (
    BASELINE_LINE,
    base_layout,
    log_axis,
    model_colour,
    model_label,
    ordered,
)
from dashboard.views.gradients.charts.flow import BOTTOM_LEGEND, SIDE_LEGEND

SYMBOLS = ("circle", "diamond", "x", "square", "triangle-up")  # by block, in the cell's order
PATTERNS = ("", "/", ".", "x", "-")  # bar fills by block, in the cell's order


def block_name(model: str, block: str) -> str:
    """The cell's own name for a recurrent block (e.g. "U_r (reset gate)"), else its key."""
    return dict(get_cell(model).block_labels).get(block, block)


def spectrum_figure(spectra: Mapping[str, Spectrum], model: str, step: int) -> go.Figure:
    """Eigenvalues of each recurrent block in the complex plane, with the unit circle."""
    theta = np.linspace(0.0, 2.0 * np.pi, 181)
    fig = go.Figure(
        go.Scatter(
            x=np.cos(theta),
            y=np.sin(theta),
            mode="lines",
            name="unit circle |lambda| = 1",
            line=BASELINE_LINE,
            hoverinfo="skip",
        )
    )
    for i, (block, spec) in enumerate(spectra.items()):
        fig.add_trace(
            go.Scatter(
                x=spec.eigenvalues.real,
                y=spec.eigenvalues.imag,
                mode="markers",
                name=f"{block_name(model, block)}: rho = {spec.rho:.3f}",
                marker={
                    "color": model_colour(model),
                    "symbol": SYMBOLS[i % len(SYMBOLS)],
                    "size": 8,
                    "opacity": 0.75,
                    "line": {"width": 0.5, "color": "white"},
                },
                hovertemplate=f"{block}: %{{x:.3f}} %{{y:+.3f}}i<extra></extra>",
            )
        )
    base_layout(
        fig, f"{model_label(model)}: eigenvalues at step {step}", "real part", "imaginary part"
    )
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    fig.update_layout(
        hovermode="closest", legend=BOTTOM_LEGEND, margin={"t": 50, "b": 10}, height=520
    )
    return fig


def singular_values_figure(spectra: Mapping[str, Spectrum], model: str, step: int) -> go.Figure:
    """Singular values of each recurrent block as bars (index 1 = sigma_max), 1 drawn grey."""
    fig = go.Figure()
    n = 0
    for i, (block, spec) in enumerate(spectra.items()):
        n = max(n, spec.singular_values.size)
        fig.add_trace(
            go.Bar(
                x=np.arange(1, spec.singular_values.size + 1),
                y=spec.singular_values,
                name=f"{block_name(model, block)}: sigma_max = {spec.sigma_max:.3f}",
                marker={
                    "color": model_colour(model),
                    "pattern": {"shape": PATTERNS[i % len(PATTERNS)]},
                },
                opacity=0.85,
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[0.5, n + 0.5],
            y=[1.0, 1.0],
            mode="lines",
            name="1",
            line=BASELINE_LINE,
            hoverinfo="skip",
        )
    )
    base_layout(fig, f"{model_label(model)}: singular values at step {step}", "index i", "sigma_i")
    fig.update_layout(barmode="group", legend=BOTTOM_LEGEND, margin={"t": 50, "b": 10}, height=520)
    return fig


def jacobian_figure(norms: Mapping[str, JacobianNorms]) -> go.Figure:
    """Per-step ||dh_t/dh_(t-1)|| (left) and their running product (right) against k."""
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=("per step: ||dh_t / dh_(t-1)||", "running product over the last k steps"),
    )
    for name in ordered(norms):
        jn, colour, label = norms[name], model_colour(name), model_label(name)
        for col, band, what in ((1, jn.norm, "step norm"), (2, jn.running, "product")):
            fig.add_trace(
                go.Scatter(
                    x=jn.k,
                    y=10.0**band.median,
                    mode="lines",
                    legendgroup=name,
                    name=f"{label} {what}",
                    showlegend=True,
                    line={"color": colour, "width": 2},
                    hovertemplate=f"{label} {what}: %{{y:.3g}}<extra></extra>",
                ),
                row=1,
                col=col,
            )
    fig.add_trace(
        go.Scatter(
            x=[0, _longest(norms)],
            y=[1.0, 1.0],
            mode="lines",
            name="1",
            line=BASELINE_LINE,
            hoverinfo="skip",
        ),
        row=1,
        col=1,
    )
    base_layout(fig, "Step Jacobians: median over sequences", "steps back k", "norm")
    fig.update_layout(legend=SIDE_LEGEND, margin={"t": 80})
    log_axis(fig)
    fig.update_xaxes(title_text="steps back k")
    return fig


def _longest(norms: Mapping[str, JacobianNorms]) -> int:
    return max((int(j.k[-1]) for j in norms.values() if j.k.size), default=1)
