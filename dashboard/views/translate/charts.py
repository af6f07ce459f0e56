"""Translate page figures: training curves, dev BLEU, attention, the gradient reaching each
source word, and BLEU by source length. Builders take core results and return figures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.cells import get_cell
from core.translate.analysis import SourceGradient
from core.translate.train import TrainHistory
from dashboard.shared.style import base_layout


def cell_colour(name: str) -> str:
    return get_cell(name).colour


def cell_label(name: str) -> str:
    return get_cell(name).label


def _x_epochs(history: TrainHistory, steps_per_epoch: float) -> np.ndarray:
    return np.asarray(history.steps, dtype=float) / max(steps_per_epoch, 1e-9)


def smoothed(values: Sequence[float], window: int = 25) -> np.ndarray:
    """Running mean over the last `window` values (shorter at the start)."""
    v = np.asarray(values, dtype=float)
    if len(v) == 0:
        return v
    c = np.cumsum(np.insert(v, 0, 0.0))
    n = np.minimum(np.arange(1, len(v) + 1), window)
    return (c[1:] - c[np.arange(1, len(v) + 1) - n]) / n


def loss_curves(histories: Mapping[str, TrainHistory]) -> go.Figure:
    """Training loss per token (running mean, thin) and dev loss at checkpoints (markers)."""
    fig = go.Figure()
    for name, h in histories.items():
        colour, label = cell_colour(name), cell_label(name)
        fig.add_trace(
            go.Scatter(
                x=h.steps,
                y=smoothed(h.losses),
                mode="lines",
                name=f"{label} train",
                legendgroup=name,
                line={"color": colour, "width": 1.2, "dash": "dot"},
            )
        )
        cps = h.checkpoints
        fig.add_trace(
            go.Scatter(
                x=[c.step for c in cps],
                y=[c.dev_loss for c in cps],
                mode="lines+markers",
                name=f"{label} dev",
                legendgroup=name,
                line={"color": colour, "width": 2.5},
            )
        )
    return base_layout(fig, "Loss per target token", "optimizer step", "cross-entropy")


def dev_bleu_curves(histories: Mapping[str, TrainHistory]) -> go.Figure:
    """Dev corpus BLEU at every checkpoint, per model, against training wall time."""
    fig = go.Figure()
    for name, h in histories.items():
        cps = h.checkpoints
        fig.add_trace(
            go.Scatter(
                x=[c.seconds for c in cps],
                y=[c.dev_bleu for c in cps],
                mode="lines+markers",
                name=cell_label(name),
                line={"color": cell_colour(name), "width": 2.5},
                customdata=[[c.step, c.epoch] for c in cps],
                hovertemplate="%{y:.2f} BLEU at step %{customdata[0]} "
                "(epoch %{customdata[1]:.2f})<extra></extra>",
            )
        )
    return base_layout(fig, "Dev BLEU at checkpoints", "training wall time (s)", "BLEU")


def attention_heatmap(
    weights: np.ndarray, source: list[str], target: list[str], title: str
) -> go.Figure:
    """a_tj: rows are target tokens (plus </s>), columns source tokens. weights (Tt+1, Ts).
    Every token is labelled; past ROTATE_AFTER source tokens the labels are turned."""
    rows = [*target, "</s>"][: len(weights)]
    x, y = _unique(source), _unique(rows)
    fig = go.Figure(
        go.Heatmap(
            z=weights,
            x=x,
            y=y,
            colorscale="Blues",
            zmin=0,
            zmax=1,
            hovertemplate="%{y} <- %{x}: %{z:.2f}<extra></extra>",
        )
    )
    base_layout(fig, title, "source token", "target token")
    fig.update_xaxes(
        tickmode="array",
        tickvals=x,
        ticktext=_shown(x),
        tickangle=-45 if len(x) > ROTATE_AFTER else 0,
    )
    fig.update_yaxes(autorange="reversed", tickmode="array", tickvals=y, ticktext=_shown(y))
    fig.update_layout(hovermode="closest")
    return fig


ROTATE_AFTER = 8  # source tokens that fit side by side under a half-width heatmap


def _unique(labels: list[str]) -> list[str]:
    """Position-numbered labels, so repeated words keep their own row or column."""
    return [f"{i + 1}. {t}" for i, t in enumerate(labels)]


def _shown(labels: list[str]) -> list[str]:
    """Tick texts with < and > as entities: plotly shows "</s>" or "<unk>", not a tag."""
    return [t.replace("<", "&lt;").replace(">", "&gt;") for t in labels]


def source_gradient_chart(
    profiles: Mapping[str, SourceGradient], sentence: int | None = None
) -> go.Figure:
    """||dL/dh_j|| against source position j, one line per model, log y. sentence=None plots
    the mean over every sentence of that length; else the sentence at that index."""
    fig = go.Figure()
    for name, p in profiles.items():
        y = p.mean if sentence is None else p.norms[sentence]
        fig.add_trace(
            go.Scatter(
                x=np.arange(1, p.length + 1),
                y=y,
                mode="lines+markers",
                name=cell_label(name),
                line={"color": cell_colour(name), "width": 2.5},
            )
        )
    what = "mean over the test sentences" if sentence is None else "one test sentence"
    base_layout(
        fig,
        f"Gradient reaching each source word ({what})",
        "source word position (1 = first word)",
        "||dL/dh_j|| (log scale)",
    )
    fig.update_yaxes(type="log")
    return fig


def bleu_by_length_chart(table: pd.DataFrame) -> go.Figure:
    """Per-bucket BLEU with 95% bootstrap intervals, one line per model; sizes in the x labels."""
    fig = go.Figure()
    first = table.drop_duplicates("bucket").sort_values("bucket_index")
    labels = {r.bucket: f"{r.bucket} (n={r.n_sent})" for r in first.itertuples()}
    for name, rows in table.groupby("system", sort=False):
        rows = rows.sort_values("bucket_index")
        x = [labels[b] for b in rows["bucket"]]
        fig.add_trace(
            go.Scatter(
                x=x,
                y=rows["bleu"],
                mode="lines+markers",
                name=cell_label(name),
                line={"color": cell_colour(name), "width": 2.5},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": rows["ci_high"] - rows["bleu"],
                    "arrayminus": rows["bleu"] - rows["ci_low"],
                },
            )
        )
    return base_layout(
        fig,
        "Test BLEU by source length (95% bootstrap intervals)",
        "source length in words (sentences)",
        "BLEU",
    )


DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")


def _dash(order: list[str], name: str) -> str:
    """One dash per experiment ("<experiment> · <model>" names), in order of appearance."""
    exp = name.rsplit(" · ", 1)[0]
    if exp not in order:
        order.append(exp)
    return DASHES[order.index(exp) % len(DASHES)]


def compare_dev_bleu_curves(runs: Sequence[tuple[str, str, TrainHistory]]) -> go.Figure:
    """Dev BLEU at checkpoints of several experiments' models: (trace name, cell, history);
    the cell sets the colour, the experiment (in order of first appearance) the dash."""
    fig, order = go.Figure(), []
    for name, cell, h in runs:
        cps = h.checkpoints
        fig.add_trace(
            go.Scatter(
                x=[c.epoch for c in cps],
                y=[c.dev_bleu for c in cps],
                mode="lines+markers",
                name=name,
                line={"color": cell_colour(cell), "width": 2.5, "dash": _dash(order, name)},
            )
        )
    return base_layout(fig, "Dev BLEU at checkpoints, by experiment", "epoch", "BLEU")


def compare_bleu_by_length(tables: Sequence[tuple[str, str, pd.DataFrame]]) -> go.Figure:
    """Test BLEU per source-length bucket of several experiments' models: (trace name, cell,
    that model's rows of its experiment's bleu_by_length table)."""
    fig, order = go.Figure(), []
    for name, cell, rows in tables:
        rows = rows.sort_values("bucket_index")
        fig.add_trace(
            go.Scatter(
                x=list(rows["bucket"]),
                y=rows["bleu"],
                mode="lines+markers",
                name=name,
                line={"color": cell_colour(cell), "width": 2.5, "dash": _dash(order, name)},
            )
        )
    return base_layout(
        fig, "Test BLEU by source length, by experiment", "source length in words", "BLEU"
    )
