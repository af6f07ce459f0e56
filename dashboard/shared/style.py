"""Colours and layout shared by every page: a model looks the same wherever it is drawn."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from core.cells import CELLS

# Fixed model colours and labels: each cell's own, on every chart of every page.
MODEL_COLOURS = {name: cell.colour for name, cell in CELLS.items()}
MODEL_LABELS = {name: cell.label for name, cell in CELLS.items()}
MODEL_ORDER = tuple(CELLS)
OTHER_COLOUR = "#6C4F9E"  # a name that is no registered cell

# Theory, chance and baseline references: grey and dashed.
BASELINE_COLOUR = "#8C8C8C"
BASELINE_LINE = {"color": BASELINE_COLOUR, "dash": "dash", "width": 1.5}

TRACE_TYPES = ("bar", "box", "heatmap", "scatter", "waterfall")  # the trace types drawn here


def lean_template(name: str = "plotly_white") -> go.layout.Template:
    """plotly's `name` template cut to its layout and the defaults of TRACE_TYPES: the same look
    at a third of the size. Every figure carries its template to the browser, and assigning the
    full one by name costs about 20 ms of validation per figure (this one about 5)."""
    full = pio.templates[name]
    data = go.layout.template.Data({t: full.data[t] for t in TRACE_TYPES if full.data[t]})
    return go.layout.Template(layout=full.layout, data=data)


# Every figure built in this process starts from the house template: plotly applies its default
# template at creation without validating it again, where assigning one later costs ~5-20 ms.
TEMPLATE_NAME = "gatescope"
pio.templates[TEMPLATE_NAME] = TEMPLATE = lean_template()
pio.templates.default = TEMPLATE_NAME


def model_colour(name: str) -> str:
    return MODEL_COLOURS.get(name, OTHER_COLOUR)


def named_model_colour(name: str) -> str | None:
    """The colour of the model a name stands for, by registry name or label ("gru", "GRU", as
    the Translate page names its systems); None for any other name."""
    return MODEL_COLOURS.get(name, MODEL_COLOURS.get(_MODEL_BY_LABEL.get(name)))


_MODEL_BY_LABEL = {label: name for name, label in MODEL_LABELS.items()}


def model_label(name: str) -> str:
    return MODEL_LABELS.get(name, name)


def ordered(names) -> list[str]:
    """Model names in the registry's display order, unknown names last in given order."""
    names = list(names)
    known = [n for n in MODEL_ORDER if n in names]
    return known + [n for n in names if n not in MODEL_ORDER]


MODEBAR_ROOM = 38  # px at the top of a figure where plotly's toolbar (the modebar) sits
# The title starts under the toolbar's row, so a long one runs under no button; automargin pushes
# the plot down below it (whatever top margin a chart sets).
TITLE = {
    "x": 0,
    "xanchor": "left",
    "yref": "container",
    "y": 1,
    "yanchor": "top",
    "pad": {"t": MODEBAR_ROOM},
    "automargin": True,
}


def base_layout(fig: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    """The house layout: title at the top, legend below the plot, unified hover (the house
    template is plotly's default here, see TEMPLATE_NAME)."""
    fig.update_layout(
        title=TITLE | {"text": title},
        xaxis_title=x_title,
        yaxis_title=y_title,
        # below the plot: rows of a wrapped legend push the margin down instead of running
        # into the title (as they did above the plot in a narrow column)
        legend={"orientation": "h", "yanchor": "top", "y": -0.22, "xanchor": "left", "x": 0},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        hovermode="x unified",
    )
    return fig


DECADE_LABELS = 8  # at most about this many labelled decades on a log axis
DECADE_STEPS = (1, 2, 3, 5, 10, 20, 50, 100)  # decades between labels, the first that fits


def log_axis(fig: go.Figure, axis: str = "y", span: tuple[float, float] | None = None) -> go.Figure:
    """A log axis whose every tick label is a whole number: labelled ticks at powers of ten
    (10^k, every decade, or every 2, 3, 5 ... decades when the data span more than
    DECADE_LABELS) when they span a decade or more, full numbers ("0.5", "2") below that; never
    plotly's bare minor labels ("2", "5") between decades. span: (lo, hi) of the values,
    read from the figure's traces when omitted."""
    lo, hi = span if span is not None else _positive_span(fig, axis)
    update = fig.update_yaxes if axis == "y" else fig.update_xaxes
    if lo > 0.0 and hi < 10.0 * lo:  # under a decade
        update(type="log", tickformat=".2~g", exponentformat="none")
        return fig
    step = decade_step(np.log10(hi / lo) if lo > 0.0 else 1.0)
    minor = "D1" if step == 1 else 1  # 2..9 within a decade, else a tick per decade
    update(
        type="log",
        dtick=step,
        exponentformat="power",
        showexponent="all",
        minor={"ticks": "outside", "ticklen": 3, "dtick": minor, "showgrid": False},
    )
    return fig


def decade_step(decades: float) -> int:
    """Decades between labelled ticks: the smallest of DECADE_STEPS that labels at most
    DECADE_LABELS of them. decades: log10(hi / lo) of the data."""
    return next((s for s in DECADE_STEPS if decades / s <= DECADE_LABELS), DECADE_STEPS[-1])


def _positive_span(fig: go.Figure, axis: str) -> tuple[float, float]:
    values = []
    for trace in fig.data:
        data = getattr(trace, axis, None)
        if data is None:
            continue
        arr = np.asarray(data, dtype=np.float64).ravel()
        values.append(arr[np.isfinite(arr) & (arr > 0)])
    found = np.concatenate(values) if values else np.empty(0)
    return (float(found.min()), float(found.max())) if found.size else (0.1, 10.0)
