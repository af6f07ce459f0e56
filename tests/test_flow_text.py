"""The Gradient flow page's table and sentence lead with the same fact, in the same words, on
constructed median curves: monotone decay, growth, a dip below half that recovers, never below
half."""

from __future__ import annotations

import numpy as np
import pytest

from core.analysis.batch_summary import log_band
from core.analysis.decay import decay_stats
from core.analysis.gradients import GradientFlow
from dashboard.views.gradients.text import decay_frame, flow_explanation

T = 80
K = np.arange(T)
CURVES = {  # name -> log10 of the normalised median curve m[k], k = 0..T-1
    "decays": K * np.log10(0.97),
    "grows": K * np.log10(1.01),
    "dips_and_recovers": np.log10(0.3) * np.sin(np.pi * K / (T - 1)) + K / (T - 1) * 0.004,
    "never_halves": K * np.log10(0.995),
}


def _stats(log10_curve):
    per_seq = np.vstack([log10_curve, log10_curve + 0.3])  # (B, T), scales differ
    flow = GradientFlow("gru", "gru", 100, "direction", K, per_seq, log_band(per_seq))
    return {"gru": decay_stats(flow)}


@pytest.mark.parametrize("shape", CURVES)
def test_table_and_sentence_lead_with_the_same_words(shape):
    stats = _stats(CURVES[shape])
    lead = decay_frame(stats).iloc[0, 0]
    assert f"the GRU's gradient {lead}" in flow_explanation(stats)
    assert decay_frame(stats).columns[0] == "curve" and stats["gru"].shape == shape


def test_a_dip_that_recovers_names_both_crossings_and_is_not_called_growth():
    stats = _stats(CURVES["dips_and_recovers"])
    s = stats["gru"]
    assert s.grows and s.recovers and 0 < s.half_life < s.back_above_half < T
    lead = decay_frame(stats).iloc[0, 0]
    assert lead.startswith(f"dips below half at k = {s.half_life:.0f}")
    assert f"back above half from k = {s.back_above_half:.0f}" in lead
    assert "grows instead of decaying" not in flow_explanation(stats)


def test_each_shape_names_its_own_fact():
    leads = {name: decay_frame(_stats(c)).iloc[0, 0] for name, c in CURVES.items()}
    assert leads["decays"].startswith("falls below half at k = 23")  # 0.97^23 < 1/2 < 0.97^22
    assert leads["grows"].startswith("grows: ×2.19 at k = 79")
    assert leads["never_halves"].startswith("stays above half up to k = 79")


def test_a_dip_that_recovers_gets_no_single_fitted_rate():
    """A straight line through a dip and its recovery gives about x1.000/step, which would
    contradict the row's own half-life and survival (seen on a trained GRU: x0.999/step next
    to 46.5 % surviving 50 steps)."""
    rates = {name: decay_frame(_stats(c)).iloc[0, -1] for name, c in CURVES.items()}
    assert rates["dips_and_recovers"] == "no single rate: it dips and recovers"
    assert rates["decays"] == "×0.970/step" and rates["grows"] == "×1.010/step"
