"""TER on demand (slow: a shift-aware edit distance per sentence), from sacrebleu's statistics."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from core.bleu.analysis import check_inputs
from core.bleu.report import BleuReport
from core.bleu.settings import BleuSettings
from core.bleu.statistics.extraction import SegmentStats, extract_stats, make_metric
from core.bleu.statistics.scores_from_stats import corpus_score


@dataclass(frozen=True)
class TerScores:
    """Corpus TER = 100 * sum(edits) / sum(mean ref length); sentence TER per segment."""

    corpus: dict[str, float]  # system -> corpus TER (sacrebleu's own aggregation)
    sentences: dict[str, np.ndarray]  # system -> (N,) sentence TER
    signature: str  # sacrebleu's TER signature


def ter_scores(
    refs: list[list[str]],
    systems: dict[str, list[str]],
    settings: BleuSettings | None = None,
    workers: int = 1,
) -> TerScores:
    """TER of every system (sacrebleu's TER with its defaults; same input rules as analyse())."""
    settings = settings or BleuSettings()
    check_inputs(refs, systems)
    stats = extract_stats(settings, refs, systems, ("ter",), workers)["ter"]
    return ter_from_stats(stats, settings)


def ter_from_stats(stats: SegmentStats, settings: BleuSettings) -> TerScores:
    """Corpus and sentence TER from extracted TER statistics (no text is read again)."""
    metric = make_metric(settings, "ter")
    corpus = {s: corpus_score(metric, st) for s, st in stats.by_system.items()}
    sentences = {
        s: np.array([metric._compute_score_from_stats(row).score for row in st.tolist()])
        for s, st in stats.by_system.items()
    }
    return TerScores(corpus, sentences, stats.signature)


def add_ter(
    report: BleuReport, refs: list[list[str]], systems: dict[str, list[str]], workers: int = 1
) -> BleuReport:
    """A copy of `report` with TER filled in (corpus column, sentence column, signature).
    refs / systems must be the inputs the report was made from."""
    if list(systems) != list(report.systems):
        raise ValueError("systems differ from the ones in the report")
    return with_ter(report, ter_scores(refs, systems, report.settings, workers))


def with_ter(report: BleuReport, ter: TerScores) -> BleuReport:
    """A copy of `report` with these TER scores (same systems) in its tables and signatures."""
    if set(ter.corpus) != set(report.systems):
        raise ValueError("TER systems differ from the ones in the report")
    corpus = report.corpus.copy()
    corpus["ter"] = [ter.corpus[s] for s in corpus.index]
    sentences = report.sentences.copy()
    sentences["ter"] = np.concatenate([ter.sentences[s] for s in report.systems])
    return dataclasses.replace(
        report,
        corpus=corpus,
        sentences=sentences,
        ter_computed=True,
        signatures={**report.signatures, "TER": ter.signature},
    )
