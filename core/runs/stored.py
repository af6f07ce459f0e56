"""Training runs in the run store: a TrainResult in (run JSON, weights .npz, metrics), and back
out through the bounded run-file reader."""

from __future__ import annotations

import math

from core.runs.run_files import RunFileError, run_from_bytes, run_to_bytes
from core.store.records import StoredRun, StoreError
from core.store.run_store import RunStore
from core.train.config import RunConfig
from core.train.results import TrainResult
from core.train.success import steps_to_success, succeeded

KINDS = ("train", "cli", "sweep", "import", "default")  # records that hold a training run


def save_run(
    store: RunStore,
    run: TrainResult,
    *,
    name: str | None = None,
    kind: str = "train",
    tags: tuple[str, ...] = (),
    sweep: str | None = None,
) -> str:
    """Store a trained run (histories, metrics, weights); returns its id. A run stopped by a
    non-finite loss is a finished run: its reason is kept."""
    doc, npz = run_to_bytes(run)
    cfg = run.config
    return store.save(
        kind=kind,
        name=name or default_name(cfg),
        config=cfg.to_dict(),
        task=cfg.task,
        models=list(cfg.models),
        metrics=run_metrics(run),
        seconds=sum(m.seconds for m in run.models.values()),
        doc=doc,
        npz=npz,
        reason=run.stopped,
        tags=tags,
        sweep=sweep,
    )


def save_failure(
    store: RunStore, cfg: RunConfig, reason: str, *, kind: str = "sweep", sweep: str | None = None
) -> str:
    """Record a run that could not finish (e.g. its worker died), with the reason."""
    return store.save(
        kind=kind,
        name=default_name(cfg),
        config=cfg.to_dict(),
        task=cfg.task,
        models=list(cfg.models),
        metrics={},
        seconds=0.0,
        doc=None,
        npz=None,
        status="failed",
        reason=reason,
        sweep=sweep,
    )


def load_run(store: RunStore, run_id: str, *, weights: bool = True) -> TrainResult:
    """A stored training run, read through the bounded run-file reader."""
    doc, npz = store.files(run_id, weights=weights)
    try:
        return run_from_bytes(
            doc, npz, json_name=f"stored run {run_id}", npz_name=f"weights of stored run {run_id}"
        )
    except RunFileError as err:
        raise StoreError(str(err)) from err


def list_runs(store: RunStore) -> list[StoredRun]:
    """Summaries of the stored training runs (of KINDS, not e.g. translation experiments),
    newest first: every one opens with load_run."""
    return [r for r in store.list_runs() if r.kind in KINDS]


def run_metrics(run: TrainResult) -> dict:
    """model -> final val_loss, val_accuracy, success, steps_to_success, seconds (JSON-safe)."""
    task = run.config.task
    out = {}
    for name, m in run.models.items():
        f = m.final
        out[name] = {
            "val_loss": _finite(f["val_loss"]),
            "val_accuracy": _finite(f["val_accuracy"]),
            "success": succeeded(task, m.history),
            "steps_to_success": steps_to_success(task, m.history),
            "seconds": float(m.seconds),
        }
    return out


def default_name(cfg: RunConfig) -> str:
    models = "+".join(m.upper() for m in cfg.models)
    return f"{models} {cfg.task} T={cfg.length} H={cfg.hidden} seed {cfg.seed}"


def _finite(v: float) -> float | None:
    return float(v) if math.isfinite(v) else None
