"""Train page: recurrent models trained side by side on the same data; watch the loss, save,
reload."""

from __future__ import annotations

import streamlit as st

from core.cells import get_cell
from core.runs.run_files import run_to_bytes
from core.tasks import TASKS
from core.train.presets import PRESETS
from core.train.results import TrainResult
from core.train.verdict import nothing_learnt
from dashboard.session import state
from dashboard.shared.curves import accuracy_figure, loss_figure
from dashboard.shared.figure_cache import cached_figure
from dashboard.shared.labels import TASK_LABELS
from dashboard.shared.presentation import presenting, show
from dashboard.shared.style import model_label, ordered
from dashboard.shared.text import plain, settings_table
from dashboard.views.train import jobs
from dashboard.views.train.form import config_from_form, preset_picker, train_form
from dashboard.views.train.metrics import model_metrics
from dashboard.views.train.names import file_stem, run_name
from dashboard.views.train.stored_runs import stored_runs_section
from dashboard.views.train.upload import LoadedRun, load_uploaded_runs

UPLOAD_KEY = "train_upload"
SEEN_UPLOADS = "train_upload_seen"  # file ids already processed (never load a file twice)
UPLOAD_PROBLEMS = "train_upload_problems"  # [(file ids, message)] shown while those files stay
SHOWN_RUN_KEY = "train_shown_run"
# Panels below the first screen are lazy expanders: their content (a file uploader, download
# buttons, a settings table) is built, and sent to the browser, only while a person has them open.
FILES_OPEN = "train_files_open"
SETTINGS_OPEN = "train_settings_open"


def train_from_form(values: dict) -> None:
    """Build the config from the form and queue it on the worker pool (see runs.jobs)."""
    try:
        cfg = config_from_form(state.default_config(), values)
    except ValueError as err:
        st.error(f"These settings cannot be trained: {err}", icon=":material/error:")
        return
    jobs.submit(cfg, run_name(cfg, state.default_config()))


def upload_section() -> None:
    """Reload saved runs; a bad file gets an error naming it and the current run stays."""
    files = (
        st.file_uploader(
            "Load saved runs",
            type=["json", "npz"],
            accept_multiple_files=True,
            key=UPLOAD_KEY,
            help="A run's .json, optionally with its weights .npz (needed by the gradient and "
            "gates pages). Several runs at once are fine.",
        )
        or []
    )
    seen = st.session_state.setdefault(SEEN_UPLOADS, set())
    problems = st.session_state.setdefault(UPLOAD_PROBLEMS, [])
    new = [f for f in files if f.file_id not in seen]
    if new:
        seen.update(f.file_id for f in new)
        ids = frozenset(f.file_id for f in new)
        for item in load_uploaded_runs([(f.name, f.getvalue()) for f in new]):
            if isinstance(item, LoadedRun):
                state.store_run(item.run, item.name)
                jobs.keep(item.run, item.name, kind="import")
                note = (
                    ""
                    if item.run.has_weights
                    else (" without weights: upload its .npz too for the gradient and gates pages")
                )
                st.success(f"Loaded {plain(item.name)}{note}.", icon=":material/upload_file:")
            else:
                why = plain(item.message.rstrip("."))
                problems.append((ids, f"Not loaded: {why}. Runs already in this session are kept."))
    present = {f.file_id for f in files}
    problems[:] = [(ids, msg) for ids, msg in problems if ids & present]
    for _, msg in problems:
        st.error(msg, icon=":material/error:")


@st.cache_data(max_entries=8, show_spinner=False)
def run_files(run_id: str, _run: TrainResult) -> tuple[bytes, bytes | None]:
    """The run's JSON and weights .npz bytes (None without weights), once per stored run."""
    return run_to_bytes(_run)


def download_section(run: TrainResult, run_id: str) -> None:
    json_bytes, npz_bytes = run_files(run_id, run)
    stem = file_stem(state.current_name() or "run", run.config) + ".run"
    st.download_button(
        "Download run (.json)",
        json_bytes,
        f"{stem}.json",
        "application/json",
        key="train_download_json",
        on_click="ignore",
        icon=":material/download:",
        help="Config, histories, final metrics and baseline.",
    )
    if npz_bytes is None:
        st.caption("This run was loaded without its weights, so there is no .npz to download.")
        return
    st.download_button(
        "Download weights (.npz)",
        npz_bytes,
        f"{stem}.npz",
        "application/octet-stream",
        key="train_download_npz",
        on_click="ignore",
        icon=":material/download:",
        help="Final parameters and training snapshots; load it with the JSON.",
    )


def run_selector() -> None:
    """Choose among the session's runs; the header names the shown run when there is one."""
    names = list(state.named_runs())
    if len(names) < 2:
        st.subheader(plain(state.current_name()))
        return
    st.session_state[SHOWN_RUN_KEY] = state.current_name()
    st.selectbox(
        "Shown run",
        names,
        key=SHOWN_RUN_KEY,
        on_change=lambda: state.select_run(st.session_state[SHOWN_RUN_KEY]),
        help="Every run trained or loaded in this session; all pages show this one.",
    )


