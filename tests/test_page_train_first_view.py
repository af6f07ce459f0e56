"""The Train page's first view builds what its first screen shows and nothing below it: the
save-or-reload box and the shown run's settings are built only once opened (each element costs
every visitor's browser time to load its code and draw it)."""

from __future__ import annotations

import pytest

from tests import apptest_helpers as ui

pytestmark = pytest.mark.slow  # boots the app in AppTest


def kinds(at) -> dict[str, int]:
    return {
        kind: len(at.get(kind))
        for kind in ("plotly_chart", "file_uploader", "download_button", "expander", "dataframe")
    }


def test_the_first_view_builds_no_box_below_the_first_screen(fast):
    at = ui.boot()
    assert kinds(at) == {
        "plotly_chart": 2,  # the loss and accuracy curves: the page's story
        "file_uploader": 0,
        "download_button": 0,
        "expander": 4,  # the form's Advanced, the settings, save-or-reload, stored runs: closed
        "dataframe": 0,
    }
    (settings,) = [e for e in at.expander if e.label == "Settings of the shown run"]
    assert not settings.markdown  # its table is not built while closed


def test_an_opened_box_builds_its_content(fast):
    at = ui.boot()
    at.session_state["train_files_open"] = True
    at.session_state["train_settings_open"] = True
    at.run()
    assert not at.exception
    assert len(at.get("file_uploader")) == 1
    assert [b.label for b in at.get("download_button")] == [
        "Download run (.json)",
        "Download weights (.npz)",
    ]
    (settings,) = [e for e in at.expander if e.label == "Settings of the shown run"]
    assert "| steps |" in ui.shown(settings.markdown[0].value)
