"""Sweeps page: a grid of runs from a form or a preset, trained on the worker pool (resumable:
runs already stored are not trained again), with success statistics drawn live."""

from __future__ import annotations

import io

import streamlit as st

from core.sweep.names import distinct_titles, file_stem, sweep_title
from core.sweep.results import criterion_text, results_table, success_rates
from dashboard.shared.text import plain
from dashboard.views.sweeps import jobs as sweep_jobs
from dashboard.views.sweeps.charts import (
    final_metric,
    steps_to_solve,
    success_curve,
    success_heatmaps,
)
from dashboard.views.sweeps.form import sweep_form

SHOWN = "sweeps_shown"  # name of the sweep this session looks at
PICK = "sweeps_pick"  # the sweep chooser's key


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
            text=f"{sweep_title(job.grid)} on {job.where}: {p.done} of {todo} trained, "
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
    downloads(file_stem(sweep_title(job.grid)), table)


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
    submitted = sweep_form(sweep_jobs.estimate_text)
if submitted is not None:
    grid = sweep_jobs.named(submitted)
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
    titles = distinct_titles({n: job.grid for n, job in known.items()})
    name = st.selectbox("Sweep", names, key=PICK, format_func=titles.get)
    st.session_state[SHOWN] = name
    if known[name].running:
        live(name)
    else:
        draw(known[name])
