"""Uploaded run files pair by name; every unusable file comes back as a problem naming it."""

from __future__ import annotations

import pytest

from core.train.config import RunConfig
from core.train.loop import train
from core.train.run_files import run_to_bytes
from dashboard.runs.upload import LoadedRun, UploadProblem, load_uploaded_runs


@pytest.fixture(scope="module")
def saved():
    cfg = RunConfig(length=3, hidden=4, steps=2, batch=4, val_size=8, eval_every=1)
    return run_to_bytes(train(cfg))


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
