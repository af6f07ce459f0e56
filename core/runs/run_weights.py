"""A run file's weights: the .npz read through the bounded reader (core.bounded_npz), every
array's shape checked against the shapes the run's config gives before its data is read, at
most (snapshots + 1) copies of each model's weights in total.

NPZ keys: "<model>/final/<param>" and "<model>/step_<6 digits>/<param>" (allow_pickle=False).
"""

from __future__ import annotations

import math

import numpy as np

from core.bounded_npz import NpzError, read_npz
from core.cells import get_cell
from core.runs.limits import LIMITS
from core.runs.run_file_error import RunFileError
from core.tasks import task_for
from core.train.model import model_param_shapes
from core.train.results import Snapshot, TrainResult


def attach_weights(run: TrainResult, doc: dict, npz_bytes: bytes, name: str) -> None:
    renamed = doc.get("renamed", {})
    task = task_for(run.config)  # the config is within limits: shapes are small
    expected = {
        model: model_param_shapes(
            get_cell(model), task.input_size, run.config.hidden, task.output_size
        )
        for model in run.models
    }
    arrays = _read_npz(npz_bytes, name, expected, doc, renamed)
    for model, m in run.models.items():
        groups = _groups(arrays, model, name)
        if "final" not in groups:
            raise RunFileError(f"{name}: no final weights for model {model!r}")
        steps = doc["models"][model].get("snapshot_steps", [])
        stored = sorted(int(g[5:]) for g in groups if g != "final")
        if stored != sorted(steps):
            raise RunFileError(
                f"{name}: snapshots of {model!r} are at steps {stored} but the "
                f"JSON lists {steps}: the files do not belong together"
            )
        dtype = np.dtype(run.config.dtype)
        m.params = _checked(groups["final"], expected[model], f"{name}: {model}/final", dtype)
        m.snapshots = [
            Snapshot(
                step=s,
                params=_checked(
                    groups[f"step_{s:06d}"], expected[model], f"{name}: {model}/step_{s:06d}", dtype
                ),
            )
            for s in stored
        ]
    run.has_weights = True


def _renamed_key(key: str, renamed: dict[str, str]) -> str:
    """ "gru/final/W" -> "gru_reset_after/final/W" for a model renamed by upgrade_doc."""
    owner, sep, rest = key.partition("/")
    return renamed.get(owner, owner) + sep + rest


def _read_npz(
    data: bytes,
    name: str,
    expected: dict[str, dict[str, tuple]],
    doc: dict,
    renamed: dict[str, str],
) -> dict[str, np.ndarray]:
    """Header-checked arrays under their current model names; at most (snapshots + 1) float64
    copies of each model's weights are ever read."""

    def expect(key: str) -> tuple[int, ...] | None:
        parts = _renamed_key(key, renamed).split("/")
        if len(parts) != 3:
            raise NpzError(
                f"{name}: unexpected array name {key!r} "
                "(expected model/final/param or model/step_NNNNNN/param)"
            )
        if parts[0] not in expected:
            raise NpzError(f"{name}: weights for models {[parts[0]]} that the JSON lacks")
        return expected[parts[0]].get(parts[2])

    budget = sum(
        (_snapshot_count(doc["models"][model]) + 1) * sum(8 * math.prod(s) for s in shapes.values())
        for model, shapes in expected.items()
    )
    try:
        arrays = read_npz(data, name, expect=expect, max_bytes=budget)
    except NpzError as err:
        raise RunFileError(str(err)) from err
    return {_renamed_key(k, renamed): v for k, v in arrays.items()}


def _snapshot_count(model_doc: dict) -> int:
    steps = model_doc.get("snapshot_steps", [])
    most = int(LIMITS["checkpoints"][1]) + 1  # a stopped run adds one snapshot
    return min(len(steps), most) if isinstance(steps, list) else 0


def _groups(arrays: dict, model: str, name: str) -> dict[str, dict[str, np.ndarray]]:
    groups: dict[str, dict[str, np.ndarray]] = {}
    for key, value in arrays.items():
        parts = key.split("/")
        if len(parts) != 3:
            raise RunFileError(
                f"{name}: unexpected array name {key!r} "
                "(expected model/final/param or model/step_NNNNNN/param)"
            )
        owner, group, param = parts
        if owner != model:
            continue
        if group != "final" and not (group.startswith("step_") and group[5:].isdigit()):
            raise RunFileError(f"{name}: unexpected array name {key!r}")
        groups.setdefault(group, {})[param] = value
    return groups


def _checked(params: dict, expected: dict, where: str, dtype: np.dtype) -> dict:
    if set(params) != set(expected):
        raise RunFileError(f"{where} has parameters {sorted(params)}, expected {sorted(expected)}")
    for k, v in params.items():
        if v.shape != expected[k]:
            raise RunFileError(
                f"{where}/{k} has shape {v.shape}, expected {expected[k]} for this config"
            )
        if v.dtype.kind != "f":
            raise RunFileError(f"{where}/{k} holds {v.dtype} values, expected floating point")
    return {k: v.astype(dtype, copy=False) for k, v in params.items()}
