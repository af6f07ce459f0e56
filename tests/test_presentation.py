"""Charts for lectures: every chart downloads at presentation size as SVG or PNG, and the
presentation mode enlarges fonts and hides secondary panels."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from dashboard.shared import presentation
from tests import apptest_helpers as ui

PAGES = ("views/train/train.py", "views/gradients/gradients.py", "views/gates/gates.py")


def _configs(at) -> list[dict]:
    return [json.loads(c.proto.config) for c in at.get("plotly_chart")]


def _fonts(at) -> list[int | None]:
    return [
        json.loads(c.proto.spec)["layout"].get("font", {}).get("size")
        for c in at.get("plotly_chart")
    ]


@pytest.fixture
def app(fast):
    return ui.boot()


def test_enlarged_figures_have_presentation_fonts_and_thicker_lines():
    fig = go.Figure(go.Scatter(x=[0, 1], y=[1, 2], line={"width": 2}))
    big = presentation.enlarged(fig)
    assert big.layout.font.size == presentation.PRESENT_FONT and big.data[0].line.width == 3
    assert fig.data[0].line.width == 2 and fig.layout.font.size is None  # the original kept


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_every_chart_of_every_page_downloads_at_presentation_size(app, fmt):
    app.session_state[presentation.FORMAT_KEY] = fmt
    for page in PAGES:
        ui.open_page(page, app)
        configs = _configs(app)
        assert configs, page
        names = set()
        for config in configs:
            opts = config["toImageButtonOptions"]
            assert opts["format"] == fmt
            assert (opts["width"], opts["height"]) == presentation.EXPORT_SIZE
            assert opts["filename"].startswith("gatescope-")
            names.add(opts["filename"])
        assert len(names) == len(configs), page  # one file name per chart


def test_presentation_mode_enlarges_fonts_and_hides_secondary_panels(app):
    before = {}
    app.session_state["train_files_open"] = True  # the Train page's downloads, built while open
    for page in PAGES:
        ui.open_page(page, app)
        before[page] = len(app.get("plotly_chart"))
        assert presentation.PRESENT_FONT not in _fonts(app)
        assert page != "views/train/train.py" or app.get("download_button")
    app.session_state[presentation.PRESENT_KEY] = True
    for page in PAGES:
        ui.open_page(page, app)
        assert set(_fonts(app)) == {presentation.PRESENT_FONT}, page
        assert len(app.get("plotly_chart")) <= before[page]
    ui.open_page("views/gradients/gradients.py", app)
    assert len(app.get("plotly_chart")) < before["views/gradients/gradients.py"]  # heatmaps etc.
    assert not any("clipped" in k for k in ui.metrics(app))
    ui.open_page("views/train/train.py", app)
    assert not app.get("download_button") and not app.get("file_uploader")
