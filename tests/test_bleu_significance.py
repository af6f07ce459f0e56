"""Paired bootstrap and approximate randomization equal sacrebleu's PairedTest (same seed)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sacrebleu.metrics import BLEU, CHRF
from sacrebleu.significance import PairedTest

from core.bleu import BleuSettings, analyse
from core.bleu.reading.built_in_corpus import example_corpus
from core.bleu.statistics import paired_resampling as significance
from tests.test_bleu_anchors import WMT_SYSTEMS, read

pytestmark = pytest.mark.slow  # paired bootstrap and approximate randomization on real data


def sacrebleu_paired(refs, systems, test_type, n, with_chrf=True, tokenize="13a"):
    metrics = {"BLEU": BLEU(tokenize=tokenize, references=refs)}
    if with_chrf:
        metrics["chrF"] = CHRF(references=refs)
    _, scores = PairedTest(list(systems.items()), metrics, None, test_type=test_type, n_samples=n)()
    return {
        name: dict(zip(scores["System"], results, strict=True))
        for name, results in scores.items()
        if name != "System"
    }


def ours(report, metric):
    return {r.system: r for r in report.significance if r.metric == metric}


@pytest.fixture(scope="module")
def generated():
    data = example_corpus(n_segments=150, seed=3, n_refs=2)
    return data.references, data.systems


@pytest.mark.parametrize("seed", ["12345", "4242"])
def test_paired_bootstrap_equals_sacrebleu(generated, monkeypatch, seed):
    monkeypatch.setenv("SACREBLEU_SEED", seed)  # sacrebleu takes its seed from here
    refs, systems = generated
    report = analyse(refs, systems, BleuSettings(ar_trials=0, seed=int(seed)))
    expected = sacrebleu_paired(refs, systems, "bs", 1000)
    for metric, key in (("BLEU", "BLEU"), ("chrF", "chrF2")):
        got = ours(report, metric)
        for name, want in expected[key].items():
            assert got[name].score == want.score
            assert got[name].bs_p_value == want.p_value
            assert got[name].bs_mean == want.mean  # bit-identical, not approximately
            assert got[name].bs_ci == want.ci


def test_chunked_draws_reproduce_sacrebleus_draws(generated, monkeypatch):
    """Force many small chunks: the RNG streams must still be sacrebleu's exactly."""
    monkeypatch.setattr(significance, "MAX_CELLS", 1000)
    for n in (7, 151, 1000):
        chunks = list(significance.bootstrap_index_chunks(n, 200, 12345))
        assert len(chunks) > 1
        want = np.random.default_rng(12345).choice(n, size=(200, n), replace=True)
        np.testing.assert_array_equal(np.concatenate(chunks), want)
    refs, systems = generated
    report = analyse(refs, systems, BleuSettings(ar_trials=300, bootstrap_samples=100))
    expected = sacrebleu_paired(refs, systems, "ar", 300)
    for name, want in expected["BLEU"].items():
        assert ours(report, "BLEU")[name].ar_p_value == want.p_value


def test_approximate_randomization_equals_sacrebleu(generated):
    refs, systems = generated
    report = analyse(refs, systems, BleuSettings(ar_trials=1000, bootstrap_samples=100))
    expected = sacrebleu_paired(refs, systems, "ar", 1000)
    for metric, key in (("BLEU", "BLEU"), ("chrF", "chrF2")):
        for name, want in expected[key].items():
            assert ours(report, metric)[name].ar_p_value == want.p_value


