"""Translate, as a person uses it: the default run; a second run (an uploaded corpus with a long
test sentence); both kept and listed after a server restart on the same run store; compared
side by side; handed off to the BLEU page, which names the systems and shows the same BLEU."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import browser_page, streamlit_server
from tests.e2e.test_bleu_page import corpus_rows, grid, wait_for_scores
from tests.e2e.ui import WIDTH, alerts, exceptions, metrics, open_app, put_files, wait_idle

pytestmark = pytest.mark.e2e

MODELS = ("RNN", "GRU")
DEFAULT_LABEL = "RNN vs GRU on generated English-Korean (seed 0)"
LONG = " ".join(f"word{i}" for i in range(70))  # a test sentence far wider than the page


def wait_for_bleu(pg, models=MODELS) -> dict[str, float]:
    """Until every model's test BLEU is shown; -> model -> BLEU as displayed."""
    pg.wait_for_function(
        "names => { const labels = Array.from(document.querySelectorAll("
        "'[data-testid=\"stMetricLabel\"]')).map(e => e.innerText);"
        " return names.every(n => labels.some(l => l.startsWith(n + ' test BLEU'))); }",
        arg=list(models),
        timeout=300_000,
    )
    wait_idle(pg)
    assert not exceptions(pg) and not alerts(pg), alerts(pg)
    shown = metrics(pg)
    return {m: float(shown[f"{m} test BLEU"]) for m in models}


def picker_options(pg) -> list[str]:
    """The experiments the picker lists, as shown when it is opened."""
    wait_idle(pg)
    box = pg.get_by_test_id("stSelectbox").filter(has_text="Experiment")
    for attempt in range(3):  # a rerun can redraw the box just as it opens
        box.locator("input").click()
        try:
            pg.get_by_role("option").first.wait_for(timeout=10_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    options = pg.get_by_role("option").all_inner_texts()
    pg.keyboard.press("Escape")
    pg.get_by_role("option").first.wait_for(state="detached")
    return [o.strip() for o in options]


def rows_of(pg, first_column: str) -> list[dict[str, str]]:
    table = grid(pg, first_column)
    heads = [h.strip() for h in table.locator("[role=columnheader]").all_inner_texts()]
    cells = table.locator("[role=gridcell]").all_inner_texts()
    return [
        dict(zip(heads, cells[i : i + len(heads)], strict=True))
        for i in range(0, len(cells), len(heads))
    ]


def corpus_files(tmp_path):
    pairs = "".join(f"w{i} x{i % 7} z{i % 3}\tv{i} y{i % 5}\n" for i in range(80))
    (tmp_path / "pairs.tsv").write_text(pairs, encoding="utf-8")
    test = f"w1 x1\tv1 y1\n{LONG}\t{LONG.replace('word', 'wort')}\nw2 x2\tv2 y2\n"
    (tmp_path / "held-out.tsv").write_text(test, encoding="utf-8")
    return tmp_path / "pairs.tsv", tmp_path / "held-out.tsv"


def second_run_on_upload(pg, tmp_path) -> dict[str, float]:
    pairs, test = corpus_files(tmp_path)
    pg.get_by_text("Pairs file (source<TAB>target)").click()
    put_files(pg, "Corpus files", [pairs])
    put_files(pg, "Test set", [test])
    pg.get_by_role("button", name="Train").click()
    pg.get_by_text("RNN vs GRU on pairs.tsv").first.wait_for(timeout=60_000)
    return wait_for_bleu(pg)


def translations_fit_the_page(pg) -> None:
    """The test translations table, long sentence included, lies inside the 1400 px page and
    needs no sideways scrolling: every column is on screen, its text wrapped."""
    table = grid(pg, "line")
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, box
    over = table.evaluate(
        "t => { const s = t.querySelector('.dvn-scroller');"
        " return s ? s.scrollWidth - s.clientWidth : null; }"
    )
    assert over is not None and over <= 1, f"the columns are {over} px wider than the table"


def compare(pg, labels: list[str]) -> list[dict[str, str]]:
    box = pg.get_by_test_id("stMultiSelect").filter(has_text="Experiments to compare")
    for label in labels:  # as a person types a choice and takes it with Enter
        field = box.locator("input")
        field.click()
        field.fill(label)
        pg.get_by_role("option", name=label, exact=True).wait_for()
        field.press("Enter")
        box.get_by_text(label, exact=True).first.wait_for()  # its chip
        wait_idle(pg)
    pg.keyboard.press("Escape")
    pg.get_by_text("Dev BLEU at checkpoints, by experiment").first.wait_for()
    wait_idle(pg)
    return rows_of(pg, "experiment")


def test_translate_journey(browser, tmp_path):
    store = str(tmp_path / "store")
    with streamlit_server(fast_default=True, store=store) as url:
        first, second, second_label = two_runs(browser, url, tmp_path)
    with streamlit_server(fast_default=True, store=store) as url:  # a restart, the same store
        after_restart(browser, url, {DEFAULT_LABEL: first, second_label: second})


def two_runs(browser, url, tmp_path) -> tuple[dict, dict, str]:
    """The default run, then a second on an uploaded corpus; both listed, the table fits."""
    with browser_page(browser, "journey_translate_1") as pg:
        open_app(pg, url, "translate")
        pg.get_by_role("button", name="Train").click()
        first = wait_for_bleu(pg)
        assert pg.get_by_role("heading", name=DEFAULT_LABEL).count() == 1
        second = second_run_on_upload(pg, tmp_path)
        listed = picker_options(pg)
        second_label = next((o for o in listed if o.startswith("RNN vs GRU on pairs")), None)
        assert listed == [DEFAULT_LABEL, second_label]  # the first is kept
        assert any(r["source"] == LONG for r in rows_of(pg, "line"))
        translations_fit_the_page(pg)
    return first, second, second_label


def after_restart(browser, url, runs: dict[str, dict[str, float]]) -> None:
    """Both experiments listed; the newest shown; compared; handed to the BLEU page."""
    labels = list(runs)
    with browser_page(browser, "journey_translate_2") as pg:
        open_app(pg, url, "translate")
        assert sorted(picker_options(pg)) == sorted(labels)
        newest = runs[labels[-1]]
        assert wait_for_bleu(pg) == newest  # shown without retraining
        rows = compare(pg, labels)
        shown = {(r["experiment"], r["model"]): float(r["test BLEU"]) for r in rows}
        assert shown == {(e, m): b for e, bleu in runs.items() for m, b in bleu.items()}
        traces = pg.evaluate(
            "() => Array.from(document.querySelectorAll('.js-plotly-plot'))"
            ".flatMap(d => (d._fullData || []).map(t => t.name))"
        )
        for label in labels:
            for m in MODELS:
                assert traces.count(f"{label} · {m}") == 2  # dev curve and length chart
        pg.get_by_role("button", name="Open in BLEU breakdown").click()
        wait_for_scores(pg, list(MODELS))  # the BLEU page names the systems
        assert "BLEU" in pg.locator('[data-testid="stMain"] h1').first.inner_text()
        bleu_rows = corpus_rows(pg)
        for m in MODELS:
            assert f"{float(bleu_rows[m]['BLEU']):.2f}" == f"{newest[m]:.2f}"
        assert not exceptions(pg)
