"""Per-segment BLEU and chrF statistics equal to sacrebleu's `_compute_segment_statistics`,
counted faster: the references' n-grams come from sacrebleu's own `_cache_references` (once per
block), each order is counted in its own Counter, and matches are summed over the keys both
sides share with C-level set and map operations instead of a Python loop over every n-gram.

    matches_n = sum over g in hyp_n & ref of min(count_hyp(g), count_ref(g))

Any other metric (TER) is computed by sacrebleu's own method. tests/test_bleu_segment_counts.py
checks equality with sacrebleu on generated text and on the TED and WMT17 anchor data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from sacrebleu.metrics.helpers import extract_word_ngrams

Row = list  # one segment's statistics, as sacrebleu returns them


def segment_counter(name: str, metric, cache: list[dict]) -> Callable[[int, str], Row]:
    """(segment index, raw hyp) -> statistics row, against `cache`: the block's references as
    sacrebleu's `metric._cache_references` returns them."""
    if name == "bleu":
        return _bleu_counter(metric, cache)
    if name == "chrf":
        return _chrf_counter(metric, cache)
    return lambda i, hyp: metric._compute_segment_statistics(
        metric._preprocess_segment(hyp), cache[i]
    )


def matches(hyp: Counter, ref: Counter) -> int:
    """sum over shared keys of min(hyp count, ref count), without a Python-level loop."""
    common = hyp.keys() & ref.keys()
    return sum(map(min, map(hyp.__getitem__, common), map(ref.__getitem__, common)))


def _bleu_counter(metric, cache: list[dict]) -> Callable[[int, str], Row]:
    order = metric.max_ngram_order

    def count(i: int, hyp: str) -> Row:
        """[hyp_len, closest_ref_len, matches_1..N, totals_1..N] as BLEU's own code."""
        tokens = metric._preprocess_segment(hyp).split()
        size, entry = len(tokens), cache[i]
        ref = entry["ref_ngrams"]
        correct, total = [], []
        for n in range(1, order + 1):
            grams = Counter(zip(*(tokens[k:] for k in range(n)), strict=False))  # as sacrebleu
            correct.append(matches(grams, ref))
            total.append(max(0, size - n + 1))
        return [size, metric._get_closest_ref_len(size, entry["ref_lens"]), *correct, *total]

    return count


def _chrf_counter(metric, cache: list[dict]) -> Callable[[int, str], Row]:
    refs = [  # per segment, per reference, per order: (n-grams, their total count)
        [[(grams, sum(grams.values())) for grams in ref] for ref in entry["ref_ngrams"]]
        for entry in cache
    ]

    def count(i: int, hyp: str) -> Row:
        """[hyp, ref, match] per order, of the reference with the best F (the first on ties)."""
        hyp = metric._preprocess_segment(hyp)
        grams = char_ngrams(hyp, metric.char_order, metric.whitespace)
        if metric.word_order > 0:
            words = metric._remove_punctuation(hyp)
            grams += [extract_word_ngrams(words, n) for n in range(1, metric.word_order + 1)]
        totals = [sum(g.values()) for g in grams]
        best, best_f = [], -1.0
        for ref in refs[i]:
            stats = []
            for g, total, (r, r_total) in zip(grams, totals, ref, strict=False):
                stats += (total if r else 0, r_total, matches(g, r))
            if len(refs[i]) == 1:
                return stats
            f = metric._compute_f_score(stats)
            if f > best_f:
                best, best_f = stats, f
        return best

    return count


def char_ngrams(line: str, max_order: int, include_whitespace: bool = False) -> list[Counter]:
    """sacrebleu's extract_all_char_ngrams: Counters of character n-grams, n = 1..max_order."""
    if not include_whitespace:
        line = "".join(line.split())
    out = [Counter(line)]  # the characters themselves: the 1-grams
    for n in range(2, max_order + 1):
        out.append(Counter([line[i : i + n] for i in range(len(line) - n + 1)]))
    return out[:max_order]
