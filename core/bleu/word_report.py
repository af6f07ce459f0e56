"""compare-mt's word-level analyses of one set of outputs: word accuracy by frequency bucket
and n-gram differences of the first system against each other one (first reference)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.bleu.ngram_diff import NgramDifference, ngram_differences
from core.bleu.settings import BleuSettings
from core.bleu.word_accuracy import WordAccuracy, word_accuracy
from core.bleu.words import line_words


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


def word_report(
    refs: Sequence[Sequence[str]],
    systems: dict[str, Sequence[str]],
    settings: BleuSettings,
    freq_corpus: Sequence[str] | None = None,
) -> WordReport:
    """refs: reference streams (the first is used, as compare-mt takes one); systems: name ->
    lines; freq_corpus: lines of a training corpus for the word frequencies (None: the
    reference). Words: core.bleu.words.line_words under settings (tokenizer, lowercase)."""
    ref = line_words(refs[0], settings)
    outs = {name: line_words(lines, settings) for name, lines in systems.items()}
    freq = line_words(freq_corpus, settings) if freq_corpus is not None else None
    return WordReport(
        word_accuracy(ref, outs, freq_corpus=freq), tuple(ngram_differences(ref, outs))
    )
