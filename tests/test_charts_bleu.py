"""BLEU page figures, highlighting HTML and exports, built from a real analysis of generated data.
No Streamlit runtime; values are checked against the report and against sacrebleu."""

import hashlib
import html
import io
import json
import math
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
import sacrebleu
from sacrebleu.metrics import BLEU

from core.bleu import BleuSettings, analyse
from core.bleu.breakdowns.accuracy_by_frequency import word_accuracy
from core.bleu.breakdowns.gap_decomposition import decompose_gap
from core.bleu.breakdowns.length_buckets import bucket_table_for
from core.bleu.breakdowns.matched_ngrams import matched_ngrams
from core.bleu.breakdowns.sentence_ingredients import brevity_penalty, order_table
from core.bleu.reading.built_in_corpus import example_corpus
from core.bleu.reading.text_files import read_text_file
from core.bleu.statistics.extraction import make_metric
from dashboard.shared.text import html_text
from dashboard.views.bleu import highlight, sections
from dashboard.views.bleu.charts import scores as charts
from dashboard.views.bleu.charts import words as bleu_words


@pytest.fixture(scope="module")
def corpus():
    return example_corpus(n_segments=120, seed=3)


@pytest.fixture(scope="module")
def report(corpus):
    return analyse(corpus.references, corpus.systems, BleuSettings(ar_trials=200))


def test_corpus_bars_show_scores_intervals_and_marks(report):
    sig = report.significance_table()
    fig = charts.corpus_bars(sig, report.systems)
    assert isinstance(fig, go.Figure) and len(fig.data) == len(report.systems)
    for trace, name in zip(fig.data, report.systems, strict=True):
        rows = sig[sig["system"] == name]
        np.testing.assert_allclose(trace.y, rows["score"])
        np.testing.assert_allclose(np.asarray(trace.y) + trace.error_y.array, rows["ci_high"])
        if name == report.baseline:
            assert "baseline" in trace.name and not any("*" in t for t in trace.text)
    assert [t.name.split(" ")[0] for t in fig.data] == list(report.systems)


def test_a_copy_of_the_baseline_gets_no_significance_mark(corpus):
    """sacrebleu's paired tests give an identical system p = 1/(n+1); the chart must not call
    that a significant difference."""
    base = next(iter(corpus.systems))
    systems = {base: corpus.systems[base], "copy": list(corpus.systems[base])}
    rep = analyse(corpus.references, systems, BleuSettings(ar_trials=50, baseline=base))
    sig = rep.significance_table()
    copy_rows = sig[sig["system"] == "copy"]
    assert (copy_rows["p_value"] < 0.01).all()  # what sacrebleu reports
    fig = charts.corpus_bars(sig, rep.systems)
    assert not any("*" in t for trace in fig.data for t in trace.text)


def test_corpus_bleu_bars_equal_sacrebleu(corpus, report):
    fig = charts.corpus_bars(report.significance_table(), report.systems)
    for trace, name in zip(fig.data, report.systems, strict=True):
        expected = sacrebleu.corpus_bleu(corpus.systems[name], corpus.references).score
        assert trace.x[0] == "BLEU" and math.isclose(trace.y[0], expected, abs_tol=1e-9)


@pytest.mark.parametrize(
    "p, mark", [(None, ""), (float("nan"), ""), (0.2, ""), (0.049, "*"), (0.001, "**")]
)
def test_significance_mark(p, mark):
    assert charts.significance_mark(p) == mark


def test_distribution_has_every_sentence(report):
    wide = report.sentence_scores("bleu")
    fig = charts.sentence_boxes(wide)
    assert [t.name for t in fig.data] == list(report.systems)
    for t, name in zip(fig.data, report.systems, strict=True):
        np.testing.assert_array_equal(t.x, wide[name])


def test_pair_scatter_splits_wins_ties_losses_and_carries_segments(report):
    wide = report.sentence_scores("bleu")
    a, b = report.systems[0], report.systems[1]
    fig = charts.pair_scatter(wide, a, b)
    points = fig.data[:3]
    assert sum(len(t.x) for t in points) == report.n_segments
    wins, ties, losses = points
    assert all(y > x for x, y in zip(wins.x, wins.y, strict=True))
    assert all(y < x for x, y in zip(losses.x, losses.y, strict=True))
    assert all(y == x for x, y in zip(ties.x, ties.y, strict=True))
    for trace in points:  # customdata (the 1-based line) leads back to the sentence
        for line, x, y in zip(trace.customdata, trace.x, trace.y, strict=True):
            assert wide[a].iloc[line - 1] == x and wide[b].iloc[line - 1] == y
        assert trace.hovertemplate.startswith("line %{customdata}")
    wins_row = report.wins.set_index("system")
    if a == report.baseline:
        assert len(wins.x) == wins_row.loc[b, "wins"] and len(losses.x) == wins_row.loc[b, "losses"]


