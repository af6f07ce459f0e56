"""Uploaded run files: they pair by name, every unusable file comes back as a problem naming it
(`load_uploaded_runs`), and on the Train page's "Load saved runs" (AppTest) a file that is not
ours, a truncated one, arrays of the wrong shape or a pickle in disguise gives one message naming
the file, no traceback, and every run already in the session stays, the shown one still shown."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.runs.run_files import run_to_bytes
from core.train.config import RunConfig
from core.train.loop import train
from dashboard.session import state
from dashboard.views.train.upload import LoadedRun, UploadProblem, load_uploaded_runs
from tests import apptest_helpers as ui
from tests.apptest_helpers import shown

APP = "../dashboard/app.py"
JSON, NPZ = "application/json", "application/octet-stream"


@pytest.fixture(scope="module")
def run():
    return train(RunConfig(length=5, hidden=4, steps=4, val_size=16, eval_every=2, checkpoints=2))


@pytest.fixture(scope="module")
def saved(run):
    return run_to_bytes(run)


def _by_type(items):
    loaded = {i.name: i for i in items if isinstance(i, LoadedRun)}
    problems = [i for i in items if isinstance(i, UploadProblem)]
    return loaded, problems


def test_json_and_npz_pair_by_name_and_a_lone_json_loads_without_weights(saved):
    js, npz = saved
    loaded, problems = _by_type(
        load_uploaded_runs([("a.run.json", js), ("a.run.npz", npz), ("b.run.json", js)])
    )
    assert not problems
    assert loaded["a.run.json"].run.has_weights and not loaded["b.run.json"].run.has_weights
    assert loaded["a.run.json"].run.models["gru"].params  # the weights arrived


def test_one_json_and_one_npz_pair_whatever_their_names(saved):
    js, npz = saved
    loaded, problems = _by_type(load_uploaded_runs([("mine.json", js), ("weights.npz", npz)]))
    assert not problems and loaded["mine.json"].run.has_weights


def test_weights_alone_are_a_problem_named_after_the_file(saved):
    _, npz = saved
    loaded, problems = _by_type(load_uploaded_runs([("w.run.npz", npz)]))
    assert not loaded
    assert problems[0].files == "w.run.npz" and "JSON" in problems[0].message


def test_garbage_json_is_a_problem_and_other_files_still_load(saved):
    js, _ = saved
    loaded, problems = _by_type(
        load_uploaded_runs(
            [("bad.json", b"\x89PNG\r\n\x1a\n"), ("good.json", js), ("notes.txt", b"hi")]
        )
    )
    assert list(loaded) == ["good.json"]
    assert sorted(p.files for p in problems) == ["bad.json", "notes.txt"]
    assert all(p.message for p in problems)


def test_corrupt_weights_name_both_files(saved):
    js, npz = saved
    _, problems = _by_type(load_uploaded_runs([("r.json", js), ("r.npz", npz[: len(npz) // 2])]))
    assert len(problems) == 1 and problems[0].files == "r.json + r.npz"


# --- through the Train page (AppTest) ---------------------------------------------------------


@pytest.fixture
def fresh_cache(fresh_caches):
    """The page tests start without cached analyses."""


def _npz(arrays: dict) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def _arrays(npz_bytes: bytes) -> dict:
    with np.load(io.BytesIO(npz_bytes), allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def wrong_shape(npz_bytes: bytes) -> tuple[bytes, str]:
    arrays = _arrays(npz_bytes)
    key = next(k for k, v in arrays.items() if "/final/" in k and v.ndim == 2)
    arrays[key] = arrays[key][:, :-1]  # one column short
    return _npz(arrays), key


def pickled(npz_bytes: bytes) -> bytes:
    arrays = _arrays(npz_bytes)
    key = next(iter(arrays))
    arrays[key] = np.array([{"not": "numbers"}], dtype=object)  # needs pickle to load
    return _npz(arrays)


def ragged_history(json_bytes: bytes) -> bytes:
    doc = json.loads(json_bytes)
    model = next(iter(doc["models"].values()))
    model["history"]["val_loss"] = model["history"]["val_loss"][:-1]
    return json.dumps(doc).encode()


def cases(saved):
    """(case id, files to upload, words the one error message must contain)"""
    good_json, good_npz = saved
    bad_npz, key = wrong_shape(good_npz)
    bleu_bundle = json.dumps({"systems": [{"name": "a", "bleu": 20.0}], "significance": []})
    return {
        "not_ours_json": (
            [("scores.json", bleu_bundle.encode(), JSON)],
            ["scores.json: not a Gatescope run file"],
        ),
        "not_ours_binary": (
            [("photo.json", b"\x89PNG\r\n\x1a\n" + bytes(64), JSON)],
            ["photo.json: not a text JSON file"],
        ),
        "truncated_json": (
            [("cut.run.json", good_json[: len(good_json) // 2], JSON)],
            ["cut.run.json: not valid JSON, truncated or corrupt (line"],
        ),
        "truncated_npz": (
            [("b.run.json", good_json, JSON), ("b.run.npz", good_npz[: len(good_npz) // 2], NPZ)],
            ["b.run.npz", "truncated or corrupt"],
        ),
        "wrong_shape_npz": (
            [("w.run.json", good_json, JSON), ("w.run.npz", bad_npz, NPZ)],
            ["w.run.npz", key.rsplit("/", 1)[1], "has shape", "expected"],
        ),
        "ragged_history": (
            [("h.run.json", ragged_history(good_json), JSON)],
            ["h.run.json", "history arrays differ in length"],
        ),
        "pickle_in_npz": (
            [("p.run.json", good_json, JSON), ("p.run.npz", pickled(good_npz), NPZ)],
            ["p.run.npz", "not a plain numeric array"],
        ),
    }


CASE_IDS = [
    "not_ours_json",
    "not_ours_binary",
    "truncated_json",
    "truncated_npz",
    "wrong_shape_npz",
    "ragged_history",
    "pickle_in_npz",
]


def session_with_two_runs(run, saved) -> AppTest:
    """A session holding a run, plus a second one loaded from its saved files (now shown)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[state.RUNS] = {"kept run": run}
    at.session_state[state.RUN_IDS] = {"kept run": "kept-run-id"}
    at.session_state[state.CURRENT_NAME] = "kept run"
    at.run()
    ui.train_uploader(at).set_value(
        [("saved.run.json", saved[0], JSON), ("saved.run.npz", saved[1], NPZ)]
    ).run()
    assert not at.exception and not at.error
    assert at.session_state[state.CURRENT_NAME] == "saved.run.json"
    return at


@pytest.mark.slow  # the app driven through AppTest
@pytest.mark.parametrize("case", CASE_IDS)
def test_bad_run_file_is_named_and_every_run_stays(run, saved, case, fresh_cache):
    files, words = cases(saved)[case]
    at = session_with_two_runs(run, saved)
    runs_before = dict(at.session_state[state.RUNS])
    ui.train_uploader(at).set_value(files).run()
    assert not at.exception, at.exception
    errors = [shown(e.value) for e in at.error]
    assert len(errors) == 1, errors
    assert all(w in errors[0] for w in words), errors[0]
    assert "Runs already in this session are kept" in errors[0]
    assert at.session_state[state.RUNS] == runs_before  # same names, same objects
    assert at.session_state[state.CURRENT_NAME] == "saved.run.json"
    assert {m.label for m in at.metric} >= {"RNN loss", "GRU loss"}
