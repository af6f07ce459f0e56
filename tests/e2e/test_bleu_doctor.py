"""The BLEU page's input doctor in a real browser: a system written in another script than the
reference (Korean lines against an English reference) is flagged on its own row, and scored."""

from __future__ import annotations

import pytest

from tests.e2e.test_bleu_page import wait_for_scores
from tests.e2e.ui import alerts, exceptions, open_app, put_files

pytestmark = pytest.mark.e2e

ENGLISH = ["The cat sat on the mat.", "It rained in the city today.", "We went home early."]
KOREAN = ["고양이가 매트 위에 앉았다.", "오늘 도시에 비가 내렸다.", "우리는 일찍 집에 갔다."]


def test_korean_output_against_an_english_reference_is_warned_about(page, app_url, tmp_path):
    ref, ko, en = tmp_path / "ref.en", tmp_path / "out.ko", tmp_path / "out.en"
    ref.write_text("".join(f"{s}\n" for s in ENGLISH), encoding="utf-8")
    ko.write_text("".join(f"{s}\n" for s in KOREAN), encoding="utf-8")
    en.write_text("".join(f"{s}\n" for s in ENGLISH[::-1]), encoding="utf-8")
    open_app(page, app_url, "bleu")
    put_files(page, "Reference file", [ref])
    put_files(page, "System outputs", [ko, en])
    wait_for_scores(page, ["out.ko", "out.en"])  # a warning: both are still scored
    rows = page.get_by_test_id("stExpander").filter(has_text="system out.ko")
    assert rows.count() == 1
    rows.first.locator("summary").click()
    warning = " ".join(alerts(page, "Warning"))
    assert "out.ko is written in Hangul (100% of letters)" in warning, warning
    assert "the reference ref.en in Latin (100% of letters)" in warning
    assert "out.en" not in warning  # the English system is not flagged
    assert not exceptions(page)
