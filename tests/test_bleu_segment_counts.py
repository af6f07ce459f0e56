"""Our BLEU and chrF counting (per segment, and chrF per block with numpy) equals sacrebleu's
`_extract_corpus_statistics` row for row: on generated text with awkward lines (empty,
punctuation, repeats, Unicode, several and missing references) under many settings, and on the
TED and WMT17 anchor data when present."""

from __future__ import annotations

import random

import numpy as np
import pytest
from sacrebleu.metrics import BLEU, CHRF, TER

from core.bleu.settings import BleuSettings
from core.bleu.statistics.chrf_block_counts import chrf_block
from core.bleu.statistics.extraction import extract_stats, make_metric
from core.bleu.statistics.per_segment_counts import char_ngrams, segment_counter

WORDS = [
    "the",
    "a",
    "cat",
    "sat",
    "on",
    "mat",
    ",",
    ".",
    "!",
    "?",
    "(",
    ")",
    "don't",
    "Straße",
    "猫",
    "が",
    "座った",
    "😀",
    "--",
    "3.14",
    "x",
]


def sacrebleu_rows(metric, hyps, refs) -> np.ndarray:
    return np.asarray(metric._extract_corpus_statistics(hyps, refs))


def our_rows(metric, hyps, refs) -> np.ndarray:
    name = "bleu" if isinstance(metric, BLEU) else "chrf" if isinstance(metric, CHRF) else "ter"
    count = segment_counter(name, metric, metric._cache_references(refs))
    return np.asarray([count(i, h) for i, h in enumerate(hyps)])


def awkward_text(seed: int, n: int = 120, n_refs: int = 2):
    rng = random.Random(seed)

    def line() -> str:
        k = rng.choice([0, 1, 2, 5, 9, 20])
        words = [rng.choice(WORDS) for _ in range(k)]
        if words and rng.random() < 0.3:
            words += words[: rng.randint(1, len(words))]  # repeated n-grams clip
        return " " * rng.randint(0, 1) + " ".join(words) + " " * rng.randint(0, 1)

    refs = [[line() for _ in range(n)] for _ in range(n_refs)]
    hyps = [r if rng.random() < 0.2 else line() for r in refs[0]]
    return hyps, refs


METRICS = {
    "bleu 13a": lambda: BLEU(),
    "bleu none": lambda: BLEU(tokenize="none"),
    "bleu char lowercase": lambda: BLEU(tokenize="char", lowercase=True),
    "bleu intl 6-grams": lambda: BLEU(tokenize="intl", max_ngram_order=6),
    "chrF": lambda: CHRF(),
    "chrF++": lambda: CHRF(word_order=2),
    "chrF whitespace order 3": lambda: CHRF(char_order=3, whitespace=True),
    "chrF1+ lowercase": lambda: CHRF(beta=1, word_order=1, lowercase=True),
    "chrF eps smoothing": lambda: CHRF(eps_smoothing=True, word_order=2),
}


CHRF_KINDS = [k for k in METRICS if k.startswith("chrF")]


def block_rows(metric, hyps, refs) -> np.ndarray:
    rows = chrf_block(metric, refs, {"system": hyps})
    assert rows is not None  # these alphabets fit: the numpy path really ran
    return rows["system"]


@pytest.mark.parametrize("kind", list(METRICS))
@pytest.mark.parametrize("n_refs", [1, 3])
def test_rows_equal_sacrebleu_on_awkward_text(kind, n_refs):
    hyps, refs = awkward_text(seed=n_refs, n_refs=n_refs)
    metric = METRICS[kind]()
    want = sacrebleu_rows(metric, hyps, refs)
    assert (our_rows(metric, hyps, refs) == want).all()
    if kind in CHRF_KINDS:
        assert (block_rows(metric, hyps, refs) == want).all()


