"""Train page figures: loss and validation-accuracy curves, RNN and GRU overlaid, chance drawn."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go

from core.tasks import TASKS
from core.train.results import Baseline, History, TrainResult
from dashboard.shared.style import (
    BASELINE_LINE,
    base_layout,
    log_axis,
    model_colour,
    model_label,
    ordered,
)


def histories_of(run: TrainResult) -> dict[str, History]:
    return {name: m.history for name, m in run.models.items()}


def loss_figure(run: TrainResult, log_y: bool = False) -> go.Figure:
    """Loss curves of a finished (or loaded) run."""
    return loss_curves(histories_of(run), run.baseline, log_y=log_y, task=run.config.task)


def live_loss_figure(
    histories: Mapping[str, History], baseline: Baseline, task: str, step: int, steps: int
) -> go.Figure:
    """Loss curves of a run still training, as far as it has been validated, on an x axis that
    spans the whole run (so it does not rescale as the curves grow)."""
    fig = loss_curves(histories, baseline, task=task)
    fig.update_layout(title={"text": f"Loss, live (step {step} of {steps})"})
    fig.update_xaxes(range=[0, steps])
    return fig


def accuracy_figure(run: TrainResult) -> go.Figure:
    """Validation-accuracy curves of a finished (or loaded) run."""
    return accuracy_curves(histories_of(run), run.baseline, task=run.config.task)


def loss_curves(
    histories: Mapping[str, History],
    baseline: Baseline | None = None,
    log_y: bool = False,
    task: str | None = None,
) -> go.Figure:
    """Training loss (dotted) and validation loss (solid) per model against optimizer step."""
    fig = go.Figure()
    for name in ordered(histories):
        h = histories[name]
        step = np.asarray(h.step)
        colour, label = model_colour(name), model_label(name)
        fig.add_trace(
            go.Scatter(
                x=step,
                y=np.asarray(h.train_loss),
                mode="lines",
                name=f"{label} train",
                legendgroup=name,
                line={"color": colour, "width": 1.2, "dash": "dot"},
                opacity=0.7,
            )
        )
        fig.add_trace(
            go.Scatter(
                x=step,
                y=np.asarray(h.val_loss),
                mode="lines",
                name=f"{label} validation",
                legendgroup=name,
                line={"color": colour, "width": 2.5},
            )
        )
    if baseline is not None:
        _add_reference(fig, histories, baseline.loss, _baseline_name(task, baseline.loss, "{:.3g}"))
    base_layout(fig, "Loss", "optimizer step", "loss (log scale)" if log_y else "loss")
    if log_y:
        log_axis(fig)
    return fig


def accuracy_curves(
    histories: Mapping[str, History],
    baseline: Baseline | None = None,
    task: str | None = None,
) -> go.Figure:
    """Validation accuracy (the task's success criterion) per model against optimizer step."""
    fig = go.Figure()
    for name in ordered(histories):
        h = histories[name]
        fig.add_trace(
            go.Scatter(
                x=np.asarray(h.step),
                y=np.asarray(h.val_accuracy),
                mode="lines",
                name=f"{model_label(name)} validation",
                legendgroup=name,
                line={"color": model_colour(name), "width": 2.5},
            )
        )
    if baseline is not None:
        name = _baseline_name(task, baseline.accuracy, "{:.1%}")
        _add_reference(fig, histories, baseline.accuracy, name)
    base_layout(fig, "Validation accuracy", "optimizer step", "accuracy")
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%")
    return fig


def _baseline_name(task: str | None, value: float, fmt: str) -> str:
    name = TASKS[task].baseline_name if task in TASKS else "baseline"
    return f"{name} ({fmt.format(value)})"


def _add_reference(fig: go.Figure, histories: Mapping[str, History], value: float, name: str):
    """A horizontal grey dashed reference spanning every model's steps, listed in the legend."""
    steps = [np.asarray(h.step) for h in histories.values() if len(h.step)]
    lo = min((float(s.min()) for s in steps), default=0.0)
    hi = max((float(s.max()) for s in steps), default=1.0)
    fig.add_trace(
        go.Scatter(
            x=[lo, hi],
            y=[value, value],
            mode="lines",
            name=name,
            line=BASELINE_LINE,
            hoverinfo="skip",
        )
    )
