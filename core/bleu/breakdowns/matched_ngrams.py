"""Which hypothesis n-grams BLEU counted as matches, for highlighting one sentence pair.

Clipping as sacrebleu: an n-gram g seen h times in the hypothesis matches min(h, max_r c_r(g))
times, c_r(g) its count in reference r. The first matched occurrences (left to right) are
marked; each is attributed to the reference with the most occurrences of g (first on ties)
and paired with that reference's occurrence of the same rank.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from core.bleu.settings import BleuSettings
from core.bleu.statistics.extraction import make_metric


@dataclass(frozen=True)
class NgramMatch:
    """One clipped match: hyp_tokens[start:start+order] == ref_tokens[ref][ref_start:...]."""

    order: int
    start: int  # token position in the hypothesis
    ref: int  # index of the reference it was matched in
    ref_start: int  # token position in that reference


@dataclass(frozen=True)
class MatchedNgrams:
    hyp_tokens: tuple[str, ...]  # hypothesis after sacrebleu's BLEU preprocessing
    ref_tokens: tuple[tuple[str, ...], ...]  # each reference, same preprocessing
    matches: tuple[NgramMatch, ...]
    counts: tuple[int, ...]  # clipped matches per order (sacrebleu's m_n)
    totals: tuple[int, ...]  # hypothesis n-grams per order (sacrebleu's t_n)

    def hyp_coverage(self, order: int) -> list[bool]:
        """Per hypothesis token: covered by a matched n-gram of this order?"""
        covered = [False] * len(self.hyp_tokens)
        for m in self.matches:
            if m.order == order:
                covered[m.start : m.start + order] = [True] * order
        return covered

    def hyp_highest_order(self) -> list[int]:
        """Per hypothesis token: highest order of a matched n-gram covering it (0 = none)."""
        return _highest(len(self.hyp_tokens), ((m.start, m.order) for m in self.matches))

    def ref_highest_order(self, ref: int = 0) -> list[int]:
        """Per token of reference `ref`: highest order of a match paired with it (0 = none)."""
        spans = ((m.ref_start, m.order) for m in self.matches if m.ref == ref)
        return _highest(len(self.ref_tokens[ref]), spans)


def _highest(length: int, spans) -> list[int]:
    best = [0] * length
    for start, order in spans:
        for i in range(start, start + order):
            best[i] = max(best[i], order)
    return best


def matched_ngrams(
    hyp: str, refs: list[str | None], settings: BleuSettings | None = None
) -> MatchedNgrams:
    """Clipped n-gram matches of one hypothesis against its references (None = missing)."""
    settings = settings or BleuSettings()
    if not refs:
        raise ValueError("matched_ngrams needs at least one reference")
    metric = make_metric(settings, "bleu")
    hyp_tokens = tuple(metric._preprocess_segment(hyp).split())
    ref_tokens = tuple(
        tuple(metric._preprocess_segment(r).split()) if r is not None else () for r in refs
    )
    matches, counts, totals = [], [], []
    for n in range(1, settings.max_ngram_order + 1):
        hyp_pos = _positions(hyp_tokens, n)
        ref_pos = [_positions(toks, n) for toks in ref_tokens]
        matched = 0
        for gram, starts in hyp_pos.items():
            best = max(range(len(ref_pos)), key=lambda r, g=gram: len(ref_pos[r].get(g, ())))
            in_ref = ref_pos[best].get(gram, [])
            clip = min(len(starts), len(in_ref))
            matches += [NgramMatch(n, starts[k], best, in_ref[k]) for k in range(clip)]
            matched += clip
        counts.append(matched)
        totals.append(max(len(hyp_tokens) - n + 1, 0))
    matches.sort(key=lambda m: (m.order, m.start))
    return MatchedNgrams(hyp_tokens, ref_tokens, tuple(matches), tuple(counts), tuple(totals))


def _positions(tokens: tuple[str, ...], n: int) -> dict[tuple[str, ...], list[int]]:
    """n-gram -> start positions, in order."""
    out: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i in range(len(tokens) - n + 1):
        out[tokens[i : i + n]].append(i)
    return out
