"""Helpers shared by the AppTest page tests: boot the app, open a page, read what it shows."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from dashboard.session import state

APP = "../dashboard/app.py"  # relative to this folder, as AppTest resolves it
TIMEOUT = 120  # seconds per script run (the real default experiment trains)


def boot() -> AppTest:
    """The app from its entry point, first run done, no exception."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    return at


def open_page(page: str, at: AppTest) -> AppTest:
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def current_run(at: AppTest):
    return at.session_state[state.RUNS][at.session_state[state.CURRENT_NAME]]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def shown(markdown: str) -> str:
    """What a reader sees of markdown text: backslash escapes removed (as CommonMark does), so
    user file names escaped by the page compare equal to themselves."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def errors(at: AppTest) -> list[str]:
    return [shown(e.value) for e in at.error]


def infos(at: AppTest) -> list[str]:
    return [shown(i.value) for i in at.info]


def warnings(at: AppTest) -> list[str]:
    return [shown(w.value) for w in at.warning]


def finish_jobs(at: AppTest, timeout: float = 120) -> AppTest:
    """Rerun the page until every training job this session submitted has ended (the page
    polls the worker pool; AppTest has no timer, so each rerun is one poll)."""
    import time

    from dashboard.views.train.jobs import JOBS

    deadline = time.monotonic() + timeout
    while JOBS in at.session_state and at.session_state[JOBS]:
        assert time.monotonic() < deadline, "training did not finish in time"
        time.sleep(0.2)
        at.run()
    return at


def train_uploader(at: AppTest):
    """The Train page's "Load saved runs" uploader, its panel opened first (built only while
    open, as a person opens it)."""
    at.session_state["train_files_open"] = True
    at.run()
    assert not at.exception, at.exception
    return at.file_uploader(key="train_upload")
