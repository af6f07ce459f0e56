"""Random weights in PyTorch's recurrent-layer layout, for the checks against its documented
equations (and against torch itself when it happens to be installed)."""

from __future__ import annotations

import numpy as np


def pytorch_weights(rng: np.random.Generator, gates: int, D: int, H: int) -> tuple:
    """(weight_ih (gates*H, D), weight_hh (gates*H, H), bias_ih, bias_hh (gates*H,)), the rows
    in PyTorch's gate order (nn.GRU: r, z, n; nn.LSTM: i, f, g, o)."""
    rows = gates * H
    return (
        rng.standard_normal((rows, D)) * 0.7,
        rng.standard_normal((rows, H)) * 0.5,
        rng.standard_normal(rows) * 0.5,
        rng.standard_normal(rows) * 0.5,
    )
