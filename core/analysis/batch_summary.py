"""Shared by the analysis modules: float64 casting and batch summaries of per-sequence curves
in log space (median and a percentile band)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from core.train.model import cell_params

Params = dict[str, np.ndarray]
BAND = (10.0, 90.0)  # default percentile band drawn around the median


def as_float64(params: Params) -> Params:
    """Copies of every parameter (readout included) in float64, so tiny norms survive."""
    return {k: np.array(v, dtype=np.float64) for k, v in params.items()}


def float64_cell_params(params: Params) -> Params:
    """The cell's own parameters (readout "V", "c" dropped), in float64."""
    return as_float64(cell_params(params))


@dataclass
class LogBand:
    """Batch summary of per-sequence log10 curves: median and a percentile band, per column."""

    median: np.ndarray  # (T,) median over sequences
    lo: np.ndarray  # (T,) lower percentile (band[0])
    hi: np.ndarray  # (T,) upper percentile (band[1])
    band: tuple[float, float]  # percentiles of lo and hi

    def to_dict(self) -> dict:
        return {
            "median": self.median.tolist(),
            "lo": self.lo.tolist(),
            "hi": self.hi.tolist(),
            "band": list(self.band),
        }


def log_band(per_sequence: np.ndarray, band: tuple[float, float] = BAND) -> LogBand:
    """Median and percentile band over axis 0. per_sequence: (B, T) -> LogBand of (T,)."""
    lo, med, hi = np.percentile(per_sequence, [band[0], 50.0, band[1]], axis=0)
    return LogBand(median=med, lo=lo, hi=hi, band=(float(band[0]), float(band[1])))


def safe_log10(x: np.ndarray) -> np.ndarray:
    """log10 x, with exact zeros mapped to log10 of the smallest normal float64 (about -308)."""
    return np.log10(np.maximum(x, np.finfo(np.float64).tiny))


def one_blas_thread():
    """Context manager: BLAS on one thread. The analysis multiplies small matrices, and on a busy
    2-core machine threaded BLAS runs several times slower than one thread."""
    return threadpool_limits(limits=1, user_api="blas")
