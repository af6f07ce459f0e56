"""Gradient flow through time: how much of the last step's loss gradient reaches each earlier
hidden state, ||dL_T / dh_t||, plotted against k = T - t steps back (t = 1..T, hs[t-1]).

The loss sits at the last step only. With the readout in the parameters ("V", "c": a trained
or snapshotted model) L_T is the task's own loss of each sequence at its last step, through the
readout (cross-entropy or squared error, per sequence, not averaged over the batch). Without a
readout (bare cell parameters) L_T = g . h_T for one fixed random unit vector g (the same for
every sequence; seed DIRECTION_SEED), so ||dL_T/dh_T|| = 1. Everything runs in float64.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.analysis.batch_summary import (
    BAND,
    LogBand,
    as_float64,
    log_band,
    one_blas_thread,
    safe_log10,
)
from core.analysis.checkpoints import (
    ANALYSIS_BATCH,
    analysis_batch,
    checkpoint_params,
    require_weights,
)
from core.cells import get_cell
from core.cells.theory import TheoryOverlay
from core.tasks import Batch
from core.train.losses import task_loss
from core.train.model import cell_params
from core.train.results import TrainResult

Params = dict[str, np.ndarray]
DIRECTION_SEED = 0  # seed of the random readout direction used when there is no readout


@dataclass
class GradientFlow:
    """||dL_T/dh_t|| against k = T - t for one model at one set of parameters.

    Column k of `per_sequence_log10` is log10 ||dL_T / dh_{T-k}|| of one sequence (k = 0 is
    the last state, where the loss is applied). `log` summarises it over the batch.
    """

    model: str  # the model's name in its run (its cell's name)
    cell: str  # the registered cell
    step: int  # optimizer step of the parameters (0 = initialisation)
    source: str  # "loss": task loss via the readout | "direction": fixed g
    k: np.ndarray  # (T,) steps back, 0..T-1
    per_sequence_log10: np.ndarray  # (B, T)
    log: LogBand  # batch median / band of per_sequence_log10, each (T,)
    theory: TheoryOverlay | None = None  # predicted decay from the same forward pass
    blocks: dict[str, np.ndarray] = field(default_factory=dict)  # other state blocks (the
    # LSTM's "c"): (B, T) log10 ||dL_T / d block_{T-k}||

    @property
    def median_log10(self) -> np.ndarray:
        return self.log.median

    @property
    def lo_log10(self) -> np.ndarray:
        return self.log.lo

    @property
    def hi_log10(self) -> np.ndarray:
        return self.log.hi

    def relative(self) -> GradientFlow:
        """The same curves divided by each sequence's own norm at k = 0 (log10 0 at k = 0)."""
        start = self.per_sequence_log10[:, :1]  # (B, 1) h at k = 0
        rel = self.per_sequence_log10 - start  # (B, T)
        return GradientFlow(
            self.model,
            self.cell,
            self.step,
            self.source,
            self.k,
            rel,
            log_band(rel, self.log.band),
            self.theory,
            {name: b - start for name, b in self.blocks.items()},
        )

    def block_log(self, name: str) -> LogBand:
        """Batch median and band of a state block's curve (e.g. the LSTM's cell state c)."""
        return log_band(self.blocks[name], self.log.band)

    def to_dict(self) -> dict:
        return {
            "model": self.model,
            "cell": self.cell,
            "step": self.step,
            "source": self.source,
            "k": self.k.tolist(),
            "log10": self.log.to_dict(),
            "theory": self.theory.to_dict() if self.theory else None,
            "blocks": {name: self.block_log(name).to_dict() for name in self.blocks},
        }


