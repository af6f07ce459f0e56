"""Sentence buckets by source length, length ratio, baseline sentence BLEU and labels: the
membership follows sacrebleu's own per-sentence numbers, and each bucket's BLEU is sacrebleu's
corpus BLEU of the bucket's segments."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sacrebleu
from sacrebleu.metrics import BLEU

from core.bleu import BleuSettings, analyse
from core.bleu.breakdowns.bucket_splits import (
    BLEU_CUTOFFS,
    RATIO_CUTOFFS,
    by_baseline_bleu,
    by_label,
    by_length_ratio,
    by_source_length,
    float_labels,
)
from core.bleu.breakdowns.length_buckets import bucket_table_for
from core.bleu.reading.built_in_corpus import example_corpus
from core.bleu.statistics.extraction import make_metric


@pytest.fixture(scope="module")
def data():
    c = example_corpus(n_segments=90, seed=17)
    settings = BleuSettings(ar_trials=0, bootstrap_samples=50, baseline="weak")
    return c, analyse(c.references, c.systems, settings)


def assert_buckets_are_sacrebleus(c, report, which, labels):
    table = bucket_table_for(
        report.bleu_stats, which, labels, make_metric(report.settings, "bleu"), 50, 1
    )
    for b, label in enumerate(labels):
        members = np.flatnonzero(which == b)
        for name, hyps in c.systems.items():
            row = table[(table["bucket"] == label) & (table["system"] == name)].iloc[0]
            assert row["n_sent"] == len(members)
            if len(members) == 0:
                assert math.isnan(row["bleu"])
                continue
            want = sacrebleu.corpus_bleu(
                [hyps[i] for i in members], [[r[i] for i in members] for r in c.references]
            ).score
            assert row["bleu"] == want


def test_source_length_buckets(data):
    c, report = data
    which, labels = by_source_length(report, c.source)
    tok = BLEU().tokenizer
    lengths = [len(tok(s).split()) for s in c.source]
    cuts = report.settings.bucket_cutoffs
    assert list(which) == [sum(x >= k for k in cuts) for x in lengths]
    assert_buckets_are_sacrebleus(c, report, which, labels)


def test_length_ratio_and_baseline_bleu_buckets_follow_sacrebleu(data):
    c, report = data
    hyps = c.systems["weak"]
    refs = list(zip(*c.references, strict=True))
    stats = [BLEU().sentence_score(h, list(r)) for h, r in zip(hyps, refs, strict=True)]
    which, labels = by_length_ratio(report)
    assert labels == float_labels(RATIO_CUTOFFS) and labels[0] == "<0.8"
    ratios = [s.sys_len / s.ref_len for s in stats]
    assert list(which) == [sum(x >= k for k in RATIO_CUTOFFS) for x in ratios]
    assert_buckets_are_sacrebleus(c, report, which, labels)
    which, labels = by_baseline_bleu(report)
    sent = BLEU(effective_order=True)
    scores = [sent.sentence_score(h, list(r)).score for h, r in zip(hyps, refs, strict=True)]
    assert list(which) == [sum(x >= k for k in BLEU_CUTOFFS) for x in scores]
    assert len(set(which)) > 2
    assert_buckets_are_sacrebleus(c, report, which, labels)


def test_label_buckets(data):
    c, report = data
    labels = ["news" if i % 3 else "talks" for i in range(report.n_segments)]
    which, names = by_label(labels)
    assert names == ["news", "talks"] and list(which[:3]) == [1, 0, 0]
    assert_buckets_are_sacrebleus(c, report, which, names)
