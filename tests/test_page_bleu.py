"""BLEU page through Streamlit's AppTest: scores vs sacrebleu, settings, the sentence table.
Uploads that go wrong are tested in test_page_bleu_uploads.py.

Every number is compared with sacrebleu computed here on the same text. The TED tests use the
anchor data (skipped without it); the generated-data tests check the same properties without it.
"""

from __future__ import annotations

import math

import pytest
import sacrebleu

from core.bleu.reading.built_in_corpus import example_corpus
from dashboard.views.bleu import state as bleu_state
from tests.apptest_helpers import shown
from tests.bleu_page_helpers import (
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
    upload_generated,
)

pytestmark = pytest.mark.slow  # the app driven through AppTest


@pytest.fixture(autouse=True)
def fresh_cache(fresh_caches):
    """Every test starts without cached uploads, reports or statistics."""


@pytest.fixture(scope="module")
def generated():
    return generated_files()


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


# --- warm-up ----------------------------------------------------------------------------------


def test_first_visit_reads_the_example_the_warm_up_scored(fast, fresh_caches, monkeypatch):
    """Once the Train page has drawn the shared default run, the warm-up thread scores the
    built-in example with the page's defaults and builds the charts the page opens on; the
    page's first visit then extracts, scores, counts and builds nothing, and shows
    sacrebleu's numbers."""
    import functools
    import threading

    from dashboard.session import warm_up
    from dashboard.views.bleu import figures, word_state
    from dashboard.views.bleu.charts import scores as bleu_charts
    from dashboard.views.bleu.charts import words as bleu_words
    from tests import apptest_helpers as ui

    monkeypatch.setenv(warm_up.WARM_UP_ENV, "1")
    monkeypatch.setattr(warm_up, "DELAY", 0.0)
    at = ui.boot()
    (warming,) = [t for t in threading.enumerate() if t.name == "gatescope-warm-up"]
    warming.join(timeout=120)
    computed = []

    def counting(fn):  # same name and module: a figure's cache key is unchanged
        @functools.wraps(fn)
        def counted(*args, **kwargs):
            computed.append(fn.__name__)
            return fn(*args, **kwargs)

        return counted

    for module, name in (
        (bleu_state, "extract_stats"),
        (bleu_state, "report_from_stats"),
        (word_state, "count_words"),
        *((figures, f) for f in ("_corpus_bars", "_pair_scatter", "_sentence_boxes")),
        (figures, "_precision_chart"),
        (bleu_charts, "gap_chart"),
        (bleu_charts, "bucket_chart"),
        (bleu_words, "word_accuracy_chart"),
    ):
        monkeypatch.setattr(module, name, counting(getattr(module, name)))
    ui.open_page("views/bleu/bleu.py", at)
    assert len(at.get("plotly_chart")) == 7
    assert computed == []
    c = example_corpus()
    assert_scores_equal_sacrebleu(at, c.systems, c.references)
