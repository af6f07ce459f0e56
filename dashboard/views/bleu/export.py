"""Report export: one self-contained HTML file (tables, interactive charts, signatures, file
hashes) and LaTeX tables of the corpus scores. Pure functions of the analysis; no Streamlit."""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from core.bleu.breakdowns.compare_mt_report import WordReport
from core.bleu.report import BleuReport
from dashboard.views.bleu.number_text import corpus_text

LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
STYLE = (
    "body{font-family:sans-serif;max-width:1200px;margin:2em auto;color:#222}"
    "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;"
    "padding:2px 8px;text-align:right}th{background:#f4f4f4}pre{white-space:pre-wrap}"
)


def latex_escape(text: str) -> str:
    return "".join(LATEX_SPECIALS.get(c, c) for c in str(text))


def latex_tables(corpus: pd.DataFrame, caption: str) -> str:
    """The corpus table (one row per system) as a LaTeX tabular, every cell written as the page
    writes it (number_text.cell_text) and escaped."""
    cols = list(corpus.columns)
    lines = [
        r"\begin{table}[t]",
        r"\centering",
        r"\begin{tabular}{l" + "r" * len(cols) + "}",
        r"\hline",
        " & ".join(["system", *map(latex_escape, cols)]) + r" \\",
        r"\hline",
    ]
    for name, row in corpus_text(corpus).iterrows():
        cells = [latex_escape(name), *(latex_escape(row[c]) for c in cols)]
        lines.append(" & ".join(cells) + r" \\")
    lines += [r"\hline", r"\end{tabular}", rf"\caption{{{latex_escape(caption)}}}", r"\end{table}"]
    return "\n".join(lines) + "\n"


def html_report(
    report: BleuReport,
    corpus: pd.DataFrame,
    figures: Sequence[go.Figure],
    files: list[dict],
    words: WordReport | None = None,
) -> str:
    """Everything in one HTML file: corpus table, charts (plotly.js embedded once, so the file
    opens offline), word accuracy and n-gram differences, signatures, settings, inputs."""
    parts = [
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>BLEU report</title>"
        f"<style>{STYLE}</style></head><body><h1>BLEU report</h1>",
        f"<p>{report.n_segments:,} segments, {len(report.systems)} systems, "
        f"{max(report.num_refs, 1)} reference(s); baseline {_h(report.baseline)}.</p>",
        "<h2>Corpus scores</h2>",
        # the index as a column: one header row (to_html puts an index's name on a row of its own)
        corpus_text(corpus).reset_index().to_html(escape=True, index=False),
    ]
    for k, fig in enumerate(figures):
        parts.append(fig.to_html(full_html=False, include_plotlyjs=(k == 0)))
    if words is not None:
        parts += [
            "<h2>Word accuracy by frequency bucket (F-measure)</h2>",
            _word_table(words).to_html(escape=True),
        ]
        for d in words.ngram_differences:
            parts += [
                f"<h3>N-grams: {_h(d.a)} vs {_h(d.b)}</h3>",
                _ngram_frame(d).to_html(escape=True, index=False),
            ]
    parts += [
        "<h2>sacrebleu signatures</h2>",
        *(f"<p><b>{_h(k)}</b></p><pre>{_h(v)}</pre>" for k, v in report.signatures.items()),
        "<h2>Inputs</h2>",
        pd.DataFrame(files).to_html(escape=True, index=False),
        "<h2>Settings</h2>",
        f"<pre>{_h(repr(report.settings.to_dict()))}</pre>",
        "</body></html>",
    ]
    return "\n".join(parts)


def _h(text) -> str:
    return html.escape(str(text))


def _word_table(words: WordReport) -> pd.DataFrame:
    rows = words.word_accuracy.to_list()
    frame = pd.DataFrame(
        {"bucket": [r["bucket"] for r in rows], "reference words": [r["count"] for r in rows]}
    )
    for name in words.word_accuracy.out_words:
        frame[name] = [f"{r['fmeasure'][name]:.4f}" for r in rows]
    return frame


def _ngram_frame(diff) -> pd.DataFrame:
    def side(rows, label):
        return [
            {
                "better": label,
                "n-gram": r.ngram,
                "score": f"{r.score:.4f}",
                "matches A": r.count_a,
                "matches B": r.count_b,
            }
            for r in rows
        ]

    return pd.DataFrame(side(diff.a_better, "A") + side(diff.b_better, "B"))
