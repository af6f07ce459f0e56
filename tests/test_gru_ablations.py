"""The GRU ablations as limits of the full GRU: with its reset gate held open (r == 1) the GRU
is the no-reset GRU, with its update gate held open (u == 1) the no-update GRU."""

from __future__ import annotations

import numpy as np

from core.cells import gru, gru_no_reset, gru_no_update

T, B, D, H = 5, 3, 4, 5


def full_gru_params(rng, *, r_open=False, u_open=False):
    p = gru.init(D, H, rng, orthogonal=False, dtype="float64")
    p = {k: v + 0.4 * rng.standard_normal(v.shape) for k, v in p.items()}
    for j, is_open in ((0, u_open), (1, r_open)):  # gate j of [u | r]: weights 0, bias big
        if is_open:
            p["W"][:, j * H : (j + 1) * H] = 0.0
            p["U_g"][:, j * H : (j + 1) * H] = 0.0
            p["b"][j * H : (j + 1) * H] = 50.0  # sigmoid(50) == 1.0 in float64
    return p


def test_no_reset_gru_is_the_full_gru_with_the_reset_gate_open():
    rng = np.random.default_rng(5)
    p = full_gru_params(rng, r_open=True)
    ours = {
        "W": np.concatenate([p["W"][:, :H], p["W"][:, 2 * H :]], axis=1),
        "U": np.concatenate([p["U_g"][:, :H], p["U_c"]], axis=1),
        "b": np.concatenate([p["b"][:H], p["b"][2 * H :]]),
    }
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
