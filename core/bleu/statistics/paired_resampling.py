"""Paired significance vs a baseline, equal to sacrebleu's PairedTest with the same seed.

sacrebleu (significance.py) seeds np.random.default_rng(seed) per comparison and draws
  bootstrap:  idx = rng.choice(N, size=(n_samples, N))          (same stream as rng.integers)
  AR:         pos = rng.integers(2, size=(n_trials, N), dtype=bool)
so every system sees the same draws. We draw them once, in row chunks that reproduce the same
stream, turn them into resampled statistic sums with one count-matrix product for all systems,
and score the sums with sacrebleu's own scalar code where bit-identity matters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from sacrebleu.significance import _compute_p_value, estimate_ci

MAX_CELLS = 1_000_000  # rows * N per chunk: bounds the memory of index and count matrices
NEAR = 1e-9  # relative band around the AR threshold re-scored with sacrebleu's code
# sacrebleu sums resampled statistics in float32. Statistics are non-negative integers, so
# when a resample's total is below 2**24 every partial sum is exact and equals our float64
# count-matrix sum; from there on we repeat its float32 summation literally.
FLOAT32_EXACT = 2**24


@dataclass(frozen=True)
class PairedResult:
    """One system vs the baseline on one metric (the baseline's own row has p-values None).

    As in sacrebleu, p counts resamples/trials whose difference strictly exceeds the observed
    one, so a system identical to the baseline gets the smallest p, 1 / (S + 1): check
    score == baseline_score before calling a difference significant."""

    system: str
    baseline: str
    metric: str  # "BLEU" | "chrF"
    score: float  # the system's corpus score
    baseline_score: float
    bs_p_value: float | None  # paired bootstrap p-value (sacrebleu --paired-bs)
    bs_mean: float  # bootstrap estimate of the system's true mean score
    bs_ci: float  # half-width of the 95% interval: mean +/- bs_ci (sacrebleu's)
    ar_p_value: float | None  # approximate randomization p-value (None when not run)

    @property
    def ci95(self) -> tuple[float, float]:
        """95% interval of the system's score, (mean - ci, mean + ci) as sacrebleu prints it."""
        return (self.bs_mean - self.bs_ci, self.bs_mean + self.bs_ci)

    def to_dict(self) -> dict:
        return {
            "system": self.system,
            "baseline": self.baseline,
            "metric": self.metric,
            "score": self.score,
            "baseline_score": self.baseline_score,
            "p_value": self.bs_p_value,
            "mean": self.bs_mean,
            "ci": self.bs_ci,
            "ci95": list(self.ci95),
            "ar_p_value": self.ar_p_value,
        }


def _rows_per_chunk(n: int, multiple: int = 32) -> int:
    return max(multiple, (MAX_CELLS // max(n, 1)) // multiple * multiple)


def bootstrap_index_chunks(n: int, n_samples: int, seed: int) -> Iterator[np.ndarray]:
    """Row chunks of rng.choice(n, size=(n_samples, n)) for default_rng(seed), never all at once."""
    rng = np.random.default_rng(seed)
    rows = _rows_per_chunk(n, 1)
    for start in range(0, n_samples, rows):
        yield rng.integers(0, n, size=(min(rows, n_samples - start), n))


def resampled_sums(stats: np.ndarray, index_chunks: Iterator[np.ndarray]) -> np.ndarray:
    """sums[s] = sum_i stats[idx[s, i]] = counts[s] @ stats.  stats: (N, K) -> (S, K) float64."""
    stats = np.asarray(stats, dtype=np.float64)
    n = len(stats)
    out = []
    for idx in index_chunks:  # (rows, N)
        offsets = np.arange(len(idx))[:, None] * n
        counts = np.bincount((idx + offsets).ravel(), minlength=idx.size)
        out.append(counts.reshape(idx.shape).astype(np.float64) @ stats)  # (rows, K)
    return np.concatenate(out) if out else np.zeros((0, stats.shape[1]))


def sacrebleu_float32_sums(stats: np.ndarray, index_chunks: Iterator[np.ndarray]) -> np.ndarray:
    """sums[s] = float32(stats)[idx[s]].sum(0), summed in float32 row by row as sacrebleu does.
    Only needed when sums reach FLOAT32_EXACT: below it both ways give the same exact integers.
    stats: (N, K) -> (S, K) float32."""
    stats32 = np.asarray(stats, dtype=np.float32)
    return np.array([stats32[row].sum(0) for idx in index_chunks for row in idx])


def scalar_scores(metric, sums: np.ndarray) -> np.ndarray:
    """sacrebleu's scores of float32 resample sums, exactly as its bootstrap computes them."""
    rows = np.asarray(sums, dtype=np.float32)
    return np.array([metric._compute_score_from_stats(row.copy()).score for row in rows])


def paired_bootstrap(
    bl_scores: np.ndarray, sys_scores: np.ndarray, bl_score: float, sys_score: float
) -> tuple[float, float, float]:
    """sacrebleu's _paired_bs_test on precomputed resample scores -> (p, mean, ci half-width).

    p = (#{s : |d_s| - mean|d| > |delta|} + 1) / (S + 1),  d_s = sys_s - bl_s.
    """
    mean, ci = estimate_ci(sys_scores)
    diffs = np.abs(sys_scores - bl_scores)
    return _compute_p_value(diffs - diffs.mean(), abs(bl_score - sys_score)), mean, ci


def ar_p_values(
    metric,
    score_rows: Callable[[np.ndarray], np.ndarray],
    baseline: np.ndarray,
    systems: dict[str, np.ndarray],
    bl_score: float,
    sys_scores: dict[str, float],
    n_trials: int,
    seed: int,
) -> dict[str, float]:
    """sacrebleu's _paired_ar_test for every system at once -> {system: p-value}.

    Trial t swaps each segment i with pos[t, i]: a_t = pos_t @ BL + (1 - pos_t) @ SYS,
    b_t = total - a_t; p = (#{t : |score(a_t) - score(b_t)| > |delta|} + 1) / (T + 1).
    baseline / systems: (N, K) integer statistics. score_rows: vectorised metric on (M, K) sums.
    """
    names = list(systems)
    n, k = baseline.shape
    bl = baseline.astype(np.float64)
    diff_cols = np.concatenate([bl - systems[s].astype(np.float64) for s in names], axis=1)
    # float32 products are exact while every partial sum stays below 2**24: half the cost
    exact32 = np.abs(diff_cols).sum(axis=0).max(initial=0) < 2**24
    work = np.float32 if exact32 else np.float64
    diff_cols = diff_cols.astype(work)
    sys_sums = {s: systems[s].astype(np.float64).sum(axis=0) for s in names}
    bl_sum = bl.sum(axis=0)
    exceed = dict.fromkeys(names, 0)
    rng = np.random.default_rng(seed)
    rows = _rows_per_chunk(n)  # a multiple of 32 keeps the boolean stream identical
    for start in range(0, n_trials, rows):
        pos = rng.integers(2, size=(min(rows, n_trials - start), n), dtype=bool)
        swapped = (pos.astype(work) @ diff_cols).astype(np.float64)  # (rows, K * systems)
        for j, name in enumerate(names):
            shuf_a = swapped[:, j * k : (j + 1) * k] + sys_sums[name]  # (rows, K)
            shuf_b = bl_sum + sys_sums[name] - shuf_a
            delta = abs(bl_score - sys_scores[name])
            gap = _ar_gaps(metric, score_rows, shuf_a, shuf_b, delta)
            exceed[name] += int(np.sum(gap > delta))
    return {s: (exceed[s] + 1) / (n_trials + 1) for s in names}


def _ar_gaps(
    metric, score_rows, shuf_a: np.ndarray, shuf_b: np.ndarray, delta: float
) -> np.ndarray:
    """|score(a) - score(b)| per trial; trials within NEAR of delta re-scored by sacrebleu."""
    gap = np.abs(score_rows(shuf_a) - score_rows(shuf_b))
    near = np.flatnonzero(np.abs(gap - delta) <= NEAR * max(1.0, delta))
    for t in near:
        a = metric._compute_score_from_stats(np.rint(shuf_a[t]).astype(np.int64)).score
        b = metric._compute_score_from_stats(np.rint(shuf_b[t]).astype(np.int64)).score
        gap[t] = abs(a - b)
    return gap
