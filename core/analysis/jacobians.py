"""Per-step Jacobians J_t = dh_t / dh_{t-1} of a recurrent cell, their spectral norms and the
running product of those norms (in log10, so long products neither underflow nor overflow).

Convention: J_t[i, j] = d h_t[i] / d h_{t-1}[j] (the usual column-vector Jacobian). In our
row-vector code a tangent v (a change of h_{t-1}) maps to J_t v, and a gradient g = dL/dh_t
flows back as dL/dh_{t-1} = J_t^T g. The spectral norm is the same for J and J^T.

Each cell states its own J_t (Cell.jacobian_factors) and how to apply it and its transpose
(Cell.jacobian_matvec / jacobian_rmatvec); e.g. the tanh RNN's is diag(1 - h_t^2) U^T. The state
is the cell's full state (h, or [h | c] for the LSTM), of size S.

Every J_t is kept implicit (per-step factors of shape (T, B, H)): products J v and J^T w cost
O(H^2) per sequence and step, so spectral norms come from batched Lanczos (or power)
iterations instead of T x B dense SVDs. `dense()` builds the explicit matrices (small models,
tests).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.analysis.batch_summary import (
    LogBand,
    float64_cell_params,
    log_band,
    one_blas_thread,
    safe_log10,
)
from core.analysis.checkpoints import (
    analysis_batch,
    checkpoint_params,
    require_weights,
)
from core.cells import Cell, get_cell
from core.train.results import TrainResult

Params = dict[str, np.ndarray]
JACOBIAN_SEQUENCES = 16  # of the ANALYSIS_BATCH sequences, how many Jacobian norms use


@dataclass
class StepJacobians:
    """The T x B Jacobians J_t of one forward pass, as per-step factors (each (T, B, .))."""

    cell: Cell  # the cell whose matvec hooks apply the factors
    mats: dict[str, np.ndarray]  # recurrent blocks used, each (H, H)
    f: dict[str, np.ndarray]  # per-step factors, each (T, B, .)
    size: int  # S, the state size

    @property
    def shape(self) -> tuple[int, int, int]:
        """(T, B, S)"""
        T, B = next(iter(self.f.values())).shape[:2]
        return T, B, self.size

    def _flat(self) -> dict[str, np.ndarray]:
        T, B, _ = self.shape
        return {k: a.reshape(T * B, *a.shape[2:]) for k, a in self.f.items()}

    def matvec(self, v: np.ndarray) -> np.ndarray:
        """J_t v_t for every step and sequence. v: (T, B, S) -> (T, B, S)."""
        T, B, S = self.shape
        return self.cell.jacobian_matvec(self._flat(), self.mats, v.reshape(T * B, S)).reshape(
            T, B, S
        )

    def rmatvec(self, w: np.ndarray) -> np.ndarray:
        """J_t^T w_t for every step and sequence (a gradient flowing one step back).
        w: (T, B, S) -> (T, B, S)."""
        T, B, S = self.shape
        return self.cell.jacobian_rmatvec(self._flat(), self.mats, w.reshape(T * B, S)).reshape(
            T, B, S
        )

    def dense(self) -> np.ndarray:
        """Explicit J_t, column j = J_t e_j. -> (T, B, S, S). O(T B S^3): small models only."""
        T, B, S = self.shape
        J = np.empty((T, B, S, S))
        for j in range(S):
            e = np.zeros((T, B, S))
            e[..., j] = 1.0
            J[..., j] = self.matvec(e)
        return J


def step_jacobians(cell_name: str, params: Params, cache) -> StepJacobians:
    """Per-step Jacobian factors from a cell's forward cache (the cell says which). Use float64
    parameters and cache for analysis."""
    cell = get_cell(cell_name)
    factors, mats = cell.jacobian_factors(params, cache)
    H = cache.hs.shape[-1]
    return StepJacobians(cell, mats, factors, cell.state_size(H))


def spectral_norms(
    jac: StepJacobians,
    *,
    method: str = "lanczos",
    iters: int = 24,
    tol: float = 1e-6,
    seed: int = 0,
) -> np.ndarray:
    """sigma_max(J_t) for every step and sequence. -> (T, B)

    "lanczos" (default): `iters` Lanczos steps on J^T J with full reorthogonalisation, all
    T x B matrices at once; sigma = sqrt(largest Ritz value), exact once iters >= H and
    otherwise a lower bound that converges much faster than power iteration when the top
    singular values cluster. "power": power iteration on J^T J until every estimate changes
    by less than `tol` (relative) or after `iters` rounds. "exact": SVD of the dense matrices
    (small H only).
    """
    if method == "exact":
        return np.linalg.svd(jac.dense(), compute_uv=False)[..., 0]
    start = np.random.default_rng(seed).standard_normal(jac.shape)  # (T, B, H)
    start /= np.linalg.norm(start, axis=-1, keepdims=True)
    if method == "lanczos":
        return _lanczos_sigma_max(jac, start, min(iters, jac.shape[-1]))
    if method != "power":
        raise ValueError(f"unknown method {method!r}; expected lanczos, power or exact")
    return _power_sigma_max(jac, start, iters, tol)


def _lanczos_sigma_max(jac: StepJacobians, q: np.ndarray, steps: int) -> np.ndarray:
    """Batched Lanczos on A = J^T J from unit start vectors q (T, B, H). -> (T, B)"""
    T, B, H = jac.shape
    basis = np.zeros((steps, T, B, H))  # (m, T, B, H)
    alpha = np.zeros((T, B, steps))  # diagonal of T_m
    beta = np.zeros((T, B, steps))  # off-diagonal
    basis[0] = q
    for j in range(steps):
        w = jac.rmatvec(jac.matvec(basis[j]))  # (T, B, H) A q_j
        alpha[..., j] = np.sum(w * basis[j], axis=-1)
        for _ in range(2):  # reorthogonalise twice
            coef = np.einsum("jtbh,tbh->jtb", basis[: j + 1], w)  # (j+1, T, B)
            w -= np.einsum("jtb,jtbh->tbh", coef, basis[: j + 1])
        if j + 1 == steps:
            break
        size = np.linalg.norm(w, axis=-1)  # (T, B)
        live = size > 1e-12 * np.maximum(np.abs(alpha[..., j]), 1e-300)  # breakdown -> 0
        beta[..., j] = np.where(live, size, 0.0)
        basis[j + 1] = np.divide(w, size[..., None], out=np.zeros_like(w), where=live[..., None])
    tri = np.zeros((T, B, steps, steps))  # (T, B, m, m)
    idx = np.arange(steps)
    tri[..., idx, idx] = alpha
    tri[..., idx[:-1], idx[1:]] = beta[..., :-1]
    tri[..., idx[1:], idx[:-1]] = beta[..., :-1]
    top = np.linalg.eigvalsh(tri)[..., -1]  # (T, B)
    return np.sqrt(np.maximum(top, 0.0))


def _power_sigma_max(jac: StepJacobians, v: np.ndarray, iters: int, tol: float) -> np.ndarray:
    """Power iteration on J^T J from unit vectors v (T, B, H); ||J v|| from below. -> (T, B)"""
    sigma = np.zeros(jac.shape[:2])  # (T, B)
    for _ in range(iters):
        w = jac.matvec(v)  # (T, B, H)
        new = np.linalg.norm(w, axis=-1)  # (T, B) ||J v||
        v = jac.rmatvec(w)  # (T, B, H) J^T J v
        size = np.linalg.norm(v, axis=-1, keepdims=True)
        v = np.divide(v, size, out=np.zeros_like(v), where=size > 0)
        done = np.all(np.abs(new - sigma) <= tol * np.maximum(new, 1e-300))
        sigma = new
        if done:
            break
    return sigma


@dataclass
class JacobianNorms:
    """Per-step Jacobian norms and their running product against k steps back.

    Column k of `norm_log10` is log10 ||J_t|| for t = T - k (t = 1..T, so k = 0 is the last
    step's Jacobian dh_T/dh_{T-1}). Column k of `running_log10` is
    sum_{j<k} norm_log10[:, j] = log10 prod_{s=T-k+1}^{T} ||J_s||, an upper bound on
    ||dh_T / dh_{T-k}|| (column 0 is 0: no step taken), so it lines up with GradientFlow.k.
    """

    model: str  # the model (a registered cell name)
    step: int  # optimizer step of the parameters
    k: np.ndarray  # (T,) 0..T-1
    norm_log10: np.ndarray  # (B, T) per sequence
    running_log10: np.ndarray  # (B, T) per sequence
    norm: LogBand  # batch median and band of norm_log10
    running: LogBand  # batch median and band of running_log10

    def to_dict(self) -> dict:
        return {
            "model": self.model,
            "step": self.step,
            "k": self.k.tolist(),
            "norm": self.norm.to_dict(),
            "running": self.running.to_dict(),
        }


def jacobian_norms(
    cell_name: str,
    params: Params,
    xs: np.ndarray,
    h0: np.ndarray | None = None,
    *,
    model: str = "",
    step: int = 0,
    method: str = "lanczos",
    iters: int = 24,
    tol: float = 1e-6,
) -> JacobianNorms:
    """||dh_t/dh_{t-1}||_2 for every step of every sequence, in float64. xs: (T, B, D)."""
    p64 = float64_cell_params(params)
    _, cache = get_cell(cell_name).forward(p64, np.asarray(xs, dtype=np.float64), h0)
    sigma = spectral_norms(
        step_jacobians(cell_name, p64, cache), method=method, iters=iters, tol=tol
    )  # (T, B)
    norm_log10 = safe_log10(sigma).T[:, ::-1]  # (B, T)
    running = np.zeros_like(norm_log10)  # (B, T)
    running[:, 1:] = np.cumsum(norm_log10[:, :-1], axis=1)
    return JacobianNorms(
        model=model or cell_name,
        step=step,
        k=np.arange(norm_log10.shape[1]),
        norm_log10=norm_log10,
        running_log10=running,
        norm=log_band(norm_log10),
        running=log_band(running),
    )


def jacobian_norms_for_run(
    result: TrainResult, checkpoint: int = -1, sequences: int = JACOBIAN_SEQUENCES, iters: int = 16
) -> dict[str, JacobianNorms]:
    """JacobianNorms of every model at snapshot index `checkpoint`, on the first `sequences`
    sequences of the run's analysis batch (the same batch as gradient_flow_for_run). Costlier
    than the gradient flow (about 2 x iters products per step): compute it on demand, cached
    per (run id, checkpoint). BLAS on one thread, as in gradient_flow_for_run.

    Lanczos norms are exact when iters >= H and otherwise slightly low (bench/gradient_flow.py
    reports the error against dense SVD: about 0.4 % at H = 128 with 16 iterations).
    """
    require_weights(result)
    xs = analysis_batch(result).xs[:, :sequences]  # (T, S, D)
    out = {}
    with one_blas_thread():
        for model in result.models:
            step, params = checkpoint_params(result, model, checkpoint)
            out[model] = jacobian_norms(model, params, xs, model=model, step=step, iters=iters)
    return out
