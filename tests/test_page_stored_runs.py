"""The Train page's stored runs (AppTest): runs saved before the server started are listed,
filtered, opened, overlaid, renamed, tagged and deleted after a confirmation; an imported run
file lands in the store; a damaged store leaves the app working in memory."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.runs import stored
from core.runs.run_files import run_to_bytes
from core.store.run_store import INDEX, open_store
from core.train.config import RunConfig
from core.train.loop import train
from core.translate.stored import KIND as TRANSLATE
from dashboard.session import state
from dashboard.views.train.stored_runs import OPEN, TABLE
from tests import apptest_helpers as ui

pytestmark = pytest.mark.slow  # the app driven through AppTest

TINY = RunConfig(length=5, hidden=4, steps=4, val_size=16, eval_every=2, checkpoints=2)


@pytest.fixture
def two_stored(run_store):
    store = open_store()
    a = stored.save_run(store, train(TINY), name="alpha", tags=("keep",))
    b = stored.save_run(
        store,
        train(RunConfig(**{**TINY.to_dict(), "models": ("gru",), "task": "order"})),
        name="beta",
    )
    return store, a, b


def _select(at: AppTest, rows: list[int]) -> AppTest:
    at.session_state[TABLE] = {"selection": {"rows": rows, "columns": [], "cells": []}}
    return at.run()


def _boot_open() -> AppTest:
    """The app with the stored runs' expander opened (its content is built only while open)."""
    at = ui.boot()
    assert not any("saved" in df.value.columns for df in at.dataframe)  # closed: not built
    at.session_state[OPEN] = True
    return at.run()


def _table(at: AppTest):
    return next(df.value for df in at.dataframe if "saved" in df.value.columns)


def test_stored_runs_are_listed_filtered_and_opened(fast, two_stored):
    store, a, b = two_stored
    at = _boot_open()
    table = _table(at)
    assert {"alpha", "beta", "default experiment"} <= set(table["name"])
    at.selectbox(key="stored_model").set_value("rnn").run()
    assert set(_table(at)["name"]) == {"alpha", "default experiment"}
    at.selectbox(key="stored_model").set_value("all").run()
    at.selectbox(key="stored_tag").set_value("keep").run()
    assert list(_table(at)["name"]) == ["alpha"]
    _select(at, [0])
    at.button(key="stored_open").click().run()
    assert not at.exception
    assert at.session_state[state.CURRENT_NAME] == "alpha"
    assert ui.current_run(at).config == TINY


def test_translation_experiments_are_not_offered_as_training_runs(fast, run_store):
    store = open_store()
    store.save_record(
        kind=TRANSLATE,
        name="RNN vs GRU on en-ko",
        config={"task": TRANSLATE, "models": ["rnn", "gru"]},
        histories={},
        metrics={},
    )
    stored.save_run(store, train(TINY), name="alpha")
    at = _boot_open()
    caption = next(c.value for c in at.caption if " saved (" in c.value)
    assert "translate" not in caption and caption.startswith("2 saved")  # alpha, the default
    (link,) = [p for p in at.page_link if "Translate" in p.value]
    assert link.value.startswith("1 translation experiment is on the Translate page")
    names = list(_table(at)["name"])
    assert set(names) == {"alpha", "default experiment"}
    for row in range(len(names)):
        _select(at, [row])
        at.button(key="stored_open").click().run()
        assert not at.exception
        assert not any("Not opened" in e.value for e in at.error)
        assert at.session_state[state.CURRENT_NAME].startswith(names[row])


def test_overlay_rename_tag_and_confirmed_delete(fast, two_stored):
    store, a, b = two_stored
    at = _boot_open()
    at.selectbox(key="stored_sort").set_value("lowest validation loss").run()
    names = list(_table(at)["name"])
    _select(at, [names.index("alpha"), names.index("beta")])
    assert at.get("plotly_chart")[-1].proto.id  # the overlay is drawn
    at.button(key="stored_delete").click().run()
    assert {r.name for r in store.list_runs()} >= {"alpha", "beta"}  # nothing gone yet
    at.button(key="stored_delete_yes").click().run()
    assert not at.exception
    assert {r.name for r in store.list_runs()} == {"default experiment"}


def test_rename_and_tag_one_run(fast, two_stored):
    store, a, b = two_stored
    at = _boot_open()
    names = list(_table(at)["name"])
    _select(at, [names.index("beta")])
    at.text_input(key=f"stored_name_{b}").set_value("beta renamed").run()
    at.text_input(key=f"stored_tags_{b}").set_value("x, y")
    at.button(key="stored_set_tags").click().run()
    assert not at.exception
    row = next(r for r in store.list_runs() if r.id == b)
    assert (row.name, row.tags) == ("beta renamed", ["x", "y"])


def test_an_uploaded_run_is_imported_into_the_store(fast):
    at = ui.boot()
    json_bytes, npz_bytes = run_to_bytes(train(TINY))
    ui.train_uploader(at).set_value(
        [
            ("up.run.json", json_bytes, "application/json"),
            ("up.run.npz", npz_bytes, "application/octet-stream"),
        ]
    ).run()
    assert not at.exception
    (row,) = open_store().list_runs(kind="import")
    assert row.name == "up.run.json" and row.has_weights


def test_a_damaged_store_gives_a_message_and_the_app_works_in_memory(fast, run_store):
    (run_store / INDEX).write_bytes(b"not a database" * 64)
    at = ui.boot()
    assert ui.current_run(at) is not None
    warnings = [w.value for w in at.warning]
    assert any("The run store cannot be used" in w and "index.sqlite" in w for w in warnings)
    at.number_input(key="train_steps").set_value(5)
    ui.finish_jobs(at.button[0].click().run())
    assert not at.exception
    assert ui.current_run(at).config.steps == 5
