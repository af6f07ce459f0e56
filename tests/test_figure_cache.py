"""Figures built once per server for what selects them: once per builder and key, and on every
page, after any sequence of widget changes, the figures shown are the ones a fresh build gives
(a key that missed an option would show the figure of another setting)."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.shared import figure_cache
from dashboard.shared.figure_cache import UPLOAD_ENTRIES, cached_figure, cached_upload_figure
from tests import apptest_helpers as ui

built: list[tuple[str, int]] = []


def _line(name: str, n: int) -> go.Figure:
    built.append((name, n))
    return go.Figure(go.Scatter(x=list(range(n)), y=list(range(n)), name=name))


def _bar(name: str, n: int) -> go.Figure:
    built.append(("bar " + name, n))
    return go.Figure(go.Bar(x=list(range(n)), name=name))


def test_a_figure_is_built_once_per_builder_and_key(fresh_caches):
    built.clear()
    first = cached_figure(("run-1", 3), _line, "a", 3)
    assert cached_figure(("run-1", 3), _line, "a", 3) is first  # another run of the page
    assert cached_figure(("run-1", 4), _line, "a", 4) is not first  # another option
    bar = cached_figure(("run-1", 3), _bar, "a", 3)  # another chart, same key
    assert isinstance(bar.data[0], go.Bar)
    assert built == [("a", 3), ("a", 4), ("bar a", 3)]


def test_figures_of_uploads_are_kept_a_few_at_a_time(fresh_caches):
    built.clear()
    first = cached_upload_figure(("report-0",), _line, "a", 0)
    assert cached_upload_figure(("report-0",), _line, "a", 0) is first
    for n in range(1, UPLOAD_ENTRIES + 1):  # as many more: the first one is dropped
        cached_upload_figure((f"report-{n}",), _line, "a", n)
    assert cached_upload_figure(("report-0",), _line, "a", 0) is not first
    assert built.count(("a", 0)) == 2
    assert cached_figure(("report-0",), _line, "a", 0) is not first  # the runs' cache is apart


def _charts(at: AppTest) -> dict[str, str]:
    return {c.proto.id: c.proto.spec for c in at.get("plotly_chart")}


def _same_as_fresh(at: AppTest) -> None:
    """The page's figures now equal those built with the figure cache emptied."""
    cached = list(_charts(at).values())
    figure_cache._built.clear()
    figure_cache._built_from_upload.clear()
    at.run()
    assert not at.exception
    assert cached == list(_charts(at).values())


CHANGES = {  # page: widget changes, applied in turn (each one keeps the earlier ones)
    "views/train/train.py": [("toggle", "train_log_y", True), ("toggle", "train_log_y", False)],
    "views/gates/gates.py": [
        ("segmented_control", "gates_convention", "z"),
        ("toggle", "gates_sort_tau", False),
        ("select_slider", "gates_checkpoint", 0),
        ("number_input", "gates_index", 3),
        ("radio", "gates_model", "rnn"),
        ("slider", "rw_steps", 4),
    ],
    "views/gradients/gradients.py": [
        ("toggle", "gradients_relative", False),
        ("toggle", "gradients_theory", True),
        ("select_slider", "gradients_checkpoint", 0),
        ("toggle", "gradients_jacobians", True),
    ],
    "views/bleu/bleu.py": [  # the built-in example; a callable picks among the widget's options
        ("selectbox", "bleu_sys_b", lambda w: w.options[-1]),
        ("selectbox", "bleu_bucket_kind", "sentence BLEU of the baseline"),
        ("selectbox", "bleu_smooth", "floor"),
        ("checkbox", "bleu_lowercase", True),
        ("selectbox", "bleu_baseline", lambda w: w.options[1]),
        ("selectbox", "bleu_sys_a", lambda w: w.options[-1]),
        ("checkbox", "bleu_ter", True),
    ],
}


@pytest.mark.slow  # the app driven through AppTest
@pytest.mark.parametrize("page", list(CHANGES))
def test_every_figure_shown_is_the_one_a_fresh_build_gives(fast, fresh_caches, page):
    at = ui.open_page(page, ui.boot())
    _same_as_fresh(at)
    for kind, key, value in CHANGES[page]:
        widget = getattr(at, kind)(key=key)
        if callable(value):
            value = value(widget)
        elif kind == "select_slider" and value == 0:
            value = widget.options[0]
        widget.set_value(value).run()
        assert not at.exception, (key, at.exception)
        _same_as_fresh(at)
