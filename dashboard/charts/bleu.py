"""BLEU page figures. Builders take the report's tables (pandas) and return plotly Figures.

Systems keep one colour on every chart (by position in the input order).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.bleu.decompose import GapDecomposition
from dashboard.charts.style import BASELINE_LINE, base_layout

SYSTEM_COLOURS = (
    "#00798C",
    "#D1495B",
    "#EDAE49",
    "#30638E",
    "#6C4F9E",
    "#66A182",
    "#A05195",
    "#3D405B",
    "#F28E2B",
    "#8C8C8C",
)
ORDER_COLOURS = ("#9ED9A0", "#6BAED6", "#FDAE6B", "#E377C2", "#BCBD22", "#17BECF")  # n = 1, 2, ..
WIN, TIE, LOSS = "#00798C", "#8C8C8C", "#D1495B"
ALPHA = 0.05  # significance level of the marks


def system_colour(i: int) -> str:
    return SYSTEM_COLOURS[i % len(SYSTEM_COLOURS)]


def plotly_text(name) -> str:
    """A system name as plotly text: '<', '>' and '&' escaped, since plotly reads tags such as
    <b> and <br> in names, titles and hover text."""
    return html.escape(str(name), quote=False)


def significance_mark(p_value: float | None) -> str:
    """'*' when p < 0.05, '**' when p < 0.01, '' otherwise or for the baseline (None)."""
    if p_value is None or not np.isfinite(p_value) or p_value >= ALPHA:
        return ""
    return "**" if p_value < 0.01 else "*"


def corpus_bars(significance: pd.DataFrame, systems: Sequence[str]) -> go.Figure:
    """Corpus score per metric (x) and system (bars), bootstrap 95% interval as error bars,
    '*' / '**' above a system that differs from the baseline at p < 0.05 / 0.01 (paired
    bootstrap). significance: report.significance_table()."""
    fig = go.Figure()
    base_rows = significance[significance["system"] == significance["baseline"]]
    base_score = dict(zip(base_rows["metric"], base_rows["score"], strict=True))
    for i, name in enumerate(systems):
        rows = significance[significance["system"] == name]
        # sacrebleu gives a system identical to the baseline p = 1/(n+1): no mark for no difference
        marks = [significance_mark(p) if s != base_score.get(m) else ""
                 for p, s, m in zip(rows["p_value"], rows["score"], rows["metric"], strict=True)]
        is_baseline = bool((rows["system"] == rows["baseline"]).all())
        fig.add_trace(
            go.Bar(
                x=rows["metric"],
                y=rows["score"],
                name=plotly_text(name) + (" (baseline)" if is_baseline else ""),
                marker_color=system_colour(i),
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": rows["ci_high"] - rows["score"],
                    "arrayminus": rows["score"] - rows["ci_low"],
                },
                text=[f"{s:.2f}{m}" for s, m in zip(rows["score"], marks, strict=True)],
                textposition="outside",
                cliponaxis=False,
                customdata=np.stack([rows["p_value"].astype(float).fillna(np.nan)], axis=-1),
                hovertemplate=f"{plotly_text(name)}<br>%{{x}} %{{y:.2f}}<br>"
                "p vs baseline %{customdata[0]:.4f}<extra></extra>",
            )
        )
    base_layout(
        fig,
        "Corpus scores (95% bootstrap intervals; * p<0.05, ** p<0.01 vs baseline)",
        "metric",
        "score",
    )
    fig.update_layout(barmode="group", hovermode="closest")
    return fig


def sentence_histogram(wide: pd.DataFrame, metric: str = "sentence BLEU") -> go.Figure:
    """Distribution of a per-sentence score, one overlaid histogram per system (bins of 5)."""
    fig = go.Figure()
    for i, name in enumerate(wide.columns):
        fig.add_trace(
            go.Histogram(
                x=wide[name],
                name=plotly_text(name),
                marker_color=system_colour(i),
                opacity=0.55,
                xbins={"start": 0, "end": 100.0001, "size": 5},
            )
        )
    base_layout(fig, f"Distribution of {metric}", metric, "sentences")
    fig.update_layout(barmode="overlay", hovermode="closest")
    return fig


def pair_scatter(wide: pd.DataFrame, a: str, b: str) -> go.Figure:
    """Sentence score of system a (x) vs b (y): points above the diagonal are b's wins.
    customdata is the segment index (0-based), so a selection leads to the sentence."""
    x, y = wide[a].to_numpy(), wide[b].to_numpy()
    a_text, b_text = plotly_text(a), plotly_text(b)
    outcome = np.where(y > x, "win", np.where(y < x, "loss", "tie"))
    segments = np.asarray(wide.index)
    fig = go.Figure()
    for label, colour, kind in (
        (f"{b_text} better", WIN, "win"),
        ("tie", TIE, "tie"),
        (f"{a_text} better", LOSS, "loss"),
    ):
        sel = outcome == kind
        fig.add_trace(
            go.Scatter(
                x=x[sel],
                y=y[sel],
                mode="markers",
                name=f"{label} ({int(sel.sum())})",
                marker={"color": colour, "size": 6, "opacity": 0.6},
                customdata=[
                    int(s) for s in segments[sel]
                ],  # plain ints: the selection returns them
                text=[str(s + 1) for s in segments[sel]],
                hovertemplate=f"line %{{text}}<br>{a_text} %{{x:.1f}}<br>{b_text} %{{y:.1f}}"
                "<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[0, 100], y=[0, 100], mode="lines", line=BASELINE_LINE, name="equal", hoverinfo="skip"
        )
    )
    base_layout(fig, "Sentence BLEU, B vs A", f"A: {a_text}",
                f"B: {b_text} (above the diagonal: B better)")
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0})
    fig.update_layout(hovermode="closest", dragmode="select")
    fig.update_xaxes(range=[-2, 102])
    fig.update_yaxes(range=[-2, 102], scaleanchor="x", scaleratio=1)
    return fig


def bucket_chart(buckets: pd.DataFrame, systems: Sequence[str]) -> go.Figure:
    """BLEU per reference-length bucket with bootstrap 95% error bars; bucket sizes in labels."""
    order = buckets.drop_duplicates("bucket").sort_values("bucket_index")
    labels = {r.bucket: f"{r.bucket}<br>n={r.n_sent}" for r in order.itertuples()}
    fig = go.Figure()
    for i, name in enumerate(systems):
        rows = buckets[buckets["system"] == name].sort_values("bucket_index")
        fig.add_trace(
            go.Bar(
                x=[labels[b] for b in rows["bucket"]],
                y=rows["bleu"],
                name=plotly_text(name),
                marker_color=system_colour(i),
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": rows["ci_high"] - rows["bleu"],
                    "arrayminus": rows["bleu"] - rows["ci_low"],
                },
            )
        )
    base_layout(
        fig,
        "BLEU by reference length (95% bootstrap intervals)",
        "reference length (tokens) and sentences per bucket",
        "BLEU",
    )
    fig.update_layout(barmode="group", hovermode="closest")
    return fig


def precision_chart(corpus: pd.DataFrame, order: int = 4) -> go.Figure:
    """n-gram precisions p1..pN per system (left) and brevity penalty and length ratio (right)."""
    fig = make_subplots(rows=1, cols=2, column_widths=[0.7, 0.3], horizontal_spacing=0.12)
    for i, (name, row) in enumerate(corpus.iterrows()):
        colour = system_colour(i)
        fig.add_trace(
            go.Bar(
                x=[f"p{n}" for n in range(1, order + 1)],
                y=[row[f"p{n}"] for n in range(1, order + 1)],
                name=plotly_text(name),
                marker_color=colour,
                legendgroup=str(name),
            ),
            row=1,
            col=1,
        )
        fig.add_trace(
            go.Bar(
                x=["BP", "hyp/ref"],
                y=[row["bp"], row["ratio"]],
                name=plotly_text(name),
                marker_color=colour,
                legendgroup=str(name),
                showlegend=False,
            ),
            row=1,
            col=2,
        )
    base_layout(fig, "What BLEU is made of: n-gram precisions and brevity penalty", "", "")
    fig.update_yaxes(title_text="precision (%)", row=1, col=1)
    fig.update_yaxes(title_text="BP, hyp/ref length", row=1, col=2)
    fig.add_hline(y=1.0, line=BASELINE_LINE, row=1, col=2)
    fig.update_layout(barmode="group", hovermode="closest")
    return fig


def gap_chart(gap: GapDecomposition) -> go.Figure:
    """Waterfall of log(BLEU_b) - log(BLEU_a): one step per n-gram order and the brevity penalty,
    ending at the total log-gap (they sum to it exactly)."""
    parts = [*gap.order_contributions, gap.bp_contribution]
    labels = [f"{n}-gram" for n in range(1, len(gap.order_contributions) + 1)]
    labels += ["brevity penalty", "total"]
    fig = go.Figure(
        go.Waterfall(
            x=labels,
            y=[*parts, gap.log_gap],
            measure=["relative"] * len(parts) + ["total"],
            text=[f"{v:+.4f}" for v in [*parts, gap.log_gap]],
            textposition="outside",
            increasing={"marker": {"color": WIN}},
            decreasing={"marker": {"color": LOSS}},
            totals={"marker": {"color": TIE}},
            connector={"line": {"color": TIE, "width": 1}},
        )
    )
    title = f"Gap: {gap.sys_b} {gap.bleu_b:.2f} vs {gap.sys_a} {gap.bleu_a:.2f} BLEU"
    y_title = f"log(BLEU_B / BLEU_A) = log {gap.bleu_b / gap.bleu_a:.3f}"
    base_layout(fig, title, "", y_title)
    fig.update_layout(hovermode="closest", showlegend=False)
    return fig
