"""Run files: one JSON with the config, histories and baseline, plus an .npz of the weights.

JSON ("format": "gatescope.run/1"):
    config     RunConfig fields (models are registered cell names)
    cells      model -> registered cell name (the same name since the cell registry)
    models     model -> {"history": {step, train_loss, val_loss, val_accuracy, grad_norm,
                                     clipped, clipped_share, seconds: arrays of one length},
                         "final": {val_loss, val_accuracy}, "seconds": float,
                         "snapshot_steps": [0, ..., steps]}
    baseline   {"loss", "accuracy"} of the input-ignoring predictor
    stopped    why training stopped early, or null
NaN is written as null. The config must meet its settings' limits (core.train.config: the
largest run the app accepts) before anything is built from it; the .npz is read by the bounded
reader (core.bounded_npz), which checks every array's header shape before reading its data.
NPZ keys: "<model>/final/<param>" and "<model>/step_<6 digits>/<param>",
read with allow_pickle=False. A JSON without its .npz loads with has_weights=False.
Anything malformed raises RunFileError naming the file and what is wrong.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import numpy as np

from core.cells import retired_config_fields
from core.runs.run_file_error import RunFileError
from core.runs.run_weights import attach_weights
from core.train.config import RunConfig, upgrade_legacy
from core.train.results import Baseline, History, ModelResult, TrainResult

FORMAT = "gatescope.run/1"
FLOAT_COLUMNS = ("train_loss", "val_loss", "val_accuracy", "grad_norm", "seconds")
OPTIONAL_COLUMNS = ("clipped_share",)


def run_to_dict(run: TrainResult) -> dict:
    cfg = run.config
    return {
        "format": FORMAT,
        "config": cfg.to_dict(),
        "cells": {name: name for name in run.models},  # model -> cell (the same today)
        "models": {name: _model_to_dict(m) for name, m in run.models.items()},
        "baseline": {"loss": run.baseline.loss, "accuracy": run.baseline.accuracy},
        "stopped": run.stopped,
    }


def _model_to_dict(m: ModelResult) -> dict:
    h = m.history
    history = {"step": [int(s) for s in h.step], "clipped": [bool(c) for c in h.clipped]}
    for col in FLOAT_COLUMNS + OPTIONAL_COLUMNS:
        values = getattr(h, col)
        if values is not None:
            history[col] = [_json_float(v) for v in values]
    return {
        "history": history,
        "final": {k: _json_float(v) for k, v in m.final.items()},
        "seconds": float(m.seconds),
        "snapshot_steps": [s.step for s in m.snapshots],
    }


def _json_float(v) -> float | None:
    v = float(v)
    return v if math.isfinite(v) else None


def weights_to_arrays(run: TrainResult) -> dict[str, np.ndarray]:
    """Every model's final parameters and snapshots under "<model>/<final|step_N>/<param>"."""
    arrays = {}
    for name, m in run.models.items():
        for k, v in m.params.items():
            arrays[f"{name}/final/{k}"] = v
        for snap in m.snapshots:
            for k, v in snap.params.items():
                arrays[f"{name}/step_{snap.step:06d}/{k}"] = v
    return arrays


def run_to_bytes(run: TrainResult) -> tuple[bytes, bytes | None]:
    """(JSON bytes, NPZ bytes); the NPZ is None for a run without weights."""
    text = json.dumps(run_to_dict(run), indent=1, allow_nan=False).encode("utf-8")
    if not run.has_weights:
        return text, None
    buf = io.BytesIO()
    np.savez_compressed(buf, **weights_to_arrays(run))
    return text, buf.getvalue()


def weights_path(json_path: str | Path) -> Path:
    """x.run.json -> x.run.npz (the weights beside the JSON)."""
    return Path(json_path).with_suffix(".npz")


def save_run(run: TrainResult, path: str | Path) -> tuple[Path, Path | None]:
    """Write path (JSON) and, when the run has weights, its .npz beside it."""
    path = Path(path)
    text, npz = run_to_bytes(run)
    path.write_bytes(text)
    if npz is None:
        return path, None
    weights_path(path).write_bytes(npz)
    return path, weights_path(path)


# ---------------------------------------------------------------- reading


def load_run(path: str | Path, weights: str | Path | None = None) -> TrainResult:
    """Read a run JSON and its weights (given, or the .npz beside it when that exists)."""
    path = Path(path)
    wpath = Path(weights) if weights is not None else weights_path(path)
    if weights is None and not wpath.exists():
        wpath = None
    try:
        data = path.read_bytes()
        npz = wpath.read_bytes() if wpath is not None else None
    except OSError as err:
        raise RunFileError(f"{err.filename}: cannot be read ({err.strerror})") from err
    return run_from_bytes(
        data, npz, json_name=path.name, npz_name=wpath.name if wpath is not None else "weights"
    )


def run_from_bytes(
    json_bytes: bytes,
    npz_bytes: bytes | None = None,
    *,
    json_name: str = "run JSON",
    npz_name: str = "weights .npz",
) -> TrainResult:
    """Parse and check a run; without npz_bytes the histories load and has_weights is False."""
    doc = upgrade_doc(_parse_json(json_bytes, json_name))
    run = _run_from_doc(doc, json_name)
    if npz_bytes is not None:
        attach_weights(run, doc, npz_bytes, npz_name)
    return run


