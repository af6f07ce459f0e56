"""Initialisers: orthogonality, Gaussian scale, update-gate bias and chrono range, determinism."""

from __future__ import annotations

import numpy as np
import pytest

from core.cells import CELLS
from core.cells.init import CHRONO_MIN_TAU, chrono_bias, gaussian, orthogonal

RECURRENT = {"rnn": ["U"], "gru": ["U_g", "U_c"], "gru_reset_after": ["U"]}


def blocks(m):
    """Split an (H, k*H) fused recurrent matrix into its k square blocks."""
    return np.split(m, m.shape[1] // m.shape[0], axis=1)


@pytest.mark.parametrize("name", ["rnn", "gru", "gru_reset_after"])
def test_recurrent_blocks_are_orthogonal_times_scale(name):
    H, g = 24, 1.3
    params = CELLS[name].init(
        7, H, np.random.default_rng(0), init_scale=g, orthogonal=True, dtype="float64"
    )
    for key in RECURRENT[name]:
        for block in blocks(params[key]):
            np.testing.assert_allclose(block.T @ block, g * g * np.eye(H), atol=1e-12)
            np.testing.assert_allclose(block @ block.T, g * g * np.eye(H), atol=1e-12)
    fused = blocks(params[RECURRENT[name][0]])
    if len(fused) > 1:  # each gate block is its own draw
        assert not np.allclose(fused[0], fused[1])


@pytest.mark.parametrize("name", ["rnn", "gru", "gru_reset_after"])
def test_gaussian_weights_have_std_g_over_sqrt_fan_in(name):
    D, H, g = 300, 200, 0.7
    params = CELLS[name].init(
        D, H, np.random.default_rng(1), init_scale=g, orthogonal=False, dtype="float64"
    )
    W = params["W"]
    assert abs(W.mean()) < 0.05 * g / np.sqrt(D)
    assert W.std() == pytest.approx(g / np.sqrt(D), rel=0.03)
    for key in RECURRENT[name]:
        assert params[key].std() == pytest.approx(g / np.sqrt(H), rel=0.03)


def test_orthogonal_is_not_biased_towards_identity_signs():
    """Sign-fixed QR gives Haar matrices: the mean diagonal over many draws is ~0."""
    rng = np.random.default_rng(2)
    diag_mean = np.mean([np.diag(orthogonal(rng, 4, dtype="float64")).mean() for _ in range(400)])
    assert abs(diag_mean) < 0.05


@pytest.mark.parametrize("name", ["gru", "gru_reset_after"])
def test_update_bias_sets_only_the_update_gate(name):
    H = 6
    p = CELLS[name].init(3, H, np.random.default_rng(0), update_bias=-2.5, dtype="float64")
    np.testing.assert_array_equal(p["b"][:H], -2.5)
    np.testing.assert_array_equal(p["b"][H:], 0.0)
    if "b_h" in p:
        np.testing.assert_array_equal(p["b_h"], 0.0)


def test_chrono_bias_gives_time_scales_uniform_in_one_to_length():
    H, L = 4000, 50
    b_u = chrono_bias(np.random.default_rng(3), H, L, dtype="float64")
    tau = 1.0 + np.exp(-b_u)  # u = sigmoid(b_u) = 1 / tau
    assert tau.min() >= CHRONO_MIN_TAU - 1e-9 and tau.max() <= L - 1 + 1e-9
    assert tau.mean() == pytest.approx(L / 2, abs=1.0)  # U[1, L-1] has mean L/2, s.e. ~0.22
    assert np.mean(tau < L / 4) == pytest.approx((L / 4 - 1) / (L - 2), abs=0.03)


@pytest.mark.parametrize("name", ["gru", "gru_reset_after"])
def test_chrono_init_sets_the_update_gate_bias_only(name):
    H, L = 64, 20
    p = CELLS[name].init(3, H, np.random.default_rng(3), chrono_length=L, dtype="float64")
    b_u = p["b"][:H]
    assert b_u.max() <= -np.log(CHRONO_MIN_TAU - 1) + 1e-9
    assert b_u.min() >= -np.log(L - 2) - 1e-9
    assert np.unique(b_u).size == H  # one time scale per unit
    np.testing.assert_array_equal(p["b"][H:], 0.0)
    if "b_h" in p:
        np.testing.assert_array_equal(p["b_h"], 0.0)


def test_chrono_bias_stays_finite_for_tiny_lengths():
    b = chrono_bias(np.random.default_rng(0), 50, 2, dtype="float64")
    assert np.all(np.isfinite(b))
    np.testing.assert_allclose(b, -np.log(CHRONO_MIN_TAU - 1))


@pytest.mark.parametrize("name", ["rnn", "gru", "gru_reset_after"])
@pytest.mark.parametrize("kw", [{}, {"orthogonal": False}, {"chrono_length": 30}])
def test_same_seed_same_parameters_other_seed_different(name, kw):
    init = CELLS[name].init
    a = init(5, 8, np.random.default_rng(7), **kw)
    b = init(5, 8, np.random.default_rng(7), **kw)
    c = init(5, 8, np.random.default_rng(8), **kw)
    assert a.keys() == b.keys() == c.keys()
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])
        assert a[k].dtype == np.float32
    assert not np.array_equal(a["W"], c["W"])


def test_gaussian_dtype_and_shape():
    w = gaussian(np.random.default_rng(0), (3, 4), fan_in=3, scale=1.0, dtype="float64")
    assert w.shape == (3, 4) and w.dtype == np.float64
