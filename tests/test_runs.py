"""Run files: round trip, bytes for uploads, and a clear RunFileError for every kind of damage."""

from __future__ import annotations

import io
import json
from dataclasses import replace

import numpy as np
import pytest

from core.runs.run_files import (
    FORMAT,
    RunFileError,
    load_run,
    run_from_bytes,
    run_to_bytes,
    save_run,
    weights_path,
)
from core.train.config import RunConfig
from core.train.loop import train
from tests.test_train import histories_equal

CFG = RunConfig(
    length=5,
    symbols=3,
    hidden=4,
    steps=12,
    batch=4,
    val_size=8,
    eval_every=4,
    checkpoints=3,
    models=("rnn", "gru_reset_after"),
    seed=1,
)


@pytest.fixture(scope="module")
def run():
    return train(CFG)


@pytest.fixture(scope="module")
def files(run):
    return run_to_bytes(run)


def doc_of(files):
    return json.loads(files[0])


def npz_with(files, change):
    arrays = dict(np.load(io.BytesIO(files[1]), allow_pickle=False))
    change(arrays)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def test_json_states_format_variant_cells_and_histories(files, run):
    doc = doc_of(files)
    assert doc["format"] == FORMAT == "gatescope.run/1"
    assert doc["config"]["models"] == ["rnn", "gru_reset_after"]
    assert doc["cells"] == {"rnn": "rnn", "gru_reset_after": "gru_reset_after"}
    gru = doc["models"]["gru_reset_after"]
    assert gru["history"]["step"] == [4, 8, 12]
    assert set(gru["history"]) >= {
        "step",
        "train_loss",
        "val_loss",
        "val_accuracy",
        "grad_norm",
        "clipped",
        "seconds",
    }
    assert gru["final"]["val_accuracy"] == gru["history"]["val_accuracy"][-1]
    assert gru["snapshot_steps"] == [0, 6, 12]
    assert doc["baseline"]["loss"] == pytest.approx(np.log(3))
    assert doc["stopped"] is None
    keys = set(np.load(io.BytesIO(files[1]), allow_pickle=False).files)
    assert {
        "gru_reset_after/final/W",
        "gru_reset_after/final/V",
        "gru_reset_after/step_000006/U",
        "rnn/step_000000/b",
    } <= keys


def test_round_trip_through_files_is_exact(tmp_path, run):
    json_path, npz_path = save_run(run, tmp_path / "x.run.json")
    assert npz_path == weights_path(json_path) == tmp_path / "x.run.npz"
    back = load_run(json_path)
    assert back.config == run.config and back.has_weights and back.stopped is None
    assert back.baseline == run.baseline
    for name, m in run.models.items():
        b = back.models[name]
        for col in (
            "step",
            "train_loss",
            "val_loss",
            "val_accuracy",
            "grad_norm",
            "clipped",
            "seconds",
            "clipped_share",
        ):
            np.testing.assert_array_equal(getattr(b.history, col), getattr(m.history, col))
        assert b.seconds == m.seconds
        for k, p in m.params.items():
            np.testing.assert_array_equal(b.params[k], p)
            assert b.params[k].dtype == p.dtype
        assert [s.step for s in b.snapshots] == [s.step for s in m.snapshots]
        np.testing.assert_array_equal(b.snapshots[1].params["U"], m.snapshots[1].params["U"])


def test_json_alone_loads_histories_and_marks_weights_absent(tmp_path, run, files):
    back = run_from_bytes(files[0])
    assert not back.has_weights and back.models["gru_reset_after"].params == {}
    np.testing.assert_array_equal(
        back.models["rnn"].history.val_loss, run.models["rnn"].history.val_loss
    )
    (tmp_path / "only.json").write_bytes(files[0])
    assert not load_run(tmp_path / "only.json").has_weights
    assert run_to_bytes(back)[1] is None


def test_stopped_run_with_nan_final_round_trips():
    cfg = replace(CFG, task="adding", optimizer="sgd", lr=1e6, clip=0.0, eval_every=100)
    run = train(cfg)
    assert run.stopped
    back = run_from_bytes(*run_to_bytes(run))
    assert back.stopped == run.stopped


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "not valid JSON"),
        (b'{"format": "gatescope.run/1", "config": {', "not valid JSON"),
        (b"\xff\xfe\x00binary", "not a text JSON file"),
        (b"[1, 2, 3]", "top level is not an object"),
        (b'{"config": {}}', "has no 'format' field"),
        (b'{"format": "other.tool/2"}', "has format 'other.tool/2'"),
    ],
)
def test_corrupt_truncated_or_foreign_json(data, message):
    with pytest.raises(RunFileError, match=message) as err:
        run_from_bytes(data, json_name="upload.json")
    assert str(err.value).startswith("upload.json: ")


