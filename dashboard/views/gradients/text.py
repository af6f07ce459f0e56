"""The Gradient flow page's numbers as text: every figure is read from one DecayStats, so the
metrics and the sentence under them cannot disagree."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from core.analysis.decay import DecayStats
from dashboard.shared.style import model_label, ordered


def share(x: float, steps: int) -> str:
    """A surviving share as text: percent, scientific when tiny, 'x1.53 (grew)' above 1,
    n/a past the sequence."""
    if not math.isfinite(x):
        return f"n/a (T ≤ {steps})"
    if x > 1.0:
        return f"×{x:.3g} (grew)"
    return f"{x:.1%}" if x >= 0.001 else f"{x:.1e}"


def half_life_text(s: DecayStats) -> str:
    """The measured half-life: 'k steps', or 'beyond T = ...' when the median never halves."""
    if math.isnan(s.half_life):
        return "n/a"
    if math.isinf(s.half_life):
        return f"beyond T = {s.length}"
    steps = f"{s.half_life:.0f} step" + ("" if s.half_life == 1 else "s")
    return steps + (" (first crossing)" if s.recovers else "")


def rate_text(s: DecayStats) -> str:
    """The fitted rate as a factor per step back."""
    if s.shape == "dips_and_recovers":  # a straight line would average the dip and the rise
        return "no single rate: it dips and recovers"
    return "n/a" if not math.isfinite(s.factor_per_step) else f"×{s.factor_per_step:.3f}/step"


def fit_text(s: DecayStats) -> str:
    """What the fitted rate is and its range (the curve need not be straight)."""
    lo, hi = s.fit_range
    return (
        f"the slope of a straight line fitted to log10 of the median curve over "
        f"k = {lo}–{hi}, as a factor per step back; the curve need not be straight."
    )


def decay_frame(stats: Mapping[str, DecayStats]) -> pd.DataFrame:
    """The decay figures as text, one row per model (index: model label)."""
    rows = {
        model_label(name): {
            "curve": headline(s),
            "half-life": half_life_text(s),
            "surviving 20 steps": share(s.survival[20], 20),
            "surviving 50 steps": share(s.survival[50], 50),
            f"fitted rate (k = {s.fit_range[0]}–{s.fit_range[1]})": rate_text(s),
        }
        for name, s in ((n, stats[n]) for n in ordered(stats))
    }
    return pd.DataFrame.from_dict(rows, orient="index")


def far_text(s: DecayStats) -> str:
    """What reaches the sequence's first state: '9.0% left at k = 79' or '×1.01 at k = 79'."""
    far = s.length - 1
    if s.kept_far > 1.0:
        return f"×{s.kept_far:.3g} at k = {far}"
    return f"{share(s.kept_far, far)} left at k = {far}"


def headline(s: DecayStats) -> str:
    """The curve's leading fact (its `shape`), the words the table and the sentence both use."""
    if s.shape == "dips_and_recovers":
        return (
            f"dips below half at k = {s.half_life:.0f}, back above half from "
            f"k = {s.back_above_half:.0f}; {far_text(s)}"
        )
    if s.shape == "decays":
        return f"falls below half at k = {s.half_life:.0f}; {far_text(s)}"
    if s.shape == "grows":
        return f"grows: {far_text(s)}"
    return f"stays above half up to k = {s.length - 1}; {far_text(s)}"


def model_sentence(s: DecayStats) -> str:
    """One model's clause, e.g. "the GRU's gradient falls below half at k = 30; 9.0% left ..."."""
    return f"the {model_label(s.model)}'s gradient {headline(s)}"


def flow_explanation(stats: Mapping[str, DecayStats]) -> str:
    """A few sentences naming the numbers on screen, from the same stats as the metrics."""
    first = stats[ordered(stats)[0]]
    parts = [model_sentence(stats[name]) for name in ordered(stats)]
    return (
        f"At step {first.step}, of the gradient at the last state (k = 0), "
        + "; ".join(parts)
        + ". A straight line on this log axis is geometric decay: each "
        "step multiplies the gradient by a similar Jacobian factor. The RNN's factor is at "
        "most the largest singular value of U (tanh' ≤ 1); the GRU's carry path multiplies "
        "by 1 - u, close to 1 wherever the update gate stays shut, so its curve can stay flat."
    )
