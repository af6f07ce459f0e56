"""The Gradient flow page's numbers as text: every figure is read from one DecayStats, so the
metrics and the sentence under them cannot disagree."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from core.analysis.decay import DecayStats
from dashboard.charts.style import model_label, ordered


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
    return f"{s.half_life:.0f} step" + ("" if s.half_life == 1 else "s")


def rate_text(s: DecayStats) -> str:
    """The fitted rate as a factor per step back."""
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
            "half-life": half_life_text(s),
            "surviving 20 steps": share(s.survival[20], 20),
            "surviving 50 steps": share(s.survival[50], 50),
            f"fitted rate (k = {s.fit_range[0]}–{s.fit_range[1]})": rate_text(s),
        }
        for name, s in ((n, stats[n]) for n in ordered(stats))
    }
    return pd.DataFrame.from_dict(rows, orient="index")


def model_sentence(s: DecayStats) -> str:
    """One model's clause, e.g. 'the GRU keeps 86.9 % of it (half-life beyond T = 80)'."""
    label, far = model_label(s.model), s.length - 1
    if s.grows:
        clause = (
            f"the {label}'s gradient grows instead of decaying: {far} steps back it is "
            f"{s.kept_far:.3g} times as large"
        )
    else:
        clause = f"the {label} keeps {share(s.kept_far, far)} of it {far} steps back"
    if math.isinf(s.half_life):
        clause += f" and never falls below half within T = {s.length} steps"
    else:
        clause += f", falling below half at k = {s.half_life:.0f}"
        if s.recovers:
            clause += " and climbing back above half later"
    return clause


def flow_explanation(stats: Mapping[str, DecayStats]) -> str:
    """A few sentences naming the numbers on screen, from the same stats as the metrics."""
    first = stats[ordered(stats)[0]]
    parts = [model_sentence(stats[name]) for name in ordered(stats)]
    return (
        f"At step {first.step}, of the gradient at the last state, "
        + "; ".join(parts)
        + ". A straight line on this log axis is geometric decay: each "
        "step multiplies the gradient by a similar Jacobian factor. The RNN's factor is at "
        "most the largest singular value of U (tanh' ≤ 1); the GRU's carry path multiplies "
        "by 1 - u, close to 1 wherever the update gate stays shut, so its curve can stay flat."
    )
