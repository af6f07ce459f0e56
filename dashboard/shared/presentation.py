"""Charts for lectures: every chart's camera button downloads it at presentation size, as SVG
or PNG (plotly renders the file in the browser: nothing is installed or fetched for it), and a
presentation mode enlarges fonts and hides secondary panels.

Pages draw every chart with `show(...)` and wrap secondary panels in `if not presenting():`.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

PRESENT_KEY = "gatescope_presentation"  # session-state key of the presentation toggle
FORMAT_KEY = "gatescope_image_format"  # session-state key of the download format
POPOVER_KEY = "gatescope_presentation_box"  # whether the sidebar's popover is open
FORMATS = {"svg": "SVG (scalable)", "png": "PNG"}
EXPORT_SIZE = (1600, 900)  # px of a downloaded chart: a 16:9 slide
PNG_SCALE = 2  # PNGs at twice that resolution, sharp on a projector
PRESENT_FONT = 20  # base font size in presentation mode (default 12)


def controls() -> None:
    """The sidebar's one-line popover: presentation mode and the chart download format, built
    only while open (a lazy popover; its widgets keep their values while it is closed)."""
    box = st.sidebar.popover(
        "Presentation and downloads",
        icon=":material/slideshow:",
        width="stretch",
        key=POPOVER_KEY,
        on_change="rerun",
    )
    if not box.open:
        return
    with box:
        st.toggle(
            "Presentation mode",
            key=PRESENT_KEY,
            persist_state="session",
            help="Larger fonts in every chart; secondary panels hidden. For a projector.",
        )
        st.session_state.setdefault(FORMAT_KEY, "svg")
        st.segmented_control(
            "Chart download format",
            list(FORMATS),
            format_func=FORMATS.get,
            key=FORMAT_KEY,
            required=True,
            persist_state="session",
            help=f"The camera button above each chart saves it at {EXPORT_SIZE[0]} x "
            f"{EXPORT_SIZE[1]} px in this format.",
        )


def presenting() -> bool:
    return bool(st.session_state.get(PRESENT_KEY, False))


def image_format() -> str:
    fmt = st.session_state.get(FORMAT_KEY) or "svg"
    return fmt if fmt in FORMATS else "svg"


def chart_config(name: str, fmt: str = "svg") -> dict:
    """plotly's config: the camera button saves `name`.svg/.png at presentation size."""
    width, height = EXPORT_SIZE
    return {
        "displaylogo": False,
        "toImageButtonOptions": {
            "format": fmt,
            "filename": name,
            "width": width,
            "height": height,
            "scale": PNG_SCALE if fmt == "png" else 1,
        },
    }


def enlarged(fig: go.Figure) -> go.Figure:
    """The figure with presentation fonts and thicker lines (a copy)."""
    fig = go.Figure(fig)
    fig.update_layout(
        font={"size": PRESENT_FONT},
        title={"font": {"size": PRESENT_FONT + 6}},
        legend={"font": {"size": PRESENT_FONT - 2}},
    )
    for trace in fig.data:
        line = getattr(trace, "line", None)
        if line is not None and line.width:
            line.width = line.width * 1.5
    return fig


def show(fig: go.Figure, key: str, where=st, name: str | None = None) -> None:
    """Draw a chart (in `where`, a container or column) with the download settings and, in
    presentation mode, enlarged. The file is named gatescope-<name or key>."""
    shown = enlarged(fig) if presenting() else fig
    where.plotly_chart(
        shown, key=key, config=chart_config(f"gatescope-{name or key}", image_format())
    )
