"""The Translate form's default target tokens: characters for a Hangul, kana or Han target
(a word vocabulary of Korean or Japanese is mostly unknown words), words otherwise."""

from __future__ import annotations

import pytest

from core.text_script import script_shares
from core.translate.tokenize import default_target_tokens


@pytest.mark.parametrize(
    ("targets", "tokens"),
    [
        (["톰은 학생이다.", "나는 사과를 먹었다."], "chars"),  # Korean (Hangul)
        (["私はトムです。", "猫が好きだ。"], "chars"),  # Japanese (kana and kanji)
        (["我是学生。"], "chars"),  # Chinese (Han)
        (["Tom is a student.", "Ich bin müde."], "words"),
        (["Tom은 학생이다."], "chars"),  # a Latin name in a Korean sentence
        (["", "123 ..."], "words"),  # no letters: nothing says characters
    ],
)
def test_cjk_targets_default_to_characters(targets, tokens):
    assert default_target_tokens(targets) == tokens


def test_a_real_japanese_corpus_defaults_to_characters(enja_dir):
    """small_parallel_enja's Japanese side (skipped, saying where it was looked for, without it)."""
    ja = (enja_dir / "train.ja").read_text(encoding="utf-8").splitlines()[:2000]
    en = (enja_dir / "train.en").read_text(encoding="utf-8").splitlines()[:2000]
    assert default_target_tokens(ja) == "chars" and default_target_tokens(en) == "words"
    shares = script_shares(ja)
    assert shares["Kana"] > 0.3 and shares["Han"] > 0.2
