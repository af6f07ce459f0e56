"""Paired significance of every pair of systems (BLEU or chrF), each pair equal to sacrebleu's
PairedTest of the two with the same seed (paired bootstrap and approximate randomization).

The bootstrap draws are the same for every pair (sacrebleu seeds each comparison alike), so
every system is resampled once; both p-values are symmetric in the pair, so each pair is
tested once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.bleu.report import BleuReport
from core.bleu.statistics.extraction import make_metric
from core.bleu.statistics.paired_resampling import (
    FLOAT32_EXACT,
    ar_p_values,
    bootstrap_index_chunks,
    paired_bootstrap,
    resampled_sums,
    sacrebleu_float32_sums,
    scalar_scores,
)
from core.bleu.statistics.scores_from_stats import row_scorer

ALPHA = 0.05  # a pair differs when the paired bootstrap's p is below this
LABELS = {"bleu": "BLEU", "chrf": "chrF"}  # metric -> the name shown in tables


@dataclass(frozen=True)
class PairwiseSignificance:
    systems: tuple[str, ...]  # in the report's order
    metric: str  # "bleu" or "chrf": what was resampled and compared
    scores: np.ndarray  # (S,) corpus scores of that metric
    bootstrap_p: np.ndarray  # (S, S) paired-bootstrap p of each pair; NaN on the diagonal
    ar_p: np.ndarray  # (S, S) approximate-randomization p; NaN when not computed

    def better(self, alpha: float = ALPHA) -> np.ndarray:
        """(S, S) bool: row system has the higher score and bootstrap p < alpha."""
        higher = self.scores[:, None] > self.scores[None, :]
        return higher & (self.bootstrap_p < alpha)

    def matrix(self, alpha: float = ALPHA) -> pd.DataFrame:
        """Cells 'p_bs / p_ar' with '▲' where the row system is significantly better, '▼'
        where it is significantly worse; '-' on the diagonal."""
        better = self.better(alpha)
        cells = [
            [
                _cell(
                    self.bootstrap_p[i, j],
                    self.ar_p[i, j],
                    "▲" if better[i, j] else "▼" if better[j, i] else "",
                )
                if i != j
                else "-"
                for j in range(len(self.systems))
            ]
            for i in range(len(self.systems))
        ]
        frame = pd.DataFrame(
            cells, index=pd.Index(self.systems, name="system"), columns=list(self.systems)
        )
        frame.insert(0, "significantly better than", better.sum(axis=1))
        frame.insert(0, LABELS[self.metric], self.scores)
        return frame

    def to_list(self) -> list[dict]:
        """One entry per pair (a before b in the report's order)."""
        return [
            {
                "a": a,
                "b": self.systems[j],
                "metric": LABELS[self.metric],
                "bs_p_value": _num(self.bootstrap_p[i, j]),
                "ar_p_value": _num(self.ar_p[i, j]),
            }
            for i, a in enumerate(self.systems)
            for j in range(i + 1, len(self.systems))
        ]


def _cell(bs: float, ar: float, mark: str) -> str:
    text = f"{bs:.4f}" + ("" if np.isnan(ar) else f" / {ar:.4f}")
    return f"{text} {mark}".rstrip()


def _num(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


def pairwise_significance(
    report: BleuReport, ar: bool = True, metric: str = "bleu"
) -> PairwiseSignificance:
    """Every pair of the report's systems on `metric` ("bleu" or "chrf"), with the report's
    resamples, trials and seed."""
    if metric not in LABELS:
        raise ValueError(f"pairwise significance covers {sorted(LABELS)}, not {metric!r}")
    settings, names = report.settings, list(report.systems)
    data = report.bleu_stats if metric == "bleu" else report.chrf_stats
    n = report.n_segments
    scorer = make_metric(settings, metric)

    def draws():
        return bootstrap_index_chunks(n, settings.bootstrap_samples, settings.seed)

    sums = resampled_sums(np.concatenate([data[s] for s in names], axis=1), draws())
    k = data[names[0]].shape[1]
    resampled = {}
    for j, s in enumerate(names):
        block = sums[:, j * k : (j + 1) * k]
        if block.max(initial=0) >= FLOAT32_EXACT:  # huge corpus: float32 rounds
            block = sacrebleu_float32_sums(data[s], draws())
        resampled[s] = scalar_scores(scorer, block)
    scores = report.corpus[metric]
    size = len(names)
    bs, arp = np.full((size, size), np.nan), np.full((size, size), np.nan)
    vectorised = row_scorer(settings, metric)
    for i, a in enumerate(names):
        later = {b: data[b] for b in names[i + 1 :]}
        ar_p = (
            ar_p_values(
                scorer,
                vectorised,
                data[a],
                later,
                scores[a],
                {b: scores[b] for b in later},
                settings.ar_trials,
                settings.seed,
            )
            if ar and later and settings.ar_trials
            else {}
        )
        for j in range(i + 1, size):
            b = names[j]
            bs[i, j] = bs[j, i] = paired_bootstrap(
                resampled[a], resampled[b], scores[a], scores[b]
            )[0]
            arp[i, j] = arp[j, i] = ar_p.get(b, np.nan)
    return PairwiseSignificance(tuple(names), metric, scores.to_numpy(dtype=np.float64), bs, arp)
