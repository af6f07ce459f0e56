"""System colours, names and layout shared by every BLEU chart.

A system keeps one colour on every chart of every page, by its name (system_colours);
legends show names shortened with an ellipsis, hover text the full name. Legends sit below
the plot, so long names never cover a title or an axis title.
"""

from __future__ import annotations

import html
import zlib
from collections.abc import Sequence

import plotly.graph_objects as go

from dashboard.shared.style import base_layout, named_model_colour

# Systems that are no model: colours far from every model's (core/cells) and from TIE's grey
SYSTEM_COLOURS = (
    "#F28E2B",
    "#1F3A93",
    "#E377C2",
    "#8C564B",
    "#BCBD22",
    "#17BECF",
    "#3D405B",
    "#B5179E",
    "#9D7660",
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


def system_colours(systems: Sequence[str]) -> dict[str, str]:
    """The colour of each system on every chart, by name: a model's name or label (as the
    Translate page's hand-off names its systems) in the model's colour, as on every other page;
    any other name in SYSTEM_COLOURS[crc32(name) mod k], or the next one free when taken (names
    taken in sorted order, so the input order changes no colour)."""
    colours = {n: named_model_colour(n) for n in systems}
    taken = {c for c in colours.values() if c}
    for name in sorted(n for n, c in colours.items() if c is None):
        start = zlib.crc32(name.encode("utf-8"))
        free = [
            SYSTEM_COLOURS[(start + k) % len(SYSTEM_COLOURS)] for k in range(len(SYSTEM_COLOURS))
        ]
        colours[name] = next((c for c in free if c not in taken), free[0])
        taken.add(colours[name])
    return colours


def colour_of(name: str, systems: Sequence[str]) -> str:
    """The colour of system `name` among `systems` on every chart (system_colours)."""
    return system_colours(systems)[name]


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
