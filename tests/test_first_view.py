"""The Train page's first view stays light in the browser: what a new visitor is sent is close
to the bare results page of `bench/floor_app.py` (a title, one metric, two plotly charts).

Each plotly chart, data grid, file uploader or download button is a script chunk a browser
loads and a widget it draws; six browsers opening the app at once on the server's cores took
3-4x the bare page's time when the first view also built the panels below it. Those panels
(saving and reloading runs, the shown run's settings, presentation controls) are built only
when opened, and no polling fragment runs while no job is."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.shared import presentation
from tests import apptest_helpers as ui

pytestmark = pytest.mark.slow  # the app driven through AppTest

# The bare page draws 4 elements (a title, a metric, two charts). The Train page's first view
# adds what the default's story needs: five more metrics (loss, accuracy and time per model), the
# page's and the run's captions, the run's header, the log-axis toggle and the explanation (10);
# the status area's two placeholders (2); and, below, three closed panels' headers, the stored
# runs' header and count and two dividers (7): 23. One more line of text fits, a panel's
# content does not.
MAIN_BUDGET = 24
FILES_OPEN, SETTINGS_OPEN = "train_files_open", "train_settings_open"  # views/train/train.py's keys
NOT_ON_FIRST_VIEW = ("file_uploader", "download_button", "arrow_data_frame", "segmented_control")


def _main_elements(at: AppTest) -> int:
    """Elements drawn in the page's main area (its layout blocks and columns not counted)."""

    def count(node) -> int:
        children = getattr(node, "children", None) or {}
        if node.type in ("flex_container", "column", "main"):
            return sum(count(c) for c in children.values())
        return 1 + sum(count(c) for c in children.values())

    return count(at.main)


def test_first_view_has_the_two_result_charts_and_no_panel_below_built(fast):
    at = ui.boot()
    assert len(at.get("plotly_chart")) == 2  # the loss and accuracy curves: the key story
    assert ui.metrics(at)  # and the verdict
    for kind in NOT_ON_FIRST_VIEW:
        assert not at.get(kind), f"{kind} built on the first view"
    assert _main_elements(at) <= MAIN_BUDGET, _main_elements(at)


def test_panels_below_are_built_when_opened(fast):
    at = ui.boot()
    at.session_state[FILES_OPEN] = True
    at.session_state[SETTINGS_OPEN] = True
    at.session_state[presentation.POPOVER_KEY] = True
    at.run()
    assert not at.exception, at.exception
    assert [b.label for b in at.get("download_button")] == [
        "Download run (.json)",
        "Download weights (.npz)",
    ]
    assert at.file_uploader(key="train_upload")
    assert at.get("segmented_control")
    assert at.toggle(key=presentation.PRESENT_KEY)