def test_bucket_chart_labels_sizes_and_error_bars(report):
    fig = charts.bucket_chart(report.buckets, report.systems)
    assert len(fig.data) == len(report.systems)
    first = report.buckets[report.buckets["system"] == report.systems[0]]
    first = first.sort_values("bucket_index")
    assert list(fig.data[0].x) == [
        f"{b}<br>n={n}" for b, n in zip(first["bucket"], first["n_sent"], strict=True)
    ]
    np.testing.assert_allclose(fig.data[0].y, first["bleu"])
    np.testing.assert_allclose(
        np.asarray(fig.data[0].y) - fig.data[0].error_y.arrayminus, first["ci_low"]
    )


def test_precision_chart_shows_sacrebleu_precisions_and_bp(corpus, report):
    fig = charts.precision_chart(report.corpus)
    name = report.systems[1]
    score = sacrebleu.corpus_bleu(corpus.systems[name], corpus.references)
    bars = [t for t in fig.data if t.name == name]
    np.testing.assert_allclose(bars[0].y, score.precisions, rtol=0, atol=1e-9)
    np.testing.assert_allclose(bars[1].y, [score.bp, score.sys_len / score.ref_len], atol=1e-9)


def test_gap_chart_parts_sum_to_log_gap(corpus, report):
    a, b = report.systems[0], report.systems[2]
    gap = decompose_gap(report, a, b)
    fig = charts.gap_chart(gap, report.systems)
    (trace,) = fig.data
    parts = np.asarray(trace.y[:-1])
    assert list(trace.measure) == ["relative"] * 5 + ["total"]
    expected = math.log(
        sacrebleu.corpus_bleu(corpus.systems[b], corpus.references).score
        / sacrebleu.corpus_bleu(corpus.systems[a], corpus.references).score
    )
    assert math.isclose(parts.sum(), expected, abs_tol=1e-9)
    assert math.isclose(trace.y[-1], expected, abs_tol=1e-9)


# --- one sentence ---------------------------------------------------------------------------


def test_brevity_penalty_matches_sacrebleu():
    from sacrebleu.metrics.bleu import BLEU

    for c, r in [(5, 10), (10, 10), (12, 10), (0, 3), (0, 0), (1, 30)]:
        assert brevity_penalty(c, r) == BLEU.compute_bleu([0] * 4, [1] * 4, c, r).bp


def test_order_table_counts_and_precisions():
    table = order_table([3, 1, 0, 0], [4, 3, 2, 0])
    assert list(table["n"]) == [1, 2, 3, 4]
    np.testing.assert_allclose(table["%"][:3], [75.0, 100 / 3, 0.0])
    assert math.isnan(table["%"][3])


def test_highlight_colours_tokens_by_highest_matched_order():
    settings = BleuSettings()
    out, matched = highlight.highlight_pair("the cat sat", ["the cat is here"], settings)
    assert matched.hyp_highest_order() == [2, 2, 0]
    two = highlight.order_colour(2)
    assert out.count(f"background-color:{two}") == 4  # "the cat" in hypothesis and reference
    assert "sat" in out and 'title="in a matched 2-gram">cat<' in out


def test_highlight_escapes_user_text():
    evil = '<script>alert("x")</script> & <b>bold</b>'
    out, _ = highlight.highlight_pair(evil, ["<img src=x onerror=alert(1)>"], BleuSettings())
    assert "<script" not in out and "<img" not in out and "<b>bold" not in out
    shown = html.unescape(re.sub(r"<[^>]*>", "", out))
    tokenize = BLEU().tokenizer  # sacrebleu's 13a, the default
    hyp_tokens, ref_tokens = (tokenize(t) for t in (evil, "<img src=x"))
    assert hyp_tokens in shown and ref_tokens in shown  # as text, tokenized as BLEU sees it


def test_pair_html_names_several_references():
    m = matched_ngrams("a b c", ["a b", "b c"], BleuSettings())
    out = highlight.pair_html(m, ["ref <1>", "ref 2"])
    assert html_text("ref <1>") in out and "ref 2" in out and "ref <1>" not in out


def test_legend_has_one_colour_per_order():
    legend = highlight.legend_html(4)
    assert all(highlight.order_colour(n) in legend for n in range(1, 5))


# --- corpus table and exports ---------------------------------------------------------------


def test_corpus_frame_columns_and_best_marked(corpus, report):
    frame = sections.corpus_frame(report)
    assert list(frame.index) == list(report.systems)
    for name in report.systems:
        expected = sacrebleu.corpus_bleu(corpus.systems[name], corpus.references).score
        assert math.isclose(frame.loc[name, "BLEU"], expected, abs_tol=1e-9)
    assert math.isnan(frame.loc[report.baseline, "p (bootstrap)"])
    html_table = sections.corpus_styler(frame).to_html()
    best = frame["BLEU"].idxmax()
    assert "font-weight: bold" in html_table and best in html_table


