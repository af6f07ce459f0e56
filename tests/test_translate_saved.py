"""Saved translators and the `python -m core.translate` command line."""

from __future__ import annotations

import json

import numpy as np
import pytest
from translate_helpers import copy_corpus

from core.bleu.__main__ import main as bleu_main
from core.translate.__main__ import build_parser, main
from core.translate.config import TranslateConfig
from core.translate.preprocess import prepare
from core.translate.saved import SavedModelError, load_model, save_model
from core.translate.train import train_model
from core.translate.translator import translate_text


@pytest.fixture(scope="module")
def trained():
    corpus = copy_corpus(n=120)
    cfg = TranslateConfig(
        models=("rnn",), embed=8, hidden=8, attention=True, epochs=2, batch_size=16
    )
    return corpus, train_model(prepare(corpus, cfg), cfg, "rnn")


def test_a_saved_model_reloads_with_the_same_translations(trained, tmp_path):
    corpus, model = trained
    path = save_model(model, tmp_path / "rnn.json")
    again = load_model(path)
    assert again.spec == model.spec and again.config == model.config
    assert again.history.checkpoints == model.history.checkpoints
    sentences = list(corpus.test.source)
    for beam in (1, 3):
        assert (
            translate_text(again.params, again.spec, again.codec, sentences, beam).text
            == translate_text(model.params, model.spec, model.codec, sentences, beam).text
        )


def test_pickled_weights_are_refused(trained, tmp_path):
    _, model = trained
    path = save_model(model, tmp_path / "m.json")
    weights = dict(np.load(path.with_suffix(".npz")))
    weights["out.W"] = np.array([{"evil": 1}], dtype=object)
    np.savez(path.with_suffix(".npz"), **weights)
    with pytest.raises(SavedModelError, match="m.npz: out.W holds object values"):
        load_model(path)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.update(format="other"), "not a saved translator"),
        (lambda d: d.pop("codec"), "missing or malformed field"),
        (lambda d: d["spec"].update(hidden=99), r"m.npz: .* has shape \(.*\), expected"),
    ],
)
def test_malformed_saved_models_name_the_problem(trained, tmp_path, change, message):
    _, model = trained
    path = save_model(model, tmp_path / "m.json")
    d = json.loads(path.read_text(encoding="utf-8"))
    change(d)
    path.write_text(json.dumps(d), encoding="utf-8")
    with pytest.raises(SavedModelError, match=message):
        load_model(path)


def test_missing_weights_are_named(trained, tmp_path):
    _, model = trained
    path = save_model(model, tmp_path / "m.json")
    path.with_suffix(".npz").unlink()
    with pytest.raises(SavedModelError, match="m.npz are missing"):
        load_model(path)


def test_help_documents_every_flag(capsys):
    for command in ("train", "translate"):
        with pytest.raises(SystemExit):
            build_parser().parse_args([command, "--help"])
        out = capsys.readouterr().out
        for flag in (
            ("--models", "--time-budget", "--attention", "--out")
            if command == "train"
            else ("--input", "--output", "--beam")
        ):
            assert flag in out


def test_cli_trains_writes_files_that_core_bleu_scores(tmp_path, capsys):
    corpus = copy_corpus(n=120)
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text(
        "".join(
            f"{s}\t{t}\tCC-BY\n"
            for s, t in zip(corpus.train.source, corpus.train.target, strict=True)
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    code = main(
        [
            "train",
            "--pairs",
            str(pairs),
            "--models",
            "rnn",
            "gru",
            "--epochs",
            "1",
            "--embed",
            "8",
            "--hidden",
            "8",
            "--seed",
            "1",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "rnn: dev BLEU" in printed and "gru: dev BLEU" in printed and "test BLEU" in printed
    test_lines = (out / "test.src").read_text(encoding="utf-8").splitlines()
    assert len(test_lines) == len((out / "test.ref").read_text(encoding="utf-8").splitlines())
    for name in ("rnn", "gru"):
        assert len((out / f"{name}.hyp").read_text(encoding="utf-8").splitlines()) == len(
            test_lines
        )
        assert (out / f"{name}.json").is_file() and (out / f"{name}.npz").is_file()
    assert (
        bleu_main(
            [
                "--ref",
                str(out / "test.ref"),
                "--sys",
                str(out / "rnn.hyp"),
                "--sys",
                str(out / "gru.hyp"),
                "--src",
                str(out / "test.src"),
            ]
        )
        == 0
    )
    translated = tmp_path / "t.txt"
    assert (
        main(
            [
                "translate",
                str(out / "gru.json"),
                "--input",
                str(out / "test.src"),
                "--output",
                str(translated),
                "--beam",
                "2",
            ]
        )
        == 0
    )
    assert len(translated.read_text(encoding="utf-8").splitlines()) == len(test_lines)


def test_cli_reports_bad_input_by_file_and_line(tmp_path, capsys):
    bad = tmp_path / "bad.tsv"
    bad.write_bytes(b"a\tb\nno tab\n")
    assert main(["train", "--pairs", str(bad), "--out", str(tmp_path / "o")]) == 2
    assert "bad.tsv, line 2: no tab" in capsys.readouterr().err


def test_cli_aligned_files_with_given_dev_and_test_sets_and_reversed_direction(tmp_path):
    corpus = copy_corpus(n=100)
    files = {}
    for split in ("train", "dev", "test"):
        pairs = getattr(corpus, split)
        for side, lines in (("src", pairs.source), ("tgt", [s.upper() for s in pairs.target])):
            files[f"{split}.{side}"] = tmp_path / f"{split}.{side}"
            files[f"{split}.{side}"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(
        [
            "train",
            "--src",
            str(files["train.src"]),
            "--tgt",
            str(files["train.tgt"]),
            "--dev-src",
            str(files["dev.src"]),
            "--dev-tgt",
            str(files["dev.tgt"]),
            "--test-src",
            str(files["test.src"]),
            "--test-tgt",
            str(files["test.tgt"]),
            "--reverse-direction",
            "--models",
            "rnn",
            "--epochs",
            "1",
            "--embed",
            "4",
            "--hidden",
            "4",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert (out / "test.src").read_text(encoding="utf-8") == files["test.tgt"].read_text(
        encoding="utf-8"
    )  # reversed: target -> source
    assert (out / "test.ref").read_text(encoding="utf-8") == files["test.src"].read_text(
        encoding="utf-8"
    )
    assert (
        main(
            [
                "train",
                "--src",
                str(files["train.src"]),
                "--tgt",
                str(files["dev.tgt"]),
                "--out",
                str(out),
            ]
        )
        == 2
    )  # different line counts
