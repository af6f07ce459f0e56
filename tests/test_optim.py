"""Optimizers and clipping against direct transcriptions of their published update rules."""

from __future__ import annotations

import numpy as np
import pytest

from core.optim import SGD, Adam, clip_by_global_norm, global_norm, lr_scale, make_optimizer


def params_and_grads(dtype="float64", seed=0):
    rng = np.random.default_rng(seed)
    params = {"W": rng.normal(size=(3, 4)).astype(dtype), "b": rng.normal(size=4).astype(dtype)}
    grads = {k: rng.normal(size=p.shape).astype(dtype) for k, p in params.items()}
    return params, grads


def test_global_norm_is_the_norm_of_all_entries():
    _, grads = params_and_grads()
    flat = np.concatenate([g.ravel() for g in grads.values()])
    assert global_norm(grads) == pytest.approx(np.linalg.norm(flat), rel=1e-14)


def test_clipping_rescales_to_the_threshold_and_keeps_direction():
    _, grads = params_and_grads()
    norm = global_norm(grads)
    out = clip_by_global_norm(grads, norm / 2)
    assert out.clipped and out.norm == pytest.approx(norm)
    assert global_norm(out.grads) == pytest.approx(norm / 2, rel=1e-12)
    np.testing.assert_allclose(out.grads["W"], grads["W"] / 2, rtol=1e-12)


def test_no_clipping_below_threshold_or_when_off():
    _, grads = params_and_grads()
    norm = global_norm(grads)
    for max_norm in (norm * 2, 0.0):
        out = clip_by_global_norm(grads, max_norm)
        assert not out.clipped and out.grads is grads


def test_adam_matches_kingma_ba_algorithm_1():
    params, _ = params_and_grads()
    ref = {k: p.copy() for k, p in params.items()}
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    adam = Adam(lr=lr)
    state = adam.init(params)
    m = {k: np.zeros_like(p) for k, p in ref.items()}
    v = {k: np.zeros_like(p) for k, p in ref.items()}
    for t in range(1, 6):
        _, grads = params_and_grads(seed=t)
        adam.update(params, grads, state)
        for k in ref:
            m[k] = b1 * m[k] + (1 - b1) * grads[k]
            v[k] = b2 * v[k] + (1 - b2) * grads[k] ** 2
            m_hat, v_hat = m[k] / (1 - b1**t), v[k] / (1 - b2**t)
            ref[k] = ref[k] - lr * m_hat / (np.sqrt(v_hat) + eps)
    for k in ref:
        np.testing.assert_allclose(params[k], ref[k], rtol=1e-12, atol=1e-14)


def test_sgd_step_and_momentum():
    params, grads = params_and_grads()
    before = {k: p.copy() for k, p in params.items()}
    sgd = SGD(lr=0.1)
    sgd.update(params, grads, sgd.init(params))
    np.testing.assert_allclose(params["W"], before["W"] - 0.1 * grads["W"], rtol=1e-14)
    heavy = SGD(lr=0.1, momentum=0.5)
    state = heavy.init(params)
    start = params["b"].copy()
    heavy.update(params, grads, state)
    heavy.update(params, grads, state)
    np.testing.assert_allclose(
        params["b"], start - 0.1 * grads["b"] - 0.1 * 1.5 * grads["b"], rtol=1e-12
    )


@pytest.mark.parametrize("name", ["adam", "sgd"])
def test_optimizers_minimise_a_quadratic_in_float32(name):
    target = np.array([1.0, -2.0, 3.0], dtype=np.float32)
    params = {"x": np.zeros(3, dtype=np.float32)}
    opt = make_optimizer(name, 0.1)
    state = opt.init(params)
    for _ in range(300):
        opt.update(params, {"x": 2 * (params["x"] - target)}, state)
    assert params["x"].dtype == np.float32
    np.testing.assert_allclose(params["x"], target, atol=1e-2)


def test_unknown_optimizer():
    with pytest.raises(ValueError, match="unknown optimizer"):
        make_optimizer("lbfgs", 0.1)


def test_lr_schedules_follow_their_formulas():
    steps = 100
    assert [lr_scale("constant", s, steps) for s in (1, 50, 100)] == [1.0, 1.0, 1.0]
    # anneal: full rate through 3/4 of the run, then a straight line down to 1/25 at the end
    assert lr_scale("anneal", 75, steps) == 1.0
    assert lr_scale("anneal", 76, steps) == pytest.approx(25 / 25)
    assert lr_scale("anneal", 88, steps) == pytest.approx(13 / 25)
    assert lr_scale("anneal", 100, steps) == pytest.approx(1 / 25)
    cos = [lr_scale("cosine", s, steps) for s in range(1, steps + 1)]
    assert cos[0] == 1.0 and cos[50] == pytest.approx(0.5) and 0 < cos[-1] < 1e-3
    assert all(a >= b for a, b in zip(cos[:-1], cos[1:], strict=True))
    with pytest.raises(ValueError, match="schedule"):
        lr_scale("warmup", 1, steps)


@pytest.mark.parametrize("name", ["adam", "sgd"])
def test_lr_scale_scales_the_step(name):
    opt = make_optimizer(name, 0.1)
    g = {"w": np.array([1.0, -2.0])}
    full, half = {"w": np.zeros(2)}, {"w": np.zeros(2)}
    opt.update(full, g, opt.init(full))
    opt.update(half, g, opt.init(half), lr_scale=0.5)
    np.testing.assert_allclose(half["w"], 0.5 * full["w"])
