"""Time the gradient-flow analysis of one checkpoint: the RNN and a gated cell, float64.

    python bench/gradient_flow.py                 # the issue's target: B=64, T=200, H=128
    python bench/gradient_flow.py --grid          # a small grid of T and H

Target: gradient-flow curves for both models at one checkpoint <= 0.5 s (B=64, T<=200, H<=128).
Also times, separately, the per-step Jacobian spectral norms (power iteration) and the spectra,
which the page computes on demand and not for the main chart.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.analysis.batch_summary import float64_cell_params, one_blas_thread  # noqa: E402
from core.analysis.checkpoints import analysis_batch  # noqa: E402
from core.analysis.gradients import gradient_flow_for_run  # noqa: E402
from core.analysis.jacobians import (  # noqa: E402
    JACOBIAN_SEQUENCES,
    StepJacobians,
    jacobian_norms_for_run,
    spectral_norms,
    step_jacobians,
)
from core.analysis.spectrum import spectra_over_snapshots  # noqa: E402
from core.cells import get_cell  # noqa: E402
from core.tasks import task_for  # noqa: E402
from core.train.config import RunConfig  # noqa: E402
from core.train.model import init_model  # noqa: E402
from core.train.results import History, ModelResult, Snapshot, TrainResult  # noqa: E402


def fake_run(T: int, H: int, gated: str = "gru") -> TrainResult:
    """A run holding freshly initialised float32 models (rnn and `gated`) as its only checkpoint."""
    cfg = RunConfig(length=T, hidden=H, models=("rnn", gated))
    task = task_for(cfg)
    models = {}
    for i, name in enumerate(cfg.models):
        params = init_model(
            get_cell(name),
            task.input_size,
            H,
            task.output_size,
            np.random.default_rng(i),
            options=cfg.init_option_values(),
        )
        empty = History(*(np.zeros(0) for _ in range(7)))
        models[name] = ModelResult(name, empty, params, [Snapshot(0, params)])
    return TrainResult(config=cfg, models=models, baseline=task.baseline)


def best_of(fn, repeats: int) -> tuple[float, float]:
    """(best wall seconds, CPU seconds of that call) over `repeats` calls. CPU time is what the
    call costs on an idle machine; wall time also counts waiting for a busy CPU."""
    best = (float("inf"), float("inf"))
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        best = min(best, (time.perf_counter() - wall, time.process_time() - cpu))
    return best


def lanczos_error(run: TrainResult, iters: int) -> float:
    """Max relative error of the Lanczos norms against dense SVD on the last 2 steps."""
    xs = analysis_batch(run).xs[:, :JACOBIAN_SEQUENCES]
    worst = 0.0
    with one_blas_thread():
        for m in run.models:
            p = float64_cell_params(run.models[m].params)
            _, cache = get_cell(m).forward(p, xs, None)
            jac = step_jacobians(m, p, cache)
            tail = StepJacobians(
                jac.cell, jac.mats, {k: v[-2:] for k, v in jac.f.items()}, jac.size
            )
            exact = spectral_norms(tail, method="exact")
            approx = spectral_norms(tail, iters=iters)
            worst = max(worst, float(np.max(np.abs(approx - exact) / exact)))
    return worst


def measure(T: int, H: int, B: int, gated: str, repeats: int) -> None:
    run = fake_run(T, H, gated)
    flow_s, flow_cpu = best_of(lambda: gradient_flow_for_run(run, 0, batch_size=B), repeats)
    jac_s, _ = best_of(lambda: jacobian_norms_for_run(run, 0), 1)
    err = lanczos_error(run, 16)
    spec_s, _ = best_of(
        lambda: [spectra_over_snapshots(m, run.models[m]) for m in run.models], repeats
    )
    ok = "ok" if flow_s <= 0.5 else "OVER 0.5 s"
    print(
        f"B={B:3d} T={T:4d} H={H:4d} rnn+{gated:15s} | gradient flow, both models: "
        f"{flow_s * 1000:5.0f} ms wall, {flow_cpu * 1000:5.0f} ms CPU ({ok}) | "
        f"Jacobian norms, {JACOBIAN_SEQUENCES} sequences: {jac_s * 1000:5.0f} ms "
        f"(max rel. error {err:.1e}) | spectra {spec_s * 1000:3.0f} ms"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--grid", action="store_true", help="several T and H instead of one point")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    print(
        f"numpy {np.__version__}, BLAS on 1 thread, load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs (other processes distort every figure)"
    )
    points = [(T, H) for T in (50, 100, 200) for H in (32, 64, 128)] if args.grid else [(200, 128)]
    for T, H in points:
        measure(T, H, args.batch, "gru", args.repeats)
    if not args.grid:
        for gated in ("gru_reset_after", "lstm"):
            measure(200, 128, args.batch, gated, args.repeats)


if __name__ == "__main__":
    main()
