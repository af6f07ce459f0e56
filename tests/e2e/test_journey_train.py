"""The Train page's journey in a real browser: the default experiment, a preset, a custom run
with the LSTM added, Stop, and a reload while a run trains. Each step asserts what a person
sees: metric names and numbers, the models in the title and the chart legends, the notes next
to the form, the progress bars and Stop buttons, and the number of stored runs."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import browser_page
from tests.e2e.test_train_form import PROGRESS, set_number, submit
from tests.e2e.ui import (
    PLOTLY,
    alerts,
    exceptions,
    figure_with_trace,
    metrics,
    open_app,
    wait_idle,
)

pytestmark = pytest.mark.e2e

LONG_STEPS, LONG_T = 3000, 60  # a run still training when the page is reloaded, or Stop pressed
RUNNING = (
    "sel => { const p = document.querySelector(sel); return p && /step [1-9]/.test(p.innerText); }"
)


def sidebar(pg):
    return pg.get_by_test_id("stSidebar")


def stop_buttons(pg):
    return pg.get_by_test_id("stMain").get_by_role("button", name="Stop")


def stored_counts(pg) -> dict[str, int]:
    """The stored-runs caption, e.g. '3 saved (1 default, 2 train).' -> {default: 1, train: 2}."""
    caption = pg.get_by_text(re.compile(r"\d+ saved \(")).first
    caption.wait_for(timeout=60_000)
    inside = re.search(r"\((.*)\)", caption.inner_text()).group(1)
    return {kind: int(n) for n, kind in (part.split(" ", 1) for part in inside.split(", "))}


def choose(pg, box_label: str, option: str) -> None:
    """Pick an option of a sidebar selectbox or multiselect, as a person does."""
    sidebar(pg).locator(f'input[aria-label="{box_label}"]').click()
    pg.get_by_role("option", name=option, exact=True).click()
    if pg.get_by_role("option").count():  # a multiselect stays open for more;
        pg.keyboard.press("Escape")  # (Escape on a closed selectbox would clear its choice)
    wait_idle(pg)


def start_long_run(pg) -> None:
    set_number(pg, "Steps", LONG_STEPS)
    set_number(pg, "Sequence length T", LONG_T)
    submit(pg)
    pg.wait_for_function(RUNNING, arg=PROGRESS, timeout=90_000)


def test_the_default_experiment_shows_two_models(page, app_url):
    open_app(page, app_url)
    page.wait_for_selector(PLOTLY)
    shown = metrics(page)
    assert {"RNN loss", "GRU loss", "RNN accuracy", "GRU accuracy"} <= set(shown)
    assert all(v != "0.000" for k, v in shown.items() if k.endswith("loss"))
    assert "RNN vs GRU" in page.locator("h1").first.inner_text()
    loss = figure_with_trace(page, "GRU validation")
    assert {t["name"] for t in loss["traces"]} >= {"RNN validation", "GRU validation"}
    assert not exceptions(page)


def test_the_preset_note_follows_the_form(page, app_url):
    open_app(page, app_url)
    choose(page, "Start from a preset", "Adding problem, T = 100")
    note = sidebar(page).get_by_text("Measured: GRU about 97 % solved", exact=False)
    note.wait_for(timeout=30_000)
    choose(page, "Task", "Temporal order")
    wait_idle(page)
    assert note.count() == 0, "the adding problem's measured result stayed for another task"


def test_enter_in_a_number_field_does_not_train(page, app_url):
    open_app(page, app_url)
    page.wait_for_selector(PLOTLY)
    box = sidebar(page).get_by_label("Sequence length T", exact=True)
    box.fill("12")
    box.press("Enter")
    wait_idle(page, settle_ms=1500)
    assert page.locator(PROGRESS).count() == 0 and stop_buttons(page).count() == 0
    assert not page.get_by_text("T = 12", exact=False).count()  # no run with it was trained


def test_a_double_click_on_train_trains_once(page, app_url):
    open_app(page, app_url)
    page.wait_for_selector(PLOTLY)
    set_number(page, "Steps", LONG_STEPS)
    set_number(page, "Sequence length T", LONG_T)
    set_number(page, "Seed", 11)
    sidebar(page).get_by_role("button", name="Train").dblclick()
    page.wait_for_function(RUNNING, arg=PROGRESS, timeout=90_000)
    wait_idle(page, settle_ms=1500)
    assert stop_buttons(page).count() == 1, "one double-click, one training"
    submit(page)  # the same settings again while they train: joined, not started twice
    page.get_by_test_id("stAlert").get_by_text("already", exact=False).first.wait_for(
        timeout=30_000
    )
    wait_idle(page, settle_ms=1500)
    assert stop_buttons(page).count() == 1, alerts(page, "Info")
    stop_buttons(page).click()
    page.get_by_text("was stopped", exact=False).first.wait_for(timeout=60_000)


def test_a_custom_run_with_the_lstm_names_three_models(page, app_url):
    open_app(page, app_url)
    page.wait_for_selector(PLOTLY)
    before = stored_counts(page).get("train", 0)
    choose(page, "Models", "LSTM")
    set_number(page, "Steps", 100)
    set_number(page, "Sequence length T", 5)
    submit(page)
    page.get_by_text("T = 5, H", exact=False).first.wait_for(timeout=180_000)
    wait_idle(page)
    assert not exceptions(page)
    assert {"RNN loss", "GRU loss", "LSTM loss"} <= set(metrics(page))
    loss = figure_with_trace(page, "LSTM validation")
    assert {"RNN validation", "GRU validation", "LSTM validation"} <= {
        t["name"] for t in loss["traces"]
    }
    title = page.locator("h1").first.inner_text()
    assert "LSTM" in title, title
    main = page.get_by_test_id("stMain").inner_text()
    assert "Both models" not in main and "All three models" in main
    assert stored_counts(page).get("train", 0) == before + 1


def test_stop_ends_a_run_and_stores_nothing(page, app_url):
    open_app(page, app_url)
    page.wait_for_selector(PLOTLY)
    before = stored_counts(page)
    start_long_run(page)
    stop_buttons(page).first.click()
    page.get_by_text("was stopped", exact=False).first.wait_for(timeout=60_000)
    wait_idle(page)
    assert stop_buttons(page).count() == 0 and page.locator(PROGRESS).count() == 0
    assert stored_counts(page) == before


def test_a_reload_while_training_keeps_the_run(browser, app_url):
    with (
        browser_page(browser, "journey_reload") as pg,
        browser_page(browser, "journey_reload_second_tab") as other,
    ):
        open_app(pg, app_url)
        pg.wait_for_selector(PLOTLY)
        before = stored_counts(pg).get("train", 0)
        set_number(pg, "Seed", 23)
        start_long_run(pg)
        open_app(other, app_url)  # another tab finds the job
        stop_buttons(other).first.wait_for(timeout=60_000)
        other.goto("about:blank")  # that tab is closed: its session ends, the job goes on
        pg.reload()
        pg.wait_for_selector(PLOTLY)
        stop_buttons(pg).first.wait_for(timeout=60_000)  # and so does the reloaded page
        pg.wait_for_function(RUNNING, arg=PROGRESS, timeout=60_000)
        pg.get_by_text("finished", exact=False).first.wait_for(timeout=600_000)
        wait_idle(pg)
        assert stop_buttons(pg).count() == 0
        assert stored_counts(pg).get("train", 0) == before + 1
        assert not exceptions(pg)
