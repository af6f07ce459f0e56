"""The Train page's list of stored runs (across restarts): filter by task, model and tag, sort
by a metric, open one, overlay several, rename, tag and delete (after a confirmation).

The list sits in an expander that builds its content only while open (Streamlit's lazy
expander), so a visitor who only looks at the results pays nothing for it."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from core.runs import stored
from core.store.records import StoredRun, StoreError
from core.store.run_store import RunStore
from core.translate.stored import KIND as TRANSLATE
from dashboard.session import state
from dashboard.session.services import current_store
from dashboard.shared.style import model_label
from dashboard.shared.text import plain
from dashboard.views.train.charts import overlay_curves

OPEN = "stored_runs_open"  # the expander's state: its content is built only while open
TABLE = "stored_runs_table"
PENDING_DELETE = "stored_runs_delete"  # ids awaiting confirmation
ALL = "all"
TRANSLATE_PAGE = "views/translate/translate.py"  # relative to the entry point, dashboard/app.py
SORTS = {
    "newest": None,
    "best validation accuracy": "val_accuracy",
    "lowest validation loss": "val_loss",
}


def stored_runs_section() -> None:
    handle = current_store()
    if handle.store is None:
        st.warning(handle.problem, icon=":material/warning:")
        return
    store = handle.store
    every = store.counts()  # one query: the list itself is read only while the box is open
    counts = {kind: n for kind, n in every.items() if kind in stored.KINDS}
    if not counts:
        st.caption(
            "No stored runs yet: every run trained here, on the command line or in a "
            "sweep is saved in the run store."
        )
        translations_link(every.get(TRANSLATE, 0))
        return
    kinds = ", ".join(f"{n} {k}" for k, n in counts.items())
    st.caption(f"{sum(counts.values())} saved ({kinds}).")
    translations_link(every.get(TRANSLATE, 0))
    box = st.expander(
        "Browse, compare and manage them",
        key=OPEN,
        on_change="rerun",
        icon=":material/inventory_2:",
    )
    if box.open:
        with box:
            browse(store, stored.list_runs(store))


def translations_link(n: int) -> None:
    """Translation experiments share the store but open on the Translate page: say so there."""
    if n:
        verb = "is" if n == 1 else "are"
        label = f"{n} translation experiment{'s' * (n != 1)} {verb} on the Translate page"
        st.page_link(TRANSLATE_PAGE, label=label, icon=":material/g_translate:")


def browse(store: RunStore, runs: list[StoredRun]) -> None:
    """Filters, the table (rows selectable) and what can be done with the selected runs."""
    shown = filtered(runs)
    if not shown:
        st.info("No stored run matches these filters.")
        return
    table = runs_table(shown)
    event = st.dataframe(
        table,
        hide_index=True,
        on_select="rerun",
        selection_mode="multi-row",
        key=TABLE,
        column_config={"id": None},
    )
    rows = event.selection.rows if event and event.selection else []
    picked = [shown[i] for i in rows if i < len(shown)]  # rows of an older, longer list go
    actions(store, picked)


def filtered(runs: list[StoredRun]) -> list[StoredRun]:
    a, b, c, d = st.columns(4)
    tasks = sorted({r.task for r in runs})
    models = sorted({m for r in runs for m in r.models})
    tags = sorted({t for r in runs for t in r.tags})
    task = a.selectbox("Task", [ALL, *tasks], key="stored_task")
    model = b.selectbox(
        "Model",
        [ALL, *models],
        key="stored_model",
        format_func=lambda m: m if m == ALL else model_label(m),
    )
    tag = c.selectbox("Tag", [ALL, *tags], key="stored_tag")
    sort = d.selectbox("Sort by", list(SORTS), key="stored_sort")
    sweeps = st.toggle("Also list the runs of sweeps", False, key="stored_sweeps")
    out = [
        r
        for r in runs
        if (task == ALL or r.task == task)
        and (model == ALL or model in r.models)
        and (tag == ALL or tag in r.tags)
        and (sweeps or r.kind != "sweep")
    ]
    metric = SORTS[sort]
    if metric is not None:
        sign = -1 if metric == "val_accuracy" else 1
        out.sort(key=lambda r: sign * _best(r, metric, sign))
    return out


def _best(r: StoredRun, metric: str, sign: int) -> float:
    values = [m.get(metric) for m in r.metrics.values() if m.get(metric) is not None]
    if not values:
        return -math.inf * sign
    return max(values) if sign < 0 else min(values)


def runs_table(runs: list[StoredRun]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "id": r.id,
                "name": r.name,
                "kind": r.kind,
                "task": r.task,
                "models": ", ".join(model_label(m) for m in r.models),
                "validation accuracy": ", ".join(
                    f"{model_label(m)} {v['val_accuracy']:.1%}"
                    for m, v in r.metrics.items()
                    if v.get("val_accuracy") is not None
                ),
                "tags": ", ".join(r.tags),
                "status": r.status,
                "saved": pd.Timestamp(r.created, unit="s").strftime("%Y-%m-%d %H:%M"),
            }
            for r in runs
        ]
    )


def actions(store: RunStore, picked: list[StoredRun]) -> None:
    if not picked:
        st.caption("Select rows to open, overlay, rename, tag or delete runs.")
        return
    done = [r for r in picked if r.status == "done"]
    if (
        len(picked) == 1
        and done
        and st.button(
            "Show this run on every page", key="stored_open", icon=":material/open_in_new:"
        )
    ):
        _open(store, picked[0])
    if len(done) > 1:
        try:
            runs = {r.name: stored.load_run(store, r.id, weights=False) for r in done}
        except StoreError as err:
            st.error(plain(str(err)), icon=":material/error:")
        else:
            st.plotly_chart(overlay_curves(runs), key="stored_overlay")
    edit(store, picked)


def _open(store: RunStore, r: StoredRun) -> None:
    try:
        run = stored.load_run(store, r.id)
    except StoreError as err:
        st.error(f"Not opened: {plain(str(err))}", icon=":material/error:")
        return
    state.store_run(run, r.name)
    st.rerun()


def edit(store: RunStore, picked: list[StoredRun]) -> None:
    a, b, c = st.columns(3)
    if len(picked) == 1:
        name = a.text_input("Name", picked[0].name, key=f"stored_name_{picked[0].id}")
        if name.strip() and name.strip() != picked[0].name:
            store.rename(picked[0].id, name.strip())
            st.rerun()
    tags = b.text_input(
        "Tags (comma-separated)",
        ", ".join(picked[0].tags),
        key=f"stored_tags_{'_'.join(r.id for r in picked)}",
    )
    if b.button("Set tags", key="stored_set_tags"):
        for r in picked:
            store.set_tags(r.id, tuple(tags.split(",")))
        st.rerun()
    ids = [r.id for r in picked]
    if st.session_state.get(PENDING_DELETE) != ids:
        if c.button(f"Delete {len(ids)} run(s)", key="stored_delete", icon=":material/delete:"):
            st.session_state[PENDING_DELETE] = ids
            st.rerun()
        return
    c.warning(f"Delete {len(ids)} stored run(s) for good?", icon=":material/warning:")
    yes, no = c.columns(2)
    if yes.button("Delete", type="primary", key="stored_delete_yes"):
        for run_id in ids:
            store.delete(run_id)
        st.session_state.pop(PENDING_DELETE, None)
        st.rerun()
    if no.button("Cancel", key="stored_delete_no"):
        st.session_state.pop(PENDING_DELETE, None)
        st.rerun()
