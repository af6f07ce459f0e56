"""Losses: values against direct formulas, gradients against float64 finite differences."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.train.losses import mean_squared_error, softmax_cross_entropy, task_loss


def numeric_grad(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f(x)
        x[i] = old - eps
        down = f(x)
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


def test_uniform_logits_cost_ln_c():
    loss = softmax_cross_entropy(np.zeros((3, 4, 7)), np.zeros((3, 4), dtype=int))
    assert loss.value == pytest.approx(math.log(7), rel=1e-12)


def test_cross_entropy_matches_direct_formula_and_survives_large_logits():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(2, 5, 4))
    t = rng.integers(0, 4, size=(2, 5))
    direct = -np.mean(
        [
            math.log(math.exp(z[s, b, t[s, b]]) / np.exp(z[s, b]).sum())
            for s in range(2)
            for b in range(5)
        ]
    )
    assert softmax_cross_entropy(z, t).value == pytest.approx(direct, rel=1e-12)
    big = softmax_cross_entropy(z + 1000.0, t)
    assert big.value == pytest.approx(direct, rel=1e-9)
    assert np.isfinite(big.d_outputs).all()


def test_cross_entropy_gradient_matches_finite_differences():
    rng = np.random.default_rng(1)
    z = rng.normal(size=(3, 4, 5))
    t = rng.integers(0, 5, size=(3, 4))
    analytic = softmax_cross_entropy(z, t).d_outputs
    numeric = numeric_grad(lambda x: softmax_cross_entropy(x, t).value, z.copy())
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-10)


def test_mse_value_and_gradient():
    rng = np.random.default_rng(2)
    y = rng.normal(size=(2, 6, 1))
    t = rng.normal(size=(2, 6, 1))
    loss = mean_squared_error(y, t)
    assert loss.value == pytest.approx(float(((y - t) ** 2).sum() / 12), rel=1e-12)
    numeric = numeric_grad(lambda x: mean_squared_error(x, t).value, y.copy())
    np.testing.assert_allclose(loss.d_outputs, numeric, rtol=1e-6, atol=1e-10)


def test_float32_outputs_keep_float32_gradients():
    z = np.zeros((1, 2, 3), dtype=np.float32)
    assert softmax_cross_entropy(z, np.zeros((1, 2), dtype=int)).d_outputs.dtype == np.float32
    assert mean_squared_error(z, z.astype(np.float64)).d_outputs.dtype == np.float32


def test_task_loss_dispatch():
    z = np.zeros((1, 2, 3))
    assert task_loss("classify", z, np.zeros((1, 2), dtype=int)).value == pytest.approx(math.log(3))
    assert task_loss("regress", z, np.ones((1, 2, 3))).value == pytest.approx(1.0)
    with pytest.raises(ValueError, match="unknown task kind"):
        task_loss("rank", z, z)
