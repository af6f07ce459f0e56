"""Pairwise significance: every pair equals sacrebleu's PairedTest of the two systems."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from core.bleu import BleuSettings, analyse
from core.bleu.breakdowns.significance_all_pairs import pairwise_significance
from core.bleu.reading.built_in_corpus import example_corpus
from tests.test_bleu_significance import sacrebleu_paired


@pytest.fixture(scope="module")
def generated():
    data = example_corpus(n_segments=80, seed=13, n_refs=2)
    systems = dict(data.systems)
    systems["strong copy"] = list(systems["strong"])  # a pair with no difference
    return data.references, systems


@pytest.mark.parametrize(("metric", "key"), [("bleu", "BLEU"), ("chrf", "chrF2")])
def test_every_pair_equals_sacrebleu_both_ways(generated, metric, key):
    refs, systems = generated
    report = analyse(refs, systems, BleuSettings(ar_trials=300, bootstrap_samples=300))
    pairs = pairwise_significance(report, metric=metric)
    names = list(systems)
    for (i, a), (j, b) in itertools.combinations(enumerate(names), 2):
        for first, second in ((a, b), (b, a)):  # sacrebleu's baseline first
            two = {first: systems[first], second: systems[second]}
            bs = sacrebleu_paired(refs, two, "bs", 300)[key][second]
            ar = sacrebleu_paired(refs, two, "ar", 300)[key][second]
            assert pairs.bootstrap_p[i, j] == bs.p_value == pairs.bootstrap_p[j, i]
            assert pairs.ar_p[i, j] == ar.p_value == pairs.ar_p[j, i]
    assert np.isnan(np.diag(pairs.bootstrap_p)).all()
    assert list(pairs.scores) == list(report.corpus[metric])


def test_unknown_metric_is_refused_by_name(generated):
    refs, systems = generated
    report = analyse(refs, systems, BleuSettings(ar_trials=0, bootstrap_samples=50))
    with pytest.raises(ValueError, match="'ter'"):
        pairwise_significance(report, metric="ter")


@pytest.mark.parametrize("metric", ["bleu", "chrf"])
def test_matrix_marks_the_winner_and_counts_wins(generated, metric):
    refs, systems = generated
    report = analyse(refs, systems, BleuSettings(ar_trials=0, bootstrap_samples=300))
    pairs = pairwise_significance(report, ar=False, metric=metric)
    frame = pairs.matrix()
    better = pairs.better()
    for i, a in enumerate(pairs.systems):
        for j, b in enumerate(pairs.systems):
            cell = frame.loc[a, b]
            if i == j:
                assert cell == "-"
                continue
            assert cell.startswith(f"{pairs.bootstrap_p[i, j]:.4f}")
            assert cell.endswith("▲") == bool(better[i, j])
            assert cell.endswith("▼") == bool(better[j, i])
            if better[i, j]:
                assert report.corpus.loc[a, metric] > report.corpus.loc[b, metric]
        assert frame.loc[a, "significantly better than"] == better[i].sum()
    assert frame.loc["strong", "strong copy"] == frame.loc["strong copy", "strong"]
    s, c = list(pairs.systems).index("strong"), list(pairs.systems).index("strong copy")
    assert not better[s, c] and not better[c, s]  # identical outputs never differ
    assert better.any()  # the generated systems differ in quality
    assert len(pairs.to_list()) == len(systems) * (len(systems) - 1) // 2
    assert {p["metric"] for p in pairs.to_list()} == {"BLEU" if metric == "bleu" else "chrF"}
