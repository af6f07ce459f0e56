"""BLEU page figures. Builders take the report's tables (pandas) and return plotly Figures.

Systems keep one colour on every chart, by name (a model's name: its colour; see bleu_style);
legends show shortened names below the plot, hover text the full name.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.bleu.breakdowns.gap_decomposition import GapDecomposition
from dashboard.shared.style import BASELINE_LINE
from dashboard.views.bleu.charts.style import (
    TIE,
    bleu_layout,
    colour_of,
    legend_rows,
    plotly_text,
    short_name,
    system_colours,
)

__all__ = ["ORDER_COLOURS", "plotly_text", "system_colours"]  # used by the page's other parts

ORDER_COLOURS = ("#9ED9A0", "#6BAED6", "#FDAE6B", "#E377C2", "#BCBD22", "#17BECF")  # n = 1, 2, ..
ALPHA = 0.05  # significance level of the marks
SCORE_RANGE = [-2, 102]  # the scatter's axes: sentence BLEU 0..100 and room for the markers


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
    colours = system_colours(systems)
    base_rows = significance[significance["system"] == significance["baseline"]]
    base_score = dict(zip(base_rows["metric"], base_rows["score"], strict=True))
    for name in systems:
        rows = significance[significance["system"] == name]
        # sacrebleu gives a system identical to the baseline p = 1/(n+1): no mark for no difference
        marks = [
            significance_mark(p) if s != base_score.get(m) else ""
            for p, s, m in zip(rows["p_value"], rows["score"], rows["metric"], strict=True)
        ]
        is_baseline = bool((rows["system"] == rows["baseline"]).all())
        fig.add_trace(
            go.Bar(
                x=rows["metric"],
                y=rows["score"],
                name=short_name(name) + (" (baseline)" if is_baseline else ""),
                marker_color=colours[name],
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
    bleu_layout(
        fig,
        "Corpus scores (95% intervals; * p<0.05, ** p<0.01: differs from the baseline)",
        "metric",
        "score",
        legend_rows(len(systems)),
    )
    fig.update_layout(barmode="group", hovermode="closest")
    return fig


def sentence_boxes(wide: pd.DataFrame, metric: str = "sentence BLEU") -> go.Figure:
    """Distribution of a per-sentence score: one horizontal box per system (mean dashed),
    readable for many systems where overlaid histograms are not."""
    fig = go.Figure()
    colours = system_colours(list(wide.columns))
    for name in wide.columns:
        fig.add_trace(
            go.Box(
                x=wide[name],  # no y: the box sits at its name on the category axis
                name=short_name(name),
                orientation="h",
                marker_color=colours[name],
                boxmean=True,
                hovertemplate=f"{plotly_text(name)}<br>%{{x:.1f}}<extra></extra>",
            )
        )
    bleu_layout(fig, f"Distribution of {metric}", metric, "")
    fig.update_yaxes(
        autorange="reversed",
        categoryorder="array",
        categoryarray=[short_name(n) for n in wide.columns],
    )
    fig.update_layout(hovermode="closest", height=140 + 45 * len(wide.columns))
    return fig


def pair_scatter(wide: pd.DataFrame, a: str, b: str) -> go.Figure:
    """Sentence score of system a (x) vs b (y): points above the diagonal are b's wins, drawn in
    b's colour (a's wins in a's). customdata is the line number (1-based, a numeric array
    plotly sends as binary), so hover shows it and a selection leads to the sentence.
    wide: one column per system, in the page's order."""
    x, y = wide[a].to_numpy(), wide[b].to_numpy()
    a_text, b_text = plotly_text(a), plotly_text(b)
    a_short, b_short = short_name(a), short_name(b)
    systems = list(wide.columns)
    outcome = np.where(y > x, "win", np.where(y < x, "loss", "tie"))
    lines = np.asarray(wide.index) + 1
    fig = go.Figure()
    for label, colour, kind in (
        (f"{b_short} better", colour_of(b, systems), "win"),
        ("tie", TIE, "tie"),
        (f"{a_short} better", colour_of(a, systems), "loss"),
    ):
        sel = outcome == kind
        fig.add_trace(
            go.Scatter(
                x=x[sel],
                y=y[sel],
                mode="markers",
                name=f"{label} ({int(sel.sum())})",
                marker={"color": colour, "size": 6, "opacity": 0.6},
                customdata=lines[sel],
                hovertemplate=f"line %{{customdata}}<br>{a_text} %{{x:.1f}}<br>{b_text} %{{y:.1f}}"
                "<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[0, 100], y=[0, 100], mode="lines", line=BASELINE_LINE, name="equal", hoverinfo="skip"
        )
    )
    bleu_layout(
        fig,
        "Sentence BLEU, B vs A (above the diagonal: B better)",
        f"A: {a_short}",
        f"B: {b_short}",
        legend_rows(4),
    )
    # No dragmode: Streamlit then pans on drag and selects the point clicked (with "select" set
    # here, it turns click selection off); box select stays in the toolbar.
    fig.update_layout(hovermode="closest")
    # Equal scales by shrinking the plot area (constrain="domain"), never by widening a range:
    # both axes keep 0..100 on any width, before and after a click
    fig.update_xaxes(range=SCORE_RANGE, constrain="domain")
    fig.update_yaxes(range=SCORE_RANGE, constrain="domain", scaleanchor="x", scaleratio=1)
    return fig


