"""The LSTM and the two GRU ablations against outside truth: float64 central finite differences
for every parameter, the inputs, the initial state, every dL/dh_t and dL/d(final state); their
state Jacobians against finite differences; the ablations as limits of the full GRU; the LSTM
against PyTorch's documented nn.LSTM equations (and nn.LSTM itself when torch is installed)."""

from __future__ import annotations

import numpy as np
import pytest

from core.cells import gru, gru_no_reset, gru_no_update, lstm
from core.cells.protocol import InputWeightGrad
from tests.numeric import numeric_grad

T, B, D, H = 5, 3, 4, 5
CELLS = {"lstm": lstm, "gru_no_reset": gru_no_reset, "gru_no_update": gru_no_update}


def state_size(cell, H):
    return cell.state_size(H) if hasattr(cell, "state_size") else H


def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def problem(name, seed=0, steps=T):
    """Random float64 params, inputs, state0 and a linear loss sum(G hs) + sum(F final)."""
    cell = CELLS[name]
    rng = np.random.default_rng(seed)
    params = cell.init(D, H, rng, init_scale=1.2, orthogonal=False, dtype="float64")
    params = {k: v + 0.4 * rng.standard_normal(v.shape) for k, v in params.items()}
    S = state_size(cell, H)
    xs = rng.standard_normal((steps, B, D))
    s0 = 0.5 * rng.standard_normal((B, S))
    G = rng.standard_normal((steps, B, H))
    F = rng.standard_normal((B, S))
    return cell, params, xs, s0, G, F


def assert_close(analytic, numeric):
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("input_path", ["in_loop", "one_product"])
@pytest.mark.parametrize("steps", [T, 1])
@pytest.mark.parametrize("name", sorted(CELLS))
def test_bptt_matches_finite_differences(name, steps, input_path, monkeypatch):
    """Every parameter, the inputs and the whole initial state (h0 and, for the LSTM, c0), with
    a loss on every h_t and on the final state."""
    monkeypatch.setattr(InputWeightGrad, "SMALL_INPUT", 10**6 if input_path == "in_loop" else 0)
    cell, params, xs, s0, G, F = problem(name, steps=steps)
    hs, cache = cell.forward(params, xs, s0)
    grads = cell.backward(params, cache, G, F)

    def loss():
        hs, cache = cell.forward(params, xs, s0)
        return float(np.sum(G * hs) + np.sum(F * cell.final_state(cache)))

    assert set(grads.params) == set(params) == set(cell.param_shapes(D, H))
    for key, value in params.items():
        assert value.shape == cell.param_shapes(D, H)[key]
        assert_close(grads.params[key], numeric_grad(loss, value))
    assert_close(grads.xs, numeric_grad(loss, xs))
    assert grads.h0.shape == s0.shape
    assert_close(grads.h0, numeric_grad(loss, s0))


@pytest.mark.parametrize("name", sorted(CELLS))
def test_total_gradient_at_every_output_state_matches_finite_differences(name):
    """dL/dh_t: perturb h_t (the LSTM's c_t held), rerun the cell from there on the rest."""
    cell, params, xs, s0, G, F = problem(name, seed=1)
    hs, cache = cell.forward(params, xs, s0)
    grads = cell.backward(params, cache, G, F)
    for t in range(T):
        _, head = cell.forward(params, xs[:t + 1], s0)
        state = cell.final_state(head).copy()                     # (B, S) state after step t
        h_t = state[:, :H]                                        # view: perturbed in place

        def loss_through_state(t=t, state=state, h_t=h_t):
            if t + 1 < T:
                rest, tail = cell.forward(params, xs[t + 1:], state)
                later, final = np.sum(G[t + 1:] * rest), cell.final_state(tail)
            else:
                later, final = 0.0, state
            return float(np.sum(G[:t] * hs[:t]) + np.sum(G[t] * h_t) + later
                         + np.sum(F * final))

        assert_close(grads.hs[t], numeric_grad(loss_through_state, h_t))


