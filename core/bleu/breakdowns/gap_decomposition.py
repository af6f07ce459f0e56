"""Where a BLEU gap comes from: each n-gram order's precision and the brevity penalty.

log BLEU = log BP + (1/N) sum_n log p_n, so
log BLEU_b - log BLEU_a = (log BP_b - log BP_a) + sum_n (1/N)(log p_n^b - log p_n^a).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.bleu.report import BleuReport
from core.bleu.statistics.extraction import make_metric
from core.bleu.statistics.scores_from_stats import corpus_bleu_score


@dataclass(frozen=True)
class GapDecomposition:
    """Additive parts of log(BLEU_b) - log(BLEU_a); they sum to log_gap."""

    sys_a: str
    sys_b: str
    bleu_a: float
    bleu_b: float
    log_gap: float  # log(BLEU_b) - log(BLEU_a)
    order_contributions: tuple[float, ...]  # (1/N)(log p_n^b - log p_n^a), n = 1..N
    bp_contribution: float  # log BP_b - log BP_a
    precisions_a: tuple[float, ...]  # p_n of system a, % (sacrebleu's, exp-smoothed)
    precisions_b: tuple[float, ...]
    bp_a: float
    bp_b: float

    def to_frame(self) -> pd.DataFrame:
        """One row per component (1-gram .. N-gram, brevity penalty): contribution to the
        log-gap and its share of the gap."""
        parts = [*self.order_contributions, self.bp_contribution]
        labels = [f"{n}-gram" for n in range(1, len(self.order_contributions) + 1)]
        share = [p / self.log_gap if self.log_gap else np.nan for p in parts]
        return pd.DataFrame(
            {"component": [*labels, "brevity penalty"], "contribution": parts, "share": share}
        )


def decompose_gap(
    report: BleuReport, sys_a: str, sys_b: str, segments: np.ndarray | None = None
) -> GapDecomposition:
    """Decompose log(BLEU_b) - log(BLEU_a) over the whole corpus, or over `segments` (indices,
    e.g. one bucket). Raises ValueError when either BLEU is 0 (the log does not exist)."""
    metric = make_metric(report.settings, "bleu")
    scores = {}
    for name in (sys_a, sys_b):
        if name not in report.bleu_stats:
            raise ValueError(f"unknown system {name!r}; have {list(report.systems)}")
        stats = report.bleu_stats[name]
        scores[name] = corpus_bleu_score(metric, stats if segments is None else stats[segments])
        if scores[name].score <= 0:
            raise ValueError(f"BLEU of {name!r} is 0 here: a zero BLEU has no log decomposition")
    a, b = scores[sys_a], scores[sys_b]
    order = len(a.precisions)
    contributions = tuple(
        (math.log(pb) - math.log(pa)) / order
        for pa, pb in zip(a.precisions, b.precisions, strict=True)
    )
    return GapDecomposition(
        sys_a=sys_a,
        sys_b=sys_b,
        bleu_a=a.score,
        bleu_b=b.score,
        log_gap=math.log(b.score) - math.log(a.score),
        order_contributions=contributions,
        bp_contribution=math.log(b.bp) - math.log(a.bp),
        precisions_a=tuple(a.precisions),
        precisions_b=tuple(b.precisions),
        bp_a=a.bp,
        bp_b=b.bp,
    )
