"""Ways to split the segments into buckets, each the same for every system (compare-mt's
sentence buckets): by reference length, source length, the baseline's length ratio, the
baseline's sentence BLEU, or a label per segment. Each returns (bucket per segment, labels)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from core.bleu.breakdowns.length_buckets import assign_buckets, bucket_labels
from core.bleu.report import BleuReport
from core.bleu.statistics.extraction import make_metric

RATIO_CUTOFFS = (0.8, 0.9, 1.0, 1.1, 1.2)  # hyp / ref length of the baseline
BLEU_CUTOFFS = (10, 20, 30, 40, 50, 60, 70, 80, 90)  # the baseline's sentence BLEU


def by_reference_length(report: BleuReport) -> tuple[np.ndarray, list[str]]:
    cutoffs = report.settings.bucket_cutoffs
    first = report.sentences[report.sentences["system"] == report.systems[0]]
    return assign_buckets(first["first_ref_len"].to_numpy(), cutoffs), bucket_labels(cutoffs)


def by_source_length(report: BleuReport, source: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Source tokens as BLEU's tokenizer splits them, with the reference-length cutoffs."""
    metric = make_metric(report.settings, "bleu")
    lengths = np.array([len(metric._preprocess_segment(line).split()) for line in source])
    cutoffs = report.settings.bucket_cutoffs
    return assign_buckets(lengths, cutoffs), bucket_labels(cutoffs)


def by_length_ratio(report: BleuReport) -> tuple[np.ndarray, list[str]]:
    """The baseline's hyp_len / closest ref_len per segment (0 for an empty reference)."""
    rows = _baseline_rows(report)
    ref = rows["ref_len"].to_numpy(dtype=np.float64)
    ratio = np.divide(
        rows["hyp_len"].to_numpy(dtype=np.float64), ref, out=np.zeros_like(ref), where=ref > 0
    )
    edges = np.asarray(RATIO_CUTOFFS)
    return np.searchsorted(edges, ratio, side="right"), float_labels(RATIO_CUTOFFS)


def by_baseline_bleu(report: BleuReport) -> tuple[np.ndarray, list[str]]:
    return (
        assign_buckets(_baseline_rows(report)["bleu"].to_numpy(), BLEU_CUTOFFS),
        bucket_labels(BLEU_CUTOFFS),
    )


def by_label(labels: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """One bucket per distinct label, in sorted order."""
    names = sorted(set(labels))
    index = {name: i for i, name in enumerate(names)}
    return np.array([index[x] for x in labels], dtype=np.int64), names


def float_labels(cutoffs: Sequence[float]) -> list[str]:
    inner = [f"[{lo:g},{hi:g})" for lo, hi in zip(cutoffs[:-1], cutoffs[1:], strict=True)]
    return [f"<{cutoffs[0]:g}", *inner, f">={cutoffs[-1]:g}"]


def _baseline_rows(report: BleuReport):
    rows = report.sentences[report.sentences["system"] == report.baseline]
    return rows.sort_values("segment")
