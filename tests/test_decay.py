"""Decay rate, half-life, survival and the GRU carry overlay against exact constructions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.analysis.batch_summary import log_band
from core.analysis.decay import decay_stats, fitted_half_life, fitted_slope
from core.analysis.gradients import GradientFlow, gradient_flow, gradient_flow_for_run
from core.cells.theory import carry_overlay
from core.train.config import RunConfig
from core.train.loop import train


def _flow(per_seq):
    return GradientFlow(
        "rnn", "rnn", 0, "direction", np.arange(per_seq.shape[1]), per_seq, log_band(per_seq)
    )


@pytest.mark.parametrize("h", [1.5, 3.3, 7.5, 40.4])  # not integers: 0.5^(k/h) != 1/2 at k
def test_half_life_of_a_geometric_sequence_is_recovered_exactly(h):
    """norm = 0.5^(k/h), each sequence with its own scale: half-life h, survival 0.5^(n/h)."""
    k = np.arange(120)
    scales = np.log10([0.1, 2.0, 30.0])[:, None]
    flow = _flow(scales + (k / h) * np.log10(0.5))
    st = decay_stats(flow)
    assert st.half_life == math.floor(h) + 1  # measured: first k with 0.5^(k/h) < 1/2
    assert st.fitted_half_life == pytest.approx(h, rel=1e-12)
    assert st.fit_range == (0, 119) and not st.grows and not st.recovers
    assert st.factor_per_step == pytest.approx(0.5 ** (1 / h), rel=1e-12)
    assert st.survival[20] == pytest.approx(0.5 ** (20 / h), rel=1e-10)
    assert st.survival[50] == pytest.approx(0.5 ** (50 / h), rel=1e-10)


def test_flat_curve_never_halves_and_short_sequences_have_no_survival_at_50():
    st = decay_stats(_flow(np.zeros((4, 30))))
    assert st.half_life == math.inf and st.slope == 0.0 and st.length == 30
    assert st.survival[20] == 1.0 and math.isnan(st.survival[50])
    assert not st.grows and st.kept_far == 1.0
    assert st.to_dict()["half_life"] is None and st.to_dict()["survival"]["50"] is None


def test_fitted_slope_is_least_squares():
    k = np.arange(10.0)
    assert fitted_slope(k, 3.0 - 0.25 * k) == pytest.approx(-0.25, rel=1e-13)
    noisy = -0.1 * k + np.array([0.1, -0.1] * 5)
    assert fitted_slope(k, noisy) == pytest.approx(np.polyfit(k, noisy, 1)[0], rel=1e-12)
    assert fitted_half_life(math.log10(0.5)) == pytest.approx(1.0)
    assert fitted_half_life(0.01) == math.inf


def test_carry_overlay_is_the_product_of_one_minus_u():
    T, B = 30, 3
    u = np.empty((T, B, 2))
    u[..., 0], u[..., 1] = 0.1, 0.5  # unit 0 carries 0.9, unit 1 carries 0.5
    ov = carry_overlay(1.0 - u)
    k = np.arange(T)
    np.testing.assert_allclose(ov.curves["carry_max"], k * np.log10(0.9), atol=1e-12)
    np.testing.assert_allclose(
        ov.curves["carry_mean"], k * (np.log10(0.9) + np.log10(0.5)) / 2, atol=1e-12
    )


def test_gru_without_recurrent_weights_decays_exactly_as_the_carry_overlay():
    """U_g = U_c = 0 and a constant update gate u make dh_t/dh_{t-1} = (1 - u) I exactly."""
    H, D, T, u = 4, 3, 25, 0.2
    rng = np.random.default_rng(0)
    p = {
        "W": rng.normal(size=(D, 3 * H)),
        "U_g": np.zeros((H, 2 * H)),
        "U_c": np.zeros((H, H)),
        "b": np.zeros(3 * H),
    }
    p["W"][:, :H] = 0.0
    p["b"][:H] = math.log(u / (1 - u))
    flow = gradient_flow("gru", p, rng.normal(size=(T, 5, D)))
    expected = np.arange(T) * np.log10(1 - u)
    np.testing.assert_allclose(flow.relative().median_log10, expected, atol=1e-10)
    np.testing.assert_allclose(flow.theory.curves["carry_max"], expected, atol=1e-10)
    stats = decay_stats(flow)
    assert stats.fitted_half_life == pytest.approx(math.log10(2) / -math.log10(1 - u), rel=1e-9)
    assert stats.half_life == 4  # 0.8^3 = 0.512, 0.8^4 = 0.4096


def test_a_growing_curve_is_said_to_grow_and_a_dip_that_recovers_is_flagged():
    k = np.arange(60)
    grows = decay_stats(_flow(np.tile(0.01 * k, (3, 1))))
    assert grows.grows and grows.half_life == math.inf and grows.survival[20] > 1
    dip = np.where((k > 5) & (k < 15), -0.5, 0.0)  # 10**-0.5 = 0.32 between k = 6 and 14
    dipped = decay_stats(_flow(np.tile(dip, (3, 1))))
    assert dipped.half_life == 6 and dipped.recovers and dipped.survival[20] == 1.0


def _assert_relations(s) -> None:
    """What the page's four metrics and its sentence promise about each other."""
    for n, surv in s.survival.items():
        if math.isnan(surv):
            assert s.length <= n
            continue
        if surv < 0.5:
            assert s.half_life <= n, (s, n)
        if s.half_life <= n and not s.recovers:
            assert surv < 0.5, (s, n)
    if math.isinf(s.half_life):
        assert s.kept_far >= 0.5
    assert s.grows == (s.kept_far > 1)
    if s.grows:
        assert s.factor_per_step > 0
    assert s.fit_range == (0, s.length - 1)


@pytest.mark.parametrize(
    "cfg",
    [
        RunConfig(
            task="recall",
            length=24,
            symbols=4,
            hidden=8,
            steps=60,
            checkpoints=4,
            eval_every=30,
            val_size=32,
        ),
        RunConfig(
            task="adding",
            length=55,
            hidden=6,
            steps=40,
            checkpoints=3,
            eval_every=20,
            val_size=32,
            models=("rnn", "gru_reset_after"),
            update_bias=0.0,
            init_scale=1.8,
        ),
    ],
    ids=["recall", "adding-reset-after"],
)
def test_decay_metrics_agree_at_every_checkpoint_of_real_runs(cfg):
    run = train(cfg)
    for checkpoint in range(cfg.checkpoints):
        for flow in gradient_flow_for_run(run, checkpoint, batch_size=16).values():
            _assert_relations(decay_stats(flow))
