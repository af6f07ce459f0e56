"""Script shares of a text, and the target tokens chosen from them."""

from __future__ import annotations

import pytest

from core.text_script import script_shares
from core.translate.tokenize import default_target_tokens


def test_script_shares_count_letters_only():
    shares = script_shares(["톰은 학생이다.", "Tom, 12!"])
    assert shares["hangul"] == pytest.approx(6 / 9) and shares["latin"] == pytest.approx(3 / 9)
    assert sum(shares.values()) == pytest.approx(1.0)
    assert script_shares(["", "123 ..."]) == dict.fromkeys(shares, 0.0)


def test_kana_and_han_are_told_apart():
    shares = script_shares(["私はトムです"])  # 私: Han; は, で, す: hiragana; トム: katakana
    assert shares["han"] == pytest.approx(1 / 6) and shares["kana"] == pytest.approx(5 / 6)


@pytest.mark.parametrize(
    ("targets", "tokens"),
    [
        (["톰은 학생이다.", "나는 사과를 먹었다."], "chars"),  # Korean (Hangul)
        (["私はトムです。", "猫が好きだ。"], "chars"),  # Japanese (kana and kanji)
        (["我是学生。"], "chars"),  # Chinese (Han)
        (["Tom is a student.", "Ich bin müde."], "words"),
        (["Tom은 학생이다."], "chars"),  # a Latin name in a Korean sentence
    ],
)
def test_cjk_targets_default_to_characters(targets, tokens):
    assert default_target_tokens(targets) == tokens


def test_a_real_japanese_corpus_defaults_to_characters(enja_dir):
    """small_parallel_enja's Japanese side (skipped, saying where it was looked for, without it)."""
    ja = (enja_dir / "train.ja").read_text(encoding="utf-8").splitlines()[:2000]
    en = (enja_dir / "train.en").read_text(encoding="utf-8").splitlines()[:2000]
    assert default_target_tokens(ja) == "chars" and default_target_tokens(en) == "words"
    assert script_shares(ja)["kana"] > 0.3 and script_shares(ja)["han"] > 0.2
