"""Training jobs on the server (core.workers.registry, one for the whole server): a page submits
one, and every page, in any tab, lists the unfinished ones with their progress, queue position
and a Stop button (a fragment polls every half second; a second one redraws the live loss
curves every two seconds: a chart costs the browser far more to draw than a progress bar).

The server saves each finished run in the run store, whatever became of the tab that asked
for it: a reload or a closed tab stops nothing, Stop does. The session that submitted a job
also shows its run once it is done; others are told it finished and where it is stored.
"""

from __future__ import annotations

import streamlit as st

from core.runs import stored
from core.store.records import StoreError
from core.train.config import RunConfig
from dashboard.session import state
from dashboard.session.live_curves import CURVES_SECONDS, live_figure
from dashboard.session.services import current_store, pool_problem, training_jobs
from dashboard.shared.style import model_label, ordered
from dashboard.shared.text import plain

JOBS = "gatescope_jobs"  # [(job id, run name)] this session asked for, unfinished
WATCHED = "gatescope_jobs_watched"  # ids of other sessions' jobs this page has shown
NOTICES = "gatescope_job_notices"  # messages about jobs that ended
POLL_SECONDS = 0.5  # progress bars and the end of a job


def submit(cfg: RunConfig, name: str) -> str:
    """Queue a training job on the server (one per config: an identical unfinished job is
    joined, and the page says so); the page polls it with `show_jobs()`."""
    job, new = training_jobs().submit(cfg, name)
    if not new:
        st.info(
            f"An identical training ({plain(job.name)}) is already running or queued: it is "
            "not started again. Its run is shown here when it is done.",
            icon=":material/info:",
        )
    mine = st.session_state.setdefault(JOBS, [])
    if all(job_id != job.id for job_id, _ in mine):
        mine.append((job.id, job.name))
    return job.id


def active_jobs() -> list[tuple[str, str]]:
    return st.session_state.get(JOBS, [])


def show_jobs() -> None:
    """Notices of ended jobs, and the polling fragments while any job of the server is open."""
    problem = pool_problem()
    if problem:
        st.warning(problem, icon=":material/cloud_off:")
    for notice in st.session_state.pop(NOTICES, []):
        st.info(notice, icon=":material/info:")
    if active_jobs() or training_jobs().unfinished():
        _jobs_fragment()
        _curves_fragment()


@st.fragment(run_every=POLL_SECONDS)
def _jobs_fragment() -> None:
    registry = training_jobs()
    watched = st.session_state.setdefault(WATCHED, set())
    unfinished = registry.unfinished()
    for job in unfinished:
        status = registry.status(job.id)
        if status is None or status.finished:
            continue  # being saved: it ends at the next poll
        watched.add(job.id)
        _progress(job.id, job.name, status)
    still = {job.id for job in unfinished}
    ended = [j for j in {j for j, _ in active_jobs()} | watched if j not in still]
    for job_id in ended:
        _collect(job_id)
    if ended:
        st.rerun(scope="app")  # the whole page shows the new run (or the notice)


def _progress(job_id: str, name: str, status) -> None:
    title = "Training " + " and ".join(model_label(m) for m in ordered(status.config.models))
    title += f" ({plain(name)})"
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
            on_click=training_jobs().stop,
            args=(job_id,),
        )


@st.fragment(run_every=CURVES_SECONDS)
def _curves_fragment() -> None:
    """The loss curves of the server's running jobs, as far as they have been evaluated."""
    registry = training_jobs()
    for job in registry.unfinished():
        status = registry.status(job.id)
        if status is not None and status.histories and not status.finished:
            st.plotly_chart(live_figure(status), key=f"live_{job.id}")


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


def _collect(job_id: str) -> None:
    """A job has ended: this session's own run becomes current; every watcher gets a notice."""
    mine = dict(active_jobs())
    st.session_state[JOBS] = [j for j in active_jobs() if j[0] != job_id]
    st.session_state.setdefault(WATCHED, set()).discard(job_id)
    outcome = training_jobs().outcome(job_id)
    if outcome is None:  # ended long ago (its outcome was dropped): nothing left to say
        return
    notices = st.session_state.setdefault(NOTICES, [])
    name = plain(outcome.job.name)
    if outcome.state == "done":
        if job_id in mine:
            state.store_run(outcome.run, outcome.job.name)
        else:
            notices.append(
                f"Training of {name} finished; it is in the stored runs below "
                "(select it there to show it)."
            )
        if outcome.message:
            notices.append(plain(outcome.message))
    elif outcome.state == "stopped":
        notices.append(f"Training of {name} was stopped; the shown run is unchanged.")
    else:
        notices.append(f"Training of {name} failed: {outcome.message}")
