"""Cached word-level analyses for the BLEU page: compare-mt's word accuracy by frequency
bucket and matched n-grams, counted once per file set, tokenizer and case (the slow part,
seconds per 10,000 lines), then renamed and paired without counting again."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import streamlit as st

from core.bleu.breakdowns.accuracy_by_frequency import WordAccuracy
from core.bleu.breakdowns.compare_mt_report import count_words
from core.bleu.breakdowns.ngram_difference import NgramDifference, ngram_difference
from core.bleu.reading.text_files import TextFile
from core.bleu.settings import BleuSettings
from dashboard.views.bleu.state import file_digests


@dataclass(frozen=True)
class WordAnalysis:
    """compare-mt's word-level counts of one file set, under the systems' current names."""

    accuracy: WordAccuracy  # word accuracy by frequency bucket
    matched: dict[str, Counter]  # system -> matched n-gram counts (orders 1-4), space-joined
    lines: dict[str, list[str]]  # system -> its words per line, space-joined (n-gram filter)
    key: tuple = ()  # stands for the inputs, settings and names


def word_analysis(
    refs: list[TextFile],
    systems: list[TextFile],
    names: list[str],
    settings: BleuSettings,
    freq: TextFile | None,
) -> WordAnalysis:
    """Word accuracy and matched n-grams, cached by file contents, tokenizer and case."""
    key = (file_digests(refs, systems), settings.extraction_key(), freq.sha256 if freq else None)
    found = _word_analysis(key, refs[0], systems, settings, freq)
    rename = dict(zip(found.matched, names, strict=True))
    return WordAnalysis(
        found.accuracy.renamed(rename),
        {rename[k]: v for k, v in found.matched.items()},
        {rename[k]: v for k, v in found.lines.items()},
        (key, tuple(names)),
    )


@st.cache_resource(max_entries=2, show_spinner="Counting words and n-grams (compare-mt) ...")
def _word_analysis(
    key: tuple,
    _ref: TextFile,
    _systems: list[TextFile],
    _settings: BleuSettings,
    _freq: TextFile | None,
) -> WordAnalysis:
    systems = {str(i): f.lines for i, f in enumerate(_systems)}
    freq = _freq.lines if _freq is not None else None
    counts = count_words([_ref.lines], systems, _settings, freq, keep_lines=True)
    return WordAnalysis(counts.accuracy, counts.matched, counts.lines)


def ngram_pair(analysis: WordAnalysis, a: str, b: str) -> NgramDifference:
    """compare-mt's n-gram differences of systems a and b, cached."""
    return _ngram_pair(analysis.key, analysis, a, b)


@st.cache_resource(max_entries=4, show_spinner=False)
def _ngram_pair(key: tuple, _analysis: WordAnalysis, a: str, b: str) -> NgramDifference:
    return ngram_difference(a, b, _analysis.matched[a], _analysis.matched[b])
