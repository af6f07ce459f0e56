"""Reference-length buckets (compare-mt style): sizes and per-bucket BLEU with bootstrap intervals.

A segment's bucket is set by the tokenized length of its first reference, so every system
is cut the same way. Labels follow compare-mt: "<10", "[10,20)", ..., ">=60".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.bleu.statistics.paired_resampling import bootstrap_index_chunks, resampled_sums
from core.bleu.statistics.scores_from_stats import bleu_rows, corpus_bleu_score


def bucket_labels(cutoffs: tuple[int, ...]) -> list[str]:
    """["<c0", "[c0,c1)", ..., ">=c_last"] for increasing cutoffs."""
    inner = [f"[{lo},{hi})" for lo, hi in zip(cutoffs[:-1], cutoffs[1:], strict=True)]
    return [f"<{cutoffs[0]}", *inner, f">={cutoffs[-1]}"]


def assign_buckets(ref_lens: np.ndarray, cutoffs: tuple[int, ...]) -> np.ndarray:
    """Bucket index per segment: b = #{c in cutoffs : c <= len}.  (N,) -> (N,) int."""
    return np.searchsorted(np.asarray(cutoffs), np.asarray(ref_lens), side="right")


def bucket_table(
    bleu_stats: dict[str, np.ndarray],
    ref_lens: np.ndarray,
    metric,
    cutoffs: tuple[int, ...],
    n_samples: int,
    seed: int,
) -> pd.DataFrame:
    """One row per (bucket, system): n_sent, BLEU (sacrebleu's corpus BLEU of the bucket), and the
    95% bootstrap interval [ci_low, ci_high] of that BLEU (sorted resamples at S//40 and
    S - S//40 - 1, sacrebleu's rule), resampling the bucket's segments with replacement.
    Empty buckets get n_sent 0 and NaN scores."""
    return bucket_table_for(
        bleu_stats,
        assign_buckets(ref_lens, cutoffs),
        bucket_labels(cutoffs),
        metric,
        n_samples,
        seed,
    )


def bucket_table_for(
    bleu_stats: dict[str, np.ndarray],
    which: np.ndarray,
    labels: list[str],
    metric,
    n_samples: int,
    seed: int,
) -> pd.DataFrame:
    """bucket_table() for any split: which[i] is segment i's bucket (an index into labels)."""
    names = list(bleu_stats)
    rows = []
    for b, label in enumerate(labels):
        members = np.flatnonzero(which == b)
        intervals = _bucket_intervals(bleu_stats, members, metric, n_samples, seed + b)
        for name in names:
            bleu = (
                corpus_bleu_score(metric, bleu_stats[name][members]).score
                if len(members)
                else np.nan
            )
            low, high = intervals.get(name, (np.nan, np.nan))
            rows.append(
                {
                    "bucket": label,
                    "bucket_index": b,
                    "system": name,
                    "n_sent": len(members),
                    "bleu": bleu,
                    "ci_low": low,
                    "ci_high": high,
                }
            )
    return pd.DataFrame(rows)


def _bucket_intervals(bleu_stats, members, metric, n_samples, seed) -> dict:
    if len(members) == 0:
        return {}
    names = list(bleu_stats)
    stacked = np.concatenate([bleu_stats[s][members] for s in names], axis=1)  # (n_b, K * sys)
    sums = resampled_sums(stacked, bootstrap_index_chunks(len(members), n_samples, seed))
    k = stacked.shape[1] // len(names)
    lower = n_samples // 40
    out = {}
    for j, name in enumerate(names):
        scores = np.sort(bleu_rows(sums[:, j * k : (j + 1) * k], metric.max_ngram_order))
        out[name] = (float(scores[lower]), float(scores[n_samples - lower - 1]))
    return out
