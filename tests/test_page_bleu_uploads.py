"""Uploads on the BLEU page that go wrong, one test per kind, through the whole app (AppTest).

Each case gives a clear message naming the file (and the line where one applies), no traceback,
and leaves earlier files, their scores and a trained run in place. Accepted variants (UTF-8 BOM,
CRLF, UTF-16 with BOM) score exactly like the clean file. The upload cap is tested in the browser
(tests/e2e/test_bleu_page.py): AppTest does not enforce it. The TED test uses the anchor data
(skipped without it); the generated-data tests check the same properties without it.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from dataclasses import dataclass

import pytest
import sacrebleu
from streamlit.testing.v1 import AppTest

from core.bleu.reading.built_in_corpus import example_corpus
from core.train.config import RunConfig
from core.train.loop import train
from dashboard.session import state
from tests.apptest_helpers import shown
from tests.bleu_page_helpers import (
    APP,
    TED,
    TEXT,
    as_bytes,
    assert_scores_equal_sacrebleu,
    corpus_table,
    generated_files,
    generated_lines,
    messages,
    open_page,
    read_lines,
    upload,
)

pytestmark = pytest.mark.slow  # the app driven through AppTest


@pytest.fixture(autouse=True)
def fresh_cache(fresh_caches):
    """Every test starts without cached uploads, reports or statistics."""


@pytest.fixture(scope="module")
def generated():
    return generated_files()


def test_ted_mismatch_and_latin1_name_file_and_line_and_keep_uploads(ted_dir):
    ref, sys1 = (ted_dir / TED[0]).read_bytes(), (ted_dir / TED[1]).read_bytes()
    short = b"".join(sys1.splitlines(keepends=True)[:2000])
    check_mismatch_and_bad_encoding(ref, sys1, short, n_lines=2445)


def test_generated_mismatch_and_non_utf8_keep_uploads(generated):
    ref = generated["refs"]["ref1.txt"]
    good = generated["systems"]["strong.txt"]
    short = b"".join(good.splitlines(keepends=True)[:-3])
    check_mismatch_and_bad_encoding(ref, good, short, n_lines=150)


def check_mismatch_and_bad_encoding(ref, good, short, n_lines):
    """A short system is marked and left out, both counts named, the other system scored; a
    Latin-1 line 3 names the file and line and leaves the readable system scored; earlier
    uploads stay throughout."""
    lines = good.splitlines(keepends=True)
    latin = b"".join([*lines[:2], "caf\u00e9 ".encode("latin-1") + lines[2], *lines[3:]])
    at = open_page()
    upload(at, "bleu_up_refs", ("ref.txt", ref, TEXT))
    upload(at, "bleu_up_sys", ("good.txt", good, TEXT))
    assert corpus_table(at) is not None
    upload(at, "bleu_up_sys", [("good.txt", good, TEXT), ("short.txt", short, TEXT)])
    n_short = len(short.splitlines())
    (warn,) = [m for m in messages(at, "warning") if "Line counts differ" in m]
    assert f"ref.txt: {n_lines} lines" in warn and f"short.txt: {n_short} lines" in warn
    assert f"good.txt: {n_lines} lines" in warn and "short.txt left out of scoring" in warn
    (err,) = [m for m in messages(at) if m.startswith("short.txt has")]
    assert f"line {n_short + 1} is missing" in err
    assert list(corpus_table(at).index) == ["good.txt"]  # left out, not truncated
    short_box = next(e for e in at.expander if "short.txt" in shown(e.label))
    assert short_box.icon == ":material/error:"  # marked red, like an unreadable file
    labels = [shown(e.label) for e in at.expander]
    assert any("ref.txt" in x for x in labels) and any("good.txt" in x for x in labels)
    assert at.file_uploader(key="bleu_up_refs").value  # the earlier upload is still there

    upload(at, "bleu_up_sys", [("good.txt", good, TEXT), ("latin.txt", latin, TEXT)])
    (err,) = [m for m in messages(at) if "latin.txt" in m]
    assert "latin.txt is not valid UTF-8: line 3, byte 4 of the line" in err
    assert "1 line(s) affected (3)" in err and "Latin-1" in err
    table = corpus_table(at)  # the readable system is still scored
    assert list(table.index) == ["good.txt"]
    expected = sacrebleu.corpus_bleu(read_lines(good), [read_lines(ref)]).score
    assert math.isclose(table.loc["good.txt", "BLEU"], expected, abs_tol=1e-9)


def test_tsv_table_upload_scores_and_ragged_rows(generated):
    refs, systems = generated_lines(generated, 2)
    rows = ["ref\t" + "\t".join(systems)]
    rows += ["\t".join(cells) for cells in zip(refs[0], *systems.values(), strict=True)]
    at = open_page()
    upload(at, "bleu_up_table", ("all.tsv", "\n".join(rows).encode() + b"\n", TEXT))
    assert_scores_equal_sacrebleu(at, systems, refs[:1])
    rows[5] = rows[5].rsplit("\t", 1)[0]
    upload(at, "bleu_up_table", ("all.tsv", "\n".join(rows).encode() + b"\n", TEXT))
    assert any("all.tsv: 1 row(s)" in m and "line 6 has 2" in m for m in messages(at))
    assert corpus_table(at) is None


def test_jsonl_bad_line_named():
    data = b'{"ref": "a b", "sys": "a b"}\n{"ref": "c d", "sys": \n'
    at = upload(open_page(), "bleu_up_table", ("t.jsonl", data, TEXT))
    assert any("t.jsonl: line 2 is not valid JSON" in m for m in messages(at))


# --- every kind of bad file, with a trained run in the session -------------------------------


N = 40  # segments in the generated files


CORPUS = example_corpus(n_segments=N, seed=21)
REF_LINES = CORPUS.references[0]
GOOD_LINES = CORPUS.systems["medium"]
REF, GOOD = as_bytes(REF_LINES), as_bytes(GOOD_LINES)
GOOD_BLEU = sacrebleu.corpus_bleu(GOOD_LINES, [REF_LINES]).score


@dataclass(frozen=True)
class Case:
    name: str  # uploaded file name
    data: bytes
    words: str  # must appear in one message (names the file, and the line if any)
    scored: bool  # is the file scored as a system?
    uploader: str = "bleu_up_sys"
    blocks: bool = False  # does it stop all scoring until removed?


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("system.txt", GOOD.decode())
    return buf.getvalue()


def _latin1() -> bytes:
    lines = GOOD_LINES.copy()
    lines[2] = "d\u00e9j\u00e0 vu " + lines[2]
    return "".join(f"{s}\n" for s in lines).encode("latin-1", errors="replace")


def _tsv_ragged() -> bytes:
    rows = ["ref\tmt"] + [f"{r}\t{h}" for r, h in zip(REF_LINES, GOOD_LINES, strict=True)]
    rows[4] = REF_LINES[3]  # line 5: the system cell is missing
    return ("\n".join(rows) + "\n").encode()


def _jsonl_bad() -> bytes:
    rows = [json.dumps({"ref": r, "mt": h}) for r, h in zip(REF_LINES, GOOD_LINES, strict=True)]
    rows[6] = rows[6][:-5]  # line 7 cut short
    return ("\n".join(rows) + "\n").encode()


CASES = [
    Case("empty.txt", b"", "empty.txt is empty", False),
    Case("picture.png", b"\x89PNG\r\n\x1a\n" + bytes(300), "picture.png looks like a PNG", False),
    Case("latin1.txt", _latin1(), "latin1.txt is not valid UTF-8: line 3", False),
    Case("utf16.txt", GOOD.decode().encode("utf-16"), "utf16.txt is UTF-16", True),
    Case(
        "bom.txt", b"\xef\xbb\xbf" + GOOD, "bom.txt: UTF-8 byte-order mark found and removed", True
    ),
    Case("crlf.txt", GOOD.replace(b"\n", b"\r\n"), "crlf.txt: Windows (CRLF)", True),
    Case(
        "long.txt",
        as_bytes(["x" * 1_000_000, *GOOD_LINES[1:]]),
        "long.txt: line 1 is very long",
        True,
    ),
    Case("archive.zip", _zip(), "archive.zip looks like a zip archive", False),
    Case("all.tsv", _tsv_ragged(), "all.tsv", False, "bleu_up_table", blocks=True),
    Case(
        "all.jsonl",
        _jsonl_bad(),
        "all.jsonl: line 7 is not valid JSON",
        False,
        "bleu_up_table",
        blocks=True,
    ),
    Case("short.txt", as_bytes(GOOD_LINES[:-2]), "short.txt: 38 lines", False),  # left out
    Case("blank.txt", b"\n" * N, f"blank.txt: all {N} lines are empty", True),
    Case("good.txt", GOOD, "have identical content", True),  # the same file uploaded twice
]


@pytest.fixture(scope="module")
def run():
    return train(RunConfig(length=5, hidden=4, steps=4, val_size=16, eval_every=2, checkpoints=2))


def every_message(at: AppTest) -> list[str]:
    return [
        shown(m.value)
        for kind in ("error", "warning", "info", "caption")
        for m in getattr(at, kind)
    ]


def uploaded_names(at: AppTest, key: str) -> list[str]:
    value = at.file_uploader(key=key).value
    files = value if isinstance(value, list) else [value] if value else []
    return [f.name for f in files]


def session_with_run_and_files(run) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[state.RUNS] = {"kept run": run}
    at.session_state[state.RUN_IDS] = {"kept run": "kept-run-id"}
    at.session_state[state.CURRENT_NAME] = "kept run"
    at.switch_page("views/bleu/bleu.py").run()
    at.file_uploader(key="bleu_up_refs").set_value([("ref.txt", REF, TEXT)]).run()
    at.file_uploader(key="bleu_up_sys").set_value([("good.txt", GOOD, TEXT)]).run()
    assert not at.exception
    assert math.isclose(corpus_table(at).loc["good.txt", "BLEU"], GOOD_BLEU, abs_tol=1e-9)
    return at


def assert_earlier_state_kept(at: AppTest, run) -> None:
    assert uploaded_names(at, "bleu_up_refs") == ["ref.txt"]
    assert "good.txt" in uploaded_names(at, "bleu_up_sys")
    assert at.session_state[state.CURRENT_NAME] == "kept run"
    assert at.session_state[state.RUNS]["kept run"] is run


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_malformed_upload_is_named_and_nothing_else_is_lost(run, case):
    at = session_with_run_and_files(run)
    if case.uploader == "bleu_up_sys":
        files = [("good.txt", GOOD, TEXT), (case.name, case.data, TEXT)]
    else:
        files = (case.name, case.data, TEXT)
    at.file_uploader(key=case.uploader).set_value(files).run()
    assert not at.exception, at.exception
    found = [m for m in every_message(at) if case.words in m]
    assert found, every_message(at)
    assert_earlier_state_kept(at, run)
    table = corpus_table(at)
    if case.blocks:
        assert table is None  # nothing scored or truncated while the problem stands
    else:
        assert math.isclose(table.loc["good.txt", "BLEU"], GOOD_BLEU, abs_tol=1e-9)
        scored = [n for n in table.index if n != "good.txt"]
        assert bool(scored) == case.scored
        if case.name in ("utf16.txt", "bom.txt", "crlf.txt"):  # same text once decoded
            assert math.isclose(table.loc[case.name, "BLEU"], GOOD_BLEU, abs_tol=1e-9)
        if case.name == "blank.txt":
            assert table.loc["blank.txt", "BLEU"] == 0.0
        if case.name == "good.txt":  # the second copy gets its own name and the same score
            (copy,) = scored
            assert math.isclose(table.loc[copy, "BLEU"], GOOD_BLEU, abs_tol=1e-9)
    if case.uploader == "bleu_up_table":  # removing the table brings the files back
        at.file_uploader(key=case.uploader).set_value(None).run()
        assert not at.exception
        assert math.isclose(corpus_table(at).loc["good.txt", "BLEU"], GOOD_BLEU, abs_tol=1e-9)


def test_mismatch_names_every_file_with_its_count_and_the_first_missing_line(run):
    at = session_with_run_and_files(run)
    short = as_bytes(GOOD_LINES[:-2])
    at.file_uploader(key="bleu_up_sys").set_value(
        [("good.txt", GOOD, TEXT), ("short.txt", short, TEXT)]
    ).run()
    (msg,) = [m for m in every_message(at) if "Line counts differ" in m]
    assert f"ref.txt: {N} lines" in msg and f"good.txt: {N} lines" in msg
    assert f"short.txt: {N - 2} lines" in msg and "short.txt left out of scoring" in msg
    (own,) = [m for m in every_message(at) if m.startswith("short.txt has")]
    assert f"line {N - 1} is missing" in own


def test_ragged_tsv_names_the_line_and_its_cell_count(run):
    at = session_with_run_and_files(run)
    at.file_uploader(key="bleu_up_table").set_value(("all.tsv", _tsv_ragged(), TEXT)).run()
    (msg,) = [m for m in every_message(at) if "all.tsv" in m]
    assert "line 5 has 1" in msg, msg