@pytest.mark.parametrize("kind", ["bleu 13a", "chrF++", "chrF"])
def test_missing_references_equal_sacrebleu(kind):
    hyps, refs = awkward_text(seed=7, n_refs=3)
    refs[1] = [None if i % 3 == 0 else r for i, r in enumerate(refs[1])]  # variable count
    refs[2] = [None if i % 2 == 0 else r for i, r in enumerate(refs[2])]
    metric = METRICS[kind]()
    want = sacrebleu_rows(metric, hyps, refs)
    assert (our_rows(metric, hyps, refs) == want).all()
    if kind in CHRF_KINDS:
        assert (block_rows(metric, hyps, refs) == want).all()


def test_identical_references_tie_and_the_first_is_kept():
    hyps, refs = awkward_text(seed=11, n_refs=1)
    refs = [refs[0], list(refs[0]), [r.upper() for r in refs[0]]]
    metric = CHRF(word_order=2)
    assert (block_rows(metric, hyps, refs) == sacrebleu_rows(metric, hyps, refs)).all()


def test_a_huge_alphabet_falls_back_to_per_segment_counting_with_equal_rows():
    rng = random.Random(5)
    chars = [chr(0x4E00 + i) for i in range(3000)]  # 3,000 CJK characters: keys need > 63 bits
    refs = [["".join(rng.choices(chars, k=rng.randint(0, 30))) for _ in range(400)]]
    hyps = [r[::-1] if i % 2 else r[: len(r) // 2] for i, r in enumerate(refs[0])]
    metric = CHRF()
    assert chrf_block(metric, refs, {"s": hyps}) is None
    settings = BleuSettings()
    got = extract_stats(settings, refs, {"s": hyps}, metrics=("chrf",))
    assert (got["chrf"].by_system["s"] == sacrebleu_rows(metric, hyps, refs)).all()


def test_a_lone_surrogate_is_counted_like_any_character():
    refs = [["a\udc80b c", "x y"]]
    hyps = ["a\udc80b", "x"]
    metric = CHRF()
    assert (block_rows(metric, hyps, refs) == sacrebleu_rows(metric, hyps, refs)).all()


def test_several_systems_in_one_block_equal_sacrebleu_each():
    hyps, refs = awkward_text(seed=2, n_refs=2)
    systems = {"a": hyps, "b": hyps[::-1], "c": [h.upper() for h in hyps]}
    metric = CHRF()
    rows = chrf_block(metric, refs, systems)
    for name, lines in systems.items():
        assert (rows[name] == sacrebleu_rows(metric, lines, refs)).all(), name


def test_char_ngrams_equal_sacrebleus_helper():
    from sacrebleu.metrics.helpers import extract_all_char_ngrams

    for line in ["", "a", "ab c", " x  y z ", "Straße 猫が 😀😀", "aaaa aaaa"]:
        for order in (1, 2, 6):
            for ws in (False, True):
                assert char_ngrams(line, order, ws) == extract_all_char_ngrams(line, order, ws)


def test_ter_rows_are_sacrebleus_own():
    hyps, refs = awkward_text(seed=3, n=30)
    metric = TER()
    assert (our_rows(metric, hyps, refs) == sacrebleu_rows(metric, hyps, refs)).all()


@pytest.mark.slow
def test_wmt17_and_ted_rows_equal_sacrebleu(sacrebleu_tests_dir, ted_dir):
    folder = sacrebleu_tests_dir / "wmt17-en-de-subset"
    ref = (folder / "newstest2017-ende-ref.de").read_text(encoding="utf-8").splitlines()
    names = sorted(p.name for p in folder.glob("newstest2017.*"))
    systems = {n: (folder / n).read_text(encoding="utf-8").splitlines() for n in names}
    ted_ref = (ted_dir / "ted.ref.eng").read_text(encoding="utf-8").splitlines()
    ted_sys = (ted_dir / "ted.sys1.eng").read_text(encoding="utf-8").splitlines()
    settings = BleuSettings(chrf_word_order=2)
    for refs, outputs in (([ref], systems), ([ted_ref], {"sys1": ted_sys})):
        got = extract_stats(settings, refs, outputs)
        for name in ("bleu", "chrf"):
            for sys_name, hyps in outputs.items():
                want = sacrebleu_rows(make_metric(settings, name), hyps, refs)
                assert (got[name].by_system[sys_name] == want).all(), (name, sys_name)
