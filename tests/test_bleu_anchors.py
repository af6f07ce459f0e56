"""Outside truth: sacrebleu's own test vectors, WMT17 official BLEU, compare-mt's TED example."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.bleu import BleuSettings, analyse
from core.bleu.statistics.scores_from_stats import bleu_rows
from core.bleu.ter import ter_scores

pytestmark = pytest.mark.slow  # real TED and WMT17 files scored against sacrebleu

FAST = dict(ar_trials=0, bootstrap_samples=20)
WMT_SYSTEMS = [
    "newstest2017.LIUM-NMT.4900.en-de",
    "newstest2017.uedin-nmt.4722.en-de",
    "newstest2017.LMU-nmt-reranked.4934.en-de",
    "newstest2017.online-B.0.en-de",
    "newstest2017.xmu.4910.en-de",
    "newstest2017.PROMT-Rule-based.4735.en-de",
]


def read(path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:-1]


@pytest.fixture(scope="module")
def vectors(sacrebleu_tests_dir):
    return json.loads((sacrebleu_tests_dir / "test_vectors.json").read_text(encoding="utf-8"))


def _settings(kwargs: dict, **extra) -> BleuSettings:
    names = {
        "tokenize": "tokenize",
        "lowercase": "lowercase",
        "max_ngram_order": "max_ngram_order",
        "smooth_method": "smooth_method",
        "smooth_value": "smooth_value",
        "char_order": "chrf_char_order",
        "word_order": "chrf_word_order",
        "beta": "chrf_beta",
        "eps_smoothing": "chrf_eps_smoothing",
    }
    ignored = {"effective_order"}  # sentence BLEU always uses the effective order
    mapped = {names[k]: v for k, v in kwargs.items() if k not in ignored}
    return BleuSettings(**{**FAST, **extra, **mapped})


def test_corpus_bleu_vectors(vectors):
    for v in vectors["corpus_bleu"] + vectors["bleu_max_ngram_order"]:
        kwargs = {k: x for k, x in v["kwargs"].items() if k != "smooth_method"}  # corpus: exp
        report = analyse(v["refs"], {"hyp": v["hyps"]}, _settings(kwargs))
        assert report.corpus.loc["hyp", "bleu"] == pytest.approx(
            v["expected"], abs=max(v["tolerance"], 0.005 if "max_ngram_order" in kwargs else 0)
        )


def test_bleu_from_statistics_vectors(vectors):
    for v in vectors["compute_bleu_from_stats"]:
        row = [v["sys_len"], v["ref_len"], *v["correct"], *v["total"]]
        got = bleu_rows(np.array([row]), 4, v["smooth_method"], v.get("smooth_value"))[0]
        assert got == pytest.approx(v["expected"], abs=v["tolerance"])


def test_sentence_bleu_vectors(vectors):
    for v in vectors["sentence_bleu"]:
        refs = [[r] for r in v["refs"]]
        report = analyse(refs, {"hyp": [v["hyp"]]}, _settings(v["kwargs"]))
        assert report.sentences["bleu"].iloc[0] == pytest.approx(v["expected"], abs=v["tolerance"])


def test_chrf_vectors(vectors):
    for v in vectors["chrf_corpus_eps_smoothing"]:
        report = analyse(v["refs"], {"hyp": v["hyps"]}, _settings(v["kwargs"]))
        assert report.corpus.loc["hyp", "chrf"] == pytest.approx(v["expected"], abs=v["tolerance"])
    for v in vectors["chrf_sentence"]:
        report = analyse([[r] for r in v["refs"]], {"hyp": [v["hyp"]]}, _settings(v["kwargs"]))
        assert report.sentences["chrf"].iloc[0] == pytest.approx(v["expected"], abs=v["tolerance"])


def test_ter_vectors(vectors):
    for v in vectors["ter_corpus"]:
        got = ter_scores(v["refs"], {"hyp": v["hyps"]}).corpus["hyp"]
        assert got == pytest.approx(v["expected"], abs=v["tolerance"])


def test_bleu_raw_statistics_vector(vectors):
    v = vectors["bleu_raw_stats"][0]
    report = analyse([[v["ref"]]], {"hyp": [v["hyp"]]}, BleuSettings(**FAST))
    assert report.bleu_stats["hyp"][0].tolist() == v["observed_stats"]


def test_other_tools_vector(vectors):
    v = vectors["corpus_bleu_from_other_tools"][0]
    report = analyse(v["refs"], {"hyp": v["hyps"]}, BleuSettings(**FAST))
    assert report.corpus.loc["hyp", "bleu"] == pytest.approx(v["expected"], abs=v["tolerance"])


@pytest.fixture(scope="module")
def wmt17(sacrebleu_tests_dir):
    folder = sacrebleu_tests_dir / "wmt17-en-de-subset"
    expected = json.loads((folder / "expected_values.json").read_text(encoding="utf-8"))
    systems = {name: read(folder / name) for name in WMT_SYSTEMS}
    return read(folder / "newstest2017-ende-ref.de"), systems, expected


def test_wmt17_official_bleu(wmt17):
    ref, systems, expected = wmt17
    report = analyse([ref], systems, BleuSettings(**FAST), workers=2)
    for name in WMT_SYSTEMS:
        official = expected["bleu_13a_default_expected_mteval_v13a_all16"][name]
        assert round(report.corpus.loc[name, "bleu"], 2) == official


@pytest.fixture(scope="module")
def ted(ted_dir):
    expected = json.loads((ted_dir / "expected_values.json").read_text(encoding="utf-8"))
    return ted_dir, expected


@pytest.mark.parametrize(
    "kind,suffix,tokenize",
    [("tokenized_files_tok_none", "eng", "none"), ("detok_files_tok_13a", "detok.eng", "13a")],
)
def test_ted_corpus_and_significance(ted, kind, suffix, tokenize):
    folder, expected = ted
    refs = [read(folder / f"ted.ref.{suffix}")]
    systems = {s: read(folder / f"ted.{s}.{suffix}") for s in ("sys1", "sys2")}
    report = analyse(refs, systems, BleuSettings(tokenize=tokenize, ar_trials=10000))
    for name in systems:
        want, row = expected["corpus"][kind][name], report.corpus.loc[name]
        assert row["bleu"] == pytest.approx(want["bleu"], abs=1e-4)
        assert [row[f"p{n}"] for n in range(1, 5)] == pytest.approx(want["precisions"], abs=1e-4)
        assert row["bp"] == pytest.approx(want["bp"], abs=1e-4)
        assert (row["hyp_len"], row["ref_len"]) == (want["sys_len"], want["ref_len"])
        if "chrF2" in want:
            assert row["chrf"] == pytest.approx(want["chrF2"], abs=1e-4)
    assert report.signatures["BLEU"] == expected["corpus"][kind]["signature"]
    sig = expected["significance"][kind]
    bleu = {r.system: r for r in report.significance if r.metric == "BLEU"}
    assert bleu["sys2"].bs_p_value == pytest.approx(sig["paired_bs_n1000_seed12345"]["p"])
    assert bleu["sys2"].ar_p_value == pytest.approx(sig["paired_ar_n10000_seed12345"]["p"])
    for name in systems:
        assert bleu[name].bs_mean == pytest.approx(
            sig["paired_bs_n1000_seed12345"][f"{name}_mean"], abs=1e-4
        )
        assert bleu[name].bs_ci == pytest.approx(
            sig["paired_bs_n1000_seed12345"][f"{name}_ci"], abs=1e-4
        )


@pytest.mark.slow
def test_ted_ter(ted):
    folder, expected = ted
    systems = {s: read(folder / f"ted.{s}.detok.eng") for s in ("sys1", "sys2")}
    ter = ter_scores([read(folder / "ted.ref.detok.eng")], systems, workers=2)
    for name in systems:
        want = expected["corpus"]["detok_files_tok_13a"][name]["TER"]
        assert ter.corpus[name] == pytest.approx(want, abs=1e-4)


def test_ted_sentences_wins_and_buckets(ted):
    folder, expected = ted
    detok = {s: read(folder / f"ted.{s}.detok.eng") for s in ("sys1", "sys2")}
    report = analyse([read(folder / "ted.ref.detok.eng")], detok, BleuSettings(**FAST))
    want = expected["sentence_bleu_detok_13a_effective_order"]
    sent = report.sentence_scores("bleu")
    assert sent["sys1"].mean() == pytest.approx(want["mean_sys1"], abs=1e-4)
    assert sent["sys2"].mean() == pytest.approx(want["mean_sys2"], abs=1e-4)
    np.testing.assert_allclose(sent["sys1"][:5], want["first5_sys1"], atol=1e-4)
    np.testing.assert_allclose(sent["sys2"][:5], want["first5_sys2"], atol=1e-4)
    wins = report.wins.set_index("system").loc["sys2"]
    assert (wins["wins"], wins["losses"], wins["ties"]) == (
        want["n_sys2_better"],
        want["n_sys1_better"],
        want["n_tie"],
    )

    tok = {s: read(folder / f"ted.{s}.eng") for s in ("sys1", "sys2")}
    report = analyse([read(folder / "ted.ref.eng")], tok, BleuSettings(tokenize="none", **FAST))
    table = report.buckets.set_index(["bucket", "system"])
    for label, want in expected["bleu_by_ref_length_bucket_tokenized_tok_none"].items():
        assert table.loc[(label, "sys1"), "n_sent"] == want["n_sent"]
        for s in ("sys1", "sys2"):
            assert table.loc[(label, s), "bleu"] == pytest.approx(want[f"bleu_{s}"], abs=1e-4)
