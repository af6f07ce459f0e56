"""Uploaded run files -> runs or clear problems. No Streamlit here: names and bytes in, objects out.

A run is one `.json` file, optionally with the `.npz` of its weights saved beside it. Files
pair by name (`x.run.json` with `x.run.npz`); a single JSON and a single NPZ pair whatever
their names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from core.runs.run_files import RunFileError, run_from_bytes
from core.train.results import TrainResult


@dataclass
class LoadedRun:
    name: str  # the JSON file's name
    run: TrainResult  # run.has_weights is False when only the JSON was uploaded


@dataclass
class UploadProblem:
    files: str  # the file name(s) concerned
    message: str  # what is wrong, starting with the file's name


def load_uploaded_runs(files: list[tuple[str, bytes]]) -> list[LoadedRun | UploadProblem]:
    """One LoadedRun per readable run JSON, one UploadProblem per file that cannot be used."""
    jsons = [(n, b) for n, b in files if n.lower().endswith(".json")]
    npzs = {_stem(n): (n, b) for n, b in files if n.lower().endswith(".npz")}
    others = [n for n, _ in files if not n.lower().endswith((".json", ".npz"))]
    if len(jsons) == 1 and len(npzs) == 1:
        npzs = {_stem(jsons[0][0]): next(iter(npzs.values()))}
    out: list[LoadedRun | UploadProblem] = [
        UploadProblem(n, f"{n}: not a run file (expected a .json, optionally with its .npz)")
        for n in others
    ]
    for name, data in jsons:
        weights = npzs.pop(_stem(name), None)
        out.append(_load_one(name, data, weights))
    out += [
        UploadProblem(n, f"{n}: weights without their run JSON; upload the .json saved with it")
        for n, _ in npzs.values()
    ]
    return out


def _load_one(name: str, data: bytes, weights: tuple[str, bytes] | None):
    label = name if weights is None else f"{name} + {weights[0]}"
    npz_name, npz_bytes = weights if weights is not None else ("weights", None)
    try:
        run = run_from_bytes(data, npz_bytes, json_name=name, npz_name=npz_name)
    except RunFileError as err:
        return UploadProblem(label, str(err))
    return LoadedRun(name=name, run=run)


def _stem(name: str) -> str:
    return str(PurePath(name).with_suffix(""))