def gradient_flow(
    cell_name: str,
    params: Params,
    data: Batch | np.ndarray,
    *,
    model: str = "",
    step: int = 0,
    band: tuple[float, float] = BAND,
    with_theory: bool = True,
) -> GradientFlow:
    """||dL_T/dh_t||_2 per sequence for every t, in float64, from h0 = 0.

    data: a task Batch, or bare inputs xs (T, B, D). dL_T/dh_T = (dl/dy) V^T with the batch's
    task loss l when data is a Batch and params hold the readout ("V", "c"); otherwise g, the
    fixed random unit vector. Then dL_T/dh_{t-1} = J_t^T dL_T/dh_t by the cell's own backward,
    with d_hs zero except at the last step.
    """
    p64 = as_float64(params)
    cell = get_cell(cell_name)
    batch = data if isinstance(data, Batch) else None
    xs64 = np.asarray(batch.xs if batch is not None else data, dtype=np.float64)  # (T, B, D)
    hs, cache = cell.forward(cell_params(p64), xs64, None)  # (T, B, H)
    use_loss = "V" in p64 and batch is not None
    if use_loss:
        d_last = last_step_loss_gradient(p64, hs[-1], batch)  # (B, H)
    else:
        d_last = np.broadcast_to(random_direction(hs.shape[-1]), hs[-1].shape)
    d_hs = np.zeros_like(hs)  # (T, B, H)
    d_hs[-1] = d_last
    grads = cell.backward(cell_params(p64), cache, d_hs)
    per_seq = by_steps_back(grads.hs)  # (B, T) by k
    blocks = {name: by_steps_back(g) for name, g in grads.blocks.items()}
    theory = cell.theory_overlay(cell_params(p64), cache) if with_theory else None
    return GradientFlow(
        model=model or cell_name,
        cell=cell_name,
        step=step,
        source="loss" if use_loss else "direction",
        k=np.arange(per_seq.shape[1]),
        per_sequence_log10=per_seq,
        log=log_band(per_seq, band),
        theory=theory,
        blocks=blocks,
    )


def by_steps_back(d_states: np.ndarray) -> np.ndarray:
    """log10 ||dL/ds_t|| per sequence, ordered by k = T - t.  (T, B, H) -> (B, T)"""
    norms = np.linalg.norm(d_states, axis=-1)  # (T, B) by t
    return safe_log10(norms).T[:, ::-1].copy()


def last_step_loss_gradient(params: Params, h_last: np.ndarray, batch: Batch) -> np.ndarray:
    """dl_b/dh_T for each sequence b, l_b its task loss at the last step. h_last: (B, H) -> (B, H)

    y = h_T V + c;  dl/dh_T = (dl/dy) V^T  (the batch mean's gradient times B: per sequence).
    """
    if int(batch.steps[-1]) != batch.xs.shape[0] - 1:
        raise ValueError("the task's last answer step is not the sequence's last step")
    y = h_last @ params["V"] + params["c"]  # (B, C)
    loss = task_loss(batch.kind, y[None], batch.targets[-1:])  # one answer step
    return (loss.d_outputs[0] * h_last.shape[0]) @ params["V"].T  # (B, H)


def random_direction(H: int, seed: int = DIRECTION_SEED) -> np.ndarray:
    """A fixed unit vector g in R^H (the stand-in loss gradient L_T = g . h_T). -> (H,)"""
    g = np.random.default_rng(seed).standard_normal(H)
    return g / np.linalg.norm(g)


def gradient_flow_for_run(
    result: TrainResult,
    checkpoint: int = -1,
    batch_size: int = ANALYSIS_BATCH,
    band: tuple[float, float] = BAND,
) -> dict[str, GradientFlow]:
    """GradientFlow of every model of a run at snapshot index `checkpoint`, on the run's fixed
    analysis batch. Deterministic: cache it keyed on (run id, checkpoint).

    BLAS runs on one thread: these are small matrices, and on a busy 2-core machine threaded
    BLAS is several times slower.
    """
    require_weights(result)
    batch = analysis_batch(result, batch_size)
    flows = {}
    with one_blas_thread():
        for model in result.models:
            step, params = checkpoint_params(result, model, checkpoint)
            flows[model] = gradient_flow(model, params, batch, model=model, step=step, band=band)
    return flows


def median_grid(flows: list[GradientFlow]) -> tuple[np.ndarray, np.ndarray]:
    """Median log10 curves of one model over checkpoints, for a (checkpoint x k) heatmap.
    -> steps (C,), grid (C, T) with grid[i, k] = flows[i].median_log10[k]"""
    steps = np.array([f.step for f in flows])
    return steps, np.stack([f.median_log10 for f in flows])
