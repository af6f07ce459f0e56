"""Decay rate, half-life, survival and the GRU carry overlay against exact constructions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.analysis.batch_summary import log_band
from core.analysis.decay import decay_stats, fitted_slope, half_life
from core.analysis.gradients import GradientFlow, gradient_flow
from core.cells.theory import carry_overlay


def _flow(per_seq):
    return GradientFlow("rnn", "rnn", 0, "direction", np.arange(per_seq.shape[1]), per_seq,
                        log_band(per_seq))


@pytest.mark.parametrize("h", [1.0, 3.0, 7.5, 40.0])
def test_half_life_of_a_geometric_sequence_is_recovered_exactly(h):
    """norm = 0.5^(k/h), each sequence with its own scale: half-life h, survival 0.5^(n/h)."""
    k = np.arange(120)
    scales = np.log10([0.1, 2.0, 30.0])[:, None]
    flow = _flow(scales + (k / h) * np.log10(0.5))
    st = decay_stats(flow)
    assert st.half_life == pytest.approx(h, rel=1e-12)
    assert st.factor_per_step == pytest.approx(0.5 ** (1 / h), rel=1e-12)
    assert st.survival[20] == pytest.approx(0.5 ** (20 / h), rel=1e-10)
    assert st.survival[50] == pytest.approx(0.5 ** (50 / h), rel=1e-10)


def test_flat_curve_never_halves_and_short_sequences_have_no_survival_at_50():
    st = decay_stats(_flow(np.zeros((4, 30))))
    assert st.half_life == math.inf and st.slope == 0.0
    assert st.survival[20] == 1.0 and math.isnan(st.survival[50])
    assert st.to_dict()["half_life"] is None and st.to_dict()["survival"]["50"] is None


def test_fitted_slope_is_least_squares():
    k = np.arange(10.0)
    assert fitted_slope(k, 3.0 - 0.25 * k) == pytest.approx(-0.25, rel=1e-13)
    noisy = -0.1 * k + np.array([0.1, -0.1] * 5)
    assert fitted_slope(k, noisy) == pytest.approx(np.polyfit(k, noisy, 1)[0], rel=1e-12)
    assert half_life(math.log10(0.5)) == pytest.approx(1.0) and half_life(0.01) == math.inf


def test_carry_overlay_is_the_product_of_one_minus_u():
    T, B = 30, 3
    u = np.empty((T, B, 2))
    u[..., 0], u[..., 1] = 0.1, 0.5                     # unit 0 carries 0.9, unit 1 carries 0.5
    ov = carry_overlay(1.0 - u)
    k = np.arange(T)
    np.testing.assert_allclose(ov.curves["carry_max"], k * np.log10(0.9), atol=1e-12)
    np.testing.assert_allclose(ov.curves["carry_mean"], k * (np.log10(0.9) + np.log10(0.5)) / 2,
                               atol=1e-12)


def test_gru_without_recurrent_weights_decays_exactly_as_the_carry_overlay():
    """U_g = U_c = 0 and a constant update gate u make dh_t/dh_{t-1} = (1 - u) I exactly."""
    H, D, T, u = 4, 3, 25, 0.2
    rng = np.random.default_rng(0)
    p = {"W": rng.normal(size=(D, 3 * H)), "U_g": np.zeros((H, 2 * H)), "U_c": np.zeros((H, H)),
         "b": np.zeros(3 * H)}
    p["W"][:, :H] = 0.0
    p["b"][:H] = math.log(u / (1 - u))
    flow = gradient_flow("gru", p, rng.normal(size=(T, 5, D)))
    expected = np.arange(T) * np.log10(1 - u)
    np.testing.assert_allclose(flow.relative().median_log10, expected, atol=1e-10)
    np.testing.assert_allclose(flow.theory.curves["carry_max"], expected, atol=1e-10)
    assert decay_stats(flow).half_life == pytest.approx(math.log10(2) / -math.log10(1 - u),
                                                        rel=1e-9)