def test_identical_systems_follow_sacrebleu(generated):
    """sacrebleu counts |d| > delta strictly, so a system compared with itself gets the
    smallest p-value, 1 / (S + 1); we reproduce that (the page says "identical" instead)."""
    refs, systems = generated
    twins = {"a": systems["strong"], "b": list(systems["strong"])}
    report = analyse(refs, twins, BleuSettings(ar_trials=200, bootstrap_samples=200))
    b = ours(report, "BLEU")["b"]
    assert b.bs_p_value == sacrebleu_paired(refs, twins, "bs", 200)["BLEU"]["b"].p_value
    assert b.ar_p_value == sacrebleu_paired(refs, twins, "ar", 200)["BLEU"]["b"].p_value
    assert b.bs_p_value == 1 / 201 and b.score == b.baseline_score
    assert report.wins.iloc[0][["wins", "ties", "losses"]].tolist() == [0, 150, 0]


@pytest.mark.slow
def test_wmt17_paired_tests_equal_sacrebleu(sacrebleu_tests_dir):
    folder = sacrebleu_tests_dir / "wmt17-en-de-subset"
    expected = json.loads((folder / "expected_values.json").read_text(encoding="utf-8"))
    refs = [read(folder / "newstest2017-ende-ref.de")]
    systems = {name: read(folder / name) for name in WMT_SYSTEMS}
    report = analyse(
        refs, systems, BleuSettings(tokenize="none", bootstrap_samples=2000), workers=2
    )
    got = ours(report, "BLEU")
    for name in WMT_SYSTEMS[1:]:  # sacrebleu's own results, as recorded with the data
        bs = expected["observed_sacrebleu_2.6.0_subset_bs_n2000"][name]
        ar = expected["observed_sacrebleu_2.6.0_subset_ar_n10000"][name]
        assert got[name].bs_p_value == pytest.approx(bs, abs=5e-5)
        assert got[name].ar_p_value == pytest.approx(ar, abs=5e-5)
    three = {name: systems[name] for name in WMT_SYSTEMS[:3]}
    for test_type, n, field in (("bs", 2000, "bs_p_value"), ("ar", 10000, "ar_p_value")):
        want = sacrebleu_paired(refs, three, test_type, n, with_chrf=False, tokenize="none")
        for name in WMT_SYSTEMS[1:3]:
            assert getattr(got[name], field) == want["BLEU"][name].p_value
        if test_type == "bs":
            for name in WMT_SYSTEMS[:3]:
                assert (got[name].bs_mean, got[name].bs_ci) == (
                    want["BLEU"][name].mean,
                    want["BLEU"][name].ci,
                )


def test_float32_path_repeats_sacrebleus_rounding():
    """Sums beyond 2**24 round in float32; sacrebleu's bootstrap rounds them its way, and so
    do we (the exact float64 count-matrix sums would differ there)."""
    rng = np.random.default_rng(0)
    stats = rng.integers(50_000, 200_000, size=(500, 10))
    idxs = np.random.default_rng(12345).choice(500, size=(40, 500), replace=True)
    stats_np = np.array(stats.tolist(), dtype="float32")
    want = np.array([s.sum(0) for s in stats_np[idxs]])  # sacrebleu's own expression
    got = significance.sacrebleu_float32_sums(
        stats, significance.bootstrap_index_chunks(500, 40, 12345)
    )
    np.testing.assert_array_equal(got, want)
    exact = significance.resampled_sums(stats, significance.bootstrap_index_chunks(500, 40, 12345))
    assert not np.array_equal(exact.astype(np.float32), want)  # the case the path exists for


def test_float32_path_in_analyse_equals_sacrebleu(generated, monkeypatch):
    import core.bleu.breakdowns.significance_vs_baseline as baseline_tests

    monkeypatch.setattr(baseline_tests, "FLOAT32_EXACT", 1)  # take the float32 path always
    refs, systems = generated
    report = analyse(refs, systems, BleuSettings(ar_trials=0, bootstrap_samples=300))
    expected = sacrebleu_paired(refs, systems, "bs", 300)
    for name, want in expected["BLEU"].items():
        got = ours(report, "BLEU")[name]
        assert (got.bs_p_value, got.bs_mean, got.bs_ci) == (want.p_value, want.mean, want.ci)
