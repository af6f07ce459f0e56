"""Saved translators: `<name>.json` (format, config, model shape, vocabularies, history, best
checkpoint) beside `<name>.npz` (the weights, read by the bounded reader: nothing is
unpickled). Anything malformed raises SavedModelError naming the file and the problem."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np

from core.bounded_npz import NpzError, read_npz
from core.translate.config import TranslateConfig
from core.translate.model import ModelSpec, init_params
from core.translate.preprocess import TextCodec
from core.translate.train import Checkpoint, TrainedModel, TrainHistory

FORMAT = "gatescope.translator/1"


class SavedModelError(ValueError):
    """A saved translator that cannot be loaded; the message names the file."""


def model_to_json(model: TrainedModel) -> dict:
    return {
        "format": FORMAT,
        "name": model.name,
        "spec": model.spec.to_json(),
        "config": model.config.to_json(),
        "codec": model.codec.to_json(),
        "history": model.history.to_json(),
        "best": None if model.best is None else model.best.__dict__,
        "tokens_per_s": model.tokens_per_s,
        "wall_seconds": model.wall_seconds,
        "cpu_seconds": model.cpu_seconds,
    }


def model_files(model: TrainedModel) -> tuple[bytes, bytes]:
    """The JSON and .npz file contents of a model."""
    buf = io.BytesIO()
    np.savez(buf, **model.params)
    text = json.dumps(model_to_json(model), ensure_ascii=False, indent=1)
    return text.encode("utf-8"), buf.getvalue()


def save_model(model: TrainedModel, json_path: str | Path) -> Path:
    """Write <name>.json and <name>.npz; returns the JSON path."""
    json_path = Path(json_path)
    json_bytes, npz_bytes = model_files(model)
    json_path.write_bytes(json_bytes)
    json_path.with_suffix(".npz").write_bytes(npz_bytes)
    return json_path


def model_from_json(d: dict, npz: bytes, name: str, npz_name: str) -> TrainedModel:
    """A saved model's JSON (as a dict) and its .npz bytes -> the trained model."""
    if d.get("format") != FORMAT:
        raise SavedModelError(
            f"{name}: not a saved translator (format {d.get('format')!r}, expected {FORMAT!r})."
        )
    spec = _parts(d, name)[0]
    return trained_model(d, read_weights(npz, npz_name, _shapes(spec)), name, npz_name)


def trained_model(
    d: dict, weights: dict[str, np.ndarray], name: str, npz_name: str
) -> TrainedModel:
    """A saved model's JSON (as a dict) and its weights -> the trained model; every weight the
    model's shape needs must be there, with that shape."""
    spec, codec, config, history, best = _parts(d, name)
    shapes = _shapes(spec)
    wrong = sorted(k for k, v in weights.items() if shapes.get(k, v.shape) != v.shape)
    if wrong or set(weights) - set(shapes):
        bad = wrong or sorted(set(weights) - set(shapes))
        raise SavedModelError(f"{npz_name}: unexpected or misshapen weights: {', '.join(bad)}.")
    missing = sorted(set(shapes) - set(weights))
    if missing:
        raise SavedModelError(f"{npz_name}: weights missing: {', '.join(missing)}.")
    return TrainedModel(
        d["name"],
        spec,
        weights,
        codec,
        config,
        history,
        best,
        float(d.get("tokens_per_s", 0.0)),
        float(d.get("wall_seconds", 0.0)),
        float(d.get("cpu_seconds", 0.0)),
    )


def _parts(d: dict, name: str) -> tuple:
    """(spec, codec, config, history, best) of a saved model's JSON."""
    try:
        return (
            ModelSpec(**d["spec"]),
            TextCodec.from_json(d["codec"]),
            TranslateConfig.from_json(d["config"]),
            TrainHistory.from_json(d["history"]),
            None if d["best"] is None else Checkpoint(**d["best"]),
        )
    except (KeyError, TypeError, ValueError) as err:
        raise SavedModelError(f"{name}: missing or malformed field ({err}).") from None


def _shapes(spec: ModelSpec) -> dict[str, tuple[int, ...]]:
    """Every weight's shape, from a template initialisation."""
    return {k: v.shape for k, v in init_params(spec, np.random.default_rng(0)).items()}


def read_weights(
    data: bytes, name: str, shapes: dict[str, tuple[int, ...]] | None = None
) -> dict[str, np.ndarray]:
    """An .npz's bytes -> plain numeric arrays, through the bounded reader (headers checked
    first, object arrays refused, nothing unpickled); with shapes, every array must match."""

    def expect(key: str):
        if shapes is None:
            return None
        if key not in shapes:
            raise NpzError(f"{name}: unexpected array {key!r}")
        return shapes[key]

    try:
        return read_npz(data, name, expect=expect)
    except NpzError as err:
        raise SavedModelError(str(err)) from None


def read_json(text: str | bytes, name: str) -> dict:
    try:
        d = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise SavedModelError(f"{name}: not valid JSON ({err}).") from None
    if not isinstance(d, dict):
        raise SavedModelError(f"{name}: a saved translator is a JSON object.")
    return d


def load_model(json_path: str | Path) -> TrainedModel:
    """<name>.json and the .npz beside it -> the trained model."""
    json_path = Path(json_path)
    npz = json_path.with_suffix(".npz")
    if not json_path.is_file():
        raise SavedModelError(f"{json_path}: no such file.")
    if not npz.is_file():
        raise SavedModelError(f"{json_path}: its weights {npz.name} are missing beside it.")
    d = read_json(json_path.read_bytes(), str(json_path))
    return model_from_json(d, npz.read_bytes(), str(json_path), str(npz))
