"""BleuReport tables and bundle, gap decomposition, matched n-grams, TER, input errors."""

from __future__ import annotations

import json
import math
import os

import numpy as np
import pandas as pd
import pytest
from sacrebleu.metrics import BLEU, TER

from core.bleu import BleuSettings, LineCountError, analyse
from core.bleu.breakdowns.gap_decomposition import decompose_gap
from core.bleu.breakdowns.length_buckets import assign_buckets, bucket_labels
from core.bleu.breakdowns.matched_ngrams import matched_ngrams
from core.bleu.reading.built_in_corpus import example_corpus
from core.bleu.ter import add_ter
from core.workers.priority import BACKGROUND_NICENESS
from tests.test_bleu_scores import random_corpus

FAST = BleuSettings(ar_trials=100, bootstrap_samples=100)


@pytest.fixture(scope="module")
def example():
    data = example_corpus(n_segments=300, seed=1, n_refs=2)
    return data, analyse(data.references, data.systems, FAST, source=data.source)


def test_example_is_deterministic_and_fills_every_bucket(example):
    data, report = example
    again = example_corpus(n_segments=300, seed=1, n_refs=2)
    assert again.systems == data.systems and again.references == data.references
    assert example_corpus(n_segments=300, seed=2).references[0] != data.references[0]
    sizes = report.buckets.drop_duplicates("bucket")["n_sent"]
    assert (sizes > 0).all() and sizes.sum() == 300
    bleu = report.corpus["bleu"]
    assert bleu["strong"] > bleu["medium"] > bleu["weak"]
    assert report.corpus.loc["weak", "bp"] < 1.0


def test_bucket_bleu_is_sacrebleu_on_the_bucket_and_interval_brackets_it(example):
    data, report = example
    lengths = report.sentences.drop_duplicates("segment")["first_ref_len"].to_numpy()
    which = assign_buckets(lengths, FAST.bucket_cutoffs)
    assert bucket_labels((10, 20)) == ["<10", "[10,20)", ">=20"]
    for _, row in report.buckets.iterrows():
        members = np.flatnonzero(which == row["bucket_index"])
        hyps = [data.systems[row["system"]][i] for i in members]
        refs = [[stream[i] for i in members] for stream in data.references]
        assert row["bleu"] == BLEU().corpus_score(hyps, refs).score
        assert row["ci_low"] <= row["bleu"] + 1e-9 or row["n_sent"] < 20
        assert row["ci_low"] <= row["ci_high"]


def test_gap_decomposition_sums_to_log_gap(example):
    _, report = example
    for a, b in (("weak", "strong"), ("strong", "medium")):
        gap = decompose_gap(report, a, b)
        total = sum(gap.order_contributions) + gap.bp_contribution
        assert total == pytest.approx(gap.log_gap, rel=1e-12, abs=1e-12)
        assert gap.log_gap == pytest.approx(
            math.log(report.corpus.loc[b, "bleu"] / report.corpus.loc[a, "bleu"]), rel=1e-12
        )
        assert gap.to_frame()["contribution"].sum() == pytest.approx(gap.log_gap)
    bucket = np.flatnonzero(report.sentences.drop_duplicates("segment")["bucket"] == "[10,20)")
    part = decompose_gap(report, "weak", "strong", segments=bucket)
    assert sum(part.order_contributions) + part.bp_contribution == pytest.approx(part.log_gap)


def test_gap_decomposition_refuses_zero_bleu():
    report = analyse([["a b c d e"]], {"x": ["a b c d e"], "y": ["z"]}, FAST)
    with pytest.raises(ValueError, match="BLEU of 'y' is 0"):
        decompose_gap(report, "x", "y")


@pytest.mark.parametrize(
    "settings", [BleuSettings(), BleuSettings(tokenize="none", lowercase=True)]
)
def test_matched_ngram_counts_equal_sacrebleu_statistics(settings):
    refs, systems = random_corpus(11, n=40, n_refs=2)
    bleu = BLEU(tokenize=settings.tokenize, lowercase=settings.lowercase)
    for hyps in systems.values():
        stats = bleu._extract_corpus_statistics(hyps, refs)
        for i, hyp in enumerate(hyps):
            m = matched_ngrams(hyp, [refs[0][i], refs[1][i]], settings)
            assert list(m.counts) + list(m.totals) == stats[i][2:]
            for match in m.matches:  # each highlighted span really is in that reference
                span = m.hyp_tokens[match.start : match.start + match.order]
                ref = m.ref_tokens[match.ref]
                assert ref[match.ref_start : match.ref_start + match.order] == span