@pytest.mark.parametrize("name", sorted(CELLS))
def test_dtype_follows_the_parameters_and_forward_is_pure(name):
    cell = CELLS[name]
    params = cell.init(D, H, np.random.default_rng(0), dtype="float32")
    before = {k: v.copy() for k, v in params.items()}
    xs = np.random.default_rng(1).standard_normal((T, B, D))      # float64 input
    hs, cache = cell.forward(params, xs, None)
    grads = cell.backward(params, cache, np.ones_like(hs))
    assert hs.dtype == np.float32 and grads.h0.dtype == np.float32
    assert all(g.dtype == np.float32 for g in grads.params.values())
    np.testing.assert_array_equal(cell.forward(params, xs, None)[0], hs)
    for k in params:
        np.testing.assert_array_equal(params[k], before[k])


# ----------------------------------------------------------------------------- Jacobians
def dense_jacobians(cell, factors, mats, shape):
    """Column j of J_t is J_t e_j, through the cell's matvec. -> (T, B, S, S)"""
    Tn, Bn, S = shape
    J = np.empty((Tn, Bn, S, S))
    for j in range(S):
        e = np.zeros((Tn * Bn, S))
        e[:, j] = 1.0
        J[..., j] = cell.jacobian_matvec(factors, mats, e).reshape(Tn, Bn, S)
    return J


