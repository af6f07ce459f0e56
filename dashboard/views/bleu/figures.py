"""The BLEU page's charts, each built once per server for the report and the view that select
it (dashboard.shared.figure_cache's small cache for figures of uploads): a rerun, a page switch, or
another session showing the same files with the same settings reuses the figure instead of
building it again (plotly validates every property set: the page's seven charts were about
half of its run). A report is known by report_key: its statistics' digest, settings, systems
and baseline.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.bleu.breakdowns.gap_decomposition import GapDecomposition
from core.bleu.reading.text_files import TextFile
from core.bleu.report import BleuReport
from dashboard.shared.figure_cache import cached_upload_figure
from dashboard.views.bleu.charts import scores as charts
from dashboard.views.bleu.charts import words as bleu_words
from dashboard.views.bleu.report_key import report_key
from dashboard.views.bleu.word_state import WordAnalysis


def corpus_bars(report: BleuReport) -> go.Figure:
    """Corpus scores per metric and system, with intervals and significance marks."""
    return cached_upload_figure((report_key(report),), _corpus_bars, report)


def _corpus_bars(report: BleuReport) -> go.Figure:
    return charts.corpus_bars(report.significance_table(), report.systems)


def pair_scatter(report: BleuReport, a: str, b: str) -> go.Figure:
    """Sentence BLEU of system a against b."""
    return cached_upload_figure((report_key(report), a, b), _pair_scatter, report, a, b)


def _pair_scatter(report: BleuReport, a: str, b: str) -> go.Figure:
    return charts.pair_scatter(report.sentence_scores("bleu"), a, b)


def gap_chart(report: BleuReport, gap: GapDecomposition) -> go.Figure:
    """log BLEU_b - log BLEU_a by n-gram order and brevity penalty (`gap` of the report)."""
    selects = (report_key(report), gap.sys_a, gap.sys_b)
    return cached_upload_figure(selects, charts.gap_chart, gap, report.systems)


def sentence_boxes(report: BleuReport) -> go.Figure:
    """The distribution of sentence BLEU per system."""
    return cached_upload_figure((report_key(report),), _sentence_boxes, report)


def _sentence_boxes(report: BleuReport) -> go.Figure:
    return charts.sentence_boxes(report.sentence_scores("bleu"))


def precision_chart(report: BleuReport) -> go.Figure:
    """n-gram precisions, brevity penalty and length ratio per system."""
    return cached_upload_figure((report_key(report),), _precision_chart, report)


def _precision_chart(report: BleuReport) -> go.Figure:
    return charts.precision_chart(report.corpus, report.settings.max_ngram_order)


def bucket_chart(
    report: BleuReport,
    table: pd.DataFrame,
    kind: str,
    source: TextFile | None,
    labels: tuple[str, ...] | None,
) -> go.Figure:
    """BLEU per bucket; `table` = the report's buckets split by `kind` (from the source or the
    label column when the kind needs them)."""
    needs = {"source length": source.sha256 if source else None, "label column": labels}
    selects = (report_key(report), kind, needs.get(kind))
    return cached_upload_figure(selects, charts.bucket_chart, table, report.systems, kind)


def word_accuracy(analysis: WordAnalysis, names: list[str]) -> go.Figure:
    """Word F-measure per frequency bucket and system (`analysis.key` names its inputs)."""
    return cached_upload_figure(
        (analysis.key, tuple(names)), bleu_words.word_accuracy_chart, analysis.accuracy, names
    )
