"""The BLEU page's analyses beyond the corpus table, via AppTest: word accuracy and n-gram
differences (compare-mt's definitions) with the n-gram filter, every-pair significance, the
sentence explorer following the table, bucket kinds. Values are checked against core and
against the text itself."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.bleu.breakdowns.accuracy_by_frequency import word_accuracy
from core.bleu.breakdowns.compare_mt_tokens import line_words
from core.bleu.breakdowns.ngram_difference import ngram_differences
from core.bleu.reading.built_in_corpus import example_corpus
from core.bleu.settings import BleuSettings
from dashboard.views.bleu.words import NGRAM_KEY
from tests.apptest_helpers import shown as shown_text

pytestmark = pytest.mark.slow  # the app driven through AppTest

APP = "../dashboard/app.py"


@pytest.fixture(autouse=True)
def fresh_cache(fresh_caches):
    """Every test starts without cached uploads, reports or statistics."""


def open_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("views/bleu/bleu.py").run()
    assert not at.exception, at.exception
    return at


def frame_with(at: AppTest, column: str):
    return next(df.value for df in at.dataframe if column in df.value.columns)


def example_words():
    c = example_corpus()
    settings = BleuSettings()
    return (
        c,
        line_words(c.references[0], settings),
        {n: line_words(lines, settings) for n, lines in c.systems.items()},
    )


def test_ngram_tables_equal_core_for_systems_a_and_b():
    at = open_page()
    c, ref, outs = example_words()
    a, b = at.selectbox(key="bleu_sys_a").value, at.selectbox(key="bleu_sys_b").value
    (diff,) = ngram_differences(ref, {a: outs[a], b: outs[b]})
    a_better, b_better = frame_with(at, "A better"), frame_with(at, "B better")
    assert list(a_better["A better"]) == [r.ngram for r in diff.a_better]
    assert list(a_better["score"]) == [r.score for r in diff.a_better]
    assert list(b_better["matches B"]) == [r.count_b for r in diff.b_better]
    assert len(a_better) == 50


def test_choosing_an_ngram_filters_the_sentences_and_clearing_restores_them():
    at = open_page()
    _, _, outs = example_words()
    a, b = at.selectbox(key="bleu_sys_a").value, at.selectbox(key="bleu_sys_b").value
    everything = frame_with(at, "B - A")
    ngram = frame_with(at, "B better")["B better"].iloc[0]
    at.session_state[NGRAM_KEY] = ngram  # what selecting the table row does
    at.run()
    shown = frame_with(at, "B - A")
    target = ngram.split(" ")
    expected = [
        i + 1
        for i in range(len(outs[a]))
        if any(
            w[j : j + len(target)] == target
            for w in (outs[a][i], outs[b][i])
            for j in range(len(w))
        )
    ]
    assert sorted(shown["line"]) == expected and 0 < len(shown) < len(everything)
    assert any(ngram in i.value for i in at.info)
    at.button(key="bleu_ngram_clear").click().run()
    assert len(frame_with(at, "B - A")) == len(everything)


def test_training_corpus_sets_the_frequency_buckets():
    at = open_page()
    c, ref, outs = example_words()
    train = "".join(line + "\n" for line in c.references[0] * 12).encode("utf-8")
    at.file_uploader(key="bleu_up_freq").set_value(("train.txt", train, "text/plain")).run()
    assert not at.exception and not at.error
    table = frame_with(at, "reference words")
    expected = word_accuracy(ref, outs, freq_corpus=[w for w in ref for _ in range(12)])
    assert list(table["reference words"]) == list(expected.ref_words)
    assert table.loc[["<1", "1", "2", "3", "4", "[5,10)"], "reference words"].sum() == 0
    for name in outs:
        assert list(table[name]) == list(expected.scores(name)["fmeasure"])


def test_word_table_without_corpus_counts_in_the_reference():
    at = open_page()
    _, ref, outs = example_words()
    expected = word_accuracy(ref, outs)
    table = frame_with(at, "reference words")
    assert list(table["reference words"]) == list(expected.ref_words)
    assert table["reference words"].sum() == sum(map(len, ref))


def test_every_pair_matrix_on_the_page_equals_core():
    from core.bleu import analyse
    from core.bleu.breakdowns.significance_all_pairs import pairwise_significance

    at = open_page()
    at.toggle(key="bleu_pairwise_on").set_value(True).run()
    assert not at.exception
    shown = frame_with(at, "significantly better than")
    c = example_corpus()
    settings = BleuSettings(baseline=at.selectbox(key="bleu_baseline").value)
    report = analyse(c.references, c.systems, settings)
    assert shown.equals(pairwise_significance(report).matrix())
    at.segmented_control(key="bleu_pairwise_metric").set_value("chrF").run()
    shown = frame_with(at, "significantly better than")
    assert shown.equals(pairwise_significance(report, metric="chrf").matrix())
    assert "chrF" in shown.columns


def test_sentence_detail_follows_filter_and_sort_marks_search_hits_and_shows_source():
    at = open_page()
    c = example_corpus()
    everything = frame_with(at, "B - A")
    assert at.number_input(key="bleu_line").value == 1
    word = next(
        w
        for line in c.references[0][1:]
        for w in line.split()
        if len(w) > 4 and w not in c.references[0][0]
    )
    at.text_input(key="bleu_search").input(word).run()
    shown = frame_with(at, "B - A")
    assert 0 < len(shown) < len(everything) and 1 not in set(shown["line"])
    line = at.number_input(key="bleu_line").value
    assert line == shown["line"].iloc[0]  # the first row, not line 1
    html = "".join(m.value for m in at.markdown)
    assert '<mark title="search hit">' in html and word.lower() in html.lower()
    assert f"**Source**: {c.source[line - 1]}" in [shown_text(m.value) for m in at.markdown]
    at.text_input(key="bleu_search").input("").run()
    at.selectbox(key="bleu_sort").select("B - A, largest first").run()
    assert at.number_input(key="bleu_line").value == line  # still listed: kept
    at.slider(key="bleu_delta").set_value((-100.0, -1.0)).run()  # line may drop out
    ordered = frame_with(at, "B - A")
    assert at.number_input(key="bleu_line").value in set(ordered["line"])


def test_bucket_kinds_on_the_page():
    at = open_page()
    box = at.selectbox(key="bleu_bucket_kind")
    assert "source length" in box.options and "sentence BLEU of the baseline" in box.options
    for kind in box.options:
        at.selectbox(key="bleu_bucket_kind").select(kind).run()
        assert not at.exception, kind


def test_corpus_table_is_split_to_fit_scores_then_tests():
    from core.bleu import analyse

    at = open_page()
    scores = frame_with(at, "chrF")
    tests = frame_with(at, "p (AR)")
    assert "p (AR)" not in scores.columns and "chrF" not in tests.columns
    assert len(scores.columns) <= 12 and len(tests.columns) <= 6  # each fits 1400 px
    c = example_corpus()
    report = analyse(c.references, c.systems, BleuSettings())
    for r in report.significance:
        if r.metric == "BLEU" and r.system != report.baseline:
            assert tests.loc[r.system, "p (AR)"] == f"{r.ar_p_value:.4f}"


def test_examples_show_the_largest_gaps_with_a_word_diff():
    from core.bleu import analyse
    from core.bleu.breakdowns.differing_sentences import largest_differences

    at = open_page()
    a, b = at.selectbox(key="bleu_sys_a").value, at.selectbox(key="bleu_sys_b").value
    c = example_corpus()
    report = analyse(c.references, c.systems, BleuSettings(baseline=a))
    b_better, a_better = largest_differences(report, a, b, 5)
    heads = [m.value for m in at.markdown if m.value.startswith("**line ")]
    assert [int(h.split()[1].rstrip("*:")) for h in heads] == [s + 1 for s in b_better + a_better]
    diffs = [m.value for m in at.markdown if m.value.startswith("<b>A vs B</b>")]
    assert len(diffs) == len(heads) and any('title="only in' in d for d in diffs)


def test_table_label_column_buckets_the_sentences():
    from core.bleu import analyse
    from core.bleu.breakdowns.bucket_splits import by_label
    from core.bleu.breakdowns.length_buckets import bucket_table_for
    from core.bleu.statistics.extraction import make_metric

    c = example_corpus(n_segments=60, seed=5)
    domains = ["news" if i % 4 else "talks" for i in range(60)]
    rows = ["ref\tdomain\tstrong\tweak"] + [
        "\t".join(cells)
        for cells in zip(
            c.references[0], domains, c.systems["strong"], c.systems["weak"], strict=True
        )
    ]
    at = open_page()
    at.file_uploader(key="bleu_up_table").set_value(
        ("t.tsv", ("\n".join(rows) + "\n").encode(), "text/plain")
    ).run()
    assert not at.exception
    table = frame_with(at, "chrF")
    assert list(table.index) == ["strong", "weak"]  # the label is not a system
    box = at.selectbox(key="bleu_bucket_kind")
    assert "label column" in box.options
    box.select("label column").run()
    assert not at.exception
    from dashboard.views.bleu import state

    report = analyse(
        c.references[:1], {"strong": c.systems["strong"], "weak": c.systems["weak"]}, BleuSettings()
    )
    which, names = by_label(domains)
    want = bucket_table_for(
        report.bleu_stats,
        which,
        names,
        make_metric(report.settings, "bleu"),
        report.settings.bootstrap_samples,
        report.settings.seed,
    )
    got = state.buckets_by(report, "label column", None, tuple(domains))
    assert list(got["bucket"].unique()) == ["news", "talks"]
    assert got["bleu"].tolist() == want["bleu"].tolist()


def test_every_chart_downloads_in_the_chosen_format_under_its_own_name():
    import json

    at = open_page()
    charts = at.get("plotly_chart")
    assert len(charts) >= 7
    for fmt in ("svg", "png"):
        at.segmented_control(key="bleu_image_format").set_value(fmt).run()
        configs = [json.loads(c.proto.config) for c in at.get("plotly_chart")]
        options = [c["toImageButtonOptions"] for c in configs]
        assert {o["format"] for o in options} == {fmt}
        names = [o["filename"] for o in options]
        assert len(set(names)) == len(names) and all(n.startswith("bleu_") for n in names)