def suggestion(run: TrainResult) -> str | None:
    """One line when no model learnt: what to change, and this task's preset."""
    if not nothing_learnt(run):
        return None
    c = run.config
    who = all_models(run)
    tips = [
        t
        for t, useful in (
            (f"more steps (now {c.steps})", True),
            (
                "chrono initialisation (Advanced)",
                not c.chrono and any(get_cell(m).carry is not None for m in run.models),
            ),
            (f"a shorter T (now {c.length})", c.length > 10),
        )
        if useful
    ]
    preset = PRESETS.get(c.task)
    tail = f", or the preset *{preset.title}*" if preset else ""
    return (
        f"{who} ended no better than the baseline: nothing was learnt. Try "
        + ", ".join(tips)
        + tail
        + "."
    )


COUNT_WORDS = {2: "Both", 3: "All three", 4: "All four", 5: "All five", 6: "All six"}


def all_models(run: TrainResult) -> str:
    """'The GRU', 'Both models', 'All three models' ...: the run's models as a subject."""
    n = len(run.models)
    if n == 1:
        return f"The {model_label(next(iter(run.models)))}"
    return f"{COUNT_WORDS.get(n, f'All {n}')} models"


def explanation(run: TrainResult) -> str:
    """Three sentences tied to the run on screen: what the lines are, how it ended, what next."""
    c = run.config
    ends = " and ".join(
        f"{run.models[n].final['val_accuracy']:.1%} for the {model_label(n)}"
        for n in ordered(run.models)
    )
    phrase = TASKS[c.task].baseline_phrase.format(K=c.symbols, loss=run.baseline.loss)
    who = all_models(run) + (" saw identical batches" if len(run.models) > 1 else " saw batches")
    return (
        f"{who} of **{TASK_LABELS[c.task].lower()}** (T = {c.length}, seed {c.seed}): "
        "solid lines are the loss on a fixed held-out set, dotted lines the "
        "loss of each training batch, and the grey dashed line is what a model that ignores its "
        f"input scores ({phrase}). Validation accuracy ended at {ends}, "
        f"against {run.baseline.accuracy:.1%} for that input-ignoring guess. A curve that stays "
        f"on the grey line never learnt to carry information across {c.length} steps; the "
        "Gradient flow page shows how far back each model's gradient reaches."
    )


def results(run: TrainResult, run_id: str) -> None:
    c = run.config
    with st.columns([2, 1])[0]:
        run_selector()
    st.caption(
        f"{TASK_LABELS[c.task]}, T = {c.length}, H = {c.hidden}, {c.steps} steps; "
        f"baseline = {TASKS[c.task].baseline_name}."
    )
    if run.stopped:
        st.warning(
            f"{run.stopped} The curves below stop there; the partial results are kept.",
            icon=":material/warning:",
        )
    model_metrics(run)
    tip = suggestion(run)
    if tip:
        st.info(tip, icon=":material/lightbulb:")
    log_y = st.toggle("Logarithmic loss axis", key="train_log_y", persist_state="session")
    left, right = st.columns(2)
    loss = cached_figure((run_id, log_y), loss_figure, run, log_y=log_y)
    show(loss, "train_loss_chart", where=left)
    show(cached_figure((run_id,), accuracy_figure, run), "train_accuracy_chart", where=right)
    if presenting():
        st.markdown(explanation(run))
        return
    text, settings = st.columns([3, 2])
    text.markdown(explanation(run))
    box = settings.expander("Settings of the shown run", key=SETTINGS_OPEN, on_change="rerun")
    if box.open:
        box.markdown(settings_table(c.to_dict()))  # a table: no JSON viewer for browsers to load


shown_models = (state.current_run() or state.default_config()).models
st.title("Train: " + " vs ".join(model_label(m) for m in ordered(shown_models)))
st.caption("Train recurrent models side by side on the same long-range task and compare curves.")
with st.sidebar:
    preset_picker(state.default_config())
    submitted = train_form(state.default_config())
status = st.container()
shown = st.container()
files = st.container()
files_open = False
if not presenting():
    files.divider()
    files_box = files.expander(
        "Save or reload a run", key=FILES_OPEN, on_change="rerun", icon=":material/save:"
    )
    files_open = bool(files_box.open)
    if files_open:
        download_col, upload_col = files_box.columns(2)

with status:
    if submitted is not None:
        train_from_form(submitted)
    jobs.show_jobs()
if files_open:
    with upload_col:
        upload_section()
with status:
    current = state.ensure_default_run()
if current is not None:
    with shown:
        results(current, state.current_run_id())
    if files_open:
        with download_col:
            download_section(current, state.current_run_id())
if not presenting():
    st.divider()
    st.subheader("Stored runs")
    stored_runs_section()
