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

from collections import Counter
from collections.abc import Sequence
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


def matched_ngrams(
    ref: Sequence[Sequence[str]], out: Sequence[Sequence[str]], max_order: int = MAX_ORDER
) -> Counter:
    """Matched n-gram counts over the corpus (compare-mt's compare_ngrams "match")."""
    matched: Counter = Counter()
    for ref_words, out_words in zip(ref, out, strict=True):
        left = Counter(sentence_ngrams(ref_words, max_order))
        for g in sentence_ngrams(out_words, max_order):
            if left[g] > 0:
                left[g] -= 1
                matched[g] += 1
    return matched


def ngram_difference(
    a: str, b: str, matches_a: Counter, matches_b: Counter, top: int = TOP, alpha: float = ALPHA
) -> NgramDifference:
    rows = []
    for g in matches_a.keys() | matches_b.keys():
        ca, cb = matches_a.get(g, 0), matches_b.get(g, 0)
        rows.append(NgramRow(" ".join(g), (ca + alpha) / (ca + cb + 2 * alpha), ca, cb))
    high = sorted(rows, key=lambda r: (-r.score, -(r.count_a + r.count_b), r.ngram))
    low = sorted(rows, key=lambda r: (r.score, -(r.count_a + r.count_b), r.ngram))
    return NgramDifference(a, b, tuple(high[:top]), tuple(low[:top]))


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
