"""Optimizers and gradient clipping over parameter dicts.

An optimizer is a pair of functions over plain data: `init(params) -> state` builds the state
(dicts of arrays keyed like the parameters), `update(params, grads, state)` changes the
parameter arrays and the state in place. Same inputs -> bit-identical results.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

Params = dict[str, np.ndarray]
State = dict


def global_norm(grads: Params) -> float:
    """||g|| = sqrt(sum_k sum_i g_ki^2) over every gradient array, accumulated in float64."""
    return float(np.sqrt(sum(float(np.square(g, dtype=np.float64).sum()) for g in grads.values())))


@dataclass
class Clipped:
    grads: Params  # the gradients, rescaled when their norm exceeded the threshold
    norm: float  # global norm before clipping
    clipped: bool  # whether they were rescaled


def clip_by_global_norm(grads: Params, max_norm: float) -> Clipped:
    """g <- g * max_norm / ||g|| if ||g|| > max_norm (max_norm = 0 turns clipping off)."""
    norm = global_norm(grads)
    if max_norm <= 0 or not norm > max_norm:
        return Clipped(grads=grads, norm=norm, clipped=False)
    scale = max_norm / norm
    return Clipped(
        grads={k: g * g.dtype.type(scale) for k, g in grads.items()}, norm=norm, clipped=True
    )


@dataclass(frozen=True)
class SGD:
    """theta <- theta - lr * g   (plus heavy-ball momentum v <- mu v + g when momentum > 0)."""

    lr: float
    momentum: float = 0.0

    def init(self, params: Params) -> State:
        return {"velocity": {k: np.zeros_like(p) for k, p in params.items()}}

    def update(self, params: Params, grads: Params, state: State, lr_scale: float = 1.0) -> None:
        lr = self.lr * lr_scale
        for k, p in params.items():
            step = grads[k]
            if self.momentum:
                v = state["velocity"][k]
                v *= v.dtype.type(self.momentum)
                v += grads[k]
                step = v
            p -= p.dtype.type(lr) * step


@dataclass(frozen=True)
class Adam:
    """Adam (Kingma & Ba 2015): m <- b1 m + (1-b1) g;  v <- b2 v + (1-b2) g^2;
    theta <- theta - lr * m_hat / (sqrt(v_hat) + eps),  m_hat = m/(1-b1^t), v_hat = v/(1-b2^t).
    """

    lr: float
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8

    def init(self, params: Params) -> State:
        return {
            "t": 0,
            "m": {k: np.zeros_like(p) for k, p in params.items()},
            "v": {k: np.zeros_like(p) for k, p in params.items()},
        }

    def update(self, params: Params, grads: Params, state: State, lr_scale: float = 1.0) -> None:
        state["t"] += 1
        t = state["t"]
        step_size = self.lr * lr_scale * np.sqrt(1 - self.beta2**t) / (1 - self.beta1**t)
        eps_hat = self.eps * np.sqrt(1 - self.beta2**t)  # eps on v_hat, moved onto v
        for k, p in params.items():
            g, m, v = grads[k], state["m"][k], state["v"][k]
            f = p.dtype.type
            m *= f(self.beta1)
            m += f(1 - self.beta1) * g
            v *= f(self.beta2)
            v += f(1 - self.beta2) * (g * g)
            p -= f(step_size) * m / (np.sqrt(v) + f(eps_hat))


def lr_scale(schedule: str, step: int, steps: int) -> float:
    """Learning-rate factor at optimizer step `step` (1-based) of `steps`.
    constant: 1;  cosine: (1 + cos(pi * (step - 1) / steps)) / 2, from 1 down towards 0;
    anneal: 1 for the first 3/4 of the steps, then linearly down towards 0 over the last 1/4."""
    if schedule == "constant":
        return 1.0
    if schedule == "anneal":
        start = 0.75 * steps
        return 1.0 if step <= start else max(0.0, (steps - step + 1) / (steps - start))
    if schedule == "cosine":
        return 0.5 * (1.0 + math.cos(math.pi * (step - 1) / steps))
    raise ValueError(
        f"unknown learning-rate schedule {schedule!r}; expected 'constant', 'anneal' or 'cosine'"
    )


def make_optimizer(name: str, lr: float) -> SGD | Adam:
    """ "adam" | "sgd" at learning rate lr."""
    if name == "adam":
        return Adam(lr=lr)
    if name == "sgd":
        return SGD(lr=lr)
    raise ValueError(f"unknown optimizer {name!r}; expected 'adam' or 'sgd'")
