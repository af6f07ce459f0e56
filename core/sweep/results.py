"""A sweep's results as tables: one row per run, and success rates with Wilson intervals."""

from __future__ import annotations

import pandas as pd

from core.store.records import config_hash
from core.store.run_store import RunStore
from core.sweep.grid import Grid
from core.sweep.stats import wilson_interval
from core.train.success import describe

RUN_COLUMNS = (
    "status",
    "success",
    "final_val_accuracy",
    "final_val_loss",
    "steps_to_success",
    "seconds",
    "config_hash",
    "reason",
)


def results_table(grid: Grid, store: RunStore) -> pd.DataFrame:
    """One row per config of the grid (grid order): every grid field, then RUN_COLUMNS.
    status is done | failed | missing (not trained yet)."""
    configs = grid.configs()
    hashes = [config_hash(cfg.to_dict()) for cfg in configs]
    latest = {}
    for r in store.with_hashes(hashes):  # newest first: keep the newest finished run
        if r.config_hash not in latest or (
            latest[r.config_hash].status != "done" and r.status == "done"
        ):
            latest[r.config_hash] = r
    rows = []
    for cfg, h in zip(configs, hashes, strict=True):
        row = grid.values_of(cfg) | {"task": cfg.task} | _run_columns(latest.get(h), cfg, h)
        rows.append(row)
    columns = (
        list(grid.fields) + (["task"] if "task" not in grid.fields else []) + list(RUN_COLUMNS)
    )
    return pd.DataFrame(rows, columns=columns)


def _run_columns(stored, cfg, h: str) -> dict:
    if stored is None:
        return {"status": "missing", "config_hash": h}
    m = stored.metrics.get(cfg.models[0], {})
    return {
        "status": stored.status,
        "success": m.get("success", False) if stored.status == "done" else False,
        "final_val_accuracy": m.get("val_accuracy"),
        "final_val_loss": m.get("val_loss"),
        "steps_to_success": m.get("steps_to_success"),
        "seconds": stored.seconds,
        "config_hash": h,
        "reason": stored.reason,
    }


def success_rates(table: pd.DataFrame, x: str, by: tuple[str, ...] = ("model",)) -> pd.DataFrame:
    """Per (by..., x): runs n, successes k, rate k/n and its 95 % Wilson interval.
    Only finished runs count (missing ones are not yet evidence)."""
    done = table[table["status"] != "missing"]
    keys = [c for c in (*by, x) if c in done.columns]
    rows = []
    for key, group in done.groupby(keys, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        n, k = len(group), int(group["success"].fillna(False).astype(bool).sum())
        low, high = wilson_interval(k, n)
        rows.append(
            dict(zip(keys, key, strict=True))
            | {"n": n, "successes": k, "rate": k / n, "low": low, "high": high}
        )
    return pd.DataFrame(rows, columns=[*keys, "n", "successes", "rate", "low", "high"])


def criterion_text(table: pd.DataFrame) -> str:
    """The success criteria of the tasks in the table, e.g. 'recall: val_accuracy >= 0.95'."""
    return "; ".join(f"{t}: {describe(t)}" for t in sorted(table["task"].unique()))
