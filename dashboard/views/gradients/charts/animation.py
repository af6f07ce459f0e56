"""The gradient-flow curves played over training: one plotly frame per checkpoint, with plotly's
own play / pause buttons and step slider (animation runs in the browser, no reruns).

Input is the page's flow grid: per model (checkpoint steps, median log10 curves (C, T)).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from dashboard.shared.style import base_layout, log_axis, model_colour, model_label, ordered

FRAME_MS = 700  # time each checkpoint stays on screen while playing
PAD_DECADES = 0.3  # room above and below the curves on the log axis


def flow_animation(
    grid: Mapping[str, tuple[Sequence[int], np.ndarray]], *, relative: bool = True
) -> go.Figure:
    """Median ||dL_T/dh_(T-k)|| against k, one frame per checkpoint; the first checkpoint stays
    as a faint dotted reference. Fixed axes, so the curves move and the scale does not."""
    models = ordered(grid)
    n_frames = min(len(grid[m][0]) for m in models)
    fig = go.Figure(data=[*_curves(grid, models, 0), *_references(grid, models)])
    fig.frames = [
        go.Frame(
            data=_curves(grid, models, i),
            name=_frame_name(grid, models, i),
            traces=list(range(len(models))),
        )
        for i in range(n_frames)
    ]
    what = "relative to k = 0" if relative else "norm"
    base_layout(
        fig,
        "Gradient flow over training (press play)",
        "steps back k",
        f"||dL_T / dh_(T-k)|| ({what}, log scale)",
    )
    lo, hi = _log_range(grid, models)
    log_axis(fig, span=(10.0**lo, 10.0**hi))
    fig.update_yaxes(range=[lo, hi])
    fig.update_xaxes(range=[0, max(grid[m][1].shape[1] for m in models) - 1])
    fig.update_layout(
        updatemenus=[_buttons()],
        sliders=[_slider(grid, models, n_frames)],
        hovermode="closest",
        height=520,
        margin={"t": 50, "b": 10},
        legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top"},
    )  # beside the plot: the slider is below
    return fig


def _curves(grid, models: list[str], i: int) -> list[go.Scatter]:
    """One median curve per model at checkpoint i (the animated traces, in model order)."""
    return [
        go.Scatter(
            x=np.arange(grid[m][1].shape[1]),
            y=10.0 ** grid[m][1][i],
            mode="lines",
            name=model_label(m),  # the slider names the step (legends stay)
            line={"color": model_colour(m), "width": 2.5},
            hovertemplate=f"{model_label(m)} step {grid[m][0][i]}, k = %{{x}}: "
            "%{y:.3g}<extra></extra>",
        )
        for m in models
    ]


def _references(grid, models: list[str]) -> list[go.Scatter]:
    """The first checkpoint's curves, drawn faint and never animated."""
    return [
        go.Scatter(
            x=np.arange(grid[m][1].shape[1]),
            y=10.0 ** grid[m][1][0],
            mode="lines",
            name=f"{model_label(m)} at step {grid[m][0][0]}",
            opacity=0.4,
            line={"color": model_colour(m), "width": 1.5, "dash": "dot"},
            hoverinfo="skip",
        )
        for m in models
    ]


def _frame_name(grid, models: list[str], i: int) -> str:
    return f"step {grid[models[0]][0][i]}"


def _log_range(grid, models: list[str]) -> list[float]:
    """[lo, hi] in log10 over every finite value of every frame, padded."""
    values = np.concatenate([np.ravel(grid[m][1]) for m in models])
    values = values[np.isfinite(values)]
    lo, hi = (float(values.min()), float(values.max())) if values.size else (-1.0, 0.0)
    return [lo - PAD_DECADES, hi + PAD_DECADES]


def _play_args(frames, duration: int) -> list:
    return [
        frames,
        {
            "frame": {"duration": duration, "redraw": False},
            "mode": "immediate",
            "fromcurrent": True,
            "transition": {"duration": 0},
        },
    ]


def _buttons() -> dict:
    return {
        "type": "buttons",
        "direction": "left",
        "showactive": False,
        "x": 0,
        "y": -0.12,
        "xanchor": "left",
        "yanchor": "top",
        "pad": {"t": 30, "r": 10},
        "buttons": [
            {"label": "▶ Play", "method": "animate", "args": _play_args(None, FRAME_MS)},
            {"label": "❚❚ Pause", "method": "animate", "args": _play_args([None], 0)},
        ],
    }


def _slider(grid, models: list[str], n_frames: int) -> dict:
    """Ticks labelled with bare step numbers (the current value names the step), inset from
    the right edge so the last label stays inside the figure."""
    steps = [
        {
            "label": str(grid[models[0]][0][i]),
            "method": "animate",
            "args": _play_args([_frame_name(grid, models, i)], 0),
        }
        for i in range(n_frames)
    ]
    return {
        "active": 0,
        "steps": steps,
        "x": 0.2,
        "len": 0.76,
        "y": -0.12,
        "yanchor": "top",
        "pad": {"t": 30, "r": 20},
        "currentvalue": {"prefix": "checkpoint at step ", "xanchor": "left"},
        "font": {"size": 11},
    }
