"""Curves of several stored runs overlaid: one colour per model, one dash per run."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go

from core.train.results import TrainResult
from dashboard.shared.style import base_layout, model_colour, model_label, ordered

DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")


def overlay_curves(runs: Mapping[str, TrainResult], column: str = "val_loss") -> go.Figure:
    """`column` of every model of every run against optimizer step; runs told apart by dash."""
    fig = go.Figure()
    for i, (run_name, run) in enumerate(runs.items()):
        for model in ordered(run.models):
            h = run.models[model].history
            fig.add_trace(
                go.Scatter(
                    x=np.asarray(h.step),
                    y=np.asarray(getattr(h, column)),
                    mode="lines",
                    name=f"{model_label(model)}, {run_name}",
                    line={"color": model_colour(model), "dash": DASHES[i % len(DASHES)]},
                )
            )
    label = column.replace("_", " ")
    return base_layout(fig, f"Stored runs: {label}", "optimizer step", label)
