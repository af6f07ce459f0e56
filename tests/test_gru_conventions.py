"""The GRU against outside conventions: a reference GRU written with PyTorch's keep gate z
(u = 1 - z), the tanh RNN as the GRU's limit with both gates open, and PyTorch's documented
nn.GRU equations for the reset-after GRU (and nn.GRU itself when torch happens to be
installed)."""

from __future__ import annotations

import numpy as np
import pytest

from core.cells import CELLS, gru_reset_after
from tests.pytorch_layout import pytorch_weights
from tests.test_cells import B, D, H, T, sigmoid


def z_convention_gru(p, xs, h0):
    """Reference GRU written with a keep gate z: h = z * h_prev + (1 - z) * c."""
    h, hs, zs = h0, [], []
    for x in xs:
        z = sigmoid(x @ p["W_z"] + h @ p["U_z"] + p["b_z"])
        r = sigmoid(x @ p["W_r"] + h @ p["U_r"] + p["b_r"])
        c = np.tanh(x @ p["W_c"] + (r * h) @ p["U_c"] + p["b_c"])
        h = z * h + (1 - z) * c
        hs.append(h)
        zs.append(z)
    return np.array(hs), np.array(zs)


def test_bridge_identity_u_equals_one_minus_z_with_negated_update_weights():
    rng = np.random.default_rng(2)
    ref = {f"W_{g}": rng.standard_normal((D, H)) for g in "zrc"}
    ref |= {f"U_{g}": rng.standard_normal((H, H)) / np.sqrt(H) for g in "zrc"}
    ref |= {f"b_{g}": rng.standard_normal(H) for g in "zrc"}
    ours = {
        "W": np.concatenate([-ref["W_z"], ref["W_r"], ref["W_c"]], axis=1),
        "U_g": np.concatenate([-ref["U_z"], ref["U_r"]], axis=1),
        "U_c": ref["U_c"],
        "b": np.concatenate([-ref["b_z"], ref["b_r"], ref["b_c"]]),
    }
    xs, h0 = rng.standard_normal((T, B, D)), rng.standard_normal((B, H))
    hs_ref, zs = z_convention_gru(ref, xs, h0)
    hs, cache = CELLS["gru"].forward(ours, xs, h0)
    np.testing.assert_allclose(cache.u, 1 - zs, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(hs, hs_ref, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", ["gru", "gru_reset_after"])
def test_gru_with_open_gates_is_the_tanh_rnn(name):
    """u == 1 and r == 1 (huge biases, zero gate weights): h_t = tanh(x W_c + h U_c + b_c)."""
    rng = np.random.default_rng(3)
    rnn = {
        "W": rng.standard_normal((D, H)),
        "U": rng.standard_normal((H, H)) / np.sqrt(H),
        "b": rng.standard_normal(H),
    }
    zeros_g, big = np.zeros((D, 2 * H)), np.full(2 * H, 50.0)
    if name == "gru":
        params = {
            "W": np.concatenate([zeros_g, rnn["W"]], axis=1),
            "U_g": np.zeros((H, 2 * H)),
            "U_c": rnn["U"],
            "b": np.concatenate([big, rnn["b"]]),
        }
    else:
        params = {
            "W": np.concatenate([zeros_g, rnn["W"]], axis=1),
            "U": np.concatenate([np.zeros((H, 2 * H)), rnn["U"]], axis=1),
            "b": np.concatenate([big, rnn["b"]]),
            "b_h": np.zeros(3 * H),
        }
    xs, h0 = rng.standard_normal((T, B, D)), rng.standard_normal((B, H))
    hs, cache = CELLS[name].forward(params, xs, h0)
    assert np.all(cache.u == 1.0) and np.all(cache.r == 1.0)
    hs_rnn, _ = CELLS["rnn"].forward(rnn, xs, h0)
    np.testing.assert_allclose(hs, hs_rnn, rtol=1e-12, atol=1e-14)


def pytorch_documented_gru(w_ih, w_hh, b_ih, b_hh, xs, h0):
    """Transcription of the nn.GRU documentation (column vectors there, rows here)."""
    W_ir, W_iz, W_in = np.split(w_ih, 3)
    W_hr, W_hz, W_hn = np.split(w_hh, 3)
    b_ir, b_iz, b_in = np.split(b_ih, 3)
    b_hr, b_hz, b_hn = np.split(b_hh, 3)
    h, hs, zs = h0, [], []
    for x in xs:
        r = sigmoid(x @ W_ir.T + b_ir + h @ W_hr.T + b_hr)
        z = sigmoid(x @ W_iz.T + b_iz + h @ W_hz.T + b_hz)
        n = np.tanh(x @ W_in.T + b_in + r * (h @ W_hn.T + b_hn))
        h = (1 - z) * n + z * h
        hs.append(h)
        zs.append(z)
    return np.array(hs), np.array(zs)


def test_reset_after_matches_pytorch_documented_equations():
    rng = np.random.default_rng(4)
    weights = pytorch_weights(rng, 3, D, H)
    xs, h0 = rng.standard_normal((T, B, D)), rng.standard_normal((B, H))
    hs_ref, zs = pytorch_documented_gru(*weights, xs, h0)
    params = gru_reset_after.from_pytorch(*weights)
    hs, cache = CELLS["gru_reset_after"].forward(params, xs, h0)
    np.testing.assert_allclose(hs, hs_ref, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(cache.z, zs, rtol=1e-12, atol=1e-14)
    back = gru_reset_after.to_pytorch(params)
    for ours, theirs in zip(back.values(), weights, strict=True):
        np.testing.assert_array_equal(ours, theirs)


def test_reset_after_matches_torch_gru_values_and_gradients():
    torch = pytest.importorskip("torch", reason="torch is not installed (optional cross-check)")
    rng = np.random.default_rng(5)
    weights = pytorch_weights(rng, 3, D, H)
    xs, h0, G = (
        rng.standard_normal((T, B, D)),
        rng.standard_normal((B, H)),
        rng.standard_normal((T, B, H)),
    )
    gru = torch.nn.GRU(D, H, dtype=torch.float64)
    with torch.no_grad():
        for name, w in zip(
            ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"], weights, strict=True
        ):
            getattr(gru, name).copy_(torch.from_numpy(w))
    x_t = torch.tensor(xs, requires_grad=True)
    h0_t = torch.tensor(h0[None], requires_grad=True)
    out, _ = gru(x_t, h0_t)
    (out * torch.from_numpy(G)).sum().backward()

    cell = CELLS["gru_reset_after"]
    params = gru_reset_after.from_pytorch(*weights)
    hs, cache = cell.forward(params, xs, h0)
    grads = cell.backward(params, cache, G)
    np.testing.assert_allclose(hs, out.detach().numpy(), rtol=1e-10, atol=1e-12)
    torch_grads = gru_reset_after.from_pytorch(  # the map is linear: grads map too
        *(
            getattr(gru, n).grad.numpy()
            for n in ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
        )
    )
    for key in params:
        np.testing.assert_allclose(grads.params[key], torch_grads[key], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(grads.xs, x_t.grad.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(grads.h0, h0_t.grad.numpy()[0], rtol=1e-9, atol=1e-12)