def test_truncated_real_file(files):
    with pytest.raises(RunFileError, match="x.json: not valid JSON"):
        run_from_bytes(files[0][: len(files[0]) // 2], json_name="x.json")


def damaged(files, edit):
    doc = doc_of(files)
    edit(doc)
    return json.dumps(doc).encode()


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda d: d["config"].update(hidden=0), "config is not usable: .*hidden"),
        (lambda d: d["config"].update(colour="red"), "unknown config fields: colour"),
        (lambda d: d.pop("models"), "'models' is missing"),
        (lambda d: d["models"].pop("rnn"), "'models' holds"),
        (
            lambda d: d["cells"].update(gru_reset_after="gru"),
            "cells\\['gru_reset_after'\\] is 'gru'",
        ),
        (lambda d: d["models"]["gru_reset_after"]["history"]["val_loss"].pop(), "differ in length"),
        (lambda d: d["models"]["gru_reset_after"]["history"].pop("grad_norm"), "lacks grad_norm"),
        (
            lambda d: d["models"]["gru_reset_after"]["history"]["train_loss"].__setitem__(0, "x"),
            "train_loss\\[0\\] must be a number",
        ),
        (lambda d: d["models"]["rnn"]["history"]["step"].__setitem__(0, 1.5), "whole numbers"),
        (lambda d: d["models"]["rnn"]["history"]["clipped"].__setitem__(0, 3), "true/false"),
        (lambda d: d.update(stopped=7), "'stopped' must be text"),
        (lambda d: d["baseline"].update(loss="high"), "baseline.loss must be a number"),
    ],
)
def test_malformed_json_content(files, edit, message):
    with pytest.raises(RunFileError, match=message):
        run_from_bytes(damaged(files, edit), json_name="r.json")


def test_corrupt_or_truncated_npz(files):
    for data in (b"not a zip at all", files[1][: len(files[1]) // 2]):
        with pytest.raises(RunFileError, match="w.npz: not a readable .npz"):
            run_from_bytes(files[0], data, npz_name="w.npz")


def test_pickled_objects_are_refused(files):
    def add_object(a):
        a["gru_reset_after/final/W"] = np.array([{"x": 1}], dtype=object)

    buf = io.BytesIO()
    arrays = dict(np.load(io.BytesIO(files[1]), allow_pickle=False))
    add_object(arrays)
    np.savez(buf, **arrays)
    with pytest.raises(RunFileError, match="not a plain numeric array"):
        run_from_bytes(files[0], buf.getvalue(), npz_name="w.npz")


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda a: a.update({"gru_reset_after/final/U": np.zeros((4, 5), np.float32)}),
            "gru_reset_after/final/U has shape \\(4, 5\\), expected \\(4, 12\\)",
        ),
        (lambda a: a.pop("rnn/final/b"), "rnn/final has parameters"),
        (
            lambda a: [a.pop(k) for k in list(a) if k.startswith("gru_reset_after/final/")],
            "no final weights",
        ),
        (
            lambda a: [a.pop(k) for k in list(a) if k.startswith("gru_reset_after/step_000006/")],
            "do not belong together",
        ),
        (lambda a: a.update({"xyz/final/W": np.zeros(3)}), "models \\['xyz'\\]"),
        (
            lambda a: a.update({"gru_reset_after/final/W": np.zeros((3, 12), dtype=np.int64)}),
            "floating point",
        ),
        (lambda a: a.update({"stray": np.zeros(3)}), "unexpected array name 'stray'"),
    ],
)
def test_weights_that_do_not_fit_the_config(files, change, message):
    with pytest.raises(RunFileError, match=message):
        run_from_bytes(files[0], npz_with(files, change), npz_name="w.npz")


def test_unreadable_path(tmp_path):
    with pytest.raises(RunFileError, match="cannot be read"):
        load_run(tmp_path / "missing.json")


def _legacy(files):
    """The same run as a file written before the cell registry: models "rnn" and "gru", the
    GRU's convention in config.gru_variant, the cell of each model in "cells"."""
    doc = doc_of(files)
    doc["config"]["models"] = ["rnn", "gru"]
    doc["config"]["gru_variant"] = "reset_after"
    doc["models"] = {"rnn": doc["models"]["rnn"], "gru": doc["models"]["gru_reset_after"]}
    doc["cells"] = {"rnn": "rnn", "gru": "gru_reset_after"}
    arrays = dict(np.load(io.BytesIO(files[1]), allow_pickle=False))
    arrays = {k.replace("gru_reset_after/", "gru/"): v for k, v in arrays.items()}
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return json.dumps(doc).encode(), buf.getvalue()


def test_a_run_file_from_before_the_cell_registry_still_loads(files, run):
    back = run_from_bytes(*_legacy(files))
    assert back.config == run.config
    assert list(back.models) == ["rnn", "gru_reset_after"]
    for name, m in run.models.items():
        for k, v in m.params.items():
            np.testing.assert_array_equal(back.models[name].params[k], v)
        histories_equal(back.models[name].history, m.history)


def test_every_registered_cell_round_trips_and_its_shapes_are_checked():
    from core.cells import cell_names

    cfg = replace(CFG, models=cell_names(), steps=4, eval_every=2, checkpoints=2)
    run = train(cfg)
    files = run_to_bytes(run)
    back = run_from_bytes(*files)
    for name, m in run.models.items():
        for k, p in m.params.items():
            np.testing.assert_array_equal(back.models[name].params[k], p)
    key = next(
        k
        for k in np.load(io.BytesIO(files[1]), allow_pickle=False).files
        if k.startswith("lstm/final/U")
    )
    bad = npz_with(files, lambda a: a.__setitem__(key, a[key][:, :-1]))
    with pytest.raises(RunFileError, match="lstm"):
        run_from_bytes(files[0], bad)
