"""Report export: the HTML report and the LaTeX table open and hold every number."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from core.bleu import BleuSettings, analyse
from core.bleu.example import example_corpus
from core.bleu.word_report import word_report
from dashboard.bleu import export, sections
from dashboard.charts import bleu as charts


@pytest.fixture(scope="module")
def analysed():
    c = example_corpus(n_segments=60, seed=21)
    systems = {
        "nmt_big & co": c.systems["strong"],
        "pbmt 50%": c.systems["weak"],
        "<b>x</b>": c.systems["medium"],
    }
    report = analyse(c.references, systems, BleuSettings(ar_trials=100, bootstrap_samples=100))
    return c, systems, report, word_report(c.references, systems, report.settings)


class Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_html_report_opens_and_holds_every_number(analysed):
    c, systems, report, words = analysed
    files = [{"role": "sys", "path": n, "sha256": f"{i:064x}"} for i, n in enumerate(systems)]
    figures = [charts.corpus_bars(report.significance_table(), report.systems)]
    page = export.html_report(report, sections.corpus_frame(report), figures, files, words)
    parsed = Collect()
    parsed.feed(page)
    text = "".join(parsed.text)
    assert "<b>x</b>" in text and "<b>x</b>" not in page  # names escaped, shown as typed
    for name in systems:
        assert f"{report.corpus.loc[name, 'bleu']:.2f}" in text
        assert f"{report.corpus.loc[name, 'chrf']:.2f}" in text
    for signature in report.signatures.values():
        assert signature in text
    assert all(f["sha256"] in text for f in files)
    for entry in words.word_accuracy.to_list():
        assert all(f"{v:.4f}" in text for v in entry["fmeasure"].values())
    for d in words.ngram_differences:
        assert all(f"{r.score:.4f}" in text for r in d.a_better[:5])
    assert page.count("plotly.js v") <= 2 and parsed.tags.count("script") >= 2  # charts inline


def test_latex_table_escapes_names_and_holds_the_scores(analysed):
    _, systems, report, _ = analysed
    frame = sections.corpus_frame(report)
    tex = export.latex_tables(frame, "Scores_1 & more")
    assert tex.count(r"\\") == len(systems) + 1  # header + one row each
    assert r"nmt\_big \& co" in tex and r"pbmt 50\%" in tex and r"Scores\_1 \& more" in tex
    for name in systems:
        row = next(line for line in tex.splitlines() if line.startswith(export.latex_escape(name)))
        assert f"{report.corpus.loc[name, 'bleu']:.2f}" in row
        assert row.count("&") - export.latex_escape(name).count("&") == len(frame.columns)
    assert tex.startswith(r"\begin{table}") and r"\end{tabular}" in tex
