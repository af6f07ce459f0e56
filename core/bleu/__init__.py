"""BLEU breakdown: sacrebleu's exact numbers, taken apart sentence by sentence.

Entry points: analyse() -> BleuReport (or, in two steps, extract_stats() then
report_from_stats(), so one extraction serves any smoothing, baseline or resampling;
with_smoothing() and BleuReport.renamed() change a report without redoing its tests);
decompose_gap(); matched_ngrams(); add_ter() / ter_scores() / with_ter() (TER on demand);
example_corpus() for built-in data.
Command line: `python -m core.bleu --help`.
"""

from core.bleu.analysis import (
    LineCountError,
    analyse,
    check_inputs,
    report_from_stats,
    with_smoothing,
)
from core.bleu.breakdowns.gap_decomposition import GapDecomposition, decompose_gap
from core.bleu.breakdowns.matched_ngrams import MatchedNgrams, matched_ngrams
from core.bleu.reading.built_in_corpus import ExampleCorpus, example_corpus
from core.bleu.report import BleuReport
from core.bleu.settings import BleuSettings, available_tokenizers
from core.bleu.statistics.extraction import SegmentStats, extract_stats
from core.bleu.statistics.paired_resampling import PairedResult
from core.bleu.ter import TerScores, add_ter, ter_from_stats, ter_scores, with_ter

__all__ = [
    "BleuReport",
    "BleuSettings",
    "ExampleCorpus",
    "GapDecomposition",
    "LineCountError",
    "MatchedNgrams",
    "PairedResult",
    "SegmentStats",
    "TerScores",
    "add_ter",
    "analyse",
    "available_tokenizers",
    "check_inputs",
    "decompose_gap",
    "example_corpus",
    "extract_stats",
    "matched_ngrams",
    "report_from_stats",
    "ter_from_stats",
    "ter_scores",
    "with_smoothing",
    "with_ter",
]
