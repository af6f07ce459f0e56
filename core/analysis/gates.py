"""Gate traces of one example sequence and per-unit gate statistics.

Each cell names its gates (Cell.gates, Cell.gate_values): for a GRU u_t (update: how much is
written) and r_t (reset: what of h_{t-1} the candidate reads), plus the candidate and the carry
1 - u_t; PyTorch's update gate is z = 1 - u. For the tanh RNN only h_t exists.

    tau_j        = 1 / mean_t (1 - carry_t[j])   memory time constant in steps (GRU: 1 / mean u)
    low / high   = share of steps with gate < 0.1 / > 0.9   (saturation), per unit and overall
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.analysis.batch_summary import float64_cell_params
from core.analysis.checkpoints import (
    analysis_batch,
    checkpoint_params,
    require_weights,
)
from core.cells import get_cell
from core.tasks import get_spec
from core.train.results import TrainResult

Params = dict[str, np.ndarray]
LOW, HIGH = 0.1, 0.9  # saturation thresholds


@dataclass
class Saturation:
    """How often a gate sits near 0 or near 1."""

    low: np.ndarray  # (H,) share of steps with gate < LOW
    high: np.ndarray  # (H,) share of steps with gate > HIGH
    low_all: float  # share of all (step, unit) entries < LOW
    high_all: float  # share of all (step, unit) entries > HIGH

    def to_dict(self) -> dict:
        return {
            "low": self.low.tolist(),
            "high": self.high.tolist(),
            "low_all": self.low_all,
            "high_all": self.high_all,
        }


@dataclass
class MemoryStats:
    """How long a trace's units remember, in steps."""

    median_tau: float  # median over units of tau (may be inf)
    longest_finite_tau: float | None  # the longest finite tau; None when every unit is inf


@dataclass
class GateTrace:
    """Everything the gates page draws for one sequence, with the cell's gates by key (none
    for the tanh RNN)."""

    cell: str  # the registered cell
    index: int  # which sequence of the batch
    tokens: list[str]  # (T,) input labels for the time axis
    h: np.ndarray  # (T, H) hidden states
    gates: dict[str, np.ndarray] = field(default_factory=dict)  # key -> (T, H), Cell.gates
    candidate: np.ndarray | None = None  # (T, H) proposed new content (GRU c_t / n_t)
    carry: np.ndarray | None = None  # (T, H) share of h_{t-1} kept per step (GRU 1 - u)

    @property
    def u(self) -> np.ndarray | None:
        """The update gate (ours: 1 = write the candidate), when the cell has one. (T, H)"""
        return self.gates.get("u")

    @property
    def r(self) -> np.ndarray | None:
        """The reset gate, when the cell has one. (T, H)"""
        return self.gates.get("r")

    @property
    def c(self) -> np.ndarray | None:
        return self.candidate

    @property
    def z(self) -> np.ndarray | None:
        """PyTorch's update gate z = 1 - u (1 = keep the old state). (T, H)"""
        return None if self.u is None else 1.0 - self.u

    @property
    def tau(self) -> np.ndarray | None:
        """Per-unit memory time constant 1 / mean_t (1 - carry_t), in steps; None without a
        carry path. (H,)"""
        return None if self.carry is None else memory_time_constant(1.0 - self.carry)

    @property
    def memory(self) -> MemoryStats | None:
        """Median and longest finite tau over the units; None without a carry path."""
        tau = self.tau
        if tau is None:
            return None
        finite = tau[np.isfinite(tau)]
        return MemoryStats(
            median_tau=float(np.median(tau)),
            longest_finite_tau=float(finite.max()) if finite.size else None,
        )

    @property
    def saturation(self) -> dict[str, Saturation]:
        """Saturation of every gate, by key ({} for the RNN)."""
        return {key: saturation(g) for key, g in self.gates.items()}

    def to_dict(self) -> dict:
        def rows(a):
            return None if a is None else a.tolist()

        return {
            "cell": self.cell,
            "index": self.index,
            "tokens": self.tokens,
            "h": rows(self.h),
            "gates": {k: rows(g) for k, g in self.gates.items()},
            "candidate": rows(self.candidate),
            "carry": rows(self.carry),
            "tau": rows(self.tau),
            "saturation": {g: s.to_dict() for g, s in self.saturation.items()},
        }

    def unit_order(self) -> np.ndarray:
        """Unit indices sorted by tau, longest memory first (identity order without a carry
        path). (H,)"""
        if self.tau is None:
            return np.arange(self.h.shape[1])
        return np.argsort(-self.tau, kind="stable")


def memory_time_constant(u: np.ndarray) -> np.ndarray:
    """tau_j = 1 / mean_t u[t, j]  (inf where the gate never opens). u: (T, H) -> (H,)"""
    mean = np.asarray(u, dtype=np.float64).mean(axis=0)  # (H,)
    with np.errstate(divide="ignore"):
        return 1.0 / mean


def saturation(gate: np.ndarray, low: float = LOW, high: float = HIGH) -> Saturation:
    """Shares of steps with gate < low and > high. gate: (T, H)."""
    g = np.asarray(gate)
    return Saturation(
        low=(g < low).mean(axis=0),
        high=(g > high).mean(axis=0),
        low_all=float((g < low).mean()),
        high_all=float((g > high).mean()),
    )


def gate_trace(
    cell_name: str, params: Params, xs: np.ndarray, index: int = 0, tokens: list[str] | None = None
) -> GateTrace:
    """Run sequence `index` of xs (T, B, D) through the cell in float64 from h0 = 0."""
    B = xs.shape[1]
    if not -B <= index < B:
        raise ValueError(f"example {index} out of range: the batch has {B} sequences")
    index %= B
    seq = np.asarray(xs[:, index : index + 1], dtype=np.float64)  # (T, 1, D)
    cell = get_cell(cell_name)
    hs, cache = cell.forward(float64_cell_params(params), seq, None)
    labels = tokens if tokens is not None else [str(t) for t in range(len(seq))]
    if len(labels) != len(seq):
        raise ValueError(f"{len(labels)} tokens for a sequence of {len(seq)} steps")
    gates = {k: g[:, 0].copy() for k, g in cell.gate_values(cache).items()}
    candidate = None if cell.candidate is None else cell.candidate(cache)[:, 0].copy()
    carry = None if cell.carry is None else cell.carry(cache)[:, 0].copy()
    return GateTrace(cell_name, index, list(labels), hs[:, 0], gates, candidate, carry)


def token_labels(task: str, xs_seq: np.ndarray) -> list[str]:
    """Readable input labels of one sequence of the task. xs_seq: (T, D)."""
    return get_spec(task).token_labels(xs_seq)


def gate_trace_for_run(
    result: TrainResult, model: str = "gru", checkpoint: int = -1, index: int = 0
) -> GateTrace:
    """GateTrace of sequence `index` of the run's analysis batch (the gradient-flow batch),
    labelled with the task's input tokens, at snapshot index `checkpoint`."""
    require_weights(result)
    batch = analysis_batch(result)
    B = batch.xs.shape[1]
    if not -B <= index < B:
        raise ValueError(f"example {index} out of range: choose 0..{B - 1}")
    _, params = checkpoint_params(result, model, checkpoint)
    tokens = token_labels(result.config.task, batch.xs[:, index])
    return gate_trace(model, params, batch.xs, index, tokens)
