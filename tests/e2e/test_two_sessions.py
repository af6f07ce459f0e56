"""Two browser sessions at once: while one trains (in a worker process, with progress and a
Stop button), the other switches pages and sees its results; then the first shows its run."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import browser_page
from tests.e2e.test_train_form import PROGRESS, set_number, submit
from tests.e2e.ui import PLOTLY, exceptions, go_to, metrics, open_app, wait_idle

pytestmark = pytest.mark.e2e


def test_one_session_trains_while_the_other_browses(browser, app_url):
    with (
        browser_page(browser, "two_sessions_trainer") as a,
        browser_page(browser, "two_sessions_browser") as b,
    ):
        open_app(a, app_url)
        open_app(b, app_url)
        a.wait_for_selector(PLOTLY)
        set_number(a, "Steps", 3000)
        set_number(a, "Sequence length T", 60)
        submit(a)
        a.wait_for_function(
            "sel => { const p = document.querySelector(sel);"
            " return p && /step [1-9]/.test(p.innerText); }",
            arg=PROGRESS,
            timeout=60_000,
        )
        a.get_by_test_id("stMain").get_by_role("button", name="Stop").wait_for(timeout=30_000)
        for title in ("Gates", "Gradient flow", "Train"):  # B is not held up
            go_to(b, title)
            assert not exceptions(b)
        assert metrics(b)  # B's results are shown
        assert a.locator(PROGRESS).count() >= 1  # A is still training
        a.get_by_test_id("stMain").get_by_role("button", name="Stop").click()
        a.get_by_text("was stopped", exact=False).first.wait_for(timeout=30_000)
        wait_idle(a)
        assert a.locator(PROGRESS).count() == 0 and not exceptions(a)
        assert metrics(a)  # A's page stays whole
        set_number(a, "Steps", 60)
        submit(a)
        a.get_by_text("60 steps", exact=False).first.wait_for(timeout=120_000)
        wait_idle(a)
        assert not exceptions(a) and not exceptions(b)
