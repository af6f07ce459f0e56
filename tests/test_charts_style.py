"""The house template: plotly_white's look, cut to the trace types the dashboard draws."""

from __future__ import annotations

import re
from pathlib import Path

import plotly.io as pio

from dashboard.shared import style

DASHBOARD = Path(__file__).resolve().parents[1] / "dashboard"
TRACE = re.compile(r"\bgo\.([A-Z][a-zA-Z]+)\(")
NOT_TRACES = {"Figure", "Frame"}


def test_lean_template_has_plotly_whites_layout_and_trace_defaults():
    full = pio.templates["plotly_white"]
    assert style.TEMPLATE.layout == full.layout
    for kind in style.TRACE_TYPES:
        assert style.TEMPLATE.data[kind] == full.data[kind], kind
    assert len(style.TEMPLATE.to_plotly_json()["data"]) < len(full.to_plotly_json()["data"])


def test_every_trace_type_drawn_in_the_dashboard_keeps_its_template_defaults():
    drawn = {
        m.lower()
        for path in DASHBOARD.rglob("*.py")
        for m in TRACE.findall(path.read_text(encoding="utf-8"))
        if m not in NOT_TRACES
    }
    assert drawn and drawn <= set(style.TRACE_TYPES), drawn - set(style.TRACE_TYPES)


def test_every_figure_starts_from_the_house_template():
    import plotly.graph_objects as go

    fig = style.base_layout(go.Figure(go.Scatter(y=[1, 2])), "t", "x", "y")
    assert fig.layout.template == style.TEMPLATE


def test_every_title_starts_under_the_modebar_row_and_pushes_the_plot_down():
    """plotly's toolbar sits in the top MODEBAR_ROOM px of a chart: the title starts below it
    (however long; the browser check is tests/e2e/test_chart_titles.py), and automargin moves
    the plot below the title whatever top margin a chart sets afterwards."""
    import plotly.graph_objects as go

    fig = style.base_layout(go.Figure(go.Scatter(y=[1, 2])), "a long title " * 8, "x", "y")
    fig.update_layout(margin={"t": 20})
    title = fig.layout.title
    assert (title.yref, title.y, title.yanchor) == ("container", 1, "top")
    assert title.pad.t == style.MODEBAR_ROOM >= 30
    assert title.automargin is True
