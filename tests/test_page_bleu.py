"""BLEU page through Streamlit's AppTest: uploads, input-doctor messages, numbers vs sacrebleu.

Every number is compared with sacrebleu computed here on the same text. The TED tests use the
anchor data (skipped without it); the generated-data tests check the same properties without it.
"""

from __future__ import annotations

import io
import math
import zipfile

import pandas as pd
import pytest
import sacrebleu
from streamlit.testing.v1 import AppTest

from core.bleu.example import example_corpus
from dashboard.bleu import state as bleu_state
from tests.apptest_helpers import shown

pytestmark = pytest.mark.slow  # the app driven through AppTest

APP = "../dashboard/app.py"
TEXT = "text/plain"
TED = ("ted.ref.detok.eng", "ted.sys1.detok.eng", "ted.sys2.detok.eng")


@pytest.fixture(autouse=True)
def fresh_cache(fresh_caches):
    """Every test starts without cached uploads, reports or statistics."""


def open_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("views/bleu.py").run()
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


@pytest.fixture(scope="module")
def generated():
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


# --- opening ----------------------------------------------------------------------------------


def test_page_opens_on_builtin_example_with_sacrebleu_scores():
    at = open_page()
    assert any("built-in example" in i.value for i in at.info)
    c = example_corpus()
    assert_scores_equal_sacrebleu(at, c.systems, c.references)
    assert any("not corpus BLEU" in i.value for i in at.info)
    bleu = sacrebleu.BLEU()
    bleu.corpus_score(c.systems["strong"], c.references)
    assert bleu.get_signature().format() in [code.value for code in at.code]


# --- real data (anchors) ----------------------------------------------------------------------


@pytest.mark.slow
def test_ted_upload_shows_sacrebleu_corpus_bleu(ted_dir):
    data = {name: (ted_dir / name).read_bytes() for name in TED}
    at = open_page()
    upload(at, "bleu_up_refs", (TED[0], data[TED[0]], TEXT))
    upload(at, "bleu_up_sys", [(n, data[n], TEXT) for n in TED[1:]])
    refs = [read_lines(data[TED[0]])]
    systems = {n: read_lines(data[n]) for n in TED[1:]}
    table = assert_scores_equal_sacrebleu(at, systems, refs)
    assert round(table.loc[TED[1], "BLEU"], 2) == 21.71
    assert round(table.loc[TED[2], "BLEU"], 2) == 23.05
    assert not messages(at) and not messages(at, "warning")


@pytest.mark.slow
def test_ted_mismatch_and_latin1_name_file_and_line_and_keep_uploads(ted_dir):
    ref, sys1 = (ted_dir / TED[0]).read_bytes(), (ted_dir / TED[1]).read_bytes()
    short = b"".join(sys1.splitlines(keepends=True)[:2000])
    check_mismatch_and_bad_encoding(ref, sys1, short, n_lines=2445)


@pytest.mark.slow
def test_ted_tokenized_files_warned_and_tokenizer_none_equals_sacrebleu(ted_dir):
    names = ("ted.ref.eng", "ted.sys1.eng", "ted.sys2.eng")
    data = {name: (ted_dir / name).read_bytes() for name in names}
    at = open_page()
    upload(at, "bleu_up_refs", (names[0], data[names[0]], TEXT))
    upload(at, "bleu_up_sys", [(n, data[n], TEXT) for n in names[1:]])
    warned = [m for m in messages(at, "warning") if "lines end in ' .' - " in m]
    assert {m.split(":")[0] for m in warned} == set(names)
    (raised,) = [m for m in messages(at, "warning") if m.startswith(", ".join(names) + ":")]
    at.button(key="bleu_use_tok_none").click().run()  # the one-click switch
    assert at.selectbox(key="bleu_tokenize").value == "none"
    assert not [m for m in messages(at, "warning") if m.startswith(", ".join(names) + ":")]
    table = corpus_table(at)
    refs = [read_lines(data[names[0]])]
    for name in names[1:]:
        expected = sacrebleu.corpus_bleu(read_lines(data[name]), refs, tokenize="none").score
        assert math.isclose(table.loc[name, "BLEU"], expected, abs_tol=1e-9)
    assert round(table.loc["ted.sys1.eng", "BLEU"], 2) == 22.44
    assert round(table.loc["ted.sys2.eng", "BLEU"], 2) == 24.04


