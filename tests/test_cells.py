"""Every registered cell against outside truth: float64 central finite differences for BPTT,
the state Jacobians and their adjoint, and the registry's contract (hooks, labels, options).
The GRU against PyTorch's conventions: tests/test_gru_conventions.py."""

from __future__ import annotations

import re

import numpy as np
import pytest

from core.cells import CELLS, cell_names, get_cell
from core.cells.protocol import InputWeightGrad
from tests.numeric import numeric_grad

T, B, D, H = 5, 3, 4, 5
EPS = 1e-6
CELL_NAMES = cell_names()


def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def problem(name, seed=0, steps=T):
    """Random float64 params, inputs, state0 and a linear loss sum(G hs) + sum(F final)."""
    cell = CELLS[name]
    rng = np.random.default_rng(seed)
    params = cell.init(D, H, rng, init_scale=1.2, orthogonal=False, dtype="float64")
    params = {k: v + 0.4 * rng.standard_normal(v.shape) for k, v in params.items()}
    S = cell.state_size(H)
    xs = rng.standard_normal((steps, B, D))
    s0 = 0.5 * rng.standard_normal((B, S))
    G = rng.standard_normal((steps, B, H))
    F = rng.standard_normal((B, S))
    return cell, params, xs, s0, G, F


def assert_close(analytic, numeric):
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("input_path", ["in_loop", "one_product"])
@pytest.mark.parametrize("steps", [T, 1])
@pytest.mark.parametrize("name", CELL_NAMES)
def test_bptt_matches_finite_differences(name, steps, input_path, monkeypatch):
    """Every parameter, the inputs and the whole initial state (h0 and, for the LSTM, c0), with
    a loss on every h_t and on the final state."""
    in_loop = input_path == "in_loop"
    monkeypatch.setattr(InputWeightGrad, "SMALL_INPUT", 10**6 if in_loop else 0)
    monkeypatch.setattr(InputWeightGrad, "BIG_STEP", 0 if in_loop else 10**9)
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


@pytest.mark.parametrize("name", CELL_NAMES)
def test_total_gradient_at_every_output_state_matches_finite_differences(name):
    """dL/dh_t: perturb h_t (the LSTM's c_t held), rerun the cell from there on the rest. Every
    other block of the state has its own gradient (the LSTM's c_t: tests/test_lstm.py)."""
    cell, params, xs, s0, G, F = problem(name, seed=1)
    hs, cache = cell.forward(params, xs, s0)
    grads = cell.backward(params, cache, G, F)
    assert set(grads.blocks) == set(cell.state_names[1:])
    for t in range(T):
        _, head = cell.forward(params, xs[: t + 1], s0)
        state = cell.final_state(head).copy()  # (B, S) state after step t
        h_t = state[:, :H]  # view: perturbed in place

        def loss_through_state(t=t, state=state, h_t=h_t):
            if t + 1 < T:
                rest, tail = cell.forward(params, xs[t + 1 :], state)
                later, final = np.sum(G[t + 1 :] * rest), cell.final_state(tail)
            else:
                later, final = 0.0, state
            return float(np.sum(G[:t] * hs[:t]) + np.sum(G[t] * h_t) + later + np.sum(F * final))

        assert_close(grads.hs[t], numeric_grad(loss_through_state, h_t))


@pytest.mark.parametrize("name", CELL_NAMES)
def test_dtype_follows_the_parameters_and_forward_is_pure(name):
    cell = CELLS[name]
    params = cell.init(D, H, np.random.default_rng(0), dtype="float32")
    before = {k: v.copy() for k, v in params.items()}
    xs = np.random.default_rng(1).standard_normal((T, B, D))  # float64 input
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


