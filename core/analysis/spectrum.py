"""Eigenvalues and singular values of the recurrent matrices.

Blocks: each cell names its own (Cell.recurrent_blocks), e.g. U for the tanh RNN and U_u, U_r,
U_c for the GRU (row-vector convention, h U).
rho = max |eigenvalue| (the spectral radius), sigma_max = the largest singular value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.analysis.batch_summary import one_blas_thread
from core.analysis.checkpoints import checkpoint_params, require_weights
from core.cells import get_cell
from core.train.results import ModelResult, TrainResult

Params = dict[str, np.ndarray]


@dataclass
class Spectrum:
    """Spectrum of one square matrix."""

    eigenvalues: np.ndarray  # (H,) complex, sorted by decreasing modulus
    singular_values: np.ndarray  # (H,) descending
    rho: float  # spectral radius max |lambda|
    sigma_max: float  # largest singular value = ||U||_2

    def to_dict(self) -> dict:
        return {
            "eigenvalues_re": self.eigenvalues.real.tolist(),
            "eigenvalues_im": self.eigenvalues.imag.tolist(),
            "singular_values": self.singular_values.tolist(),
            "rho": self.rho,
            "sigma_max": self.sigma_max,
        }


def spectrum(U: np.ndarray) -> Spectrum:
    """Eigenvalues and singular values of U (H, H), in float64."""
    U = np.asarray(U, dtype=np.float64)
    eig = np.linalg.eigvals(U)  # (H,) complex
    eig = eig[np.argsort(-np.abs(eig), kind="stable")]
    sv = np.linalg.svd(U, compute_uv=False)  # (H,) descending
    return Spectrum(
        eigenvalues=eig, singular_values=sv, rho=float(np.abs(eig).max()), sigma_max=float(sv[0])
    )


def recurrent_blocks(cell_name: str, params: Params) -> dict[str, np.ndarray]:
    """The H x H recurrent blocks of a cell, as the cell names them (Cell.recurrent_blocks)."""
    return get_cell(cell_name).recurrent_blocks(params)


def recurrent_spectra(cell_name: str, params: Params) -> dict[str, Spectrum]:
    """Spectrum of every recurrent block: {"U": ...} or {"U_u": ..., "U_r": ..., "U_c"/"U_n"}."""
    return {name: spectrum(U) for name, U in recurrent_blocks(cell_name, params).items()}


def spectra_over_snapshots(
    cell_name: str, model: ModelResult
) -> list[tuple[int, dict[str, Spectrum]]]:
    """(step, recurrent_spectra) at every snapshot of a model; without snapshots, one entry
    (-1, spectra of the final parameters)."""
    with one_blas_thread():
        if not model.snapshots:
            return [(-1, recurrent_spectra(cell_name, model.params))]
        return [(s.step, recurrent_spectra(cell_name, s.params)) for s in model.snapshots]


def spectra_for_run(result: TrainResult, checkpoint: int = -1) -> dict[str, dict[str, Spectrum]]:
    """recurrent_spectra of every model of a run at snapshot index `checkpoint`:
    {model: {block: Spectrum}}. Needs the run's weights (not only its JSON)."""
    require_weights(result)
    with one_blas_thread():
        return {
            m: recurrent_spectra(m, checkpoint_params(result, m, checkpoint)[1])
            for m in result.models
        }
