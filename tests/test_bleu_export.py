"""Report export: the HTML report and the LaTeX table open and hold every number."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from core.bleu import BleuSettings, analyse
from core.bleu.breakdowns.compare_mt_report import word_report
from core.bleu.reading.built_in_corpus import example_corpus
from dashboard.views.bleu import export, number_text, sections
from dashboard.views.bleu.charts import scores as charts


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


class Tables(HTMLParser):
    """Every <table> as header rows and body rows of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables, self.part, self.row, self.cell = [], None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"head": [], "body": []})
        elif tag in ("thead", "tbody"):
            self.part = "head" if tag == "thead" else "body"
        elif tag == "tr":
            self.row = []
            self.tables[-1][self.part].append(self.row)
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.row.append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def test_html_report_corpus_table_reads_as_the_page_shows_it(analysed):
    """One header row; every cell (p-values to 4 decimals, 0.0010 not 0.00) as on the page."""
    _, systems, report, _ = analysed
    frame = sections.corpus_frame(report)
    page = export.html_report(report, frame, [], [], None)
    parsed = Tables()
    parsed.feed(page)
    corpus = parsed.tables[0]
    assert corpus["head"] == [["system", *frame.columns]]  # no empty row of index names
    shown = number_text.corpus_text(frame)  # what the page's tables display
    for row in corpus["body"]:
        assert row[1:] == list(shown.loc[row[0]]), row[0]
    p = frame.loc[list(systems)[1], "p (bootstrap)"]
    assert corpus["body"][1][list(frame.columns).index("p (bootstrap)") + 1] == f"{p:.4f}"


def test_latex_table_cells_read_as_the_page_shows_them(analysed):
    _, _, report, _ = analysed
    frame = sections.corpus_frame(report)
    shown = number_text.corpus_text(frame)
    tex = export.latex_tables(frame, "caption")
    for name in frame.index:
        row = next(line for line in tex.splitlines() if line.startswith(export.latex_escape(name)))
        cells = [c.strip() for c in row.removesuffix(r"\\").split(" & ")]
        assert cells[1:] == [export.latex_escape(v) for v in shown.loc[name]]