# --- generated data: the same properties without anchors ---------------------------------------


def test_generated_upload_six_systems_two_refs_equal_sacrebleu(generated):
    at = upload_generated(open_page(), generated)
    refs, systems = generated_lines(generated)
    assert_scores_equal_sacrebleu(at, systems, refs)
    assert not messages(at)


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


def _zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("sys.txt", "hello\n")
    return buf.getvalue()


def _bad_uploads(good: bytes):
    """(file name, bytes, level, words in the message, scored as a system?)"""
    text = good.decode("utf-8")
    lines = text.split("\n")
    long_line = "\n".join(["w " * 500_000, *lines[1:]]).encode()
    return [
        ("empty.txt", b"", "error", "empty.txt is empty", False),
        (
            "image.png",
            b"\x89PNG\r\n\x1a\n" + bytes(200),
            "error",
            "image.png looks like a PNG",
            False,
        ),
        ("out.zip", _zip_bytes(), "error", "out.zip looks like a zip", False),
        ("utf16.txt", text.encode("utf-16"), "warning", "utf16.txt is UTF-16-LE encoded", True),
        ("bom.txt", b"\xef\xbb\xbf" + good, "caption", "bom.txt: UTF-8 byte-order mark", True),
        ("crlf.txt", good.replace(b"\n", b"\r\n"), "caption", "crlf.txt: Windows (CRLF)", True),
        ("long.txt", long_line, "warning", "long.txt: line 1 is very long", True),
        ("blank.txt", b"\n" * len(lines[:-1]), "warning", "blank.txt: all", True),
        ("copy.txt", good, "warning", "have identical content", True),
    ]


@pytest.mark.parametrize("case", range(9))
def test_bad_system_upload_named_and_others_kept(generated, case):
    ref, good = generated["refs"]["ref1.txt"], generated["systems"]["medium.txt"]
    name, data, level, words, scored = _bad_uploads(good)[case]
    at = open_page()
    upload(at, "bleu_up_refs", ("ref.txt", ref, TEXT))
    upload(at, "bleu_up_sys", [("good.txt", good, TEXT), (name, data, TEXT)])
    assert any(words in m for m in messages(at, level)), messages(at, level)
    table = corpus_table(at)
    assert table is not None and "good.txt" in table.index
    assert (name in table.index) == scored
    expected = sacrebleu.corpus_bleu(read_lines(good), [read_lines(ref)]).score
    assert math.isclose(table.loc["good.txt", "BLEU"], expected, abs_tol=1e-9)
    if name in ("utf16.txt", "bom.txt", "crlf.txt"):  # decoded to the same text, same score
        assert math.isclose(table.loc[name, "BLEU"], expected, abs_tol=1e-9)


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


# --- interaction --------------------------------------------------------------------------------


