"""Words as compare-mt counts them: each line after sacrebleu's preprocessing (the chosen
tokenizer and lowercasing), then stripped and split on single spaces (compare-mt's
corpus_utils.iterate_tokens). compare-mt reads pre-tokenized files; with tokenize="none" the
words are exactly compare-mt's. An empty line is one empty word, as in compare-mt."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from core.bleu.settings import BleuSettings
from core.bleu.statistics.extraction import make_metric


def line_words(lines: Iterable[str], settings: BleuSettings) -> list[list[str]]:
    """Lines -> words per line: preprocess (tokenize, lowercase) then .strip().split(" ")."""
    return [words_of(line, settings) for line in lines]


def words_of(line: str, settings: BleuSettings) -> list[str]:
    """One line's words (the metric object is cached per settings)."""
    return _metric(settings)._preprocess_segment(line).strip().split(" ")


@functools.lru_cache(maxsize=8)
def _metric(settings: BleuSettings):
    return make_metric(settings, "bleu")
