"""Extract once, report many times: report_from_stats() on statistics extracted under other
settings with the same extraction_key() equals a fresh analyse(); progress is reported."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from core.bleu import (
    BleuSettings,
    add_ter,
    analyse,
    example_corpus,
    extract_stats,
    report_from_stats,
    ter_from_stats,
    with_smoothing,
    with_ter,
)

pytestmark = pytest.mark.slow  # several full analyses compared field by field

# A second value for every BleuSettings field (the first is the default).
OTHER_VALUES = {
    "tokenize": "char",
    "lowercase": True,
    "smooth_method": "floor",
    "smooth_value": 0.3,
    "max_ngram_order": 3,
    "chrf_char_order": 4,
    "chrf_word_order": 2,
    "chrf_beta": 3,
    "chrf_eps_smoothing": True,
    "compute_ter": True,
    "bootstrap_samples": 200,
    "ar_trials": 50,
    "seed": 7,
    "baseline": 1,
    "bucket_cutoffs": (5, 15),
}


@pytest.fixture(scope="module")
def corpus():
    c = example_corpus(n_segments=80, seed=3, n_refs=2)
    return [list(r) for r in c.references], {k: list(v) for k, v in c.systems.items()}


def assert_reports_equal(a, b):
    pd.testing.assert_frame_equal(a.corpus, b.corpus)
    pd.testing.assert_frame_equal(a.sentences, b.sentences)
    pd.testing.assert_frame_equal(a.buckets, b.buckets)
    pd.testing.assert_frame_equal(a.wins, b.wins)
    assert a.significance == b.significance and a.signatures == b.signatures
    assert a.systems == b.systems and a.baseline == b.baseline


def test_every_field_is_listed_here():
    assert set(OTHER_VALUES) == {f.name for f in dataclasses.fields(BleuSettings)}


@pytest.mark.parametrize("field", sorted(OTHER_VALUES))
def test_fields_outside_the_extraction_key_leave_statistics_unchanged(corpus, field):
    refs, systems = corpus
    base = BleuSettings(ar_trials=0)
    other = dataclasses.replace(base, **{field: OTHER_VALUES[field]})
    a = extract_stats(base, refs, systems, ("bleu", "chrf"))
    b = extract_stats(other, refs, systems, ("bleu", "chrf"))
    same = all(
        a[m].signature == b[m].signature
        and all(np.array_equal(a[m].by_system[s], b[m].by_system[s]) for s in systems)
        for m in a
    )
    if base.extraction_key() == other.extraction_key():
        assert same, f"{field} changes the statistics but is not in the extraction key"
    else:
        assert not same, f"{field} is in the extraction key but changes nothing extracted"


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"smooth_method": "add-k", "smooth_value": 2.0},
        {"baseline": "weak", "seed": 3, "bootstrap_samples": 300},
        {"bucket_cutoffs": (8, 16, 24)},
    ],
)
def test_report_from_other_settings_statistics_equals_analyse(corpus, changes):
    refs, systems = corpus
    settings = dataclasses.replace(BleuSettings(ar_trials=200), **changes)
    stats = extract_stats(BleuSettings(), refs, systems)  # extracted under the defaults
    assert_reports_equal(report_from_stats(settings, stats), analyse(refs, systems, settings))


def test_with_ter_equals_add_ter(corpus):
    refs, systems = corpus
    report = analyse(refs, systems, BleuSettings(ar_trials=0))
    ter = ter_from_stats(
        extract_stats(report.settings, refs, systems, ("ter",))["ter"], report.settings
    )
    assert_reports_equal(with_ter(report, ter), add_ter(report, refs, systems))


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_is_reported_after_every_block(corpus, workers, monkeypatch):
    monkeypatch.setattr("core.bleu.statistics.extraction.MAX_BLOCK", 16)
    monkeypatch.setattr("core.bleu.statistics.extraction.SPAWN_MIN_LINES", 0)  # workers=2: spawned
    refs, systems = corpus
    seen = []
    extract_stats(
        BleuSettings(),
        refs,
        systems,
        workers=workers,
        on_block=lambda done, total: seen.append((done, total)),
    )
    total = 2 * 5  # two metrics, 80 segments in blocks of 16
    assert seen == [(i, total) for i in range(1, total + 1)]


@pytest.mark.parametrize("ter", [False, True])
def test_renamed_report_equals_the_analysis_under_the_new_names(corpus, ter):
    refs, systems = corpus
    new = {"strong": "ours", "medium": "strong", "weak": "theirs <b>"}  # a name reused, swapped
    settings = BleuSettings(ar_trials=100, baseline="medium")
    report = analyse(refs, systems, settings)
    direct = analyse(
        refs,
        {new[k]: v for k, v in systems.items()},
        dataclasses.replace(settings, baseline=new["medium"]),
    )
    if ter:
        report, direct = (
            add_ter(report, refs, systems),
            add_ter(direct, refs, {new[k]: v for k, v in systems.items()}),
        )
    renamed = report.renamed(new)
    assert_reports_equal(renamed, direct)
    assert renamed.settings == direct.settings and renamed.to_json() == direct.to_json()
    for a, b in ((renamed.bleu_stats, direct.bleu_stats), (renamed.chrf_stats, direct.chrf_stats)):
        assert list(a) == list(b) and all(np.array_equal(a[k], b[k]) for k in a)


def test_renamed_needs_one_distinct_name_per_system(corpus):
    refs, systems = corpus
    report = analyse(refs, systems, BleuSettings(ar_trials=0))
    with pytest.raises(ValueError, match="distinct"):
        report.renamed({"strong": "x", "medium": "x", "weak": "y"})
    with pytest.raises(ValueError, match="distinct"):
        report.renamed({"strong": "x"})


@pytest.mark.parametrize(
    ("method", "value"),
    [("floor", None), ("floor", 0.4), ("add-k", 2.0), ("none", None), ("exp", None)],
)
def test_with_smoothing_equals_the_analysis_with_that_smoothing(corpus, method, value):
    refs, systems = corpus
    settings = BleuSettings(ar_trials=100, baseline="medium")
    direct = analyse(
        refs, systems, dataclasses.replace(settings, smooth_method=method, smooth_value=value)
    )
    smoothed = with_smoothing(analyse(refs, systems, settings), method, value)
    assert_reports_equal(smoothed, direct)
    assert smoothed.settings == direct.settings and smoothed.to_json() == direct.to_json()
