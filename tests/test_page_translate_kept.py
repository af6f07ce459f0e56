"""Every translation experiment is kept (AppTest): a second training does not replace the
first, a new session (as after a restart, the same run store) lists and shows both without
retraining, and two are compared side by side."""

from __future__ import annotations

import pytest

from core.store.run_store import RunStore
from core.translate.stored import list_experiments
from dashboard.views.translate import experiments as store
from tests import apptest_helpers as ui
from tests.test_page_translate import open_translate, submit, wait_until_trained

pytestmark = pytest.mark.slow  # trains in worker processes


def test_two_trainings_are_kept_listed_after_a_restart_and_compared(fast, run_store):
    at = open_translate()
    first = wait_until_trained(submit(at))
    at.checkbox(key="tr_attention").check()
    second = wait_until_trained(submit(at))
    assert second.id != first.id
    labels = [first.label, second.label]
    assert labels[1] == "RNN vs GRU + attention on " + labels[0].split(" on ", 1)[1]
    assert at.selectbox(key=store.PICK_KEY).options == labels  # both listed, not replaced

    kept_ids = {r.name: r.id for r in list_experiments(RunStore(run_store))}
    assert set(kept_ids) == set(labels)
    again = open_translate()  # a new session on the same store: nothing in memory
    pick = again.selectbox(key=store.PICK_KEY)
    assert sorted(pick.options) == sorted(labels)
    pick.select(kept_ids[first.label]).run()
    shown = ui.metrics(again)
    for m, o in first.outcomes.items():
        assert shown[f"{m.upper()} test BLEU"] == f"{o.test.bleu:.2f}"
    table = next(df.value for df in again.dataframe if "reference" in df.value.columns)
    assert list(table["GRU"]) == first.outcomes["gru"].test.hyps  # no retraining
    kept = again.session_state[store.EXPERIMENTS][again.session_state[store.CURRENT]]
    assert kept.job.progress == {} and kept.pair_counts() == first.corpus.sizes()

    again.multiselect(key="tr_compare").set_value(list(kept_ids.values())).run()
    assert not again.exception, again.exception
    compared = next(df.value for df in again.dataframe if "experiment" in df.value.columns)
    assert set(compared["experiment"]) == set(labels) and len(compared) == 4
    bleu = {(r.experiment, r.model): r["test BLEU"] for _, r in compared.iterrows()}
    for exp in (first, second):
        for m, o in exp.outcomes.items():
            assert bleu[(exp.label, m.upper())] == round(o.test.bleu, 2)
