"""The BLEU page's first view of its built-in example, computed before anyone opens the page.

A first visit of the BLEU page on a server imports sacrebleu and the page's modules and scores
the example (statistics, resampling tests, buckets, word accuracy): about 1.5 s of server time
while the reader waits. dashboard.session.warm_up calls warm_example once per server, in its
background thread, so that first visit reads the caches, its charts included. The settings
are the page's defaults (BleuSettings' own, which the page's widgets start from), the names
the page gives the example's files before anyone edits them, and the page's first views:
systems A and B as sentences.default_pair picks them, buckets by reference length.
"""

from __future__ import annotations

from core.bleu.breakdowns.gap_decomposition import decompose_gap
from core.bleu.reading.text_files import TextFile
from core.bleu.report import BleuReport
from core.bleu.settings import BleuSettings
from core.train.results import TrainResult
from dashboard.views.bleu import figures
from dashboard.views.bleu.sentences import default_pair
from dashboard.views.bleu.state import BUCKET_KINDS, analyse_files, buckets_by, example_files
from dashboard.views.bleu.uploads import EXAMPLE_ORIGIN, default_names
from dashboard.views.bleu.word_state import WordAnalysis, word_analysis


def warm_first_view(run_id: str, run: TrainResult) -> None:
    """The page's first view (the example, whatever the run): see warm_example."""
    warm_example()


def warm_example() -> None:
    """Score the example with the page's default settings into the page's caches. No st.*
    calls (no progress bar): runs in any thread."""
    refs, systems, source = example_files()
    names = default_names(systems, EXAMPLE_ORIGIN)
    settings = BleuSettings(baseline=names[0])
    report = analyse_files(refs, systems, names, settings, progress=False)
    analysis = word_analysis(refs, systems, names, settings, None)
    build_first_charts(report, analysis, names, source)


def build_first_charts(
    report: BleuReport, analysis: WordAnalysis, names: list[str], source: TextFile
) -> None:
    """The charts the page shows first for `report`, into the figure cache."""
    a, b = default_pair(report)
    figures.corpus_bars(report)
    figures.pair_scatter(report, a, b)
    if a != b:
        figures.gap_chart(report, decompose_gap(report, a, b))
    figures.sentence_boxes(report)
    figures.precision_chart(report)
    kind = next(iter(BUCKET_KINDS))  # the bucket selector's first option
    figures.bucket_chart(report, buckets_by(report, kind, source), kind, source, None)
    figures.word_accuracy(analysis, names)