def test_text_is_read_once_and_views_or_scoring_choices_never_reread_it(monkeypatch, generated):
    extractions, reports = [], []
    real_extract, real_report = bleu_state.extract_stats, bleu_state.report_from_stats
    monkeypatch.setattr(
        bleu_state,
        "extract_stats",
        lambda *a, **k: extractions.append(a[3]) or real_extract(*a, **k),
    )
    monkeypatch.setattr(
        bleu_state, "report_from_stats", lambda *a, **k: reports.append(1) or real_report(*a, **k)
    )
    at = upload_generated(open_page(), generated, n_systems=3)
    assert len(extractions) == 2 and len(reports) == 2  # the example, then the upload
    at.text_input(key="bleu_search").input("ka").run()
    at.selectbox(key="bleu_sys_b").select("weak.txt").run()
    at.number_input(key="bleu_line").set_value(7).run()
    at.slider(key="bleu_delta").set_value((-50.0, 50.0)).run()
    assert len(extractions) == 2 and len(reports) == 2 and not at.exception
    at.selectbox(key="bleu_smooth").select("floor").run()  # the same report, re-smoothed
    assert len(extractions) == 2 and len(reports) == 2 and not at.exception
    at.selectbox(key="bleu_baseline").select("weak.txt").run()  # new tests, same statistics
    assert len(extractions) == 2 and len(reports) == 3 and not at.exception
    at.text_input(key=next(w.key for w in at.text_input if w.value == "medium.txt")).input("NMT")
    at.run()  # a new name: the same numbers under it, no new report
    assert len(extractions) == 2 and len(reports) == 3 and not at.exception
    assert list(corpus_table(at).index) == ["strong.txt", "NMT", "weak.txt"]
    assert at.selectbox(key="bleu_baseline").value == "weak.txt"
    at.selectbox(key="bleu_tokenize").select("char").run()  # changes what is extracted
    assert len(extractions) == 3
    at.checkbox(key="bleu_ter").check().run()
    assert extractions[-1] == ("ter",) and len(extractions) == 4
    at.selectbox(key="bleu_smooth").select("exp").run()
    assert len(extractions) == 4 and not at.exception  # TER statistics are kept too


def test_settings_and_names_reach_the_scores(generated):
    at = upload_generated(open_page(), generated, n_systems=2)
    refs, systems = generated_lines(generated, 2)
    at.text_input(key=next(w.key for w in at.text_input if w.value == "medium.txt")).input("NMT")
    at.selectbox(key="bleu_tokenize").select("none").run()
    at.checkbox(key="bleu_lowercase").check().run()
    table = corpus_table(at)
    assert list(table.index) == ["strong.txt", "NMT"]
    expected = sacrebleu.corpus_bleu(systems["medium.txt"], refs, tokenize="none", lowercase=True)
    assert math.isclose(table.loc["NMT", "BLEU"], expected.score, abs_tol=1e-9)


@pytest.mark.parametrize(("method", "value"), [("floor", 0.5), ("add-k", 3.0)])
def test_smoothing_value_reaches_sentence_bleu(method, value):
    at = open_page()
    assert not [w for w in at.number_input if w.key.startswith("bleu_smooth_value")]  # exp: none
    at.selectbox(key="bleu_smooth").select(method).run()
    at.number_input(key=f"bleu_smooth_value_{method}").set_value(value).run()
    assert not at.exception
    table = next(df.value for df in at.dataframe if "B - A" in df.value.columns)
    hyps, refs = table["strong (A)"], table["reference"]
    expected = [
        sacrebleu.sentence_bleu(h, [r], smooth_method=method, smooth_value=value).score
        for h, r in zip(hyps, refs, strict=True)
    ]
    default = [
        sacrebleu.sentence_bleu(h, [r], smooth_method=method).score
        for h, r in zip(hyps, refs, strict=True)
    ]
    assert expected != default  # the value matters on this data
    assert table["BLEU strong"].tolist() == pytest.approx(expected, abs=1e-9)


@pytest.mark.slow
def test_ter_on_demand_equals_sacrebleu(generated):
    ref, hyp = generated["refs"]["ref1.txt"], generated["systems"]["medium.txt"]
    at = upload(open_page(), "bleu_up_refs", ("ref.txt", ref, TEXT))
    upload(at, "bleu_up_sys", ("medium.txt", hyp, TEXT))
    assert "TER" not in corpus_table(at).columns
    at.checkbox(key="bleu_ter").check().run()
    expected = sacrebleu.corpus_ter(read_lines(hyp), [read_lines(ref)]).score
    assert math.isclose(corpus_table(at).loc["medium.txt", "TER"], expected, abs_tol=1e-9)


