"""The Translate page in a real browser: train the (fast) default, read each model's test BLEU,
open the BLEU breakdown with their translations and read the same BLEU there."""

from __future__ import annotations

import importlib.util

import pytest

from tests.e2e.test_bleu_page import corpus_rows, wait_for_scores
from tests.e2e.ui import alerts, exceptions, metrics, open_app, wait_idle

pytestmark = pytest.mark.e2e

MODELS = ("RNN", "GRU")


def bleu_page_takes_handoffs() -> bool:
    """The BLEU page reads the Translate page's handoff once its module is present."""
    try:
        return importlib.util.find_spec("dashboard.session.bleu_handoff") is not None
    except ModuleNotFoundError:  # no dashboard.bleu package at all
        return False


def test_train_default_then_open_translations_in_bleu_breakdown(page, app_url):
    open_app(page, app_url, "translate")  # the sidebar link's text also matches "BLEU"
    page.get_by_role("button", name="Train").click()
    page.wait_for_function(
        "names => { const labels = Array.from(document.querySelectorAll("
        "'[data-testid=\"stMetricLabel\"]')).map(e => e.innerText);"
        " return names.every(n => labels.some(l => l.startsWith(n + ' test BLEU'))); }",
        arg=list(MODELS),
        timeout=240_000,
    )
    wait_idle(page)
    assert not exceptions(page) and not alerts(page), alerts(page)
    shown = metrics(page)
    scores = {m: float(shown[f"{m} test BLEU"]) for m in MODELS}
    assert page.get_by_test_id("stPlotlyChart").count() >= 4  # curves, gradient, buckets
    if not bleu_page_takes_handoffs():
        pytest.skip("the BLEU page on this branch does not read the Translate page's handoff")
    page.get_by_role("button", name="Open in BLEU breakdown").click()
    wait_for_scores(page, list(MODELS))
    rows = corpus_rows(page)
    for m in MODELS:
        assert f"{float(rows[m]['BLEU']):.2f}" == f"{scores[m]:.2f}"
    assert not exceptions(page)