def bucket_chart(
    buckets: pd.DataFrame, systems: Sequence[str], by: str = "reference length (tokens)"
) -> go.Figure:
    """BLEU per bucket with bootstrap 95% error bars; bucket sizes in labels. by: what the
    buckets split (reference length, source length, ...). Empty buckets (n = 0, no score) are
    not drawn: short test sets leave the long ones empty."""
    buckets = buckets[buckets["n_sent"] > 0]
    order = buckets.drop_duplicates("bucket").sort_values("bucket_index")
    labels = {r.bucket: f"{r.bucket}<br>n={r.n_sent}" for r in order.itertuples()}
    fig = go.Figure()
    colours = system_colours(systems)
    for name in systems:
        rows = buckets[buckets["system"] == name].sort_values("bucket_index")
        fig.add_trace(
            go.Bar(
                x=[labels[b] for b in rows["bucket"]],
                y=rows["bleu"],
                name=short_name(name),
                hovertemplate=f"{plotly_text(name)}<br>%{{x}}: %{{y:.2f}}<extra></extra>",
                marker_color=colours[name],
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": rows["ci_high"] - rows["bleu"],
                    "arrayminus": rows["bleu"] - rows["ci_low"],
                },
            )
        )
    bleu_layout(
        fig,
        f"BLEU by {by} (95% bootstrap intervals)",
        f"{by} and sentences per bucket",
        "BLEU",
        legend_rows(len(systems)),
    )
    fig.update_layout(barmode="group", hovermode="closest")
    return fig


def precision_chart(corpus: pd.DataFrame, order: int = 4) -> go.Figure:
    """n-gram precisions p1..pN per system (left) and brevity penalty and length ratio (right)."""
    fig = make_subplots(rows=1, cols=2, column_widths=[0.7, 0.3], horizontal_spacing=0.12)
    colours = system_colours(list(corpus.index))
    for name, row in corpus.iterrows():
        colour = colours[name]
        fig.add_trace(
            go.Bar(
                x=[f"p{n}" for n in range(1, order + 1)],
                y=[row[f"p{n}"] for n in range(1, order + 1)],
                name=short_name(name),
                hovertemplate=f"{plotly_text(name)}<br>%{{x}} %{{y:.2f}}<extra></extra>",
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
                name=short_name(name),
                hovertemplate=f"{plotly_text(name)}<br>%{{x}} %{{y:.3f}}<extra></extra>",
                marker_color=colour,
                legendgroup=str(name),
                showlegend=False,
            ),
            row=1,
            col=2,
        )
    bleu_layout(
        fig,
        "What BLEU is made of: n-gram precisions and brevity penalty",
        "",
        "",
        legend_rows(len(corpus)),
    )
    fig.update_yaxes(title_text="precision (%)", row=1, col=1)
    fig.update_yaxes(title_text="BP, hyp/ref length", row=1, col=2)
    fig.add_hline(y=1.0, line=BASELINE_LINE, row=1, col=2)
    fig.update_layout(barmode="group", hovermode="closest")
    return fig


def gap_chart(gap: GapDecomposition, systems: Sequence[str]) -> go.Figure:
    """Waterfall of log(BLEU_b) - log(BLEU_a): one step per n-gram order and the brevity penalty,
    ending at the total log-gap (they sum to it exactly). Steps in B's favour take B's colour,
    steps in A's favour A's."""
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
            increasing={"marker": {"color": colour_of(gap.sys_b, systems)}},
            decreasing={"marker": {"color": colour_of(gap.sys_a, systems)}},
            totals={"marker": {"color": TIE}},
            connector={"line": {"color": TIE, "width": 1}},
        )
    )
    y_title = f"log(BLEU_B / BLEU_A) = log {gap.bleu_b / gap.bleu_a:.3f}"
    bleu_layout(fig, "Where the BLEU gap comes from", "", y_title)
    fig.update_layout(
        hovermode="closest",
        margin_t=80,
        title_subtitle_text=(
            f"B {short_name(gap.sys_b)} {gap.bleu_b:.2f} vs A {short_name(gap.sys_a)} "
            f"{gap.bleu_a:.2f} BLEU"
        ),
    )
    return fig