@pytest.mark.parametrize("name", CELL_NAMES)
def test_state_jacobians_match_finite_differences_over_the_full_state(name):
    cell, params, xs, s0, _, _ = problem(name, seed=2)
    S = s0.shape[1]
    _, cache = cell.forward(params, xs, s0)
    factors, mats = cell.jacobian_factors(params, cache)
    flat = {k: a.reshape(T * B, -1) for k, a in factors.items()}
    J = dense_jacobians(cell, flat, mats, (T, B, S))
    states = [s0] + [cell.final_state(cell.forward(params, xs[: t + 1], s0)[1]) for t in range(T)]
    eps = 1e-6
    for t in range(T):
        for j in range(S):
            plus, minus = states[t].copy(), states[t].copy()
            plus[:, j] += eps
            minus[:, j] -= eps
            up = cell.final_state(cell.forward(params, xs[t : t + 1], plus)[1])
            down = cell.final_state(cell.forward(params, xs[t : t + 1], minus)[1])
            np.testing.assert_allclose(J[t, :, :, j], (up - down) / (2 * eps), rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", CELL_NAMES)
def test_transpose_product_is_the_adjoint_and_one_step_of_bptt(name):
    cell, params, xs, s0, _, _ = problem(name, seed=3)
    S = s0.shape[1]
    _, cache = cell.forward(params, xs, s0)
    factors, mats = cell.jacobian_factors(params, cache)
    flat = {k: a.reshape(T * B, -1) for k, a in factors.items()}
    rng = np.random.default_rng(4)
    v, w = rng.standard_normal((T * B, S)), rng.standard_normal((T * B, S))
    back = cell.jacobian_rmatvec(flat, mats, w)
    np.testing.assert_allclose(
        np.sum(w * cell.jacobian_matvec(flat, mats, v), -1), np.sum(back * v, -1), rtol=1e-10
    )
    # The last step's J^T w is what backward gives for the state before it, given d_final = w.
    w_last = w.reshape(T, B, S)[-1]
    _, head = cell.forward(params, xs[:-1], s0)
    _, step = cell.forward(params, xs[-1:], cell.final_state(head))
    got = cell.backward(params, step, np.zeros((1, B, H)), w_last).h0
    np.testing.assert_allclose(got, back.reshape(T, B, S)[-1], rtol=1e-10, atol=1e-12)


def test_get_cell_finds_every_registered_cell_and_names_unknown_ones():
    for name, cell in CELLS.items():
        assert get_cell(name) is cell and cell.name == name
    with pytest.raises(ValueError, match="unknown model 'bogus'"):
        get_cell("bogus")


def test_bad_shapes_give_clear_errors():
    params = CELLS["gru"].init(D, H, np.random.default_rng(0))
    with pytest.raises(ValueError, match="h0 must have shape"):
        CELLS["gru"].forward(params, np.zeros((T, B, D)), np.zeros((B + 1, H)))
    with pytest.raises(ValueError, match="xs must have shape"):
        CELLS["gru"].forward(params, np.zeros((B, D)), None)


@pytest.mark.parametrize("name", CELL_NAMES)
def test_every_cell_provides_every_hook(name):
    cell = CELLS[name]
    _, params, xs, s0, _, _ = problem(name)
    S = cell.state_size(H)
    assert S % H == 0 and len(cell.state_names) == S // H
    hs, cache = cell.forward(params, xs, s0)
    assert cell.final_state(cache).shape == (B, S)
    assert {k: v.shape for k, v in params.items()} == cell.param_shapes(D, H)
    blocks = cell.recurrent_blocks(params)
    assert all(m.shape == (H, H) for m in blocks.values())
    assert {k for k, _ in cell.block_labels} <= set(blocks)  # names only blocks it has
    overlay = cell.theory_overlay(params, cache)
    assert overlay.k.shape == (T,) and overlay.curves
    assert all(
        c.shape == (T,) and c[0] == 0.0 and np.all(np.isfinite(c)) for c in overlay.curves.values()
    )
    values = cell.gate_values(cache)
    assert [g.key for g in cell.gates] == list(values)
    assert all(v.shape == (T, B, H) and np.all((v >= 0) & (v <= 1)) for v in values.values())
    if cell.carry is not None:
        assert cell.carry(cache).shape == (T, B, H)
    if cell.candidate is not None:
        assert cell.candidate(cache).shape == (T, B, H)
    assert cell.label and cell.summary and cell.colour.startswith("#")
    # shown as "label: summary" (headings, help): the summary does not name the model again
    first_words = re.findall(r"[A-Za-z]+", cell.summary)[:2]
    assert not {"RNN", "GRU", "LSTM", "tanh"} & set(first_words), cell.summary


def test_labels_and_colours_are_unique():
    assert len({c.label for c in CELLS.values()}) == len(CELLS)
    assert len({c.colour.lower() for c in CELLS.values()}) == len(CELLS)


def test_every_init_option_is_a_run_config_field_with_the_cells_keyword():
    """A cell's init options reach it from a run: a RunConfig field each, and init keywords."""
    import inspect
    from dataclasses import fields

    from core.cells import init_options
    from core.train.config import RunConfig

    config_fields = {f.name: f for f in fields(RunConfig)}
    for name, option in init_options().items():
        assert isinstance(config_fields[name].default, float), name
        assert option.low < config_fields[name].default < option.high
    for cell in CELLS.values():
        keywords = set(inspect.signature(cell.init).parameters) - {"D", "H", "rng"}
        own = {o.name for o in cell.init_options}
        assert keywords == {"init_scale", "orthogonal", "chrono_length", "dtype"} | own, cell.name


@pytest.mark.parametrize("name", CELL_NAMES)
def test_initialise_passes_a_cell_its_own_options_and_only_those(name):
    """Every registered option, changed, reaches the cells that declare it and no other."""
    from core.cells import init_options

    cell = CELLS[name]

    def biases(options):
        p = cell.initialise(3, 4, np.random.default_rng(0), options, dtype="float64")
        return np.concatenate([v for k, v in sorted(p.items()) if k.startswith("b")])

    base = biases({})
    for option_name in init_options():
        changed = biases({option_name: 2.75})
        declared = option_name in {o.name for o in cell.init_options}
        assert (np.any(changed == 2.75) and not np.array_equal(changed, base)) == declared
