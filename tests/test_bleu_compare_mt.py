"""Word accuracy by frequency bucket and n-gram differences equal compare-mt's.

Three kinds of evidence: compare-mt itself (skipped when it is not installed; it is not a
dependency), a direct transcription of compare-mt's definitions written here (always runs, on
generated data), and small cases checked by hand.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from core.bleu.breakdowns.accuracy_by_frequency import FREQ_CUTOFFS, frequency_labels, word_accuracy
from core.bleu.breakdowns.compare_mt_tokens import line_words
from core.bleu.breakdowns.ngram_difference import (
    ngram_difference,
    ngram_differences,
    sentence_ngrams,
)
from core.bleu.settings import BleuSettings


def generated_corpus(seed: int, n: int = 300, vocab: int = 60, systems: int = 3):
    """Words per line: a reference and noisy copies of it, Zipf-like word choice so the
    frequency buckets fill, a few empty lines (compare-mt's one empty word)."""
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(vocab)]
    p = 1.0 / np.arange(1, vocab + 1)
    p /= p.sum()

    def sentence():
        return list(rng.choice(words, size=rng.integers(0, 15), p=p))

    ref = [sentence() or [""] for _ in range(n)]
    outs = {}
    for s in range(systems):
        keep = 0.3 + 0.2 * s
        outs[f"sys{s}"] = [
            [w if rng.random() < keep else str(rng.choice(words, p=p)) for w in r]
            + (sentence()[:2] if rng.random() < 0.3 else [])
            for r in ref
        ]
    train = [sentence() for _ in range(4 * n)]
    return ref, outs, train


# --- compare-mt's definitions, transcribed from compare_mt 0.2.10 -------------------------


def transcribed_word_stats(ref, outs, freq_data, cutoffs=FREQ_CUTOFFS):
    """bucketers.FreqWordBucketer + WordBucketer._calc_trg_matches / calc_statistics."""
    freq = defaultdict(lambda: 0)
    for words in freq_data:
        for w in words:
            freq[w] += 1

    def bucket(w):
        for i, v in enumerate(cutoffs):
            if freq.get(w, 0) < v:
                return i
        return len(cutoffs)

    nb = len(cutoffs) + 1
    ref_total = np.zeros(nb, dtype=int)
    out_totals = np.zeros((len(outs), nb), dtype=int)
    out_matches = np.zeros((len(outs), nb), dtype=int)
    for rsi, ref_sent in enumerate(ref):
        ref_pos = defaultdict(list)
        for ri, w in enumerate(ref_sent):
            ref_pos[w].append(ri)
        ref_buckets = [bucket(w) for w in ref_sent]
        for b in ref_buckets:
            ref_total[b] += 1
        for oai, out in enumerate(outs):
            cnts = {}
            for w in out[rsi]:
                poss = ref_pos.get(w)
                m = -1
                if poss:
                    c = cnts.get(w, 0)
                    if c < len(poss):
                        m = poss[c]
                    cnts[w] = c + 1
                b = bucket(w) if m < 0 else ref_buckets[m]
                out_totals[oai, b] += 1
                out_matches[oai, b] += m >= 0
    stats = []
    for oi in range(len(outs)):
        row = []
        for bi in range(nb):
            mc, oc, rc = out_matches[oi, bi], out_totals[oi, bi], ref_total[bi]
            if mc == 0:
                row.append((mc, rc, oc, 0.0, 0.0, 0.0))
            else:
                rec, prec = mc / float(rc), mc / float(oc)
                row.append((mc, rc, oc, rec, prec, 2 * prec * rec / (prec + rec)))
        stats.append(row)
    return stats


def transcribed_matches(ref, out, max_length=4):
    """ngram_utils.compare_ngrams, the "match" dictionary."""
    match = defaultdict(lambda: 0)
    for ref_sent, out_sent in zip(ref, out, strict=True):
        counts = defaultdict(lambda: 0)
        for n in range(max_length):
            for i in range(len(ref_sent) - n):
                counts[tuple(ref_sent[i : i + n + 1])] += 1
        for n in range(max_length):
            for i in range(len(out_sent) - n):
                g = tuple(out_sent[i : i + n + 1])
                if counts[g] > 0:
                    match[g] += 1
                    counts[g] -= 1
    return match


