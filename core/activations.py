"""Element-wise activations written to run in place on preallocated buffers."""

from __future__ import annotations

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    """sigma(x) = 1 / (1 + exp(-x)), computed as (1 + tanh(x/2)) / 2 (no overflow)."""
    out = np.multiply(x, 0.5)
    return sigmoid_of_half_(out)


def sigmoid_of_half_(z: np.ndarray) -> np.ndarray:
    """In place: z holds x/2 on entry and sigma(x) = (1 + tanh(x/2)) / 2 on exit.

    The cells pre-halve their gate weights once per sequence, so each step pays only for
    tanh, one multiply and one add (cheaper than exp + add + reciprocal).
    """
    np.tanh(z, out=z)
    z *= 0.5
    z += 0.5
    return z
