"""Sentence examples: the largest sentence-BLEU gaps (checked with sacrebleu) and word diffs."""

from __future__ import annotations

import numpy as np
import pytest
from sacrebleu.metrics import BLEU

from core.bleu import BleuSettings, analyse
from core.bleu.breakdowns.differing_sentences import (
    EQUAL,
    ONLY_A,
    ONLY_B,
    largest_differences,
    word_diff,
)
from core.bleu.reading.built_in_corpus import example_corpus


@pytest.fixture(scope="module")
def data():
    c = example_corpus(n_segments=70, seed=23)
    return c, analyse(c.references, c.systems, BleuSettings(ar_trials=0, bootstrap_samples=20))


def test_largest_differences_follow_sacrebleus_sentence_bleu(data):
    c, report = data
    sent = BLEU(effective_order=True)
    refs = list(zip(*c.references, strict=True))

    def scores(name):
        return np.array(
            [
                sent.sentence_score(h, list(r)).score
                for h, r in zip(c.systems[name], refs, strict=True)
            ]
        )

    a, b = "weak", "strong"
    delta = scores(b) - scores(a)
    b_better, a_better = largest_differences(report, a, b, k=5)
    assert [delta[i] for i in b_better] == sorted(delta[delta > 0], reverse=True)[:5]
    assert [delta[i] for i in a_better] == sorted(delta[delta < 0])[: len(a_better)]
    assert all(delta[i] < 0 for i in a_better) and len(b_better) == 5


def test_word_diff_rebuilds_both_outputs():
    rng = np.random.default_rng(0)
    for _ in range(50):
        a = list(rng.choice(list("abcdef"), size=rng.integers(0, 12)))
        b = list(rng.choice(list("abcdef"), size=rng.integers(0, 12)))
        pieces = word_diff(a, b)
        assert [w for p in pieces if p.kind in (EQUAL, ONLY_A) for w in p.words] == a
        assert [w for p in pieces if p.kind in (EQUAL, ONLY_B) for w in p.words] == b
    pieces = word_diff(["the", "cat", "sat"], ["the", "dog", "sat"])
    assert [(p.kind, p.words) for p in pieces] == [
        (EQUAL, ("the",)),
        (ONLY_A, ("cat",)),
        (ONLY_B, ("dog",)),
        (EQUAL, ("sat",)),
    ]
