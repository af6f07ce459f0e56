"""Per-step Jacobians dh_t/dh_{t-1}: against central finite differences, BPTT and oracles."""

from __future__ import annotations

import numpy as np
import pytest

from core.analysis.gradients import gradient_flow, gradient_flow_for_run
from core.analysis.jacobians import (
    jacobian_norms,
    jacobian_norms_for_run,
    spectral_norms,
    step_jacobians,
)
from core.cells import CELLS, cell_names
from core.cells.init import orthogonal
from tests.fake_runs import tiny_run

CELL_NAMES = ["rnn", "gru", "gru_reset_after"]


def _params(cell_name, D, H, seed=0, scale=1.4):
    rng = np.random.default_rng(seed)
    p = CELLS[cell_name].initialise(
        D,
        H,
        rng,
        {"update_bias": 0.3},
        init_scale=scale,
        orthogonal=False,
        chrono_length=None,
        dtype="float64",
    )
    for k in p:
        if k.startswith("b"):
            p[k] = rng.normal(0, 0.4, p[k].shape)
    return p


def _run(cell_name, T=5, B=3, D=2, H=4, seed=0):
    p = _params(cell_name, D, H, seed)
    rng = np.random.default_rng(seed + 100)
    S = CELLS[cell_name].state_size(H)  # H, or 2H: [h | c]
    xs, h0 = rng.normal(size=(T, B, D)), rng.normal(0, 0.5, size=(B, S))
    hs, cache = CELLS[cell_name].forward(p, xs, h0)
    return p, xs, h0, hs, cache


