"""The README's "Library use" snippet: run it from the repository root."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root

import numpy as np
from core.cells import CELLS, get_cell

print(list(CELLS))  # every registered cell: "rnn", "gru", ...
gru = get_cell("gru")  # or get_cell("gru_reset_after"), get_cell("rnn")
rng = np.random.default_rng(0)
params = gru.init(3, 16, rng, dtype="float64")  # input size D=3, hidden size H=16
xs = rng.standard_normal((50, 4, 3))  # (T, B, D)
hs, cache = gru.forward(params, xs, None)  # h0=None means zeros; hs is (T, B, H)
d_hs = np.zeros_like(hs)
d_hs[-1] = hs[-1]  # loss L = 0.5 * ||h_T||^2
grads = gru.backward(params, cache, d_hs)  # grads.params, grads.xs, grads.h0
print(np.linalg.norm(grads.hs, axis=(1, 2)))  # ||dL/dh_t|| for every step t
