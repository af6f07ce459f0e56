"""Gate traces of one example sequence and per-unit gate statistics.

For a GRU: u_t (update: how much is written), r_t (reset: what of h_{t-1} the candidate reads),
the candidate c_t (n_t for reset_after) and h_t, each (T, H). PyTorch's update gate is
z = 1 - u. For a vanilla RNN only h_t exists.

    tau_j        = 1 / mean_t u_t[j]     per-unit memory time constant in steps (inf if u = 0)
    low / high   = share of steps with gate < 0.1 / > 0.9   (saturation), per unit and overall
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.analysis.batch_summary import analysis_cell, float64_cell_params
from core.analysis.checkpoints import (
    analysis_batch,
    cell_name_of,
    checkpoint_params,
    require_weights,
)
from core.train.results import TrainResult

Params = dict[str, np.ndarray]
LOW, HIGH = 0.1, 0.9          # saturation thresholds


@dataclass
class Saturation:
    """How often a gate sits near 0 or near 1."""

    low: np.ndarray           # (H,) share of steps with gate < LOW
    high: np.ndarray          # (H,) share of steps with gate > HIGH
    low_all: float            # share of all (step, unit) entries < LOW
    high_all: float           # share of all (step, unit) entries > HIGH

    def to_dict(self) -> dict:
        return {"low": self.low.tolist(), "high": self.high.tolist(),
                "low_all": self.low_all, "high_all": self.high_all}


@dataclass
class GateTrace:
    """Everything the gates page draws for one sequence; gate fields are None for the RNN."""

    cell: str                      # rnn | gru | gru_reset_after
    index: int                     # which sequence of the batch
    tokens: list[str]              # (T,) input labels for the time axis
    h: np.ndarray                  # (T, H) hidden states
    u: np.ndarray | None = None    # (T, H) update gate (ours: 1 = write the candidate)
    r: np.ndarray | None = None    # (T, H) reset gate
    c: np.ndarray | None = None    # (T, H) candidate c_t (reset_after: n_t)

    @property
    def z(self) -> np.ndarray | None:
        """PyTorch's update gate z = 1 - u (1 = keep the old state). (T, H)"""
        return None if self.u is None else 1.0 - self.u

    @property
    def tau(self) -> np.ndarray | None:
        """Per-unit memory time constant 1 / mean_t u. (H,)"""
        return None if self.u is None else memory_time_constant(self.u)

    @property
    def saturation(self) -> dict[str, Saturation]:
        """{"u": ..., "r": ...} for GRUs, {} for the RNN."""
        if self.u is None:
            return {}
        return {"u": saturation(self.u), "r": saturation(self.r)}

    def to_dict(self) -> dict:
        def rows(a):
            return None if a is None else a.tolist()
        return {"cell": self.cell, "index": self.index, "tokens": self.tokens,
                "h": rows(self.h), "u": rows(self.u), "r": rows(self.r), "c": rows(self.c),
                "tau": rows(self.tau),
                "saturation": {g: s.to_dict() for g, s in self.saturation.items()}}

    def unit_order(self) -> np.ndarray:
        """Unit indices sorted by tau, longest memory first (identity order for the RNN). (H,)"""
        if self.u is None:
            return np.arange(self.h.shape[1])
        return np.argsort(-self.tau, kind="stable")


def memory_time_constant(u: np.ndarray) -> np.ndarray:
    """tau_j = 1 / mean_t u[t, j]  (inf where the gate never opens). u: (T, H) -> (H,)"""
    mean = np.asarray(u, dtype=np.float64).mean(axis=0)                   # (H,)
    with np.errstate(divide="ignore"):
        return 1.0 / mean


def saturation(gate: np.ndarray, low: float = LOW, high: float = HIGH) -> Saturation:
    """Shares of steps with gate < low and > high. gate: (T, H)."""
    g = np.asarray(gate)
    return Saturation(low=(g < low).mean(axis=0), high=(g > high).mean(axis=0),
                      low_all=float((g < low).mean()), high_all=float((g > high).mean()))


def gate_trace(cell_name: str, params: Params, xs: np.ndarray, index: int = 0,
               tokens: list[str] | None = None) -> GateTrace:
    """Run sequence `index` of xs (T, B, D) through the cell in float64 from h0 = 0."""
    B = xs.shape[1]
    if not -B <= index < B:
        raise ValueError(f"example {index} out of range: the batch has {B} sequences")
    index %= B
    seq = np.asarray(xs[:, index:index + 1], dtype=np.float64)             # (T, 1, D)
    hs, cache = analysis_cell(cell_name).forward(float64_cell_params(params), seq, None)
    labels = tokens if tokens is not None else [str(t) for t in range(len(seq))]
    if len(labels) != len(seq):
        raise ValueError(f"{len(labels)} tokens for a sequence of {len(seq)} steps")
    if cell_name == "rnn":
        return GateTrace(cell_name, index, list(labels), hs[:, 0])
    return GateTrace(cell_name, index, list(labels), hs[:, 0], u=cache.u[:, 0].copy(),
                     r=cache.r[:, 0].copy(), c=cache.c[:, 0].copy())


TOKEN_NAMES = {
    "recall": None,                                        # symbol ids 0..K-1
    "copy": ["_"] + [str(i) for i in range(1, 9)] + [":"],  # blank, 1..8, delimiter
    "order": ["a", "b", "c", "d", "X", "Y", "B", "E"],
}


def token_labels(task: str, xs_seq: np.ndarray) -> list[str]:
    """Readable input labels of one sequence. xs_seq: (T, D) one-hot, or adding's (value, mark);
    adding shows the value, starred at the two marked steps."""
    x = np.asarray(xs_seq)
    if task == "adding":
        return [f"{v:.2f}*" if m > 0.5 else f"{v:.2f}" for v, m in x]
    ids = x.argmax(axis=1)
    names = TOKEN_NAMES.get(task)
    return [names[i] if names else str(i) for i in ids]


def gate_trace_for_run(result: TrainResult, model: str = "gru", checkpoint: int = -1,
                       index: int = 0) -> GateTrace:
    """GateTrace of sequence `index` of the run's analysis batch (the gradient-flow batch),
    labelled with the task's input tokens, at snapshot index `checkpoint`."""
    require_weights(result)
    batch = analysis_batch(result)
    B = batch.xs.shape[1]
    if not -B <= index < B:
        raise ValueError(f"example {index} out of range: choose 0..{B - 1}")
    _, params = checkpoint_params(result, model, checkpoint)
    tokens = token_labels(result.config.task, batch.xs[:, index])
    return gate_trace(cell_name_of(result, model), params, batch.xs, index, tokens)