def transcribed_scores(m1, m2, alpha=1.0):
    """stat_utils.extract_salient_features."""
    return {k: (m1[k] + alpha) / (m1[k] + m2[k] + 2 * alpha) for k in set(m1) | set(m2)}


# --- checks shared by the transcription and compare-mt ------------------------------------


def assert_word_stats_equal(acc, names, stats):
    for oi, name in enumerate(names):
        scores = acc.scores(name)
        for bi in range(len(acc.buckets)):
            mc, rc, oc, rec, prec, f = stats[oi][bi]
            assert (acc.matched[name][bi], acc.ref_words[bi], acc.out_words[name][bi]) == (
                mc,
                rc,
                oc,
            )
            assert scores["recall"].iloc[bi] == rec and scores["precision"].iloc[bi] == prec
            assert scores["fmeasure"].iloc[bi] == f


def assert_lists_equal(diff, scores, m1, m2, top=50):
    """compare-mt sorts by score only; its order within a tie follows set iteration, which
    changes from run to run. So: the same scores in the same order, every listed n-gram with
    compare-mt's score and counts, and the same n-grams wherever a score is not tied with the
    list's last one."""
    ranked = sorted(scores.items(), key=operator.itemgetter(1), reverse=True)
    for rows, theirs in ((diff.a_better, ranked[:top]), (diff.b_better, ranked[::-1][:top])):
        assert [r.score for r in rows] == [v for _, v in theirs]
        for r in rows:
            g = tuple(r.ngram.split(" "))
            assert (scores[g], m1[g], m2[g]) == (r.score, r.count_a, r.count_b)
        edge = theirs[-1][1]
        assert {r.ngram for r in rows if r.score != edge} == {
            " ".join(k) for k, v in theirs if v != edge
        }


# --- always run ----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("train", [False, True])
def test_word_accuracy_equals_transcribed_compare_mt(seed, train):
    ref, outs, corpus = generated_corpus(seed)
    freq = corpus if train else None
    acc = word_accuracy(ref, outs, freq_corpus=freq)
    stats = transcribed_word_stats(ref, list(outs.values()), corpus if train else ref)
    assert_word_stats_equal(acc, list(outs), stats)
    assert acc.ref_words.sum() == sum(len(r) for r in ref)
    assert {acc.scores(s)["fmeasure"].gt(0).sum() for s in outs} != {0}  # not all zeros


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ngram_differences_equal_transcribed_compare_mt(seed):
    ref, outs, _ = generated_corpus(seed)
    names = list(outs)
    diffs = ngram_differences(ref, outs)
    assert [(d.a, d.b) for d in diffs] == [(names[0], n) for n in names[1:]]
    m1 = transcribed_matches(ref, outs[names[0]])
    for d, name in zip(diffs, names[1:], strict=True):
        m2 = transcribed_matches(ref, outs[name])
        assert_lists_equal(d, transcribed_scores(m1, m2), m1, m2)
        assert len(d.a_better) == len(d.b_better) == 50


def test_frequency_labels_are_compare_mts():
    assert frequency_labels(FREQ_CUTOFFS) == [
        "<1",
        "1",
        "2",
        "3",
        "4",
        "[5,10)",
        "[10,100)",
        "[100,1000)",
        ">=1000",
    ]


def test_word_accuracy_by_hand():
    ref = [["the", "cat", "the"], ["a", "dog"]]
    out = [["the", "the", "the", "cat"], ["dog", "x"]]
    acc = word_accuracy(ref, {"s": out}, cutoffs=(1, 2, 3))  # buckets <1, 1, 2, >=3
    # reference frequencies: the 2, cat 1, a 1, dog 1; x 0
    assert list(acc.ref_words) == [0, 3, 2, 0]
    assert list(acc.out_words["s"]) == [1, 2, 3, 0]
    assert list(acc.matched["s"]) == [0, 2, 2, 0]  # the third "the" is clipped
    f = acc.scores("s")["fmeasure"].to_numpy()
    p1, r1, p2, r2 = 2 / 2, 2 / 3, 2 / 3, 2 / 2
    np.testing.assert_allclose(f, [0, 2 * p1 * r1 / (p1 + r1), 2 * p2 * r2 / (p2 + r2), 0])
    entry = acc.to_list()[1]
    assert entry["bucket"] == "1" and entry["count"] == 3 and entry["fmeasure"]["s"] == f[1]


