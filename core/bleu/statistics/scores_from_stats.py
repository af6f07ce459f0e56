"""Scores from sufficient statistics: sacrebleu's formulas, vectorised over rows with numpy.

Each function takes a (M, K) array of summed statistics (one row per sentence, bucket or
resample) and returns (M,) scores equal to sacrebleu's scalar code on the same row (to ~1e-12;
the scalar code itself is used wherever bit-identity matters, see `corpus_*`).
"""

from __future__ import annotations

from functools import partial

import numpy as np
from sacrebleu.metrics import BLEU
from sacrebleu.metrics.bleu import BLEUScore

LOG_OF_ZERO = -9999999999.0  # sacrebleu's my_log(0)


def bleu_rows(
    stats: np.ndarray,
    max_order: int = 4,
    smooth_method: str = "exp",
    smooth_value: float | None = None,
    effective_order: bool = False,
) -> np.ndarray:
    """BLEU = BP * exp(sum_{n<=N'} log p_n / N'),  BP = min(1, exp(1 - r/c)),  p_n = 100 m_n / t_n.

    stats: (M, 2 + 2N) rows [c, r, m_1..m_N, t_1..t_N] -> (M,) scores. N' = N, or the highest
    order with t_n > 0 when effective_order (sentence BLEU). Smoothing as sacrebleu's compute_bleu.
    """
    stats = np.asarray(stats, dtype=np.float64).reshape(-1, 2 + 2 * max_order)
    if smooth_value is None:
        smooth_value = BLEU.SMOOTH_DEFAULTS[smooth_method]
    sys_len, ref_len = stats[:, 0], stats[:, 1]  # (M,)
    matches = stats[:, 2 : 2 + max_order].copy()  # (M, N)
    totals = stats[:, 2 + max_order :].copy()  # (M, N)
    any_match = matches.sum(axis=1) > 0
    bp = _brevity_penalty(sys_len, ref_len)
    if smooth_method == "add-k":
        matches[:, 1:] += smooth_value
        totals[:, 1:] += smooth_value

    precisions = np.zeros_like(matches)  # (M, N)
    alive = np.ones(len(stats), dtype=bool)  # sacrebleu stops at the first order with t_n = 0
    eff_order = np.full(len(stats), max_order, dtype=np.float64)
    mteval = np.ones(len(stats))
    with np.errstate(divide="ignore", invalid="ignore"):
        for n in range(max_order):
            alive &= totals[:, n] > 0
            if effective_order:
                eff_order = np.where(alive, n + 1, eff_order)
            zero = alive & (matches[:, n] == 0)
            if smooth_method == "exp":
                mteval = np.where(zero, mteval * 2, mteval)
                precisions[:, n] = np.where(zero, 100.0 / (mteval * totals[:, n]), 0.0)
            elif smooth_method == "floor":
                precisions[:, n] = np.where(zero, 100.0 * smooth_value / totals[:, n], 0.0)
            hit = alive & (matches[:, n] > 0)
            precisions[:, n] = np.where(hit, 100.0 * matches[:, n] / totals[:, n], precisions[:, n])
        logs = np.where(
            precisions > 0, np.log(np.where(precisions > 0, precisions, 1.0)), LOG_OF_ZERO
        )
    used = np.arange(max_order)[None, :] < eff_order[:, None]  # (M, N)
    score = bp * np.exp((logs * used).sum(axis=1) / eff_order)
    return np.where(any_match, score, 0.0)


def _brevity_penalty(sys_len: np.ndarray, ref_len: np.ndarray) -> np.ndarray:
    """BP = 1 if c >= r, exp(1 - r/c) if 0 < c < r, 0 if c = 0 < r."""
    with np.errstate(divide="ignore", invalid="ignore"):
        short = np.exp(1.0 - ref_len / np.where(sys_len > 0, sys_len, 1.0))
    return np.where(sys_len >= ref_len, 1.0, np.where(sys_len > 0, short, 0.0))


def chrf_rows(
    stats: np.ndarray, order: int, beta: int = 2, eps_smoothing: bool = False
) -> np.ndarray:
    """chrF_beta = 100 (1 + b^2) P R / (b^2 P + R), P and R averaged over the effective orders.

    stats: (M, 3 * order) rows of [hyp, ref, match] counts per order -> (M,) scores, as sacrebleu's
    CHRF._compute_f_score (orders with no hypothesis or no reference n-grams are skipped).
    """
    stats = np.asarray(stats, dtype=np.float64).reshape(-1, order, 3)
    n_hyp, n_ref, n_match = stats[..., 0], stats[..., 1], stats[..., 2]  # (M, order)
    factor = beta**2
    eps = 1e-16
    with np.errstate(divide="ignore", invalid="ignore"):
        prec = np.where(n_hyp > 0, n_match / np.where(n_hyp > 0, n_hyp, 1.0), eps)
        rec = np.where(n_ref > 0, n_match / np.where(n_ref > 0, n_ref, 1.0), eps)
        if eps_smoothing:
            denom = factor * prec + rec
            per_order = np.where(denom > 0, (1 + factor) * prec * rec / denom, eps)
            return 100 * per_order.sum(axis=1) / order
        effective = (n_hyp > 0) & (n_ref > 0)
        count = effective.sum(axis=1)
        safe = np.maximum(count, 1)
        avg_prec = np.where(count > 0, (prec * effective).sum(axis=1) / safe, 0.0)
        avg_rec = np.where(count > 0, (rec * effective).sum(axis=1) / safe, 0.0)
        both = avg_prec + avg_rec
        score = (1 + factor) * avg_prec * avg_rec / (factor * avg_prec + avg_rec)
    return np.where(both > 0, 100 * score, 0.0)


def corpus_bleu_score(metric, stats: np.ndarray) -> BLEUScore:
    """sacrebleu's own corpus BLEU of (N, K) segment statistics: bit-identical to corpus_score."""
    return metric._compute_score_from_stats(_exact_sums(stats))


def corpus_score(metric, stats: np.ndarray) -> float:
    """sacrebleu's own corpus score (any metric) of (N, K) segment statistics."""
    if stats.dtype.kind == "f":  # TER: sacrebleu adds floats in segment order
        return metric._aggregate_and_compute(stats.tolist()).score
    return metric._compute_score_from_stats(_exact_sums(stats)).score


def _exact_sums(stats: np.ndarray) -> list[int]:
    """Column sums as Python ints, as sacrebleu's sum_of_lists gives them."""
    return [int(v) for v in np.asarray(stats, dtype=np.int64).sum(axis=0)]


def row_scorer(settings, metric: str):
    """The vectorised scorer of `metric` ("bleu" or "chrf") under `settings`, (M, K) -> (M,)."""
    if metric == "bleu":
        return partial(bleu_rows, max_order=settings.max_ngram_order)
    return partial(
        chrf_rows,
        order=settings.chrf_char_order + settings.chrf_word_order,
        beta=settings.chrf_beta,
        eps_smoothing=settings.chrf_eps_smoothing,
    )
