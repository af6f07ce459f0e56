"""Sweeps in a real browser: every preset fills the form with its own values and run count; a
small grid runs, is stopped midway and resumed (only the missing runs train, the results file
then lists every run); the grid file downloads and uploads back, a bad file is named."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from core.sweep.grid import grid_from_toml
from core.sweep.presets import PRESETS, preset_grid
from core.tasks import TASKS
from dashboard.shared.style import model_label
from tests.e2e.ui import alerts, exceptions, go_to, open_app, put_files, wait_idle

pytestmark = pytest.mark.e2e

PROGRESS = '[data-testid="stProgress"]'
SMALL = {"models": ["RNN", "GRU"], "lengths": "10, 20", "seeds": "0, 1", "steps": "1000"}
SMALL_RUNS = 8  # 2 models x 2 lengths x 2 seeds


def sidebar(pg):
    return pg.get_by_test_id("stSidebar")


def choose(pg, label: str, option: str, attempts: int = 3) -> None:
    """Pick an option of a sidebar selectbox by its visible text (its list opened from the
    chevron; opened again if a click left the list closed)."""
    box = (
        sidebar(pg)
        .get_by_test_id("stSelectbox")
        .filter(has=pg.get_by_role("combobox", name=label, exact=True))
    )
    item = pg.get_by_role("option", name=option, exact=True)
    for attempt in range(attempts):
        box.get_by_role("button", name="Open").click()
        try:
            item.wait_for(timeout=10_000)
            break
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
    item.click()
    wait_idle(pg)


def text_box(pg, label: str):
    return sidebar(pg).get_by_role("textbox", name=label, exact=True)


def number_box(pg, label: str):
    return sidebar(pg).get_by_role("spinbutton", name=label, exact=True)


def chosen_models(pg) -> list[str]:
    """The chips of the Models multiselect, as shown."""
    box = sidebar(pg).get_by_test_id("stMultiSelect").filter(has_text="Models")
    lines = [s.strip() for s in box.inner_text().splitlines()]
    return [s for s in lines[1:] if s]  # the label first, then one chip a line


def form_values(pg) -> dict:
    """What the form shows: task, models, lengths, hidden sizes, seeds, steps."""
    return {
        "task": sidebar(pg).get_by_role("combobox", name="Task", exact=True).input_value(),
        "models": chosen_models(pg),
        "lengths": text_box(pg, "Sequence lengths T").input_value(),
        "hidden": text_box(pg, "Hidden sizes H").input_value(),
        "seeds": text_box(pg, "Seeds").input_value(),
        "steps": number_box(pg, "Steps").input_value(),
    }


def expected_values(key: str) -> dict:
    grid, _ = preset_grid(key)
    listed = {"length": ", ".join(map(str, grid.axes["length"]))}
    return {
        "task": TASKS[grid.base["task"]].label,
        "models": [model_label(m) for m in grid.models],
        "lengths": listed["length"],
        "hidden": str(grid.base["hidden"]),
        "seeds": ", ".join(map(str, grid.axes["seed"])),
        "steps": str(grid.base["steps"]),
    }


def runs_shown(pg) -> int:
    """The run count shown above the Run button ("24 runs ...")."""
    text = pg.locator(".st-key-sweeps_count").inner_text()
    found = re.search(r"(\d+) runs?\b", text)
    assert found, f"no run count in {text!r}"
    assert "estimate" in text, text  # the time beside it says what it is
    return int(found.group(1))


def set_small_grid(pg) -> None:
    box = sidebar(pg).get_by_test_id("stMultiSelect").filter(has_text="Models")
    for _ in chosen_models(pg):  # clear every chip, then add the two models
        box.get_by_role("button", name=re.compile("^Delete|^Remove")).first.click()
        wait_idle(pg)
    for label in SMALL["models"]:
        box.get_by_role("combobox").click()
        pg.get_by_role("option", name=label, exact=True).click()
        wait_idle(pg)
    pg.keyboard.press("Escape")
    for label, value in (("Sequence lengths T", SMALL["lengths"]), ("Seeds", SMALL["seeds"])):
        text_box(pg, label).fill(value)
        text_box(pg, label).press("Enter")
        wait_idle(pg)
    number_box(pg, "Steps").fill(SMALL["steps"])
    number_box(pg, "Steps").press("Enter")
    wait_idle(pg)


def progress_text(pg, pattern: str, timeout_s: float = 300) -> str:
    """The sweep's progress line once it matches `pattern` (a JS regular expression)."""
    return pg.wait_for_function(
        "([sel, pat]) => { const p = document.querySelector(sel);"
        " return p && new RegExp(pat).test(p.innerText) ? p.innerText : null; }",
        arg=[PROGRESS, pattern],
        timeout=timeout_s * 1000,
    ).json_value()


def results_csv(pg) -> list[dict]:
    with pg.expect_download() as download:
        pg.get_by_test_id("stDownloadButton").filter(has_text="Results (.csv)").click()
    return list(csv.DictReader(io.StringIO(download.value.path().read_text())))