def test_filters_narrow_the_sentence_table():
    at = open_page()
    sentences = next(df.value for df in at.dataframe if "B - A" in df.value.columns)
    word = sentences["reference"][0].split()[1]
    at.text_input(key="bleu_search").input(word).run()
    shown = next(df.value for df in at.dataframe if "B - A" in df.value.columns)
    assert 0 < len(shown) < len(sentences)
    text_cols = ["reference", *[c for c in shown.columns if c.endswith(("(A)", "(B)"))]]
    assert all(shown[text_cols].apply(lambda r: any(word.lower() in t.lower() for t in r), axis=1))
    at.text_input(key="bleu_search").input("").run()
    at.slider(key="bleu_delta").set_value((0.0, 100.0)).run()
    shown = next(df.value for df in at.dataframe if "B - A" in df.value.columns)
    assert (shown["B - A"] >= 0).all() and len(shown) < len(sentences)
    bucket = sentences["bucket"].iloc[0]
    at.multiselect(key="bleu_buckets").select(bucket).run()
    shown = next(df.value for df in at.dataframe if "B - A" in df.value.columns)
    assert set(shown["bucket"]) == {bucket}


def test_sentence_detail_highlights_and_escapes(generated):
    ref = generated["refs"]["ref1.txt"]
    lines = read_lines(generated["systems"]["strong.txt"])
    lines[4] = '<script>alert("x")</script> ' + lines[4]
    at = open_page()
    upload(at, "bleu_up_refs", ("ref.txt", ref, TEXT))
    upload(at, "bleu_up_sys", [("evil.txt", as_bytes(lines), TEXT)])
    at.number_input(key="bleu_line").set_value(5).run()
    html_blocks = [m.value for m in at.markdown if "hypothesis" in m.value]
    assert html_blocks and all("<script" not in h for h in html_blocks)
    assert any("&#60;" in h and "script" in h for h in html_blocks)  # shown as text, not run
    score = sacrebleu.sentence_bleu(lines[4], [read_lines(ref)[4]]).score
    assert any(f"sentence BLEU {score:.2f}" in shown(m.value) for m in at.markdown)


def test_only_references_asks_for_systems_and_same_name_twice_gets_two_names():
    at = upload(open_page(), "bleu_up_refs", ("r.txt", b"a b c d e\nf g h i j\n", TEXT))
    assert not messages(at) and any("Add at least one system" in i.value for i in at.info)
    assert corpus_table(at) is None
    same = ("s.txt", b"a b c d e\nf g h\n", TEXT)
    upload(at, "bleu_up_sys", [same, same])
    assert list(corpus_table(at).index) == ["s.txt", "s.txt (2)"]
    assert any("identical content" in m for m in messages(at, "warning"))


def test_sentence_order_puts_largest_delta_first():
    at = open_page()
    at.selectbox(key="bleu_sort").select("B - A, largest first").run()
    shown = next(df.value for df in at.dataframe if "B - A" in df.value.columns)
    assert list(shown["B - A"]) == sorted(shown["B - A"], reverse=True)


def test_tokenized_text_is_warned_visibly_with_a_switch_to_tokenizer_none():
    c = example_corpus(n_segments=40, seed=8)
    ref = [line.rstrip(".!?") + " ." for line in c.references[0]]
    hyp = [line.rstrip(".!?") + " ." for line in c.systems["strong"]]
    at = open_page()
    upload(at, "bleu_up_refs", ("tok.ref", as_bytes(ref), TEXT))
    upload(at, "bleu_up_sys", ("tok.sys", as_bytes(hyp), TEXT))
    (raised,) = [m for m in messages(at, "warning") if m.startswith("tok.ref, tok.sys:")]
    assert "tokenizer 'none'" in raised
    before = corpus_table(at).loc["tok.sys", "BLEU"]
    assert math.isclose(before, sacrebleu.corpus_bleu(hyp, [ref]).score, abs_tol=1e-9)
    at.button(key="bleu_use_tok_none").click().run()
    assert at.selectbox(key="bleu_tokenize").value == "none"
    after = corpus_table(at).loc["tok.sys", "BLEU"]
    assert math.isclose(
        after, sacrebleu.corpus_bleu(hyp, [ref], tokenize="none").score, abs_tol=1e-9
    )
    assert not [m for m in messages(at, "warning") if m.startswith("tok.ref, tok.sys:")]
