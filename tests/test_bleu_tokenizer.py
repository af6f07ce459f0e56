"""Our 13a tokenizer equals sacrebleu's Tokenizer13a character for character: on random strings
over all of ASCII, Latin-1 and some other scripts, on the escapes and markers 13a rewrites,
and on every line of the TED and WMT17 anchor files when they are present."""

from __future__ import annotations

import random

import pytest
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

from core.bleu.settings import BleuSettings
from core.bleu.statistics.extraction import make_metric
from core.bleu.statistics.tokenizer_13a import FastTokenizer13a

ALPHABET = [chr(c) for c in range(32, 256)] + list("\t\n猫が😀Ωж—–“”’…") + ["&quot;", "&amp;"]
SPECIAL = ["&lt;", "&gt;", "<skipped>", "-\n", "\n", "3.14", "1,000", "a.b", "x,y", "9-5", " "]


def random_lines(seed: int, n: int = 3000) -> list[str]:
    rng = random.Random(seed)
    pool = ALPHABET + SPECIAL * 8 + list("abcxyz0123456789 .,-") * 6
    return ["".join(rng.choices(pool, k=rng.randint(0, 60))) for _ in range(n)]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_equals_sacrebleus_13a_on_random_text(seed):
    ours, theirs = FastTokenizer13a(), Tokenizer13a()
    for line in random_lines(seed):
        assert ours(line) == theirs(line), repr(line)


def test_every_single_code_point_up_to_0x3000():
    ours, theirs = FastTokenizer13a(), Tokenizer13a()
    for c in range(0x3000):
        if 0xD800 <= c < 0xE000:
            continue
        line = f"a{chr(c)}b {chr(c)} 1{chr(c)}2"
        assert ours(line) == theirs(line), hex(c)


def test_bleu_metrics_use_it_and_keep_the_signature():
    metric = make_metric(BleuSettings(), "bleu")
    assert isinstance(metric.tokenizer, FastTokenizer13a)
    metric.num_refs = 1
    assert "tok:13a" in metric.get_signature().format()
    other = make_metric(BleuSettings(tokenize="intl"), "bleu")
    assert not isinstance(other.tokenizer, FastTokenizer13a)


@pytest.mark.slow
def test_equals_sacrebleus_13a_on_the_anchor_files(ted_dir, sacrebleu_tests_dir):
    ours, theirs = FastTokenizer13a(), Tokenizer13a()
    files = [*ted_dir.glob("ted.*"), *(sacrebleu_tests_dir / "wmt17-en-de-subset").glob("new*")]
    assert files
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            assert ours(line) == theirs(line), (path.name, line)
