"""Figures of compare-mt's word analyses: word F-measure by frequency bucket."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from core.bleu.breakdowns.accuracy_by_frequency import WordAccuracy
from dashboard.views.bleu.charts.style import (
    bleu_layout,
    colour_of,
    legend_rows,
    plotly_text,
    short_name,
)


def word_accuracy_chart(acc: WordAccuracy, systems: Sequence[str]) -> go.Figure:
    """F-measure of output words per frequency bucket, one bar per system; bucket labels carry
    the number of reference words in the bucket. Buckets without reference words (no recall,
    so no F-measure) are not drawn."""
    kept = acc.ref_words > 0
    labels = [f"{b}<br>n={n:,}" for b, n in zip(acc.buckets, acc.ref_words, strict=True) if n]
    fig = go.Figure()
    for name in systems:
        scores = acc.scores(name)[kept]
        fig.add_trace(
            go.Bar(
                x=labels,
                y=scores["fmeasure"],
                name=short_name(name),
                marker_color=colour_of(name, systems),
                customdata=scores[["precision", "recall"]].to_numpy(),
                hovertemplate=f"{plotly_text(name)}<br>%{{x}}<br>F %{{y:.4f}}, precision "
                "%{customdata[0]:.4f}, recall %{customdata[1]:.4f}<extra></extra>",
            )
        )
    bleu_layout(
        fig,
        f"Word F-measure by frequency in the {acc.freq_source}",
        "word frequency bucket and reference words in it",
        "F-measure",
        legend_rows(len(systems)),
    )
    fig.update_layout(barmode="group", hovermode="closest")
    fig.update_yaxes(range=[0, 1])
    return fig
