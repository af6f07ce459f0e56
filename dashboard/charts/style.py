"""Colours and layout shared by every page: a model looks the same wherever it is drawn."""

from __future__ import annotations

import plotly.graph_objects as go

from core.cells import CELLS

# Fixed model colours and labels: each cell's own, on every chart of every page.
MODEL_COLOURS = {name: cell.colour for name, cell in CELLS.items()}
MODEL_LABELS = {name: cell.label for name, cell in CELLS.items()}
MODEL_ORDER = tuple(CELLS)
OTHER_COLOUR = "#6C4F9E"  # a name that is no registered cell

# Theory, chance and baseline references: grey and dashed.
BASELINE_COLOUR = "#8C8C8C"
BASELINE_LINE = {"color": BASELINE_COLOUR, "dash": "dash", "width": 1.5}

TEMPLATE = "plotly_white"


def model_colour(name: str) -> str:
    return MODEL_COLOURS.get(name, OTHER_COLOUR)


def model_label(name: str) -> str:
    return MODEL_LABELS.get(name, name)


def ordered(names) -> list[str]:
    """Model names in the registry's display order, unknown names last in given order."""
    names = list(names)
    known = [n for n in MODEL_ORDER if n in names]
    return known + [n for n in names if n not in MODEL_ORDER]


def base_layout(fig: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    """The house layout: title at the top, legend between it and the plot, unified hover."""
    fig.update_layout(
        template=TEMPLATE,
        title={"text": title, "x": 0, "xanchor": "left", "yref": "container", "y": 0.98,
               "yanchor": "top"},
        xaxis_title=x_title,
        yaxis_title=y_title,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        margin={"l": 10, "r": 10, "t": 85, "b": 10},
        hovermode="x unified",
    )
    return fig
