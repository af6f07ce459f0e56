"""Paired significance of every system against the baseline, BLEU and chrF: sacrebleu's paired
bootstrap (with its 95 % interval) and approximate randomization, the same seed and draws, on
statistics already extracted."""

from __future__ import annotations

import numpy as np
from sacrebleu.significance import estimate_ci

from core.bleu.statistics.paired_resampling import (
    FLOAT32_EXACT,
    PairedResult,
    ar_p_values,
    bootstrap_index_chunks,
    paired_bootstrap,
    resampled_sums,
    sacrebleu_float32_sums,
    scalar_scores,
)
from core.bleu.statistics.scores_from_stats import row_scorer


def tests_against_baseline(settings, bleu, chrf, bleu_m, chrf_m, baseline, corpus):
    """Paired bootstrap (and AR) of every system vs the baseline, BLEU and chrF."""
    names = list(bleu)
    n = len(bleu[baseline])
    blocks = [("BLEU", bleu_m, bleu), ("chrF", chrf_m, chrf)]
    stacked = np.concatenate([d[s] for _, _, d in blocks for s in names], axis=1)
    sums = resampled_sums(
        stacked, bootstrap_index_chunks(n, settings.bootstrap_samples, settings.seed)
    )
    vectorised = {"BLEU": row_scorer(settings, "bleu"), "chrF": row_scorer(settings, "chrf")}
    results, col = [], 0
    for label, metric, data in blocks:
        k = data[baseline].shape[1]
        resampled = {}
        for s in names:
            block = sums[:, col : col + k]
            if block.max(initial=0) >= FLOAT32_EXACT:  # huge corpus: float32 rounds
                block = sacrebleu_float32_sums(
                    data[s], bootstrap_index_chunks(n, settings.bootstrap_samples, settings.seed)
                )
            resampled[s] = scalar_scores(metric, block)
            col += k
        scores = corpus[label.lower()]
        others = {s: data[s] for s in names if s != baseline}
        ar = (
            ar_p_values(
                metric,
                vectorised[label],
                data[baseline],
                others,
                scores[baseline],
                {s: scores[s] for s in others},
                settings.ar_trials,
                settings.seed,
            )
            if settings.ar_trials and others
            else {}
        )
        for s in names:
            if s == baseline:
                p, (mean, ci) = None, estimate_ci(resampled[s])
            else:
                p, mean, ci = paired_bootstrap(
                    resampled[baseline], resampled[s], scores[baseline], scores[s]
                )
            results.append(
                PairedResult(
                    s,
                    baseline,
                    label,
                    float(scores[s]),
                    float(scores[baseline]),
                    p,
                    float(mean),
                    float(ci),
                    ar.get(s),
                )
            )
    return tuple(results)
