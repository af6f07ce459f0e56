"""Sweep figures: success rate with Wilson intervals, steps to solve, a final metric against a
swept field, and success heatmaps over two fields. Inputs are core.sweep.results tables."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.shared.style import base_layout, model_colour, model_label, ordered


def success_curve(rates: pd.DataFrame, x: str, criterion: str = "") -> go.Figure:
    """Success rate vs x per model, error bars = 95 % Wilson interval over seeds."""
    fig = go.Figure()
    for model in ordered(rates["model"].unique()):
        r = rates[rates["model"] == model].sort_values(x)
        fig.add_trace(
            go.Scatter(
                x=r[x],
                y=r["rate"],
                mode="lines+markers",
                name=model_label(model),
                line={"color": model_colour(model)},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": r["high"] - r["rate"],
                    "arrayminus": r["rate"] - r["low"],
                },
                customdata=r[["successes", "n", "low", "high"]],
                hovertemplate="%{customdata[0]} of %{customdata[1]} solved, 95 % Wilson "
                "[%{customdata[2]:.2f}, %{customdata[3]:.2f}]",
            )
        )
    title = f"Success rate vs {x}" + (f" ({criterion})" if criterion else "")
    fig.update_yaxes(range=[-0.03, 1.03], tickformat=".0%")
    return base_layout(fig, title, x, "runs solved (95 % Wilson interval)")


def steps_to_solve(table: pd.DataFrame) -> go.Figure:
    """Distribution of the first step each solved run met the criterion, per model."""
    fig = go.Figure()
    solved = table[table["steps_to_success"].notna()]
    for model in ordered(table["model"].unique()):
        s = solved[solved["model"] == model]["steps_to_success"]
        fig.add_trace(
            go.Box(
                y=s,
                name=model_label(model),
                boxpoints="all",
                jitter=0.4,
                marker={"color": model_colour(model)},
            )
        )
    fig = base_layout(fig, "Steps to solve (solved runs only)", "model", "optimizer steps")
    fig.update_layout(hovermode="closest")
    return fig


def final_metric(table: pd.DataFrame, x: str, metric: str = "final_val_loss") -> go.Figure:
    """Every finished run's metric against x (points), with the mean per x (line)."""
    fig = go.Figure()
    done = table[table["status"] == "done"]
    for model in ordered(done["model"].unique()):
        d = done[done["model"] == model]
        mean = d.groupby(x, sort=True)[metric].mean()
        colour = model_colour(model)
        fig.add_trace(
            go.Scatter(
                x=d[x],
                y=d[metric],
                mode="markers",
                opacity=0.5,
                marker={"color": colour},
                name=f"{model_label(model)} runs",
                showlegend=False,
            )
        )
        fig.add_trace(
            go.Scatter(
                x=mean.index,
                y=mean.values,
                mode="lines",
                line={"color": colour},
                name=model_label(model),
            )
        )
    return base_layout(fig, f"{metric.replace('_', ' ')} vs {x}", x, metric.replace("_", " "))


def success_heatmaps(rates: pd.DataFrame, x: str, y: str) -> go.Figure:
    """One heatmap per model: success rate over (x, y)."""
    models = ordered(rates["model"].unique())
    fig = make_subplots(
        rows=1, cols=len(models), shared_yaxes=True, subplot_titles=[model_label(m) for m in models]
    )
    for i, model in enumerate(models, start=1):
        grid = rates[rates["model"] == model].pivot(index=y, columns=x, values="rate")
        fig.add_trace(
            go.Heatmap(
                z=grid.values,
                x=[str(v) for v in grid.columns],
                y=[str(v) for v in grid.index],
                zmin=0,
                zmax=1,
                colorscale="Viridis",
                showscale=i == len(models),
                hovertemplate=f"{x} %{{x}}, {y} %{{y}}: %{{z:.0%}} solved<extra></extra>",
            ),
            row=1,
            col=i,
        )
        fig.update_xaxes(title_text=x, row=1, col=i)
    fig.update_yaxes(title_text=y, row=1, col=1)
    fig = base_layout(fig, f"Success rate over {x} and {y}", "", "")
    fig.update_layout(hovermode="closest")
    return fig