def _parse_json(data: bytes, name: str) -> dict:
    try:
        doc = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise RunFileError(f"{name}: not a text JSON file (byte {err.start} is not UTF-8)") from err
    except json.JSONDecodeError as err:
        raise RunFileError(
            f"{name}: not valid JSON, truncated or corrupt (line {err.lineno}, "
            f"column {err.colno}: {err.msg})"
        ) from err
    if not isinstance(doc, dict):
        raise RunFileError(f"{name}: not a Gatescope run file (top level is not an object)")
    if doc.get("format") != FORMAT:
        found = doc.get("format")
        what = "has no 'format' field" if found is None else f"has format {found!r}"
        raise RunFileError(f"{name}: not a Gatescope run file ({what}, expected {FORMAT!r})")
    return doc


def upgrade_doc(doc: dict) -> dict:
    """A run written before the cell registry in today's terms: its models named by their
    cells (old files say which cell each model is in 'cells'), retired fields dropped; the
    weights' renames are kept under "renamed" {old name: new name}."""
    cfg, cells = doc.get("config"), doc.get("cells")
    if not (
        isinstance(cfg, dict) and retired_config_fields() & set(cfg) and isinstance(cells, dict)
    ):
        return doc
    renamed = {m: c for m, c in cells.items() if isinstance(c, str) and m != c}
    models = doc.get("models")
    if isinstance(models, dict):
        models = {renamed.get(m, m): v for m, v in models.items()}
    return {
        **doc,
        "config": upgrade_legacy(cfg, cells),
        "models": models,
        "cells": {renamed.get(m, m): c for m, c in cells.items()},
        "renamed": renamed,
    }


def _run_from_doc(doc: dict, name: str) -> TrainResult:
    cfg = _config(doc, name)
    models_doc = _field(doc, "models", dict, name)
    if set(models_doc) != set(cfg.models):
        raise RunFileError(
            f"{name}: 'models' holds {sorted(models_doc)} but config.models is {list(cfg.models)}"
        )
    cells = _field(doc, "cells", dict, name)
    for model in cfg.models:
        if cells.get(model) != model:
            raise RunFileError(
                f"{name}: cells[{model!r}] is {cells.get(model)!r}, expected {model!r}"
            )
    baseline = _field(doc, "baseline", dict, name)
    stopped = doc.get("stopped")
    if stopped is not None and not isinstance(stopped, str):
        raise RunFileError(f"{name}: 'stopped' must be text or null")
    models = {}
    for model in cfg.models:
        where = f"{name}: models.{model}"
        m = models_doc[model]
        if not isinstance(m, dict):
            raise RunFileError(f"{where} must be an object")
        models[model] = ModelResult(
            name=model,
            history=_history(m, where),
            params={},
            seconds=_number(m.get("seconds"), f"{where}.seconds"),
        )
    chance = Baseline(
        loss=_number(baseline.get("loss"), f"{name}: baseline.loss"),
        accuracy=_number(baseline.get("accuracy"), f"{name}: baseline.accuracy"),
    )
    return TrainResult(
        config=cfg, models=models, baseline=chance, stopped=stopped, has_weights=False
    )


def _config(doc: dict, name: str) -> RunConfig:
    raw = _field(doc, "config", dict, name)
    try:
        return RunConfig.from_dict(raw)
    except (TypeError, ValueError) as err:
        raise RunFileError(f"{name}: config is not usable: {err}") from err


def _field(doc: dict, key: str, kind: type, name: str):
    if not isinstance(doc.get(key), kind):
        raise RunFileError(f"{name}: '{key}' is missing or not {kind.__name__}")
    return doc[key]


def _number(v, where: str) -> float:
    if v is None:
        return float("nan")
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise RunFileError(f"{where} must be a number, got {v!r}")
    return float(v)


def _history(m: dict, where: str) -> History:
    h = m.get("history")
    if not isinstance(h, dict):
        raise RunFileError(f"{where}.history is missing or not an object")
    required = ("step", "clipped", *FLOAT_COLUMNS)
    missing = [c for c in required if c not in h]
    if missing:
        raise RunFileError(f"{where}.history lacks {', '.join(missing)}")
    present = [c for c in (*required, *OPTIONAL_COLUMNS) if c in h]
    for col in present:
        if not isinstance(h[col], list):
            raise RunFileError(f"{where}.history.{col} must be an array")
    lengths = {col: len(h[col]) for col in present}
    if len(set(lengths.values())) > 1:
        raise RunFileError(
            f"{where}.history arrays differ in length: "
            + ", ".join(f"{c} {n}" for c, n in lengths.items())
        )
    if not all(isinstance(s, int) and not isinstance(s, bool) for s in h["step"]):
        raise RunFileError(f"{where}.history.step must hold whole numbers")
    if not all(isinstance(c, bool) for c in h["clipped"]):
        raise RunFileError(f"{where}.history.clipped must hold true/false values")
    floats = {
        col: np.array(
            [_number(v, f"{where}.history.{col}[{i}]") for i, v in enumerate(h[col])],
            dtype=np.float64,
        )
        for col in FLOAT_COLUMNS + OPTIONAL_COLUMNS
        if col in h
    }
    return History(
        step=np.array(h["step"], dtype=np.int64),
        clipped=np.array(h["clipped"], dtype=bool),
        clipped_share=floats.pop("clipped_share", None),
        **floats,
    )