def test_matched_ngrams_clip_and_attribute_references():
    m = matched_ngrams("the the the cat", ["the cat", "the the mat"], BleuSettings())
    assert m.counts[0] == 3  # "the" x2 from ref 2, "cat" from ref 1
    assert m.hyp_coverage(1) == [True, True, False, True]
    assert [(x.start, x.ref) for x in m.matches if x.order == 1] == [(0, 1), (1, 1), (3, 0)]
    assert [(x.start, x.ref) for x in m.matches if x.order == 2] == [(0, 1), (2, 0)]
    assert m.hyp_highest_order() == [2, 2, 2, 2]  # "the the" (ref 2), "the cat" (ref 1)
    assert m.ref_highest_order(1) == [2, 2, 0] and m.ref_highest_order(0) == [2, 2]


def test_add_ter_equals_sacrebleu():
    data = example_corpus(n_segments=30, seed=4, n_refs=2)
    refs, systems = data.references, dict(data.systems)
    systems["weak"] = ["", *systems["weak"][1:]]  # an empty hypothesis too
    report = add_ter(analyse(refs, systems, FAST), refs, systems)
    assert report.ter_computed and "TER" in report.signatures
    for name, hyps in systems.items():
        assert report.corpus.loc[name, "ter"] == TER().corpus_score(hyps, refs).score
        want = [TER().sentence_score(h, [a, b]).score for h, a, b in zip(hyps, *refs, strict=True)]
        np.testing.assert_allclose(report.sentence_scores("ter")[name], want, atol=1e-9)


def test_json_bundle(example):
    _, report = example
    bundle = json.loads(report.to_json(extra={"files": [{"name": "r", "sha256": "0" * 64}]}))
    assert bundle["files"][0]["name"] == "r"
    assert [s["name"] for s in bundle["systems"]] == ["strong", "medium", "weak"]
    first = bundle["systems"][0]
    assert first["ter"] is None and len(first["sentence_bleu"]) == 300
    assert first["bleu"] == report.corpus.loc["strong", "bleu"]
    sig = {s["system"]: s for s in bundle["significance"]}
    assert sig["medium"]["baseline"] == "strong" and 0 < sig["medium"]["p_value"] <= 1
    assert sig["medium"]["chrf"]["metric"] == "chrF"
    assert bundle["settings"] == FAST.to_dict()
    assert BleuSettings.from_dict(bundle["settings"]) == FAST


def test_wins_and_sentence_table(example):
    _, report = example
    for _, row in report.wins.iterrows():
        assert row["wins"] + row["ties"] + row["losses"] == 300
    assert len(report.sentences) == 300 * 3
    assert list(report.sentence_scores("chrf").columns) == ["strong", "medium", "weak"]


def test_line_count_mismatch_is_an_error_not_a_truncation():
    refs, systems = random_corpus(5, n=10, n_refs=1)
    systems["sys1"] = systems["sys1"][:9]
    with pytest.raises(LineCountError, match=r"system 'sys1' has 9 lines .*line 10 is missing"):
        analyse(refs, systems, FAST)
    with pytest.raises(LineCountError, match="source has 11 lines"):
        analyse(refs, {"a": systems["sys0"]}, FAST, source=["x"] * 11)
    with pytest.raises(TypeError, match="list of reference streams"):
        analyse(refs[0], {"a": systems["sys0"]}, FAST)


def test_baseline_by_name_and_bad_settings():
    refs, systems = random_corpus(6, n=20, n_refs=1)
    report = analyse(
        refs, systems, BleuSettings(baseline="sys2", ar_trials=50, bootstrap_samples=50)
    )
    assert report.baseline == "sys2" and set(report.wins["system"]) == {"sys0", "sys1"}
    with pytest.raises(ValueError, match="baseline 'nope'"):
        analyse(refs, systems, BleuSettings(baseline="nope"))
    with pytest.raises(ValueError, match="tokenize must be one of"):
        BleuSettings(tokenize="moses")
    with pytest.raises(ValueError, match="seed must be a whole number from 1"):
        BleuSettings(seed=0)


