"""Helpers for the BLEU page's AppTest tests: open the page, upload, read the corpus table and
the messages, compare with sacrebleu, and generated files with two references and six systems."""

from __future__ import annotations

import math

import pandas as pd
import sacrebleu
from streamlit.testing.v1 import AppTest

from core.bleu.reading.built_in_corpus import example_corpus
from tests.apptest_helpers import shown

APP = "../dashboard/app.py"  # relative to this folder, as AppTest resolves it
TEXT = "text/plain"
TED = ("ted.ref.detok.eng", "ted.sys1.detok.eng", "ted.sys2.detok.eng")


def open_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("views/bleu/bleu.py").run()
    assert not at.exception
    return at


def upload(at: AppTest, key: str, files) -> AppTest:
    at.file_uploader(key=key).set_value(files).run()
    assert not at.exception, at.exception
    return at


def as_bytes(lines: list[str]) -> bytes:
    return "".join(line + "\n" for line in lines).encode("utf-8")


def read_lines(data: bytes) -> list[str]:
    """As sacrebleu's command line reads a file."""
    return [line.rstrip() for line in data.decode("utf-8").split("\n")[:-1]]


def corpus_table(at: AppTest) -> pd.DataFrame | None:
    for df in at.dataframe:
        value = df.value
        if value.index.name == "system" and "BLEU" in value.columns:
            return value
    return None


def messages(at: AppTest, kind: str = "error") -> list[str]:
    return [shown(e.value) for e in getattr(at, kind)]


def assert_scores_equal_sacrebleu(at, systems: dict[str, list[str]], refs: list[list[str]]):
    table = corpus_table(at)
    assert table is not None, messages(at)
    assert list(table.index) == list(systems)
    for name, hyps in systems.items():
        bleu = sacrebleu.corpus_bleu(hyps, refs).score
        chrf = sacrebleu.corpus_chrf(hyps, refs).score
        assert math.isclose(table.loc[name, "BLEU"], bleu, rel_tol=0, abs_tol=1e-9)
        assert math.isclose(table.loc[name, "chrF"], chrf, rel_tol=0, abs_tol=1e-9)
    return table


def generated_files():
    """Two references and six systems (three generated, three derived), as file bytes."""
    c = example_corpus(n_segments=150, seed=7, n_refs=2)
    strong, medium, weak = c.systems["strong"], c.systems["medium"], c.systems["weak"]
    systems = {
        "strong.txt": strong,
        "medium.txt": medium,
        "weak.txt": weak,
        "strong-lower.txt": [s.lower() for s in strong],
        "medium-short.txt": [
            " ".join(s.split()[: max(1, len(s.split()) * 2 // 3)]) for s in medium
        ],
        "mixed.txt": [s if i % 2 else w for i, (s, w) in enumerate(zip(strong, weak, strict=True))],
    }
    return {
        "refs": {f"ref{j + 1}.txt": as_bytes(r) for j, r in enumerate(c.references)},
        "systems": {name: as_bytes(lines) for name, lines in systems.items()},
        "source": as_bytes(c.source),
    }


def upload_generated(at, generated, n_systems=6):
    upload(at, "bleu_up_refs", [(n, b, TEXT) for n, b in generated["refs"].items()])
    chosen = list(generated["systems"].items())[:n_systems]
    return upload(at, "bleu_up_sys", [(n, b, TEXT) for n, b in chosen])


def generated_lines(generated, n_systems=6):
    refs = [read_lines(b) for b in generated["refs"].values()]
    systems = {n: read_lines(b) for n, b in list(generated["systems"].items())[:n_systems]}
    return refs, systems
