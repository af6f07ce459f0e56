"""Gradient flow, as a person uses it: read the table and the sentence under the chart, move the
checkpoint, switch the theory overlays on and off."""

from __future__ import annotations

import re

import pytest

from tests.e2e.ui import exceptions, figure_with_trace, figures, go_to, open_app, wait_idle

pytestmark = pytest.mark.e2e

_TABLE = """() => { const t = document.querySelector('[data-testid="stTable"] table');
  const cells = tr => Array.from(tr.querySelectorAll('th, td')).map(c => c.innerText.trim());
  const rows = Array.from(t.querySelectorAll('tr')).map(cells);
  return {head: rows[0], body: rows.slice(1)}; }"""


def decay_table(pg) -> dict[str, dict[str, str]]:
    """The decay table as shown: model label -> column -> text."""
    pg.wait_for_selector('[data-testid="stTable"] table')  # drawn after the chart above it
    t = pg.evaluate(_TABLE)
    return {row[0]: dict(zip(t["head"][1:], row[1:], strict=True)) for row in t["body"]}


def sentence(pg) -> str:
    said = pg.get_by_test_id("stMarkdown").filter(has_text="of the gradient at the last state")
    said.first.wait_for()
    return said.first.inner_text()


def shown_step(pg) -> int:
    return int(re.match(r"At step (\d+),", sentence(pg)).group(1))


def trace_names(pg) -> set[str]:
    return {t["name"] for f in figures(pg) for t in f["traces"]}


def _assert_table_and_sentence_agree(pg) -> dict[str, dict[str, str]]:
    table, text = decay_table(pg), sentence(pg)
    assert set(table) == {"RNN", "GRU"}
    for model, row in table.items():
        assert f"the {model}'s gradient {row['curve']}" in text  # the same words
        crossing = re.search(r"below half at k = (\d+)", row["curve"])
        if crossing:  # the measured half-life is that crossing
            assert row["half-life"].startswith(f"{crossing.group(1)} step")
        else:
            assert row["half-life"].startswith("beyond T = ")
    return table


def test_checkpoint_overlays_table_and_sentence(page, app_url):
    open_app(page, app_url)
    go_to(page, "Gradient flow")
    last = _assert_table_and_sentence_agree(page)
    last_step = shown_step(page)
    median = f"GRU median (step {last_step})"
    assert median in trace_names(page)

    # Move the checkpoint to the initialisation: sentence, table and curves follow.
    slider = page.get_by_test_id("stSlider").filter(has_text="Training checkpoint")
    slider.get_by_role("slider").focus()
    page.keyboard.press("Home")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('[data-testid=stMarkdown]'))"
        ".some(m => m.innerText.startsWith('At step 0,'))"
    )
    wait_idle(page)
    first = _assert_table_and_sentence_agree(page)
    assert shown_step(page) == 0 and first != last
    assert "GRU median (step 0)" in trace_names(page) and median not in trace_names(page)

    # Theory overlays: off by default, on as named traces, off again.
    theory = {"RNN theory: sigma_max(U)^k", "RNN theory: rho(U)^k"}
    assert not theory & trace_names(page)
    page.get_by_text("Theory overlays").click()
    wait_idle(page)
    assert theory <= trace_names(page)
    gru_theory = {n for n in trace_names(page) if n.startswith("GRU theory: prod (1 - u)")}
    assert len(gru_theory) == 2  # best unit and typical unit
    chart = figure_with_trace(page, "GRU median (step 0)")
    assert theory | gru_theory <= {t["name"] for t in chart["traces"]}  # on the same axes
    page.get_by_text("Theory overlays").click()
    wait_idle(page)
    assert not (theory | gru_theory) & trace_names(page)
    assert not exceptions(page)