def test_per_sentence_csv_rows_and_scores(corpus, report):
    texts = dict(corpus.systems)
    data = sections.per_sentence_csv(report, corpus.references, texts, corpus.source)
    frame = pd.read_csv(io.BytesIO(data), keep_default_na=False)
    assert len(frame) == report.n_segments and list(frame["line"]) == list(range(1, 121))
    name = report.systems[2]
    assert (
        list(frame[name]) == corpus.systems[name]
        and list(frame["reference"]) == corpus.references[0]
    )
    for i in (0, 7, 119):
        expected = sacrebleu.sentence_bleu(corpus.systems[name][i], [corpus.references[0][i]])
        assert math.isclose(frame[f"{name} bleu"][i], expected.score, abs_tol=1e-9)


def test_json_bundle_has_scores_signatures_settings_and_hashes(corpus, report):
    data = "".join(line + "\n" for line in corpus.references[0]).encode()
    ref = read_text_file("ref.txt", data, "ref")
    text = sections.json_bundle(report, [ref], [None], "files", {"ref.txt": ref.sha256})
    bundle = json.loads(text)

    assert bundle["files"][0] == {
        "role": "ref",
        "path": "ref.txt",
        "system": None,
        "sha256": hashlib.sha256(data).hexdigest(),
        "lines": report.n_segments,
        "encoding": "utf-8",
    }
    assert "inputs" not in bundle and "input_files_sha256" not in bundle
    assert report.baseline not in [s["system"] for s in bundle["significance"]]  # as the CLI's
    assert bundle["settings"]["tokenize"] == "13a" and "BLEU" in bundle["signatures"]
    assert [s["name"] for s in bundle["systems"]] == list(report.systems)
    assert len(bundle["systems"][0]["sentence_bleu"]) == report.n_segments


@pytest.mark.parametrize("data", [16, [16], {"0": 16}, "16"])
def test_selected_scatter_point_gives_line(data):
    from dashboard.views.bleu.sentences import selected_line

    assert selected_line({"curve_number": 0, "customdata": data}) == 16
    assert selected_line({"curve_number": 0}) is None


def test_highlighted_matches_agree_with_the_reports_counts(corpus, report):
    """The sentence detail shows the report's counts beside the highlighting: they must agree."""
    name = report.systems[1]
    rows = report.sentences[report.sentences["system"] == name]
    for seg in (0, 5, 50, 119):
        row = rows[rows["segment"] == seg].iloc[0]
        hyp, refs = corpus.systems[name][seg], [r[seg] for r in corpus.references]
        _, matched = highlight.highlight_pair(hyp, refs, report.settings)
        assert list(matched.counts) == [row[f"match_{n}"] for n in range(1, 5)]
        assert list(matched.totals) == [row[f"total_{n}"] for n in range(1, 5)]
        assert sum(matched.hyp_coverage(1)) == row["match_1"]  # one token per clipped unigram
        highest = matched.hyp_highest_order()
        assert all(h >= 1 for h, c in zip(highest, matched.hyp_coverage(1), strict=True) if c)


def test_system_names_are_plotly_text_not_tags():
    """plotly reads <b>, <br>, <a> in names and hover text; a system name is shown as typed."""
    odd = "<b>big</b> & <br>co"
    escaped = "&lt;b&gt;big&lt;/b&gt; &amp; &lt;br&gt;co"
    wide = pd.DataFrame({odd: [10.0, 50.0], "plain": [20.0, 40.0]})
    hist = charts.sentence_boxes(wide)
    assert hist.data[0].name == escaped
    scatter = charts.pair_scatter(wide, odd, "plain")
    assert scatter.layout.xaxis.title.text == f"A: {escaped}"
    assert any(t.name.startswith(f"{escaped} better") for t in scatter.data)
    assert all(odd not in (t.hovertemplate or "") for t in scatter.data)


def test_download_names_are_short_and_say_what_the_file_holds():
    assert sections.FILE_NAMES == {
        "csv": "bleu_sentences.csv",
        "json": "bleu_analysis.json",
        "html": "bleu_report.html",
        "tex": "bleu_corpus.tex",
    }


def test_bucket_chart_draws_no_empty_bucket(report):
    """Short sentences (a translation test set) leave the long buckets empty: not drawn."""
    which = np.zeros(report.n_segments, dtype=np.int64)  # every segment in the first bucket
    which[::3] = 2
    labels = ["<10", "[10,20)", "[20,30)", ">=30"]
    table = bucket_table_for(
        report.bleu_stats, which, labels, make_metric(report.settings, "bleu"), 50, 1
    )
    fig = charts.bucket_chart(table, report.systems, "source length")
    for t in fig.data:
        assert [x.split("<br>")[0] for x in t.x] == ["<10", "[20,30)"]
        assert not any(x.endswith("n=0") for x in t.x)


def test_word_accuracy_chart_draws_no_bucket_without_reference_words(corpus):
    words = {n: [s.split() for s in lines] for n, lines in corpus.systems.items()}
    acc = word_accuracy([s.split() for s in corpus.references[0]], words)  # counts in the ref
    assert 0 in acc.ref_words  # '<1' and '>=1000' hold no reference word here
    fig = bleu_words.word_accuracy_chart(acc, list(corpus.systems))
    kept = [b for b, n in zip(acc.buckets, acc.ref_words, strict=True) if n]
    for t in fig.data:
        assert [x.split("<br>")[0] for x in t.x] == kept
