"""Figures built once per server for what selects them.

Building a plotly figure in Python takes 10-70 ms (every property set is validated), most of a
page's run: the Train page spent about 35 ms of its 56 ms on its two charts, the Gates page
most of its 140 ms on its heatmaps. Pages draw the same figures again on every rerun and page
switch, and every session draws the shared default run's. So a page names the builder, what
selects the figure (the run's unique id, the checkpoint, every option the figure depends on)
and the builder's arguments, and the figure is built once for the whole server:

    fig = cached_figure((run_id, log_y), loss_figure, run, log_y=log_y)

A cached figure is shared by every session and must not be modified: st.plotly_chart sends a
copy, and presentation mode enlarges a copy (dashboard.presentation.show).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import plotly.graph_objects as go
import streamlit as st

ENTRIES = 128  # figures kept (a few hundred KB each at most)


def cached_figure(
    selects: tuple[Hashable, ...], build: Callable[..., go.Figure], *args, **kwargs
) -> go.Figure:
    """build(*args, **kwargs), once per builder and `selects`: everything its arguments depend
    on (a run by its unique id, never by its name)."""
    return _built(f"{build.__module__}.{build.__qualname__}", selects, build, args, kwargs)


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def _built(builder: str, selects: tuple, _build, _args: tuple, _kwargs: dict) -> go.Figure:
    return _build(*_args, **_kwargs)
