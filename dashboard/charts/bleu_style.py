"""System colours, names and layout shared by every BLEU chart.

A system keeps one colour on every chart of the page (by its position in the input order);
legends show names shortened with an ellipsis, hover text the full name. Legends sit below
the plot, so long names never cover a title or an axis title.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import plotly.graph_objects as go

from dashboard.charts.style import base_layout

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
TIE = "#8C8C8C"  # neither system: ties, totals
LEGEND_CHARS = 24  # longest system name shown in a legend or axis title
# At the foot of the figure (container coordinates), under the x axis's ticks and title
LEGEND_BELOW = {
    "orientation": "h",
    "yref": "container",
    "yanchor": "bottom",
    "y": 0,
    "xanchor": "left",
    "x": 0,
}
AXIS_ROOM = 95  # px under the plot for two-line tick labels and the x-axis title
LEGEND_ROW = 22  # px per row of legend entries


def system_colour(i: int) -> str:
    return SYSTEM_COLOURS[i % len(SYSTEM_COLOURS)]


def colour_of(name: str, systems: Sequence[str]) -> str:
    """The colour of system `name` on every chart: by its position among `systems`."""
    return system_colour(list(systems).index(name))


def plotly_text(name) -> str:
    """A system name as plotly text: '<', '>' and '&' escaped, since plotly reads tags such as
    <b> and <br> in names, titles and hover text."""
    return html.escape(str(name), quote=False)


def short_name(name, chars: int = LEGEND_CHARS) -> str:
    """plotly text of a name cut to `chars` characters with an ellipsis in the middle (file
    names differ at both ends: 'newstest2017.LMU-nmt-reranked.4934.en-de')."""
    name = str(name)
    if len(name) > chars:
        head = (chars - 1) // 2
        name = name[:head] + "\u2026" + name[len(name) - (chars - 1 - head) :]
    return plotly_text(name)


def bleu_layout(
    fig: go.Figure, title: str, x_title: str, y_title: str, legend_rows: int = 0
) -> go.Figure:
    """The house layout with the legend below the plot (legend_rows rows of entries, 0 for
    none) and room for it in the bottom margin."""
    base_layout(fig, title, x_title, y_title)
    fig.update_layout(
        margin={"l": 10, "r": 10, "t": 60, "b": AXIS_ROOM + LEGEND_ROW * legend_rows},
        title={"font": {"size": 15}},
    )
    if legend_rows:
        fig.update_layout(legend=LEGEND_BELOW, showlegend=True)
    else:
        fig.update_layout(showlegend=False)
    return fig


def legend_rows(n_entries: int) -> int:
    return -(-n_entries // 3)
