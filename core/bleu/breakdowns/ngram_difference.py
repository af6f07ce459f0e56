"""N-gram differences between two systems, as compare-mt's n-gram difference analysis.

Per system, count the output n-grams (orders 1..4) that match the reference, clipped per
sentence (an n-gram matches while the reference still has an unmatched occurrence). For every
n-gram g matched by A or B:
    score(g) = (a + alpha) / (a + b + 2 alpha),   a, b = matches of g by A and by B
Highest scores: A matches g more often; lowest: B does. compare-mt breaks ties by set order
(which changes between runs); here ties go to the n-gram with more matches (a + b), then to
the alphabetically first, so the lists are reproducible and agree with compare-mt's scores.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

ALPHA = 1.0  # compare-mt's default smoothing
TOP = 50  # n-grams listed each way (compare-mt's report_length)
MAX_ORDER = 4


@dataclass(frozen=True)
class NgramRow:
    ngram: str  # space-joined words
    score: float  # (a + alpha) / (a + b + 2 alpha)
    count_a: int  # matches by system A
    count_b: int  # matches by system B

    def to_list(self) -> list:
        return [self.ngram, self.score, self.count_a, self.count_b]


@dataclass(frozen=True)
class NgramDifference:
    a: str  # first system
    b: str  # second system
    a_better: tuple[NgramRow, ...]  # highest scores first
    b_better: tuple[NgramRow, ...]  # lowest scores first

    def to_dict(self) -> dict:
        return {
            "a": self.a,
            "b": self.b,
            "a_better": [r.to_list() for r in self.a_better],
            "b_better": [r.to_list() for r in self.b_better],
        }


def sentence_ngrams(words: Sequence[str], max_order: int = MAX_ORDER) -> list[tuple[str, ...]]:
    """Every n-gram of orders 1..max_order, shortest first, left to right (compare-mt's order)."""
    return [
        tuple(words[i : i + n]) for n in range(1, max_order + 1) for i in range(len(words) - n + 1)
    ]


def ngram_strings(words: Sequence[str], max_order: int = MAX_ORDER) -> list[str]:
    """Every n-gram of orders 1..max_order as its words joined by one space (words never hold
    a space, so distinct n-grams give distinct strings)."""
    out = list(words)
    for n in range(2, max_order + 1):
        out += [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
    return out


def add_matches(
    matched: Counter, ref_grams: Counter, out_words: Sequence[str], max_order: int = MAX_ORDER
) -> None:
    """Add one sentence's clipped matches: min(output count, reference count) per n-gram, the
    number compare-mt's left-to-right matching reaches. ref_grams: Counter(ngram_strings(ref))."""
    for g, count in Counter(ngram_strings(out_words, max_order)).items():
        have = ref_grams.get(g)
        if have:
            matched[g] += min(count, have)


def matched_ngrams(
    ref: Iterable[Sequence[str]], out: Iterable[Sequence[str]], max_order: int = MAX_ORDER
) -> Counter:
    """Matched n-gram counts over the corpus (compare-mt's compare_ngrams "match"), keyed by
    the space-joined n-gram."""
    matched: Counter = Counter()
    for ref_words, out_words in zip(ref, out, strict=True):
        add_matches(matched, Counter(ngram_strings(ref_words, max_order)), out_words, max_order)
    return matched


def ngram_difference(
    a: str, b: str, matches_a: Counter, matches_b: Counter, top: int = TOP, alpha: float = ALPHA
) -> NgramDifference:
    """The `top` n-grams each way by (a + alpha) / (a + b + 2 alpha); rows only for those."""

    def score(g: str) -> tuple[float, int, int]:
        ca, cb = matches_a.get(g, 0), matches_b.get(g, 0)
        return (ca + alpha) / (ca + cb + 2 * alpha), ca, cb

    def row(g: str) -> NgramRow:
        return NgramRow(g, *score(g))

    keys = matches_a.keys() | matches_b.keys()
    high = heapq.nsmallest(top, keys, key=lambda g: _rank(score(g), g, -1))
    low = heapq.nsmallest(top, keys, key=lambda g: _rank(score(g), g, 1))
    return NgramDifference(a, b, tuple(map(row, high)), tuple(map(row, low)))


def _rank(scored: tuple[float, int, int], g: str, sign: int) -> tuple:
    """Order: score (descending for sign -1), then more matches, then alphabetical."""
    value, ca, cb = scored
    return sign * value, -(ca + cb), g


def ngram_differences(
    ref: Sequence[Sequence[str]],
    systems: dict[str, Sequence[Sequence[str]]],
    top: int = TOP,
    alpha: float = ALPHA,
    max_order: int = MAX_ORDER,
) -> list[NgramDifference]:
    """The first system against each other one, on words per sentence (one reference)."""
    names = list(systems)
    counts = {s: matched_ngrams(ref, systems[s], max_order) for s in names}
    return [
        ngram_difference(names[0], s, counts[names[0]], counts[s], top, alpha) for s in names[1:]
    ]
