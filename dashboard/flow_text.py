"""The Gradient flow page's numbers as text: every figure is read from one DecayStats, so the
metrics and the sentence under them cannot disagree."""

from __future__ import annotations

import math
from collections.abc import Mapping

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
    """What the fitted rate is, with its range and the half-life the line alone would give."""
    lo, hi = s.fit_range
    line = s.fitted_half_life
    implied = ("a line that does not decay" if math.isinf(line) or math.isnan(line)
               else f"a line halving every {line:.1f} steps")
    return (f"Straight-line fit of log10 of the median curve over k = {lo}–{hi}: "
            f"{implied}. The curve need not be straight; the half-life beside it is measured.")


def model_sentence(s: DecayStats) -> str:
    """One model's clause, e.g. 'the GRU keeps 86.9 % of it (half-life beyond T = 80)'."""
    label, far = model_label(s.model), s.length - 1
    if s.grows:
        clause = (f"the {label}'s gradient grows instead of decaying: {far} steps back it is "
                  f"{s.kept_far:.3g} times as large")
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
        + "; ".join(parts) + ". A straight line on this log axis is geometric decay: each "
        "step multiplies the gradient by a similar Jacobian factor. The RNN's factor is at "
        "most the largest singular value of U (tanh' ≤ 1); the GRU's carry path multiplies "
        "by 1 - u, close to 1 wherever the update gate stays shut, so its curve can stay flat."
    )