def _worker_pids(pool) -> set[int]:
    return {w.process.pid for w in pool._pool}


def test_parallel_extraction_equals_in_process_on_kept_spawned_workers(monkeypatch):
    import core.bleu.statistics.extraction as stats
    import core.workers.kept as kept

    monkeypatch.setattr(kept, "_pools", {})  # a pool of this test's own
    monkeypatch.setattr(stats, "SPAWN_MIN_LINES", 0)  # small data, real workers
    refs, systems = random_corpus(9, n=50, n_refs=2)
    one = analyse(refs, systems, FAST, workers=1)
    assert kept._pools == {}  # one worker: in this process
    two = analyse(refs, systems, FAST, workers=2)
    pool = kept.kept_pool(2)
    pids = _worker_pids(pool)
    again = analyse(refs, systems, FAST, workers=2)
    assert kept.kept_pool(2) is pool and _worker_pids(pool) == pids  # kept for the second
    assert pool._ctx.get_start_method() == "spawn"
    for name in systems:
        np.testing.assert_array_equal(one.bleu_stats[name], two.bleu_stats[name])
        np.testing.assert_array_equal(one.chrf_stats[name], two.chrf_stats[name])
        np.testing.assert_array_equal(one.chrf_stats[name], again.chrf_stats[name])
    niceness = min(19, os.getpriority(os.PRIO_PROCESS, 0) + BACKGROUND_NICENESS)
    for pid in pids:  # below the server's priority
        assert os.getpriority(os.PRIO_PROCESS, pid) == niceness
    kept.close(wait=True)


def test_a_killed_worker_is_replaced_and_the_analysis_still_completes(monkeypatch):
    import core.bleu.statistics.extraction as stats
    import core.workers.kept as kept

    monkeypatch.setattr(kept, "_pools", {})
    monkeypatch.setattr(stats, "SPAWN_MIN_LINES", 0)
    refs, systems = random_corpus(4, n=30, n_refs=1)
    first = analyse(refs, systems, FAST, workers=2)
    pool = kept.kept_pool(2)
    killed = _worker_pids(pool)
    for w in list(pool._pool):
        w.process.kill()
        w.process.join()
    second = analyse(refs, systems, FAST, workers=2)
    assert not killed & _worker_pids(pool)  # new workers took their places
    for name in systems:
        np.testing.assert_array_equal(first.bleu_stats[name], second.bleu_stats[name])
    kept.close(wait=True)


def test_concurrent_analyses_do_not_mix_inputs():
    """A server analyses uploads of several sessions in threads at once."""
    from concurrent.futures import ThreadPoolExecutor

    corpora = [random_corpus(20 + i, n=40, n_refs=1) for i in range(4)]
    alone = [analyse(r, s, FAST).corpus["bleu"].tolist() for r, s in corpora]
    with ThreadPoolExecutor(4) as pool:
        together = list(
            pool.map(lambda c: analyse(c[0], c[1], FAST).corpus["bleu"].tolist(), corpora)
        )
    assert together == alone


def test_sentence_scores_are_pivoted_once_per_report_and_callers_cannot_change_them(example):
    _, report = example
    pivoted = report.sentences.pivot(index="segment", columns="system", values="bleu")
    first = report.sentence_scores("bleu")
    pd.testing.assert_frame_equal(first, pivoted[list(report.systems)])
    first[report.systems[0]] = -1.0  # a caller writing into its table ...
    first["extra"] = 0.0
    again = report.sentence_scores("bleu")  # ... changes nobody else's
    assert "extra" not in again
    pd.testing.assert_frame_equal(again, pivoted[list(report.systems)])
    assert again is not report.sentence_scores("bleu")
    renamed = report.renamed({s: f"sys {s}" for s in report.systems})
    assert list(renamed.sentence_scores("bleu").columns) == [f"sys {s}" for s in report.systems]
    chrf = report.sentence_scores("chrf")
    assert not chrf.equals(again)
