"""The SQLite run store: round trip, filters and edits, foreign and damaged files, several writer
processes at once, and a writer killed with SIGKILL mid-write."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from core.runs import stored
from core.store.records import StoreError, config_hash
from core.store.run_store import INDEX, RunStore, open_store
from core.train.cli import main as train_cli
from core.train.config import RunConfig
from core.train.loop import train
from tests.conftest import REPO

pytestmark = pytest.mark.slow  # concurrent writer and kill -9 subprocesses

TINY = RunConfig(length=5, hidden=4, steps=4, val_size=16, eval_every=2, checkpoints=2)


@pytest.fixture(scope="module")
def run():
    return train(TINY)


def test_round_trip_keeps_histories_metrics_and_weights(tmp_path, run):
    store = RunStore(tmp_path)
    run_id = stored.save_run(store, run, name="first", tags=("a", "b"))
    back = stored.load_run(store, run_id)
    assert back.config == run.config and back.has_weights
    for name, m in run.models.items():
        np.testing.assert_array_equal(back.models[name].history.val_loss, m.history.val_loss)
        for k, v in m.params.items():
            np.testing.assert_array_equal(back.models[name].params[k], v)
        assert [s.step for s in back.models[name].snapshots] == [s.step for s in m.snapshots]
    (row,) = RunStore(tmp_path).list_runs()  # a new handle: it is on disk
    assert (row.name, row.tags, row.status, row.models) == (
        "first",
        ["a", "b"],
        "done",
        ["rnn", "gru"],
    )
    assert row.config_hash == config_hash(run.config.to_dict())
    assert row.metrics["gru"]["val_accuracy"] == run.models["gru"].final["val_accuracy"]


def test_filter_rename_tag_delete(tmp_path, run):
    store = RunStore(tmp_path)
    a = stored.save_run(store, run, name="a")
    gru_only = train(RunConfig(**{**TINY.to_dict(), "models": ("gru",), "task": "order"}))
    b = stored.save_run(store, gru_only, name="b", tags=("x",))
    assert [r.id for r in store.list_runs(model="rnn")] == [a]
    assert [r.id for r in store.list_runs(task="order")] == [b]
    assert [r.id for r in store.list_runs(tag="x")] == [b]
    store.rename(a, "renamed")
    store.set_tags(a, ("y", " y ", ""))
    assert {r.name: r.tags for r in store.list_runs()} == {"renamed": ["y"], "b": ["x"]}
    store.delete(b)
    assert [r.id for r in store.list_runs()] == [a]
    assert len(list((tmp_path / "weights").glob("*.npz"))) == 1


def test_records_of_other_kinds_round_trip(tmp_path):
    store = RunStore(tmp_path)
    arrays = {"enc/W": np.arange(6, dtype=np.float32).reshape(2, 3)}
    rid = store.save_record(
        kind="translate",
        name="en-ko",
        config={"task": "translate"},
        histories={"loss": [3.0, 2.0]},
        metrics={"bleu": 12.5},
        arrays=arrays,
        tags=("lab",),
    )
    rec = store.load_record(rid)
    assert rec.metrics == {"bleu": 12.5} and rec.histories == {"loss": [3.0, 2.0]}
    np.testing.assert_array_equal(rec.arrays["enc/W"], arrays["enc/W"])
    assert store.list_runs(kind="translate")[0].tags == ["lab"]


def test_foreign_sqlite_file_is_refused_by_name(tmp_path):
    con = sqlite3.connect(tmp_path / INDEX)
    con.execute("CREATE TABLE photos (id INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(
        StoreError,
        match=r"index.sqlite: an SQLite file of another program "
        r"\(tables photos\)",
    ):
        RunStore(tmp_path)


def test_damaged_file_is_refused_by_name(tmp_path):
    (tmp_path / INDEX).write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="index.sqlite: not a usable Gatescope run store"):
        RunStore(tmp_path)


def test_a_file_where_the_folder_should_be(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(StoreError, match="is a file, not a run-store folder"):
        RunStore(tmp_path / "f")


def test_cli_saves_in_the_store_given(tmp_path, capsys):
    assert (
        train_cli(
            [
                "--length",
                "5",
                "--hidden",
                "4",
                "--steps",
                "3",
                "--val-size",
                "8",
                "--store",
                str(tmp_path / "s"),
            ]
        )
        == 0
    )
    (row,) = RunStore(tmp_path / "s").list_runs()
    assert row.kind == "cli" and row.config["steps"] == 3
    assert f"stored as {row.id}" in capsys.readouterr().out


def test_cli_uses_gatescope_store_by_default(run_store, capsys):
    assert train_cli(["--length", "5", "--hidden", "4", "--steps", "3", "--val-size", "8"]) == 0
    assert len(open_store().list_runs()) == 1 and open_store().folder == run_store


WRITER = textwrap.dedent("""
    import sys
    from core.store.run_store import RunStore
    from core.runs import stored
    from core.train.config import RunConfig
    from core.train.loop import train
    store = RunStore(sys.argv[1])
    run = train(RunConfig(length=5, hidden=4, steps=2, val_size=8, eval_every=1, checkpoints=2))
    print("ready", flush=True)
    for i in range(int(sys.argv[2])):
        stored.save_run(store, run, name=f"{sys.argv[3]}-{i}")
""")


def _writer(folder, count: int, label: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(folder), str(count), label],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_concurrent_writer_processes_lose_nothing(tmp_path):
    RunStore(tmp_path)
    procs = [_writer(tmp_path, 15, f"w{i}") for i in range(4)]
    for p in procs:
        assert p.wait(timeout=120) == 0
    runs = RunStore(tmp_path).list_runs()
    assert sorted(r.name for r in runs) == sorted(f"w{i}-{j}" for i in range(4) for j in range(15))
    for r in runs[::7]:
        assert stored.load_run(RunStore(tmp_path), r.id).has_weights


def test_kill_9_mid_write_loses_at_most_the_run_being_written(tmp_path):
    RunStore(tmp_path)
    proc = _writer(tmp_path, 100_000, "k")
    assert proc.stdout.readline().strip() == "ready"
    deadline = time.monotonic() + 60
    while len(RunStore(tmp_path).list_runs()) < 20 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    store = RunStore(tmp_path)
    con = sqlite3.connect(tmp_path / INDEX)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    runs = store.list_runs()
    names = {r.name for r in runs}
    written = max(int(n.split("-")[1]) for n in names)
    assert names == {f"k-{i}" for i in range(written + 1)}  # every committed run, in order
    for r in runs:  # each one whole, weights too
        assert stored.load_run(store, r.id).has_weights
    leftovers = {p.name for p in (tmp_path / "weights").iterdir()} - {f"{r.id}.npz" for r in runs}
    assert len(leftovers) <= 1  # at most the run being written
