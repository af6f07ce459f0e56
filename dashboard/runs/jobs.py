"""Training jobs of this session on the server's worker pool: submit, then a fragment polls
every half second and shows progress, the queue position and a Stop button, and a second one
redraws the live loss curves every two seconds (a chart costs the browser far more to draw than
a progress bar). A finished run is saved in the run store (by this, the submitting, process)
and becomes the current run."""

from __future__ import annotations

import streamlit as st

from core.store.records import StoreError
from core.train import stored
from core.train.config import RunConfig
from dashboard.charts.style import model_label, ordered
from dashboard.runs import state
from dashboard.runs.live_curves import CURVES_SECONDS, live_figure
from dashboard.runs.services import current_store, job_pool, pool_problem

JOBS = "gatescope_jobs"  # [(job id, run name)] submitted by this session, unfinished
NOTICES = "gatescope_job_notices"  # messages about jobs that ended without a run
POLL_SECONDS = 0.5  # progress bars and the end of a job


def submit(cfg: RunConfig, name: str) -> str:
    """Queue a training job for this session; the page polls it with `show_jobs()`."""
    job_id = job_pool().submit(cfg)
    st.session_state.setdefault(JOBS, []).append((job_id, name))
    return job_id


def active_jobs() -> list[tuple[str, str]]:
    return st.session_state.get(JOBS, [])


def show_jobs() -> None:
    """Notices of ended jobs, and the polling fragment while any job of this session is open."""
    problem = pool_problem()
    if problem:
        st.warning(problem, icon=":material/cloud_off:")
    for notice in st.session_state.pop(NOTICES, []):
        st.info(notice, icon=":material/info:")
    if active_jobs():
        _jobs_fragment()
        _curves_fragment()


@st.fragment(run_every=POLL_SECONDS)
def _jobs_fragment() -> None:
    pool = job_pool()
    finished = False
    for job_id, name in list(active_jobs()):
        status = pool.status(job_id)
        if status.finished:
            _collect(job_id, name, status)
            finished = True
            continue
        _progress(job_id, name, status)
    if finished:
        st.rerun(scope="app")  # the whole page shows the new run (or the notice)


def _progress(job_id: str, name: str, status) -> None:
    title = "Training " + " and ".join(model_label(m) for m in ordered(status.config.models))
    with st.container(border=True):
        left, right = st.columns([5, 1])
        if status.state == "queued":
            left.progress(
                0.0,
                text=f"{title}: waiting for a free worker, place {status.position} in the queue",
            )
        else:
            left.progress(
                min(1.0, status.step / max(status.steps, 1)),
                text=f"{title}: step {status.step} of {status.steps}",
            )
        right.button(
            "Stop",
            key=f"stop_{job_id}",
            icon=":material/stop:",
            on_click=job_pool().stop,
            args=(job_id,),
        )


@st.fragment(run_every=CURVES_SECONDS)
def _curves_fragment() -> None:
    """The loss curves of this session's running jobs, as far as they have been evaluated."""
    pool = job_pool()
    for job_id, _ in active_jobs():
        status = pool.status(job_id)
        if status.histories and not status.finished:
            st.plotly_chart(live_figure(status), key=f"live_{job_id}")


def keep(run, name: str, kind: str) -> str | None:
    """Save a run in the run store (when there is one); a message when that failed."""
    handle = current_store()
    if handle.store is None:
        return None
    try:
        stored.save_run(handle.store, run, name=name, kind=kind)
    except StoreError as err:
        return f"{name} is kept in this session but not saved in the run store: {err}"
    return None


def _collect(job_id: str, name: str, status) -> None:
    st.session_state[JOBS] = [j for j in active_jobs() if j[0] != job_id]
    notices = st.session_state.setdefault(NOTICES, [])
    if status.state == "done":
        state.store_run(status.result, name)
        problem = keep(status.result, name, kind="train")
        if problem:
            notices.append(problem)
    elif status.state == "stopped":
        notices.append(f"Training of {name} was stopped; the shown run is unchanged.")
    else:
        notices.append(f"Training of {name} failed: {status.error}")
    job_pool().forget(job_id)
