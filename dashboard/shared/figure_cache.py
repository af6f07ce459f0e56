"""Figures built once per server for what selects them.

Building a plotly figure in Python takes 10-70 ms (every property set is validated), most of a
page's run: the Train page spent about 35 ms of its 56 ms on its two charts, the Gates page
most of its 140 ms on its heatmaps. Pages draw the same figures again on every rerun and page
switch, and every session draws the shared default run's. So a page names the builder, what
selects the figure (the run's unique id, the checkpoint, every option the figure depends on)
and the builder's arguments, and the figure is built once for the whole server:

    fig = cached_figure((run_id, log_y), loss_figure, run, log_y=log_y)

A cached figure is shared by every session and must not be modified: st.plotly_chart sends a
copy, and presentation mode enlarges a copy (dashboard.shared.presentation.show).

Figures of uploaded files grow with the upload (a 100,000-line upload's sentence scatter holds
every sentence), so they go through `cached_upload_figure`, which keeps a few: the charts of
the BLEU reports the page keeps cached.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import plotly.graph_objects as go
import streamlit as st

ENTRIES = 128  # figures of runs kept (a few hundred KB each at most)
UPLOAD_ENTRIES = 16  # figures of uploads kept: the BLEU page's 7 charts of its 2 cached reports


def cached_figure(
    selects: tuple[Hashable, ...], build: Callable[..., go.Figure], *args, **kwargs
) -> go.Figure:
    """build(*args, **kwargs), once per builder and `selects`: everything its arguments depend
    on (a run by its unique id, never by its name)."""
    return _built(_name(build), selects, build, args, kwargs)


def cached_upload_figure(
    selects: tuple[Hashable, ...], build: Callable[..., go.Figure], *args, **kwargs
) -> go.Figure:
    """As cached_figure, for figures whose size grows with an uploaded file (few kept)."""
    return _built_from_upload(_name(build), selects, build, args, kwargs)


def _name(build: Callable) -> str:
    return f"{build.__module__}.{build.__qualname__}"


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def _built(builder: str, selects: tuple, _build, _args: tuple, _kwargs: dict) -> go.Figure:
    return _build(*_args, **_kwargs)


@st.cache_resource(max_entries=UPLOAD_ENTRIES, show_spinner=False)
def _built_from_upload(
    builder: str, selects: tuple, _build, _args: tuple, _kwargs: dict
) -> go.Figure:
    return _build(*_args, **_kwargs)
