"""Sweeps page: a grid of runs from a form or a preset, trained on the worker pool (resumable:
runs already stored are not trained again), with success statistics drawn live."""

from __future__ import annotations

import hashlib
import io
import json

import streamlit as st

from core.cells import cell_names
from core.sweep.grid import GridError, grid_from_tables
from core.sweep.presets import PRESETS
from core.sweep.results import criterion_text, results_table, success_rates
from core.train.limits import LIMITS
from core.train.tasks import TASKS, task_names
from dashboard.charts.style import model_label
from dashboard.charts.sweeps import final_metric, steps_to_solve, success_curve, success_heatmaps
from dashboard.runs import sweep_jobs
from dashboard.text import plain

SHOWN = "sweeps_shown"  # name of the sweep this session looks at
PICK = "sweeps_pick"  # the sweep chooser's key
CUSTOM = "custom"


def numbers(text: str, kind=int) -> list:
    """'10, 20, 40' -> [10, 20, 40]; ValueError naming the bad item."""
    out = []
    for item in text.replace(";", ",").split(","):
        if item.strip():
            try:
                out.append(kind(item.strip()))
            except ValueError:
                raise ValueError(f"{item.strip()!r} is not a number") from None
    if not out:
        raise ValueError("give at least one value")
    return out


def sweep_form() -> tuple[dict, dict] | None:
    """(base, grid) tables on submit, else None."""
    key = st.selectbox(
        "Preset",
        [CUSTOM, *PRESETS],
        key="sweeps_preset",
        on_change=_reset_form,
        format_func=lambda k: "Custom grid" if k == CUSTOM else PRESETS[k].title,
    )
    p = PRESETS.get(key)
    base, grid = (
        (p.base, p.grid)
        if p
        else (
            {"task": "recall", "steps": 300, "hidden": 16, "val_size": 256},
            {"model": ["rnn", "gru"], "length": [10, 20, 40], "seed": [0, 1, 2]},
        )
    )
    if p:
        st.caption(p.summary)
    with st.form("sweeps_form"):
        task = st.selectbox(
            "Task",
            task_names(),
            index=task_names().index(base["task"]),
            format_func=lambda t: TASKS[t].label,
            key="sweeps_task",
        )
        known = cell_names()
        if p and any(m not in known for m in grid["model"]):
            st.caption(
                "Not registered in this version: "
                + ", ".join(m for m in grid["model"] if m not in known)
            )
        models = st.multiselect(
            "Models",
            known,
            [m for m in grid["model"] if m in known],
            format_func=model_label,
            key="sweeps_models",
        )
        lengths = st.text_input(
            "Sequence lengths T",
            ", ".join(map(str, grid["length"])),
            key="sweeps_lengths",
            help="Comma-separated, e.g. 10, 20, 40.",
        )
        hidden = st.text_input(
            "Hidden sizes H",
            str(base.get("hidden", 16)),
            key="sweeps_hidden",
            help="One size, or several to sweep.",
        )
        seeds = st.number_input("Seeds per setting", 1, 20, len(grid["seed"]), key="sweeps_seeds")
        steps = st.number_input("Steps", *LIMITS["steps"], base["steps"], 50, key="sweeps_steps")
        lr = st.number_input("Learning rate", 1e-5, 10.0, 1e-2, format="%.4g", key="sweeps_lr")
        if not st.form_submit_button("Run sweep", type="primary", icon=":material/play_arrow:"):
            return None
    try:
        hs = numbers(hidden)
        table = {"model": models, "length": numbers(lengths), "seed": list(range(int(seeds)))}
    except ValueError as err:
        st.error(f"The grid cannot be built: {err}", icon=":material/error:")
        return None
    if len(hs) > 1:
        table["hidden"] = hs
    out_base = {
        "task": task,
        "steps": int(steps),
        "lr": float(lr),
        "val_size": base.get("val_size", 256),
    }
    if len(hs) == 1:
        out_base["hidden"] = hs[0]
    return out_base, table


def _reset_form() -> None:
    """A new preset fills the form with its own values."""
    for k in (
        "sweeps_task",
        "sweeps_models",
        "sweeps_lengths",
        "sweeps_hidden",
        "sweeps_seeds",
        "sweeps_steps",
        "sweeps_lr",
    ):
        st.session_state.pop(k, None)


def grid_name(base: dict, grid: dict) -> str:
    """Same tables, same name: a resubmitted grid resumes."""
    text = json.dumps([base, grid], sort_keys=True)
    return f"{base['task']}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"