@pytest.mark.parametrize("cell_name", CELL_NAMES)
def test_dense_jacobians_match_central_finite_differences(cell_name):
    """J_t[:, j] = (h_t(h_{t-1} + eps e_j) - h_t(h_{t-1} - eps e_j)) / 2 eps, one step each."""
    p, xs, h0, hs, cache = _run(cell_name)
    T, B, H = hs.shape
    J = step_jacobians(cell_name, p, cache).dense()  # (T, B, H, H)
    prev = np.concatenate([h0[None], hs[:-1]])
    eps = 1e-6
    numeric = np.zeros_like(J)
    for t in range(T):
        for j in range(H):
            plus, minus = prev[t].copy(), prev[t].copy()
            plus[:, j] += eps
            minus[:, j] -= eps
            hp = CELLS[cell_name].forward(p, xs[t : t + 1], plus)[0][0]
            hm = CELLS[cell_name].forward(p, xs[t : t + 1], minus)[0][0]
            numeric[t, :, :, j] = (hp - hm) / (2 * eps)
    np.testing.assert_allclose(J, numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("cell_name", CELL_NAMES)
def test_transpose_product_is_one_step_of_bptt(cell_name):
    """The cell's backward with only d_hs[t] set gives dL/dh_{t-1} = J_t^T d_hs[t]."""
    p, xs, h0, hs, cache = _run(cell_name, T=6)
    jac = step_jacobians(cell_name, p, cache)
    w = np.random.default_rng(1).normal(size=hs.shape)  # (T, B, H)
    back = jac.rmatvec(w)
    for t in range(1, 6):
        d_hs = np.zeros_like(hs)
        d_hs[t] = w[t]
        total = CELLS[cell_name].backward(p, cache, d_hs).hs
        np.testing.assert_allclose(total[t - 1], back[t], rtol=1e-12, atol=1e-14)
    v = np.random.default_rng(2).normal(size=hs.shape)
    np.testing.assert_allclose(
        np.sum(w * jac.matvec(v), -1), np.sum(jac.rmatvec(w) * v, -1), rtol=1e-12
    )


@pytest.mark.parametrize("cell_name", CELL_NAMES)
def test_lanczos_and_power_iteration_match_svd(cell_name):
    p, xs, h0, hs, cache = _run(cell_name, T=8, B=5, H=6)
    jac = step_jacobians(cell_name, p, cache)
    exact = spectral_norms(jac, method="exact")
    power = spectral_norms(jac, method="power", iters=3000, tol=1e-14)
    assert np.all(power <= exact * (1 + 1e-12))  # a lower bound
    np.testing.assert_allclose(power, exact, rtol=1e-8)
    lanczos = spectral_norms(jac, iters=6)  # iters = H: exact
    np.testing.assert_allclose(lanczos, exact, rtol=1e-10)
    short = spectral_norms(jac, iters=3)  # a lower bound
    assert np.all(short <= exact * (1 + 1e-12)) and np.all(short >= 0.5 * exact)
    np.testing.assert_allclose(np.linalg.svd(jac.dense(), compute_uv=False)[..., 0], exact)


@pytest.mark.parametrize("cell_name", cell_names())
def test_norms_over_the_full_state_match_svd_for_every_cell(cell_name):
    """The LSTM's J_t is (2H x 2H) over [h | c]; every cell's norms: Lanczos with S steps
    and power iteration equal the dense SVD, fewer Lanczos steps give a lower bound."""
    p, xs, h0, hs, cache = _run(cell_name, T=8, B=5, H=6)
    jac = step_jacobians(cell_name, p, cache)
    S = CELLS[cell_name].state_size(6)
    assert jac.dense().shape == (8, 5, S, S)
    exact = spectral_norms(jac, method="exact")
    np.testing.assert_allclose(spectral_norms(jac, iters=S), exact, rtol=1e-10)
    np.testing.assert_allclose(
        spectral_norms(jac, method="power", iters=3000, tol=1e-14), exact, rtol=1e-8
    )
    assert np.all(spectral_norms(jac, iters=3) <= exact * (1 + 1e-12))


def test_rnn_at_zero_state_has_norm_a_each_step_and_product_a_to_the_k():
    H, T, a = 10, 40, 0.7
    p = {
        "W": np.ones((2, H)),
        "U": a * orthogonal(np.random.default_rng(0), H, dtype="float64"),
        "b": np.zeros(H),
    }
    jn = jacobian_norms("rnn", p, np.zeros((T, 3, 2)))
    np.testing.assert_allclose(jn.norm_log10, np.log10(a), atol=1e-10)
    np.testing.assert_allclose(jn.running.median, np.arange(T) * np.log10(a), atol=1e-8)


@pytest.mark.parametrize("cell_name", ["gru", "gru_reset_after"])
def test_closed_update_gate_gives_identity_jacobian(cell_name):
    H = 5
    p, xs, h0, hs, cache = _run(cell_name, H=H)
    p["b"][:H] = -60.0
    hs, cache = CELLS[cell_name].forward(p, xs, h0)
    J = step_jacobians(cell_name, p, cache).dense()
    np.testing.assert_allclose(J, np.broadcast_to(np.eye(H), J.shape), atol=1e-12)
    jn = jacobian_norms(cell_name, p, xs, h0)
    np.testing.assert_allclose(jn.norm_log10, 0.0, atol=1e-12)


@pytest.mark.parametrize("cell_name", cell_names())
def test_running_product_bounds_the_gradient_flow(cell_name):
    """||dL/dh_{T-k}|| <= ||dL/dh_T|| prod ||J_s|| (submultiplicativity), sequence by sequence."""
    p = _params(cell_name, 3, 6, seed=4, scale=2.0)
    xs = np.random.default_rng(5).normal(size=(25, 8, 3))
    flow = gradient_flow(cell_name, p, xs).relative()
    jn = jacobian_norms(cell_name, p, xs, method="exact")
    assert np.all(flow.per_sequence_log10 <= jn.running_log10 + 1e-9)
    assert jn.norm_log10.shape == (8, 25) and jn.to_dict()["k"][-1] == 24


def test_jacobian_norms_for_run_use_the_analysis_batch():
    run = tiny_run(models=("rnn", "gru_reset_after"))
    out = jacobian_norms_for_run(run, checkpoint=2, sequences=5, iters=6)
    assert set(out) == {"rnn", "gru_reset_after"} and out["gru_reset_after"].step == 20
    assert out["rnn"].norm_log10.shape == (5, 10)
    flows = gradient_flow_for_run(run, checkpoint=2)
    rel = flows["gru_reset_after"].relative().per_sequence_log10[:5]  # same first sequences
    assert np.all(rel <= out["gru_reset_after"].running_log10 + 1e-9)
