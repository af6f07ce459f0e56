"""Chart downloads: every BLEU chart's camera button (plotly's modebar) saves the chart as SVG
or PNG, as chosen once for the page, under a file name saying which chart it is."""

from __future__ import annotations

import streamlit as st

FORMAT_KEY = "bleu_image_format"
FORMATS = ("svg", "png")


def format_widget() -> None:
    st.segmented_control(
        "Charts download as",
        FORMATS,
        default="svg",
        key=FORMAT_KEY,
        help="The camera button at the top right of each chart saves it in this format.",
    )


def chart_config(name: str) -> dict:
    """plotly config for one chart: its camera button's format and file name."""
    fmt = st.session_state.get(FORMAT_KEY) or "svg"
    return {
        "toImageButtonOptions": {"format": fmt, "filename": f"bleu_{name}", "scale": 2},
        "displaylogo": False,
    }
