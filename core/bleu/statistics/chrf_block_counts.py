"""chrF statistics of a whole block of segments at once, character n-grams counted with numpy.

Each character n-gram of a segment becomes one integer key, its segment index above a
polynomial in dense character ids (a_1 A^(n-1) + ... + a_n, A = the block's alphabet size),
so counting is np.unique and matching is a searchsorted into the reference's sorted keys:

    match_n(segment) = sum over shared keys of min(hyp count, ref count)

The rows equal sacrebleu's CHRF._compute_segment_statistics (tests/test_bleu_segment_counts.py).
Word n-grams (chrF++) and the choice among several references (the first with the best F) stay
per segment in Python, as in sacrebleu. When the keys would not fit in 63 bits (an alphabet of
more than about a thousand characters, as in Chinese or Japanese text) `None` is returned and
the caller counts per segment.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sacrebleu.metrics.helpers import extract_word_ngrams

from core.bleu.statistics.per_segment_counts import matches

KEY_BITS = 63  # int64 keys, sign bit unused


@dataclass(frozen=True)
class Keys:
    """One stream's character n-gram keys per order, counted."""

    keys: list[np.ndarray]  # per order: (G,) sorted distinct keys (segment << shift | n-gram)
    counts: list[np.ndarray]  # per order: (G,) occurrences of each key
    totals: np.ndarray  # (N, order) n-grams per segment and order
    shift: int  # bits below the segment index


def chrf_block(metric, refs: list[list], systems: dict[str, list[str]]) -> dict | None:
    """system -> (N, 3 * (char_order + word_order)) int64 rows, or None (see the docstring)."""
    n = len(refs[0])
    streams = [[_clean(metric, line) for line in stream] for stream in refs]
    hyps = {name: [_clean(metric, line) for line in lines] for name, lines in systems.items()}
    codes = [_codes(s) for s in streams] + [_codes(h) for h in hyps.values()]
    alphabet = np.unique(np.concatenate([c for c, _ in codes]))
    size, order = max(len(alphabet), 2), metric.char_order
    shift = (size**order - 1).bit_length()
    if shift + max(n, 1).bit_length() > KEY_BITS:
        return None
    to_key = {"alphabet": alphabet, "size": size, "order": order, "shift": shift, "n": n}
    ref_keys = [_keys(codes[j], to_key) for j in range(len(refs))]
    ref_words = _word_grams(metric, refs)
    out = {}
    for k, (name, lines) in enumerate(systems.items()):
        mine = _keys(codes[len(refs) + k], to_key)
        per_ref = [_char_rows(mine, theirs, n) for theirs in ref_keys]
        words = _word_stats(metric, lines, ref_words, len(refs))
        out[name] = _choose(metric, refs, per_ref, words)
    return out


def _clean(metric, line: str | None) -> str:
    """The characters chrF sees: lowercased if asked, whitespace dropped unless kept."""
    line = metric._preprocess_segment(line or "")
    return line if metric.whitespace else "".join(line.split())


def _codes(lines: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(code points of all lines, (N,) line lengths)"""
    text = "".join(lines).encode("utf-32-le", "surrogatepass")  # lone surrogates too
    return np.frombuffer(text, dtype=np.uint32), np.fromiter(map(len, lines), np.int64, len(lines))


def _keys(stream: tuple[np.ndarray, np.ndarray], k: dict) -> Keys:
    """Keys of every character n-gram, n = 1..order, that lies within one segment."""
    codes, lengths = stream
    ids = np.searchsorted(k["alphabet"], codes).astype(np.int64)  # (P,) dense char ids
    segment = np.repeat(np.arange(k["n"], dtype=np.int64), lengths)  # (P,)
    poly, keys, counts, totals = ids, [], [], []
    for order in range(1, k["order"] + 1):
        if order > 1:
            poly = poly[:-1] * k["size"] + ids[order - 1 :]  # grams starting at each position
        start = segment[: len(poly)]
        inside = start == segment[order - 1 :]  # the n-gram ends in its own segment
        uniq, count = np.unique((start[inside] << k["shift"]) | poly[inside], return_counts=True)
        keys.append(uniq)
        counts.append(count)
        totals.append(np.maximum(lengths - order + 1, 0))
    empty = np.zeros((k["n"], 0), dtype=np.int64)
    return Keys(keys, counts, np.stack(totals, axis=1) if totals else empty, k["shift"])


def _char_rows(hyp: Keys, ref: Keys, n: int) -> np.ndarray:
    """(N, 3 * order) [hyp, ref, match] per character order, as _get_match_statistics."""
    cols = []
    for o, (h_keys, h_counts) in enumerate(zip(hyp.keys, hyp.counts, strict=True)):
        r_keys, r_counts = ref.keys[o], ref.counts[o]
        at = np.minimum(np.searchsorted(r_keys, h_keys), max(len(r_keys) - 1, 0))
        hit = r_keys[at] == h_keys if len(r_keys) else np.zeros(len(h_keys), dtype=bool)
        shared = np.minimum(h_counts[hit], r_counts[at[hit]])
        segment = h_keys[hit] >> hyp.shift
        match = np.bincount(segment, weights=shared, minlength=n).astype(np.int64)
        ref_total = ref.totals[:, o]
        cols += [np.where(ref_total > 0, hyp.totals[:, o], 0), ref_total, match]
    return np.stack(cols, axis=1) if cols else np.zeros((n, 0), dtype=np.int64)


def _word_grams(metric, refs: list[list]) -> list[list] | None:
    """Per reference stream, per segment: its word n-gram Counters (None: no reference)."""
    if metric.word_order == 0:
        return None
    return [[None if line is None else _words(metric, line) for line in s] for s in refs]


def _words(metric, line: str) -> list:
    words = metric._remove_punctuation(metric._preprocess_segment(line))
    return [extract_word_ngrams(words, n) for n in range(1, metric.word_order + 1)]


def _word_stats(
    metric, lines: list[str], ref_words: list[list] | None, n_refs: int
) -> list[np.ndarray]:
    """Per reference stream: (N, 3 * word_order) [hyp, ref, match] per word order."""
    n = len(lines)
    if ref_words is None:  # no word n-grams (chrF without +)
        return [np.zeros((n, 0), dtype=np.int64)] * n_refs
    hyp = [_words(metric, line) for line in lines]
    out = []
    for stream in ref_words:
        rows = np.zeros((n, 3 * metric.word_order), dtype=np.int64)
        for i, (h, r) in enumerate(zip(hyp, stream, strict=True)):
            if r is not None:
                rows[i] = [x for g, rg in zip(h, r, strict=True) for x in _triple(g, rg)]
        out.append(rows)
    return out


def _triple(hyp, ref) -> tuple[int, int, int]:
    """[hyp, ref, match] counts of one order, as CHRF._get_match_statistics."""
    return (sum(hyp.values()) if ref else 0, sum(ref.values()), matches(hyp, ref))


def _choose(metric, refs: list[list], chars: list[np.ndarray], words: list[np.ndarray]):
    """(N, K) rows: each segment's statistics against the reference with the best F score
    (the first on ties), references that are None left out, as sacrebleu."""
    rows = [np.concatenate([c, w], axis=1) for c, w in zip(chars, words, strict=True)]
    if len(rows) == 1:
        return rows[0]
    best = rows[0].copy()
    for i in range(len(best)):
        best_f = -1.0
        for j, stream in enumerate(refs):
            if stream[i] is None:
                continue
            f = metric._compute_f_score(rows[j][i].tolist())
            if f > best_f:
                best[i], best_f = rows[j][i], f
    return best
