"""The cell protocol and the helpers every recurrent cell shares.

A cell is one module that ends with `CELL = Cell(...)`: its maths (init, forward, backward) and
everything the analysis pages ask of it (state Jacobians, spectrum blocks, theory overlay,
gates, label, colour). The registry (core.cells) lists the modules; nothing else names a cell.

    params = cell.init(D, H, rng, dtype="float64")   # its own init options are keywords
    params = cell.initialise(D, H, rng, options=cfg.init_option_values(), dtype="float64")
    hs, cache = cell.forward(params, xs, state0)     # xs (T, B, D), state0 (B, S) or None
    grads = cell.backward(params, cache, d_hs, d_final=None)   # -> CellGrads

The state is h (S = H) for most cells and [h | c] (S = 2H) for the LSTM: `state_size(H)`,
`final_state(cache)` and `grads.h0` (dL/dstate0) use the full state; hs are the outputs h_t.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from core.cells.theory import TheoryOverlay

Params = dict[str, np.ndarray]


@dataclass(frozen=True)
class GateInfo:
    """One gate of a cell, as the Gates page explains it."""

    key: str  # key in cell.gate_values(cache), e.g. "u"
    symbol: str  # its symbol in our equations, e.g. "u"
    name: str  # e.g. "update gate"
    meaning: str  # what a value near 1 does, in one line
    pytorch_symbol: str | None = None  # PyTorch's symbol when it differs (z for our u)
    pytorch_complement: bool = False  # PyTorch's gate is 1 - ours (z = 1 - u)


@dataclass(frozen=True)
class InitOption:
    """A number of a cell's initialisation that a run sets: a RunConfig field of the same name,
    a CLI flag and a Train-form input, all made from this. Cells sharing one use one object."""

    name: str  # init keyword and RunConfig field, e.g. "forget_bias"
    label: str  # form label and CLI help, e.g. "LSTM forget-gate bias"
    help: str  # what the value does (the form's tooltip)
    short: str  # how a changed value reads in a run's name; {} is the value
    low: float = -10.0  # smallest value the form offers
    high: float = 10.0  # largest value the form offers


@dataclass(frozen=True)
class Cell:
    """Everything the library and the pages know about one recurrent cell."""

    name: str  # registry key, e.g. "gru"
    label: str  # display name, e.g. "GRU"
    colour: str  # hex colour, the same on every page
    summary: str  # one line: what the cell is, shown after its label (so not repeating it)
    init: Callable  # (D, H, rng, *, init_scale, orthogonal, chrono_length, dtype,
    #  and a keyword per init option) -> Params
    forward: Callable  # (params, xs, state0) -> (hs (T, B, H), cache)
    backward: Callable  # (params, cache, d_hs, d_final=None) -> CellGrads
    param_shapes: Callable  # (D, H) -> {name: shape}, no random numbers drawn
    jacobian_factors: Callable  # (params, cache) -> (factors {k: (T, B, .)}, mats {k: (H, H)})
    jacobian_matvec: Callable  # (factors, mats, v (N, S)) -> J v      (factors as (N, .))
    jacobian_rmatvec: Callable  # (factors, mats, w (N, S)) -> J^T w
    recurrent_blocks: Callable  # params -> {name: (H, H)}, the matrices whose spectra are shown
    theory_overlay: Callable  # (params, cache) -> TheoryOverlay
    gates: tuple[GateInfo, ...] = ()  # the gates, in display order
    gate_values: Callable = lambda cache: {}  # cache -> {gate key: (T, B, H)}
    candidate: Callable | None = None  # cache -> (T, B, H) the proposed new content
    carry: Callable | None = None  # cache -> (T, B, H) share of h_{t-1} kept; None
    # when the cell has no carry path
    state_size: Callable = lambda H: H  # H -> S
    final_state: Callable = lambda cache: cache.hs[-1]  # cache -> (B, S)
    state_names: tuple[str, ...] = ("h",)  # the blocks of the state, in order
    # recurrent block key (recurrent_blocks) -> its name on the spectrum charts
    block_labels: tuple[tuple[str, str], ...] = ()
    # run-config fields of this cell that old run files hold and today's configs drop
    retired_config_fields: tuple[str, ...] = ()
    ablates: tuple[str, str] | None = None  # (full cell, key of the gate removed) for an
    # ablation of another cell, else None
    convention: str = ""  # which convention of its family it follows, when
    # there are several (the GRU's reset placement)
    init_options: tuple[InitOption, ...] = ()  # the numbers of init a run sets (its keywords)

    def initialise(
        self, D: int, H: int, rng, options: Mapping[str, float] | None = None, **common
    ) -> Params:
        """init with the `common` keywords (init_scale, orthogonal, chrono_length, dtype) and,
        of `options` (e.g. a run config's init_option_values()), the ones this cell declares."""
        options = options or {}
        own = {o.name: options[o.name] for o in self.init_options if o.name in options}
        return self.init(D, H, rng, **common, **own)

    def overlay(self, params: Params, cache: Any) -> TheoryOverlay:
        return self.theory_overlay(params, cache)


def with_final(d_hs: np.ndarray, d_final: np.ndarray | None, dtype) -> np.ndarray:
    """d_hs with dL/dh_T from after the sequence added to its last step (cells whose state
    is h alone). d_hs: (T, B, H), d_final: (B, H) or None -> (T, B, H) in dtype."""
    d_hs = np.asarray(d_hs, dtype=dtype)
    if d_final is None:
        return d_hs
    d_hs = d_hs.copy()
    d_hs[-1] += d_final
    return d_hs


@dataclass
class CellGrads:
    """Everything backpropagation through time produces for one sequence batch.

    `xs` (T, B, D), dL/dx_t, is computed on first access: training never needs it, so a
    training step does not pay for the extra matrix product.
    """

    params: Params  # same keys and shapes as the parameters
    h0: np.ndarray  # (B, H)    dL/dh_0
    hs: np.ndarray  # (T, B, H) TOTAL dL/dh_t: from above (d_hs) plus from the future via h_{t+1}
    input_grad: Callable[[], np.ndarray] = field(repr=False)  # () -> dL/dxs (T, B, D)
    blocks: dict[str, np.ndarray] = field(default_factory=dict)  # TOTAL dL/d(block)_t
    # (T, B, H) of the state's other blocks, e.g. the LSTM's
    # {"c": ...} (through h_t = o tanh(c_t) and c_(t+1))

    @cached_property
    def xs(self) -> np.ndarray:
        """dL/dx_t for every step. -> (T, B, D)"""
        return self.input_grad()


def inputs_with_ones(params: Params, xs: np.ndarray, h0: np.ndarray | None, H: int):
    """Cast to the parameters' dtype and append a column of ones, so one product gives
    x W + b (and, backwards, dW and db together). h0=None means zeros.
    -> x1 (T*B, D+1), xs (T, B, D) view of x1, h0 (B, H)"""
    dtype = params["W"].dtype
    xs = np.asarray(xs)
    if xs.ndim != 3:
        raise ValueError(f"xs must have shape (T, B, D), got {xs.shape}")
    T, B, D = xs.shape
    x1 = np.empty((T * B, D + 1), dtype=dtype)  # (T*B, D+1)
    x1[:, :D] = xs.reshape(T * B, D)
    x1[:, D] = 1.0
    if h0 is None:
        h0 = np.zeros((B, H), dtype=dtype)
    h0 = np.ascontiguousarray(h0, dtype=dtype)
    if h0.shape != (B, H):
        raise ValueError(f"h0 must have shape {(B, H)}, got {h0.shape}")
    return x1, x1[:, :D].reshape(T, B, D), h0


def input_grad(d_pre: np.ndarray, W: np.ndarray, shape: tuple[int, ...]):
    """A thunk for dL/dxs = d_pre W^T.  d_pre: (T*B, G), or gate-major (K, T*B, G/K) with the
    K blocks in W's column order; W: (D, G) -> () -> (T, B, D)"""
    if d_pre.ndim == 2:
        return lambda: (d_pre @ W.T).reshape(shape)
    K, _, Gk = d_pre.shape
    W_blocks = W.T.reshape(K, Gk, W.shape[0])  # (K, G/K, D)
    return lambda: np.matmul(d_pre, W_blocks).sum(axis=0).reshape(shape)


def previous_states(h0: np.ndarray, hs: np.ndarray) -> np.ndarray:
    """h_{t-1} for every t: [h0, h_1, ..., h_{T-1}]. -> (T, B, H)"""
    prev = np.empty_like(hs)
    prev[0] = h0
    prev[1:] = hs[:-1]
    return prev


def state_steps(h0: np.ndarray, hs: np.ndarray) -> np.ndarray:
    """h_t - h_{t-1} for every t (h_0 = h0). -> (T, B, H)"""
    steps = np.empty_like(hs)
    np.subtract(hs[0], h0, out=steps[0])
    np.subtract(hs[1:], hs[:-1], out=steps[1:])
    return steps


def times_complement(x: np.ndarray, gate: np.ndarray) -> np.ndarray:
    """x (1 - gate), elementwise, as x - x gate (a sigmoid gate's slope term). -> x's shape"""
    out = np.multiply(x, gate)
    return np.subtract(x, out, out=out)


def tanh_slope(tanh_values: np.ndarray) -> np.ndarray:
    """1 - y^2: tanh's derivative where tanh(a) = y, for every element. -> same shape"""
    slope = np.multiply(tanh_values, tanh_values)
    return np.subtract(1.0, slope, out=slope)


class InputWeightGrad:
    """d[W; b] = sum_t x1_t^T da_t, with x1_t = [x_t | 1]. With few inputs (D < SMALL_INPUT)
    and big steps (B * G >= BIG_STEP) the product is accumulated inside the backward loop,
    while da_t is still in cache; else it is one (D+1, T*B) x (T*B, G) product after the loop
    (small steps: a call per step costs more than re-reading d_pre; bench/README.md,
    "Cheaper small-size steps"). Gate-major cells (blocks K > 1) give da_t as (K, B, G/K) and d_pre
    as (K, T*B, G/K); the result is (D+1, G) either way."""

    SMALL_INPUT = 64
    BIG_STEP = 8192

    def __init__(self, x1: np.ndarray, T: int, G: int, blocks: int = 1):
        self.x1 = x1  # (T*B, D+1)
        B = x1.shape[0] // T
        self.per_step = x1.shape[1] <= self.SMALL_INPUT and B * G >= self.BIG_STEP
        if self.per_step:
            self.x1t = x1.reshape(T, -1, x1.shape[1])  # (T, B, D+1)
            shape = (blocks, x1.shape[1], G // blocks)
            self.total = np.zeros(shape, dtype=x1.dtype)  # (K, D+1, G/K)
            self.term = np.empty_like(self.total)  # (K, D+1, G/K)

    def add(self, t: int, d_pre_t: np.ndarray) -> None:
        """d_pre_t: (B, G), or (K, B, G/K), pre-activation gradient of step t."""
        if self.per_step:
            out = self.term if d_pre_t.ndim == 3 else self.term[0]  # (K, D+1, G/K) | (D+1, G)
            np.matmul(self.x1t[t].T, d_pre_t, out=out)
            self.total += self.term

    def result(self, d_pre: np.ndarray) -> np.ndarray:
        """d_pre: (T*B, G), or (K, T*B, G/K), all steps. -> (D+1, G) [dW; db]"""
        total = self.total if self.per_step else np.matmul(self.x1.T, d_pre)
        if total.ndim == 2:
            return total
        return total.transpose(1, 0, 2).reshape(self.x1.shape[1], -1)  # (D+1, G)
