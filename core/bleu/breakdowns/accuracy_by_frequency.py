"""Word accuracy by frequency bucket, as compare-mt defines it (generate_word_accuracy_report).

In each sentence an output word matches when the reference still has an unmatched occurrence
of it (clipped matching, left to right). Words are bucketed by their frequency in a training
corpus, else in the reference; per bucket b and system s:
    recall = m_sb / r_b,  precision = m_sb / o_sb,  F = 2 P R / (P + R)   (all 0 when m_sb = 0)
with m matched output words, o output words and r reference words in the bucket.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

FREQ_CUTOFFS = (1, 2, 3, 4, 5, 10, 100, 1000)  # compare-mt's default frequency buckets


def frequency_labels(cutoffs: Sequence[int]) -> list[str]:
    """compare-mt's labels: "<1", then "k" for a one-wide bucket [k, k+1), "[lo,hi)", ">=last"."""
    labels = [f"<{cutoffs[0]}"]
    for lo, hi in zip(cutoffs[:-1], cutoffs[1:], strict=True):
        labels.append(f"{lo}" if hi - 1 == lo else f"[{lo},{hi})")
    return [*labels, f">={cutoffs[-1]}"]


@dataclass(frozen=True)
class WordAccuracy:
    """Per frequency bucket: reference word count and each system's output and matched words."""

    buckets: tuple[str, ...]  # bucket labels in order ("<1", "1", ..., ">=1000")
    ref_words: np.ndarray  # (B,) reference words per bucket
    out_words: dict[str, np.ndarray]  # system -> (B,) output words per bucket
    matched: dict[str, np.ndarray]  # system -> (B,) matched output words per bucket
    freq_source: str  # what the frequencies were counted in

    def scores(self, system: str) -> pd.DataFrame:
        """recall, precision, fmeasure per bucket (0 where nothing matched)."""
        m = self.matched[system].astype(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            rec = np.where(m > 0, m / self.ref_words, 0.0)
            prec = np.where(m > 0, m / self.out_words[system], 0.0)
            f = np.where(m > 0, 2 * prec * rec / (prec + rec), 0.0)
        return pd.DataFrame(
            {"recall": rec, "precision": prec, "fmeasure": f},
            index=pd.Index(self.buckets, name="bucket"),
        )

    def table(self) -> pd.DataFrame:
        """Long table: bucket, bucket_index, count (reference words), system, recall,
        precision, fmeasure."""
        frames = []
        for s in self.out_words:
            frame = self.scores(s).reset_index()
            frame.insert(1, "bucket_index", np.arange(len(self.buckets)))
            frame.insert(2, "count", self.ref_words)
            frame.insert(3, "system", s)
            frames.append(frame)
        return pd.concat(frames, ignore_index=True)

    def to_list(self) -> list[dict]:
        """JSON entries in bucket order: {"bucket", "count", "fmeasure": {system: F}} plus the
        precision and recall the same way."""
        per = {s: self.scores(s) for s in self.out_words}
        return [
            {
                "bucket": label,
                "count": int(self.ref_words[b]),
                **{
                    k: {s: float(per[s][k].iloc[b]) for s in per}
                    for k in ("fmeasure", "precision", "recall")
                },
            }
            for b, label in enumerate(self.buckets)
        ]

    def renamed(self, names: dict[str, str]) -> WordAccuracy:
        return WordAccuracy(
            self.buckets,
            self.ref_words,
            {names[k]: v for k, v in self.out_words.items()},
            {names[k]: v for k, v in self.matched.items()},
            self.freq_source,
        )


def word_counts(sentences: Iterable[Sequence[str]]) -> Counter:
    return Counter(w for words in sentences for w in words)


def bucket_function(counts: Counter, cutoffs: Sequence[int]):
    """word -> frequency bucket b = #{c in cutoffs : c <= freq(word)}, memoised."""
    edges = list(cutoffs)
    bucket_of: dict[str, int] = {}

    def bucket(word: str) -> int:
        b = bucket_of.get(word)
        if b is None:
            b = bucket_of[word] = bisect.bisect_right(edges, counts.get(word, 0))
        return b

    return bucket


def tally_sentence(ref_counts: Counter, out_sent, bucket, total, hit) -> None:
    """Add one sentence's output words (total) and clipped matches (hit) to their buckets:
    every occurrence of a word falls in the word's bucket, and left-to-right clipping matches
    min(output count, reference count) of them. ref_counts: Counter of the reference words."""
    for w, count in Counter(out_sent).items():
        b = bucket(w)
        total[b] += count
        have = ref_counts.get(w)
        if have:
            hit[b] += min(count, have)


def word_accuracy(
    ref: Sequence[Sequence[str]],
    systems: dict[str, Sequence[Sequence[str]]],
    freq_corpus: Sequence[Sequence[str]] | None = None,
    cutoffs: Sequence[int] = FREQ_CUTOFFS,
) -> WordAccuracy:
    """ref: words per sentence of one reference; systems: name -> words per sentence;
    freq_corpus: words per line of a training corpus (None: count in the reference)."""
    bucket = bucket_function(word_counts(ref if freq_corpus is None else freq_corpus), cutoffs)
    n_buckets = len(cutoffs) + 1
    out_words, matched = {}, {}
    for name, outs in systems.items():
        total, hit = np.zeros(n_buckets, np.int64), np.zeros(n_buckets, np.int64)
        for ref_sent, out_sent in zip(ref, outs, strict=True):
            tally_sentence(Counter(ref_sent), out_sent, bucket, total, hit)
        out_words[name], matched[name] = total, hit
    ref_words = np.bincount([bucket(w) for words in ref for w in words], minlength=n_buckets)
    return accuracy_of(ref_words, cutoffs, out_words, matched, freq_corpus is not None)


def accuracy_of(ref_words, cutoffs, out_words, matched, from_corpus: bool) -> WordAccuracy:
    """The WordAccuracy of tallied systems; ref_words: (B,) reference words per bucket."""
    source = "training corpus" if from_corpus else "reference"
    return WordAccuracy(
        tuple(frequency_labels(cutoffs)),
        np.asarray(ref_words, dtype=np.int64),
        out_words,
        matched,
        source,
    )