def test_ngram_difference_by_hand():
    ref = [["a", "b", "a"]]
    a_out, b_out = [["a", "b", "a"]], [["a", "a", "a"]]
    d = ngram_differences(ref, {"A": a_out, "B": b_out}, top=3)[0]
    # A matches a x2, b, a b, b a, a b a; B matches a x2 only
    got = {r.ngram: (r.score, r.count_a, r.count_b) for r in (*d.a_better, *d.b_better)}
    assert got["a b a"] == ((1 + 1) / (1 + 0 + 2), 1, 0)
    assert got["a"] == ((2 + 1) / (2 + 2 + 2), 2, 2)
    assert d.b_better[0].ngram == "a"  # B's best: the only n-gram it ties on
    assert sentence_ngrams(["x", "y"]) == [("x",), ("y",), ("x", "y")]


def test_ties_go_to_more_matches_then_alphabet():
    from collections import Counter

    d = ngram_difference("A", "B", Counter({"x": 1, "y": 3, "z": 1}), Counter({"y": 1}), top=3)
    assert [r.ngram for r in d.a_better] == ["y", "x", "z"]  # 4/6 = 2/3 = 2/3, most matches first


def test_words_follow_the_tokenizer_and_compare_mts_split():
    assert line_words(["Hello, world.", ""], BleuSettings(tokenize="none")) == [
        ["Hello,", "world."],
        [""],
    ]
    assert line_words(["Hello, world."], BleuSettings(lowercase=True)) == [
        ["hello", ",", "world", "."]
    ]


# --- against compare-mt itself -------------------------------------------------------------


def _compare_mt():
    return pytest.importorskip(
        "compare_mt",
        reason="compare-mt is not installed (optional; "
        "`pip install compare-mt` to compare against it)",
    )


def _compare_mt_equal(ref, outs, freq_data):
    _compare_mt()
    from compare_mt import bucketers, ngram_utils, stat_utils

    acc = word_accuracy(ref, outs, freq_corpus=freq_data)
    bucketer = bucketers.FreqWordBucketer(freq_data=freq_data or ref)
    stats, *_ = bucketer.calc_statistics(ref, list(outs.values()))
    assert list(acc.buckets) == bucketer.bucket_strs
    assert_word_stats_equal(acc, list(outs), stats)
    names = list(outs)
    _, m1, *_ = ngram_utils.compare_ngrams(ref, outs[names[0]])
    for d, name in zip(ngram_differences(ref, outs), names[1:], strict=True):
        _, m2, *_ = ngram_utils.compare_ngrams(ref, outs[name])
        assert_lists_equal(d, stat_utils.extract_salient_features(m1, m2), m1, m2)
    return acc


@pytest.mark.parametrize("seed", [3, 4])
def test_equal_to_compare_mt_on_generated_data(seed):
    ref, outs, train = generated_corpus(seed)
    _compare_mt_equal(ref, outs, None)
    _compare_mt_equal(ref, outs, train)


@pytest.mark.slow
def test_equal_to_compare_mt_on_ted(ted_dir: Path):
    _compare_mt()

    def words(name):
        lines = (ted_dir / name).read_text(encoding="utf-8").splitlines()
        return line_words(lines, BleuSettings(tokenize="none"))

    ref = words("ted.ref.eng")
    acc = _compare_mt_equal(
        ref, {"sys1": words("ted.sys1.eng"), "sys2": words("ted.sys2.eng")}, None
    )
    assert acc.ref_words.sum() == sum(map(len, ref))
