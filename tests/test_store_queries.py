"""The run store's queries select in SQL what they used to filter in Python: each must return
exactly what filtering the whole list gives (the oracle here), in the same newest-first order."""

from __future__ import annotations

import sqlite3
from collections import Counter

import pytest

from core.store import reading
from core.store.reading import COUNTS
from core.store.records import config_hash
from core.store.run_store import RunStore

KINDS = ("train", "sweep", "cli", "sweep", "translate")
TASKS = ("recall", "order", "keyed")


@pytest.fixture
def store(tmp_path) -> RunStore:
    """40 runs: 20 configs stored twice (a failed and a later finished run for some), kinds,
    tasks, sweeps and models varying."""
    store = RunStore(tmp_path)
    for i in range(40):
        config = config_of(i % 20)
        store.save(
            kind=KINDS[i % 5],
            name=f"run {i}",
            config=config,
            task=config["task"],
            models=config["models"],
            metrics={},
            seconds=float(i),
            doc=b"{}",
            npz=None,
            status="failed" if i % 7 == 0 else "done",
            sweep=f"sweep {i % 4}" if KINDS[i % 5] == "sweep" else None,
        )
    return store


def config_of(j: int) -> dict:
    return {"task": TASKS[j % 3], "seed": j, "models": [("rnn", "gru")[j % 2]]}


def hash_of(j: int) -> str:
    return config_hash(config_of(j))


def ids(runs) -> list[str]:
    return [r.id for r in runs]


def test_column_filters_equal_filtering_the_whole_list(store):
    everything = store.list_runs()
    assert len(everything) == 40
    assert [r.created for r in everything] == sorted((r.created for r in everything), reverse=True)
    for task in TASKS:
        assert ids(store.list_runs(task=task)) == ids(r for r in everything if r.task == task)
    for kind in set(KINDS):
        assert ids(store.list_runs(kind=kind)) == ids(r for r in everything if r.kind == kind)
    assert ids(store.list_runs(sweep="sweep 1", model="gru")) == ids(
        r for r in everything if r.sweep == "sweep 1" and "gru" in r.models
    )
    assert store.list_runs(task="no such task") == []


def test_counts_per_kind(store):
    counts = store.counts()
    assert counts == dict(Counter(r.kind for r in store.list_runs()))
    assert list(counts.values()) == sorted(counts.values(), reverse=True)
    assert RunStore(store.folder / "empty").counts() == {}


@pytest.mark.parametrize("status", ["done", "failed", None])
def test_find_is_the_newest_with_that_hash_and_status(store, status):
    everything = store.list_runs()
    for i in range(20):
        chash = hash_of(i)
        expected = next(
            (
                r
                for r in everything
                if r.config_hash == chash and (status is None or r.status == status)
            ),
            None,
        )
        found = store.find(chash, status=status)
        assert (found and found.id) == (expected and expected.id)
    assert store.find("0" * 16) is None


@pytest.mark.parametrize("per_query", [500, 3])  # one query, and several chunks
def test_with_hashes_is_every_run_of_those_configs(store, monkeypatch, per_query):
    monkeypatch.setattr(reading, "HASHES_PER_QUERY", per_query)
    everything = store.list_runs()
    wanted = {hash_of(i) for i in (0, 3, 4, 9, 11, 12, 17)} | {"f" * 16}  # one stored nowhere
    got = store.with_hashes(wanted)
    assert ids(got) == ids(r for r in everything if r.config_hash in wanted)
    assert len(got) == 14  # each of the seven configs was stored twice
    assert store.with_hashes([]) == []


def test_only_known_columns_can_be_filtered(store):
    with pytest.raises(ValueError, match="not a filterable column"):
        store._summaries({"name": "run 1"})


def test_a_store_made_before_the_kind_index_gets_it_when_opened(store):
    with sqlite3.connect(store.index) as con:
        con.execute("DROP INDEX runs_by_kind")
    counts = store.counts()
    reopened = RunStore(store.folder)
    with sqlite3.connect(reopened.index) as con:
        plan = " ".join(str(row) for row in con.execute(f"EXPLAIN QUERY PLAN {COUNTS}"))
    assert "runs_by_kind" in plan
    assert reopened.counts() == counts and len(reopened.list_runs()) == 40