@pytest.mark.parametrize("name", sorted(CELLS))
def test_state_jacobians_match_finite_differences_over_the_full_state(name):
    cell, params, xs, s0, _, _ = problem(name, seed=2)
    S = s0.shape[1]
    _, cache = cell.forward(params, xs, s0)
    factors, mats = cell.jacobian_factors(params, cache)
    flat = {k: a.reshape(T * B, -1) for k, a in factors.items()}
    J = dense_jacobians(cell, flat, mats, (T, B, S))
    states = [s0] + [cell.final_state(cell.forward(params, xs[:t + 1], s0)[1]) for t in range(T)]
    eps = 1e-6
    for t in range(T):
        for j in range(S):
            plus, minus = states[t].copy(), states[t].copy()
            plus[:, j] += eps
            minus[:, j] -= eps
            up = cell.final_state(cell.forward(params, xs[t:t + 1], plus)[1])
            down = cell.final_state(cell.forward(params, xs[t:t + 1], minus)[1])
            np.testing.assert_allclose(J[t, :, :, j], (up - down) / (2 * eps),
                                       rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", sorted(CELLS))
def test_transpose_product_is_the_adjoint_and_one_step_of_bptt(name):
    cell, params, xs, s0, _, _ = problem(name, seed=3)
    S = s0.shape[1]
    _, cache = cell.forward(params, xs, s0)
    factors, mats = cell.jacobian_factors(params, cache)
    flat = {k: a.reshape(T * B, -1) for k, a in factors.items()}
    rng = np.random.default_rng(4)
    v, w = rng.standard_normal((T * B, S)), rng.standard_normal((T * B, S))
    back = cell.jacobian_rmatvec(flat, mats, w)
    np.testing.assert_allclose(np.sum(w * cell.jacobian_matvec(flat, mats, v), -1),
                               np.sum(back * v, -1), rtol=1e-10)
    # The last step's J^T w is what backward gives for the state before it, given d_final = w.
    w_last = w.reshape(T, B, S)[-1]
    _, head = cell.forward(params, xs[:-1], s0)
    _, step = cell.forward(params, xs[-1:], cell.final_state(head))
    got = cell.backward(params, step, np.zeros((1, B, H)), w_last).h0
    np.testing.assert_allclose(got, back.reshape(T, B, S)[-1], rtol=1e-10, atol=1e-12)


# ----------------------------------------------------------------------------- ablations
def full_gru_params(rng, *, r_open=False, u_open=False):
    p = gru.init(D, H, rng, orthogonal=False, dtype="float64")
    p = {k: v + 0.4 * rng.standard_normal(v.shape) for k, v in p.items()}
    for j, is_open in ((0, u_open), (1, r_open)):       # gate j of [u | r]: weights 0, bias big
        if is_open:
            p["W"][:, j * H:(j + 1) * H] = 0.0
            p["U_g"][:, j * H:(j + 1) * H] = 0.0
            p["b"][j * H:(j + 1) * H] = 50.0           # sigmoid(50) == 1.0 in float64
    return p


def test_no_reset_gru_is_the_full_gru_with_the_reset_gate_open():
    rng = np.random.default_rng(5)
    p = full_gru_params(rng, r_open=True)
    ours = {"W": np.concatenate([p["W"][:, :H], p["W"][:, 2 * H:]], axis=1),
            "U": np.concatenate([p["U_g"][:, :H], p["U_c"]], axis=1),
            "b": np.concatenate([p["b"][:H], p["b"][2 * H:]])}
    xs, h0 = rng.standard_normal((T, B, D)), rng.standard_normal((B, H))
    hs_full, cache_full = gru.forward(p, xs, h0)
    assert np.all(cache_full.r == 1.0)
    hs, cache = gru_no_reset.forward(ours, xs, h0)
    np.testing.assert_allclose(hs, hs_full, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(cache.u, cache_full.u, rtol=1e-12, atol=1e-14)


def test_no_update_gru_is_the_full_gru_with_the_update_gate_open():
    rng = np.random.default_rng(6)
    p = full_gru_params(rng, u_open=True)
    ours = {"W": p["W"][:, H:], "U_r": p["U_g"][:, H:], "U_c": p["U_c"], "b": p["b"][H:]}
    xs, h0 = rng.standard_normal((T, B, D)), rng.standard_normal((B, H))
    hs_full, cache_full = gru.forward(p, xs, h0)
    assert np.all(cache_full.u == 1.0)
    hs, cache = gru_no_update.forward(ours, xs, h0)
    np.testing.assert_allclose(hs, hs_full, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(cache.r, cache_full.r, rtol=1e-12, atol=1e-14)


# ----------------------------------------------------------------------------- LSTM init
def test_lstm_forget_bias_defaults_to_one_and_chrono_spreads_time_scales():
    p = lstm.init(D, H, np.random.default_rng(0))
    np.testing.assert_array_equal(p["b"][H:2 * H], 1.0)
    np.testing.assert_array_equal(np.delete(p["b"], np.s_[H:2 * H]), 0.0)
    p = lstm.init(D, 64, np.random.default_rng(0), forget_bias=3.0)
    np.testing.assert_array_equal(p["b"][64:128], 3.0)
    L = 50
    p = lstm.init(D, 64, np.random.default_rng(1), chrono_length=L, dtype="float64")
    b_i, b_f = p["b"][:64], p["b"][64:128]
    tau = 1.0 / (1.0 - sigmoid(b_f))                 # at zero input f = 1 - 1/tau
    assert np.all(tau >= 1.0) and np.all(tau <= L - 1 + 1e-9)
    assert tau.max() - tau.min() > L / 4             # spread over the range, not constant
    np.testing.assert_array_equal(b_i, -b_f)


# ----------------------------------------------------------------------------- PyTorch
def torch_lstm_weights(rng):
    """nn.LSTM layout: weight_ih (4H, D), weight_hh (4H, H), two biases (4H,), rows i, f, g, o."""
    return (rng.standard_normal((4 * H, D)) * 0.7, rng.standard_normal((4 * H, H)) * 0.5,
            rng.standard_normal(4 * H) * 0.5, rng.standard_normal(4 * H) * 0.5)


def pytorch_documented_lstm(w_ih, w_hh, b_ih, b_hh, xs, h0, c0):
    """Transcription of the nn.LSTM documentation (column vectors there, rows here)."""
    W_i, W_f, W_g, W_o = np.split(w_ih, 4)
    V_i, V_f, V_g, V_o = np.split(w_hh, 4)
    bi, bf, bg, bo = np.split(b_ih + b_hh, 4)
    h, c, hs = h0, c0, []
    for x in xs:
        i = sigmoid(x @ W_i.T + h @ V_i.T + bi)
        f = sigmoid(x @ W_f.T + h @ V_f.T + bf)
        g = np.tanh(x @ W_g.T + h @ V_g.T + bg)
        o = sigmoid(x @ W_o.T + h @ V_o.T + bo)
        c = f * c + i * g
        h = o * np.tanh(c)
        hs.append(h)
    return np.array(hs), c


def test_lstm_matches_pytorch_documented_equations_and_round_trips_its_layout():
    rng = np.random.default_rng(7)
    weights = torch_lstm_weights(rng)
    xs, h0, c0 = (rng.standard_normal((T, B, D)), rng.standard_normal((B, H)),
                  rng.standard_normal((B, H)))
    hs_ref, c_ref = pytorch_documented_lstm(*weights, xs, h0, c0)
    params = lstm.from_pytorch(*weights)
    hs, cache = lstm.forward(params, xs, np.concatenate([h0, c0], axis=1))
    np.testing.assert_allclose(hs, hs_ref, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(cache.cs[-1], c_ref, rtol=1e-12, atol=1e-14)
    back = lstm.to_pytorch(params)
    np.testing.assert_array_equal(back["weight_ih_l0"], weights[0])
    np.testing.assert_array_equal(back["weight_hh_l0"], weights[1])
    np.testing.assert_allclose(back["bias_ih_l0"] + back["bias_hh_l0"], weights[2] + weights[3])


def test_lstm_matches_torch_lstm_values_and_gradients():
    torch = pytest.importorskip("torch", reason="torch is not installed (optional cross-check)")
    rng = np.random.default_rng(8)
    weights = torch_lstm_weights(rng)
    xs, h0, c0, G = (rng.standard_normal((T, B, D)), rng.standard_normal((B, H)),
                     rng.standard_normal((B, H)), rng.standard_normal((T, B, H)))
    F = rng.standard_normal((B, 2 * H))
    net = torch.nn.LSTM(D, H, dtype=torch.float64)
    names = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
    with torch.no_grad():
        for n, w in zip(names, weights, strict=True):
            getattr(net, n).copy_(torch.from_numpy(w))
    x_t = torch.tensor(xs, requires_grad=True)
    h0_t, c0_t = torch.tensor(h0[None], requires_grad=True), torch.tensor(c0[None],
                                                                          requires_grad=True)
    out, (h_T, c_T) = net(x_t, (h0_t, c0_t))
    final = torch.cat([h_T[0], c_T[0]], dim=1)
    ((out * torch.from_numpy(G)).sum() + (final * torch.from_numpy(F)).sum()).backward()

    params = lstm.from_pytorch(*weights)
    hs, cache = lstm.forward(params, xs, np.concatenate([h0, c0], axis=1))
    grads = lstm.backward(params, cache, G, F)
    np.testing.assert_allclose(hs, out.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(lstm.final_state(cache), final.detach().numpy(), rtol=1e-10,
                               atol=1e-12)
    theirs = [getattr(net, n).grad.numpy() for n in names]
    mapped = lstm.from_pytorch(*theirs[:2], theirs[2], np.zeros_like(theirs[3]))  # linear map
    for key in ("W", "U", "b"):
        np.testing.assert_allclose(grads.params[key], mapped[key], rtol=1e-9, atol=1e-12)
    # b = b_ih + b_hh: both of torch's bias vectors get the same gradient
    np.testing.assert_allclose(theirs[2], theirs[3], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(grads.xs, x_t.grad.numpy(), rtol=1e-9, atol=1e-12)
    d_state0 = np.concatenate([h0_t.grad.numpy()[0], c0_t.grad.numpy()[0]], axis=1)
    np.testing.assert_allclose(grads.h0, d_state0, rtol=1e-9, atol=1e-12)
