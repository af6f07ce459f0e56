"""compare-mt's word-level analyses of one set of outputs: word accuracy by frequency bucket
and n-gram differences of the first system against each other one (first reference)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.bleu.breakdowns.accuracy_by_frequency import (
    FREQ_CUTOFFS,
    WordAccuracy,
    accuracy_of,
    bucket_function,
    tally_sentence,
    word_counts,
)
from core.bleu.breakdowns.compare_mt_tokens import words_of
from core.bleu.breakdowns.ngram_difference import (
    NgramDifference,
    add_matches,
    ngram_difference,
    ngram_strings,
)
from core.bleu.settings import BleuSettings


@dataclass(frozen=True)
class WordReport:
    word_accuracy: WordAccuracy  # F-measure etc. per frequency bucket
    ngram_differences: tuple[NgramDifference, ...]  # first system vs each later one

    def to_dict(self) -> dict:
        """The CLI's and the page's JSON keys: word_accuracy, ngram_differences."""
        return {
            "word_accuracy": self.word_accuracy.to_list(),
            "ngram_differences": [d.to_dict() for d in self.ngram_differences],
        }


@dataclass(frozen=True)
class WordCounts:
    """One pass over every system's lines: word accuracy and matched n-grams (orders 1-4)."""

    accuracy: WordAccuracy  # per frequency bucket
    matched: dict[str, Counter]  # system -> space-joined n-gram -> clipped matches
    lines: dict[str, list[str]] | None  # system -> its words per line, space-joined (if kept)


def count_words(
    refs: Sequence[Sequence[str]],
    systems: dict[str, Sequence[str]],
    settings: BleuSettings,
    freq_corpus: Sequence[str] | None = None,
    keep_lines: bool = False,
) -> WordCounts:
    """Word accuracy and matched n-grams of every system against the first reference, each
    system's lines tokenized once and never held as word lists (memory stays small)."""
    freq_lines = refs[0] if freq_corpus is None else freq_corpus
    bucket = bucket_function(
        word_counts(words_of(line, settings) for line in freq_lines), FREQ_CUTOFFS
    )
    n_buckets = len(FREQ_CUTOFFS) + 1
    names = list(systems)
    ref_words = np.zeros(n_buckets, np.int64)
    out_words = {s: np.zeros(n_buckets, np.int64) for s in names}
    hits = {s: np.zeros(n_buckets, np.int64) for s in names}
    matched = {s: Counter() for s in names}
    kept = {s: [] for s in names}
    for i, ref_line in enumerate(refs[0]):  # sentence by sentence: the reference counted once
        words = words_of(ref_line, settings)
        ref_counts, ref_grams = Counter(words), Counter(ngram_strings(words))
        for w, count in ref_counts.items():
            ref_words[bucket(w)] += count
        for name in names:
            words = words_of(systems[name][i], settings)
            tally_sentence(ref_counts, words, bucket, out_words[name], hits[name])
            add_matches(matched[name], ref_grams, words)
            if keep_lines:
                kept[name].append(" ".join(words))
    accuracy = accuracy_of(ref_words, FREQ_CUTOFFS, out_words, hits, freq_corpus is not None)
    return WordCounts(accuracy, matched, kept if keep_lines else None)


def word_report(
    refs: Sequence[Sequence[str]],
    systems: dict[str, Sequence[str]],
    settings: BleuSettings,
    freq_corpus: Sequence[str] | None = None,
) -> WordReport:
    """refs: reference streams (the first is used, as compare-mt takes one); systems: name ->
    lines; freq_corpus: lines of a training corpus for the word frequencies (None: the
    reference). Words: core.bleu.breakdowns.compare_mt_tokens.words_of under settings
    (tokenizer, lowercase)."""
    counts = count_words(refs, systems, settings, freq_corpus)
    names = list(systems)
    first = counts.matched[names[0]]
    return WordReport(
        counts.accuracy,
        tuple(ngram_difference(names[0], s, first, counts.matched[s]) for s in names[1:]),
    )