def test_each_preset_fills_the_form_then_a_stopped_sweep_resumes(page, app_url):
    open_app(page, app_url)
    go_to(page, "Sweeps")
    for key, preset in PRESETS.items():
        choose(page, "Preset", preset.title)
        expected = expected_values(key)
        assert chosen_models(page) == expected["models"], preset.title
        assert form_values(page) == expected, preset.title
        assert page.get_by_text("Edited:").count() == 0  # the form holds the preset's grid
        assert runs_shown(page) == len(preset_grid(key)[0].configs()), preset.title
    choose(page, "Preset", "Custom grid")
    set_small_grid(page)
    shown = form_values(page)
    assert (shown["models"], shown["lengths"], shown["seeds"]) == (
        SMALL["models"],
        SMALL["lengths"],
        SMALL["seeds"],
    )
    assert runs_shown(page) == SMALL_RUNS
    sidebar(page).get_by_role("button", name="Run sweep").click()
    text = progress_text(page, rf"[1-{SMALL_RUNS - 1}] of {SMALL_RUNS} trained")
    page.get_by_role("button", name="Stop sweep").click()
    page.get_by_text("Stopped on request", exact=False).wait_for(timeout=120_000)
    wait_idle(page)
    resume = page.get_by_role("button", name=re.compile(r"^Train the \d+ missing"))
    missing = int(re.search(r"Train the (\d+)", resume.inner_text()).group(1))
    assert 1 <= missing < SMALL_RUNS, text
    resume.click()
    stored = SMALL_RUNS - missing
    progress_text(page, rf"{missing} of {missing} trained, {stored} already stored, 0 failed")
    page.get_by_role("button", name=re.compile("^Train the")).wait_for(state="detached")
    wait_idle(page)
    shown = page.get_by_test_id("stDataFrame").locator("table[role=grid]")  # its a11y table
    assert shown.get_attribute("aria-rowcount") == str(SMALL_RUNS + 1)  # a header, every run
    assert all("done" in row for row in shown.locator("tbody tr").all_inner_texts())
    rows = results_csv(page)
    assert len(rows) == SMALL_RUNS and {r["status"] for r in rows} == {"done"}
    assert {(r["model"], r["length"], r["seed"]) for r in rows} == {
        (m, length, seed) for m in ("rnn", "gru") for length in ("10", "20") for seed in "01"
    }
    assert not exceptions(page) and not alerts(page)


def test_the_grid_file_downloads_and_uploads_back_and_a_bad_file_is_named(page, app_url, tmp_path):
    open_app(page, app_url)
    go_to(page, "Sweeps")
    choose(page, "Preset", PRESETS["ablation"].title)
    with page.expect_download() as download:
        sidebar(page).get_by_test_id("stDownloadButton").filter(has_text="Grid (.toml)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("keyed-recall-") and saved.suffix == ".toml"
    in_file = grid_from_toml(saved.read_bytes(), name="file", where=saved.name)
    assert in_file.configs() == preset_grid("ablation")[0].configs()
    choose(page, "Preset", "Custom grid")
    assert chosen_models(page) == ["RNN", "GRU"]
    put_files(page, "Grid file", [saved])
    page.get_by_text(f"From the file {saved.name}", exact=False).wait_for()
    assert form_values(page) == expected_values("ablation")  # the same grid, back in the form
    assert runs_shown(page) == len(in_file.configs())
    for name, text, words in (
        ("typo.toml", "[base]\nstepz = 300\n[grid]\nseed = [0]\n", "base.stepz"),
        ("broken.toml", "[base\nsteps = 300\n", "not valid TOML"),
    ):
        bad = tmp_path / name
        bad.write_text(text)
        put_files(page, "Grid file", [bad])
        (error,) = alerts(page)
        line = error.removeprefix("error").strip()  # the icon's name comes first
        assert line.startswith(f"{name}:") and words in line and "\n" not in line, error
        assert form_values(page) == expected_values("ablation")  # the form is left as it was
    assert not exceptions(page)


TINY_GRID = '[base]\ntask = "recall"\nsteps = 40\nhidden = 8\n[grid]\nmodel = ["rnn", "gru"]\n'
TINY_GRID += "length = [5, 10]\nseed = [0]\n"


def boxes_overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_the_success_chart_title_is_not_under_the_plotly_toolbar(page, app_url, tmp_path):
    open_app(page, app_url)
    go_to(page, "Sweeps")
    tiny = tmp_path / "tiny.toml"
    tiny.write_text(TINY_GRID)
    put_files(page, "Grid file", [tiny])
    assert runs_shown(page) == 4
    sidebar(page).get_by_role("button", name="Run sweep").click()
    chart = page.get_by_test_id("stPlotlyChart").filter(
        has=page.locator(".gtitle", has_text="Success rate vs length")
    )
    chart.wait_for(timeout=300_000)
    progress_text(page, r"4 of 4 trained|0 of 0 trained")
    wait_idle(page)
    chart.hover()  # the toolbar shows while the pointer is on the chart
    toolbar = chart.locator(".modebar").bounding_box()
    title = chart.locator(".gtitle").bounding_box()
    assert toolbar and title and not boxes_overlap(title, toolbar), (title, toolbar)