@st.fragment(run_every=1.0)
def live(name: str) -> None:
    """Progress and figures of one sweep, redrawn every second while it runs."""
    job = sweep_jobs.sweeps()[name]
    stopping = job.stop_requested.is_set()
    if st.button(
        "Stopping ..." if stopping else "Stop sweep",
        key="sweeps_stop",
        icon=":material/stop:",
        disabled=stopping,
        help="Cancels the runs not finished yet. Finished runs stay in the store; "
        "run the same grid again to resume.",
    ):
        sweep_jobs.stop(name)
    draw(job)
    if not job.running:
        st.rerun(scope="app")  # the static view takes over


def draw(job) -> None:
    if job.error:
        st.error(f"The sweep stopped: {job.error}", icon=":material/error:")
    p = job.progress
    if p is not None:
        todo = p.total - p.skipped
        st.progress(
            p.done / todo if todo else 1.0,
            text=f"{job.grid.name} on {job.where}: {p.done} of {todo} trained, "
            f"{p.skipped} already stored, {p.failed} failed, {p.seconds:.0f} s",
        )
        for failure in p.failures[-5:]:
            st.warning(f"Failed: {failure}", icon=":material/warning:")
        if p.stopped:
            st.info(
                f"Stopped on request after {p.done} of {todo} runs. Finished runs are stored: "
                "run the same grid again to train only the missing ones.",
                icon=":material/stop_circle:",
            )
    table = results_table(job.grid, job.store)
    missing = int((table["status"] != "done").sum())  # not trained yet, or failed
    if missing and not job.running:
        st.button(
            f"Train the {missing} missing or failed run{'s' if missing > 1 else ''}",
            key="sweeps_resume",
            icon=":material/play_arrow:",
            on_click=sweep_jobs.start,
            args=(job.grid,),
            help="Finished runs in the store are kept; only the others are trained.",
        )
    figures(job.grid, table)
    st.dataframe(table, hide_index=True, key=f"sweeps_table_{job.grid.name}")
    downloads(job.grid.name, table)


def figures(grid, table) -> None:
    done = table[table["status"] != "missing"]
    if done.empty or "model" not in table.columns:
        st.info("No finished runs yet: the figures appear as runs finish.")
        return
    x = "length" if "length" in grid.axes else next(iter(grid.axes), None)
    if x is None:
        return
    rates = success_rates(table, x=x)
    left, right = st.columns(2)
    left.plotly_chart(success_curve(rates, x, criterion_text(table)), key="sweeps_chart_success")
    right.plotly_chart(steps_to_solve(done), key="sweeps_chart_steps")
    left.plotly_chart(final_metric(done, x), key="sweeps_chart_final")
    others = [f for f in grid.axes if f not in (x, "seed")]
    if others:
        y = others[0]
        both = success_rates(table, x=x, by=("model", y))
        right.plotly_chart(success_heatmaps(both, x, y), key="sweeps_chart_heatmap")


def downloads(name: str, table) -> None:
    a, b = st.columns(2)
    a.download_button(
        "Results (.csv)",
        table.to_csv(index=False),
        f"{name}.csv",
        "text/csv",
        key="sweeps_csv",
        on_click="ignore",
        icon=":material/download:",
    )
    buf = io.BytesIO()
    table.to_parquet(buf, index=False)
    b.download_button(
        "Results (.parquet)",
        buf.getvalue(),
        f"{name}.parquet",
        "application/octet-stream",
        key="sweeps_parquet",
        on_click="ignore",
        icon=":material/download:",
    )


st.title("Sweeps: success over seeds")
st.caption(
    "A grid of runs, one per model and setting, trained on the worker pool. Runs already "
    "in the store are reused, so a sweep can be resumed or extended."
)
with st.sidebar:
    submitted = sweep_form()
if submitted is not None:
    base, table = submitted
    try:
        grid = grid_from_tables(base, table, name=grid_name(base, table), where="this grid")
    except GridError as err:
        st.error(str(err), icon=":material/error:")
    else:
        sweep_jobs.start(grid)
        st.session_state[SHOWN] = st.session_state[PICK] = grid.name  # show the new sweep
known, problems = sweep_jobs.every_sweep()
for problem in problems:
    st.warning(plain(problem), icon=":material/warning:")
if not known:
    st.info(
        "No sweep yet: choose a preset or a grid in the sidebar and run it. Sweeps run with "
        "`python -m core.sweep run GRID.toml` on the same run store are listed here too."
    )
else:
    names = list(known)
    if st.session_state.get(PICK) not in known:  # first look, or a sweep of another server
        shown = st.session_state.get(SHOWN)
        st.session_state[PICK] = shown if shown in known else names[-1]
    name = st.selectbox("Sweep", names, key=PICK)
    st.session_state[SHOWN] = name
    if known[name].running:
        live(name)
    else:
        draw(known[name])
