"""The LSTM's initialisation, and the LSTM against PyTorch's documented nn.LSTM equations (and
nn.LSTM itself, values and gradients, when torch is installed)."""

from __future__ import annotations

import numpy as np
import pytest

from core.cells import lstm
from tests.pytorch_layout import pytorch_weights

T, B, D, H = 5, 3, 4, 5


def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def test_lstm_forget_bias_defaults_to_one_and_chrono_spreads_time_scales():
    p = lstm.init(D, H, np.random.default_rng(0))
    np.testing.assert_array_equal(p["b"][H : 2 * H], 1.0)
    np.testing.assert_array_equal(np.delete(p["b"], np.s_[H : 2 * H]), 0.0)
    p = lstm.init(D, 64, np.random.default_rng(0), forget_bias=3.0)
    np.testing.assert_array_equal(p["b"][64:128], 3.0)
    L = 50
    p = lstm.init(D, 64, np.random.default_rng(1), chrono_length=L, dtype="float64")
    b_i, b_f = p["b"][:64], p["b"][64:128]
    tau = 1.0 / (1.0 - sigmoid(b_f))  # at zero input f = 1 - 1/tau
    assert np.all(tau >= 1.0) and np.all(tau <= L - 1 + 1e-9)
    assert tau.max() - tau.min() > L / 4  # spread over the range, not constant
    np.testing.assert_array_equal(b_i, -b_f)


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
    weights = pytorch_weights(rng, 4, D, H)
    xs, h0, c0 = (
        rng.standard_normal((T, B, D)),
        rng.standard_normal((B, H)),
        rng.standard_normal((B, H)),
    )
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
    weights = pytorch_weights(rng, 4, D, H)
    xs, h0, c0, G = (
        rng.standard_normal((T, B, D)),
        rng.standard_normal((B, H)),
        rng.standard_normal((B, H)),
        rng.standard_normal((T, B, H)),
    )
    F = rng.standard_normal((B, 2 * H))
    net = torch.nn.LSTM(D, H, dtype=torch.float64)
    names = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
    with torch.no_grad():
        for n, w in zip(names, weights, strict=True):
            getattr(net, n).copy_(torch.from_numpy(w))
    x_t = torch.tensor(xs, requires_grad=True)
    h0_t, c0_t = (
        torch.tensor(h0[None], requires_grad=True),
        torch.tensor(c0[None], requires_grad=True),
    )
    out, (h_T, c_T) = net(x_t, (h0_t, c0_t))
    final = torch.cat([h_T[0], c_T[0]], dim=1)
    ((out * torch.from_numpy(G)).sum() + (final * torch.from_numpy(F)).sum()).backward()

    params = lstm.from_pytorch(*weights)
    hs, cache = lstm.forward(params, xs, np.concatenate([h0, c0], axis=1))
    grads = lstm.backward(params, cache, G, F)
    np.testing.assert_allclose(hs, out.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(
        lstm.final_state(cache), final.detach().numpy(), rtol=1e-10, atol=1e-12
    )
    theirs = [getattr(net, n).grad.numpy() for n in names]
    mapped = lstm.from_pytorch(*theirs[:2], theirs[2], np.zeros_like(theirs[3]))  # linear map
    for key in ("W", "U", "b"):
        np.testing.assert_allclose(grads.params[key], mapped[key], rtol=1e-9, atol=1e-12)
    # b = b_ih + b_hh: both of torch's bias vectors get the same gradient
    np.testing.assert_allclose(theirs[2], theirs[3], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(grads.xs, x_t.grad.numpy(), rtol=1e-9, atol=1e-12)
    d_state0 = np.concatenate([h0_t.grad.numpy()[0], c0_t.grad.numpy()[0]], axis=1)
    np.testing.assert_allclose(grads.h0, d_state0, rtol=1e-9, atol=1e-12)


def test_total_gradient_at_every_cell_state_matches_finite_differences():
    """dL/dc_t through both of its paths: h_t = o_t tanh(c_t) (o_t held, it does not depend on
    c_t) and c_(t+1). Perturb c_t, recompute h_t, rerun the rest."""
    from tests.numeric import numeric_grad

    rng = np.random.default_rng(9)
    params = lstm.init(D, H, rng, orthogonal=False, dtype="float64")
    params = {k: v + 0.4 * rng.standard_normal(v.shape) for k, v in params.items()}
    xs, s0 = rng.standard_normal((T, B, D)), 0.5 * rng.standard_normal((B, 2 * H))
    G, F = rng.standard_normal((T, B, H)), rng.standard_normal((B, 2 * H))
    hs, cache = lstm.forward(params, xs, s0)
    d_cs = lstm.backward(params, cache, G, F).blocks["c"]  # (T, B, H)
    o = cache.gate("o")
    for t in range(T):
        c_t = cache.cs[t].copy()

        def loss(t=t, c_t=c_t):
            h_t = o[t] * np.tanh(c_t)
            state = np.concatenate([h_t, c_t], axis=1)
            later, final = 0.0, state
            if t + 1 < T:
                rest, tail = lstm.forward(params, xs[t + 1 :], state)
                later, final = np.sum(G[t + 1 :] * rest), lstm.final_state(tail)
            return float(np.sum(G[:t] * hs[:t]) + np.sum(G[t] * h_t) + later + np.sum(F * final))

        np.testing.assert_allclose(d_cs[t], numeric_grad(loss, c_t), rtol=1e-6, atol=1e-9)
