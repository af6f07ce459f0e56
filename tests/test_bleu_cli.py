"""`python -m core.bleu` run as users run it: numbers, JSON bundle, and bad input."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sacrebleu.metrics import BLEU, CHRF
from sacrebleu.significance import PairedTest

from core.bleu.reading.built_in_corpus import example_corpus

pytestmark = pytest.mark.slow  # the command line in subprocesses

REPO = Path(__file__).resolve().parents[1]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "core.bleu", *map(str, args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    data = example_corpus(n_segments=120, seed=5, n_refs=2)
    paths = {}
    for j, stream in enumerate(data.references):
        paths[f"ref{j}"] = folder / f"ref{j}.txt"
        paths[f"ref{j}"].write_text("\n".join(stream) + "\n", encoding="utf-8")
    for name, lines in data.systems.items():
        paths[name] = folder / f"{name}.txt"
        paths[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder, data, paths


def test_cli_json_equals_sacrebleu(files):
    folder, data, paths = files
    out = folder / "out.json"
    proc = run_cli(
        "--ref",
        paths["ref0"],
        "--ref",
        paths["ref1"],
        "--sys",
        paths["medium"],
        "--sys",
        paths["strong"],
        "--sys",
        paths["weak"],
        "--ar-trials",
        "500",
        "--json",
        out,
    )
    assert proc.returncode == 0, proc.stderr
    assert "medium.txt" in proc.stdout and "(baseline)" in proc.stdout
    bundle = json.loads(out.read_text(encoding="utf-8"))
    refs = data.references
    systems = {f"{s}.txt": data.systems[s] for s in ("medium", "strong", "weak")}
    by_name = {s["name"]: s for s in bundle["systems"]}
    assert list(by_name) == list(systems)
    bleu_sent = BLEU(effective_order=True)
    for name, hyps in systems.items():
        entry = by_name[name]
        assert entry["bleu"] == BLEU().corpus_score(hyps, refs).score
        assert entry["chrf"] == pytest.approx(CHRF().corpus_score(hyps, refs).score, abs=1e-9)
        assert entry["ter"] is None
        want = [
            bleu_sent.sentence_score(h, [r0, r1]).score
            for h, r0, r1 in zip(hyps, *refs, strict=True)
        ]
        assert entry["sentence_bleu"] == pytest.approx(want, abs=1e-9)
    _, scores = PairedTest(
        list(systems.items()), {"BLEU": BLEU(references=refs)}, None, test_type="bs"
    )()
    expected = dict(zip(scores["System"], scores["BLEU"], strict=True))
    assert [s["system"] for s in bundle["significance"]] == ["strong.txt", "weak.txt"]
    for entry in bundle["significance"]:
        want = expected[entry["system"]]
        assert entry["baseline"] == "medium.txt"
        assert entry["p_value"] == want.p_value
        assert entry["ci95"] == [want.mean - want.ci, want.mean + want.ci]
    digests = {f["path"]: f["sha256"] for f in bundle["files"]}
    assert digests[str(paths["weak"])] == hashlib.sha256(paths["weak"].read_bytes()).hexdigest()


def test_cli_ter_and_tokenize_none(files):
    folder, data, paths = files
    out = folder / "ter.json"
    proc = run_cli(
        "--ref",
        paths["ref0"],
        "--sys",
        paths["weak"],
        "--tokenize",
        "none",
        "--lowercase",
        "--ter",
        "--json",
        out,
    )
    assert proc.returncode == 0, proc.stderr
    entry = json.loads(out.read_text(encoding="utf-8"))["systems"][0]
    refs = [data.references[0]]
    hyps = data.systems["weak"]
    assert entry["bleu"] == BLEU(tokenize="none", lowercase=True).corpus_score(hyps, refs).score
    from sacrebleu.metrics import TER

    assert entry["ter"] == pytest.approx(TER().corpus_score(hyps, refs).score, abs=1e-9)


def test_cli_smoothing_value_equals_sacrebleu(files):
    folder, data, paths = files
    out = folder / "floor.json"
    proc = run_cli(
        "--ref",
        paths["ref0"],
        "--sys",
        paths["weak"],
        "--smooth",
        "floor",
        "--smooth-value",
        "0.4",
        "--ar-trials",
        "0",
        "--json",
        out,
    )
    assert proc.returncode == 0, proc.stderr
    entry = json.loads(out.read_text(encoding="utf-8"))["systems"][0]
    bleu = BLEU(effective_order=True, smooth_method="floor", smooth_value=0.4)
    want = [
        bleu.sentence_score(h, [r]).score
        for h, r in zip(data.systems["weak"], data.references[0], strict=True)
    ]
    assert entry["sentence_bleu"] == pytest.approx(want, abs=1e-9)
    default = BLEU(effective_order=True, smooth_method="floor")
    assert want != [
        default.sentence_score(h, [r]).score
        for h, r in zip(data.systems["weak"], data.references[0], strict=True)
    ]


def _assert_one_line_error(proc, *fragments):
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1, proc.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_cli_line_count_mismatch_names_file_and_line(files, tmp_path):
    _, _, paths = files
    short = tmp_path / "short.txt"
    short.write_text(
        "\n".join(paths["strong"].read_text(encoding="utf-8").split("\n")[:100]) + "\n",
        encoding="utf-8",
    )
    proc = run_cli("--ref", paths["ref0"], "--sys", paths["strong"], "--sys", short)
    _assert_one_line_error(proc, "short.txt", "100", "120", "line 101")


def test_cli_non_utf8_names_file_and_line(files, tmp_path):
    _, _, paths = files
    latin = tmp_path / "latin.txt"
    latin.write_bytes(b"first line\nZ\xfcrich second\n")
    ref = tmp_path / "ref.txt"
    ref.write_text("first line\nZurich second\n", encoding="utf-8")
    proc = run_cli("--ref", ref, "--sys", latin)
    _assert_one_line_error(proc, "latin.txt", "line 2")


def test_cli_missing_file(tmp_path):
    proc = run_cli("--ref", tmp_path / "nope.txt", "--sys", tmp_path / "nope2.txt")
    _assert_one_line_error(proc, "nope.txt")


def test_cli_json_has_word_accuracy_and_ngram_differences(files):
    from core.bleu.breakdowns.accuracy_by_frequency import word_accuracy
    from core.bleu.breakdowns.compare_mt_tokens import line_words
    from core.bleu.breakdowns.ngram_difference import ngram_differences
    from core.bleu.settings import BleuSettings

    folder, data, paths = files
    train = folder / "train.txt"
    train.write_text("\n".join(data.references[1] * 3) + "\n", encoding="utf-8")
    out = folder / "words.json"
    proc = run_cli(
        "--ref",
        paths["ref0"],
        "--sys",
        paths["medium"],
        "--sys",
        paths["weak"],
        "--ar-trials",
        "0",
        "--bootstrap",
        "10",
        "--freq-corpus",
        train,
        "--json",
        out,
    )
    assert proc.returncode == 0, proc.stderr
    bundle = json.loads(out.read_text(encoding="utf-8"))
    settings = BleuSettings()
    ref = line_words(data.references[0], settings)
    outs = {f"{s}.txt": line_words(data.systems[s], settings) for s in ("medium", "weak")}
    acc = word_accuracy(ref, outs, freq_corpus=line_words(data.references[1] * 3, settings))
    assert bundle["word_accuracy"] == acc.to_list()
    assert [e["bucket"] for e in bundle["word_accuracy"]][:2] == ["<1", "1"]
    assert sum(e["count"] for e in bundle["word_accuracy"]) == sum(map(len, ref))
    (diff,) = bundle["ngram_differences"]
    assert (diff["a"], diff["b"]) == ("medium.txt", "weak.txt")
    want = ngram_differences(ref, outs)[0].to_dict()
    assert diff["a_better"] == [list(r) for r in want["a_better"]]
    assert diff["b_better"] == [list(r) for r in want["b_better"]]


def test_cli_pairwise_equals_sacrebleu_for_every_pair(files):
    folder, data, paths = files
    out = folder / "pairs.json"
    names = ("medium", "strong", "weak")
    proc = run_cli(
        "--ref",
        paths["ref0"],
        *(a for n in names for a in ("--sys", paths[n])),
        "--bootstrap",
        "200",
        "--ar-trials",
        "200",
        "--pairwise",
        "--json",
        out,
    )
    assert proc.returncode == 0, proc.stderr
    pairs = json.loads(out.read_text(encoding="utf-8"))["pairwise_significance"]
    each = [("medium.txt", "strong.txt"), ("medium.txt", "weak.txt"), ("strong.txt", "weak.txt")]
    assert [(p["metric"], p["a"], p["b"]) for p in pairs] == [
        (m, a, b) for m in ("BLEU", "chrF") for a, b in each
    ]
    refs = [data.references[0]]
    for p in pairs:
        two = [(p["a"], data.systems[p["a"][:-4]]), (p["b"], data.systems[p["b"][:-4]])]
        metric = BLEU(references=refs) if p["metric"] == "BLEU" else CHRF(references=refs)
        for test_type, key in (("bs", "bs_p_value"), ("ar", "ar_p_value")):
            _, scores = PairedTest(
                two, {p["metric"]: metric}, None, test_type=test_type, n_samples=200
            )()
            (result,) = [v for k, v in scores.items() if k != "System"]  # BLEU or chrF2
            assert p[key] == result[1].p_value
