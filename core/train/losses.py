"""Losses over a model's outputs at the answer steps, each returning its value and gradient.

Both average over the S answer steps and B sequences, so a task's loss is comparable across
batch sizes: loss = (1 / (S B)) sum_{s,b} l(y_sb, target_sb).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class LossValue:
    value: float  # mean loss over answer steps and sequences
    d_outputs: np.ndarray  # (S, B, C) dloss/doutputs, same dtype as the outputs


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """log p_c = z_c - log sum_k exp(z_k), stabilised by the row max. (..., C) -> (..., C)"""
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax_cross_entropy(logits: np.ndarray, targets: np.ndarray) -> LossValue:
    """L = -mean log softmax(z)[target];  dL/dz = (softmax(z) - onehot(target)) / (S B).

    logits (S, B, C), targets (S, B) int.
    """
    S, B, C = logits.shape
    logp = log_softmax(logits)  # (S, B, C)
    picked = _take(logp, targets)  # (S, B, 1)
    d = np.exp(logp)  # (S, B, C) softmax
    np.put_along_axis(d, targets[..., None], _take(d, targets) - 1, axis=-1)
    d /= S * B
    return LossValue(value=float(-picked.mean(dtype=np.float64)), d_outputs=d)


def _take(a: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """a[s, b, targets[s, b]] kept as (S, B, 1)."""
    return np.take_along_axis(a, targets[..., None], axis=-1)


def mean_squared_error(outputs: np.ndarray, targets: np.ndarray) -> LossValue:
    """L = mean (y - t)^2 over steps, sequences and outputs;  dL/dy = 2 (y - t) / (S B C).

    outputs, targets: (S, B, C).
    """
    diff = outputs - targets.astype(outputs.dtype, copy=False)  # (S, B, C)
    return LossValue(
        value=float(np.mean(np.square(diff, dtype=np.float64))), d_outputs=diff * (2.0 / diff.size)
    )


def task_loss(kind: str, outputs: np.ndarray, targets: np.ndarray) -> LossValue:
    """Cross-entropy for "classify", squared error for "regress"."""
    if kind == "classify":
        return softmax_cross_entropy(outputs, targets)
    if kind == "regress":
        return mean_squared_error(outputs, targets)
    raise ValueError(f"unknown task kind {kind!r}; expected 'classify' or 'regress'")
