"""Every corpus and sentence number of analyse() equals sacrebleu's own, on generated data."""

from __future__ import annotations

import numpy as np
import pytest
from sacrebleu.metrics import BLEU, CHRF

from core.bleu import BleuSettings, analyse
from core.bleu.statistics.scores_from_stats import bleu_rows, chrf_rows

WORDS = [
    "the",
    "cat",
    "sat",
    "on",
    "a",
    "mat",
    "dog",
    "ran",
    "fast",
    "slow",
    "Bank",
    "bank",
    "it's",
    "(hi)",
    "won't",
    "x-ray",
    "Zürich",
    "naïve",
    "3.5",
    "$10",
    ",",
    ".",
    "?",
]


def random_corpus(seed: int, n: int = 60, n_refs: int = 2, n_systems: int = 3):
    """Mixed lengths (0..40 tokens), empty hypotheses, several references, punctuation."""
    rng = np.random.default_rng(seed)

    def sentence(max_len):
        length = int(rng.integers(0, max_len + 1))
        return " ".join(rng.choice(WORDS, size=length))

    refs = [[sentence(40) or "x" for _ in range(n)] for _ in range(n_refs)]
    systems = {}
    for s in range(n_systems):
        hyps = []
        for i in range(n):
            roll = rng.random()
            if roll < 0.1:
                hyps.append("")
            elif roll < 0.5:  # a noisy copy of a reference: realistic overlap
                words = refs[0][i].split()
                keep = [w for w in words if rng.random() > 0.2 + 0.1 * s]
                hyps.append(" ".join(keep))
            else:
                hyps.append(sentence(45))
        systems[f"sys{s}"] = hyps
    return refs, systems


SETTINGS = [
    BleuSettings(ar_trials=0, bootstrap_samples=50),
    BleuSettings(
        tokenize="none", lowercase=True, smooth_method="floor", ar_trials=0, bootstrap_samples=50
    ),
    BleuSettings(
        tokenize="intl", smooth_method="add-k", smooth_value=2, ar_trials=0, bootstrap_samples=50
    ),
    BleuSettings(
        tokenize="char", smooth_method="none", chrf_word_order=2, ar_trials=0, bootstrap_samples=50
    ),
]


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: f"{s.tokenize}-{s.smooth_method}")
@pytest.mark.parametrize("seed", [0, 1])
def test_corpus_and_sentence_scores_equal_sacrebleu(settings, seed):
    refs, systems = random_corpus(seed)
    report = analyse(refs, systems, settings)
    kw = dict(tokenize=settings.tokenize, lowercase=settings.lowercase)
    chrf = CHRF(word_order=settings.chrf_word_order, lowercase=settings.lowercase)
    sent_bleu = BLEU(
        **kw,
        effective_order=True,
        smooth_method=settings.smooth_method,
        smooth_value=settings.smooth_value,
    )
    segments = list(zip(*refs, strict=True))
    for name, hyps in systems.items():
        expected = BLEU(**kw).corpus_score(hyps, refs)
        row = report.corpus.loc[name]
        assert row["bleu"] == expected.score  # bit-identical: sacrebleu's own code
        assert row["bp"] == expected.bp and row["hyp_len"] == expected.sys_len
        assert [row[f"p{n}"] for n in range(1, 5)] == expected.precisions
        assert row["chrf"] == pytest.approx(chrf.corpus_score(hyps, refs).score, abs=1e-9)
        got = report.sentence_scores("bleu")[name].to_numpy()
        pairs = list(zip(hyps, segments, strict=True))
        want = [sent_bleu.sentence_score(h, list(r)).score for h, r in pairs]
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)
        got = report.sentence_scores("chrf")[name].to_numpy()
        want = [chrf.sentence_score(h, list(r)).score for h, r in pairs]
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)


def test_sentence_statistics_are_sacrebleus():
    refs, systems = random_corpus(3)
    report = analyse(refs, systems, BleuSettings(ar_trials=0, bootstrap_samples=20))
    bleu = BLEU()
    for name, hyps in systems.items():
        want = np.array(bleu._extract_corpus_statistics(hyps, refs))
        np.testing.assert_array_equal(report.bleu_stats[name], want)
        table = report.sentences[report.sentences["system"] == name]
        np.testing.assert_array_equal(table["ref_len"], want[:, 1])
        np.testing.assert_array_equal(table["match_2"], want[:, 3])


@pytest.mark.parametrize("method", ["exp", "floor", "add-k", "none"])
def test_vectorised_bleu_equals_compute_bleu_on_random_statistics(method):
    rng = np.random.default_rng(7)
    totals = np.sort(rng.integers(0, 6, size=(400, 4)), axis=1)[:, ::-1]
    matches = np.minimum(totals, rng.integers(0, 4, size=(400, 4)))
    lens = rng.integers(0, 8, size=(400, 2))
    lens[:, 0] = totals[:, 0]
    stats = np.concatenate([lens, matches, totals], axis=1)
    for eff in (False, True):
        got = bleu_rows(stats, 4, method, None, effective_order=eff)
        want = [
            BLEU.compute_bleu(
                list(r[2:6]), list(r[6:]), int(r[0]), int(r[1]), method, None, eff
            ).score
            for r in stats.tolist()
        ]
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)


def test_vectorised_chrf_equals_sacrebleu_f_score():
    rng = np.random.default_rng(8)
    stats = rng.integers(0, 5, size=(300, 6, 3))
    stats[..., 2] = np.minimum(stats[..., 2], stats[..., :2].min(axis=-1))
    flat = stats.reshape(300, -1)
    for eps in (False, True):
        metric = CHRF(eps_smoothing=eps)
        want = [metric._compute_f_score(r) for r in flat.tolist()]
        np.testing.assert_allclose(chrf_rows(flat, 6, 2, eps), want, rtol=0, atol=1e-9)
