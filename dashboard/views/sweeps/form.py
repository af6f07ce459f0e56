"""The Sweeps page's grid form: a preset or a grid file fills it, it shows the run count and a
time estimate as it is edited, and it gives the grid back as a grid file.

Not an st.form: the run count and the estimate follow every edit, before Run. A preset or an
uploaded file writes its values into the widgets' session state (an on_change callback), so
the browser shows exactly the grid that Run trains."""

from __future__ import annotations

import streamlit as st

from core.cells import cell_names
from core.runs.limits import LIMITS
from core.sweep.grid import Grid, GridError, grid_from_tables, grid_from_toml, grid_toml
from core.sweep.names import file_stem, sweep_title
from core.sweep.presets import PRESETS, preset_grid
from core.tasks import TASKS, task_names
from core.train.config import RunConfig
from dashboard.shared.style import model_label

PRESET = "sweeps_preset"
UPLOAD = "sweeps_upload"
PROBLEM = "sweeps_file_problem"  # the last upload's one-line problem
REST = "sweeps_rest"  # the loaded grid's fields the form has no widget for: {"base", "grid"}
SOURCE = "sweeps_source"  # where the form's values came from, in words
CUSTOM = "custom"
KEEP = "session"  # form values survive page switches
LISTS = {"length": "sweeps_lengths", "hidden": "sweeps_hidden", "seed": "sweeps_seeds"}
SINGLE = {"task": "sweeps_task", "steps": "sweeps_steps", "lr": "sweeps_lr"}
SINGLE_TYPES = {"task": str, "steps": int, "lr": float}  # as their widgets hold them
MODELS = "sweeps_models"
PLURALS = {"hidden": "hidden sizes", "lr": "learning rates", "steps": "step counts"}
CUSTOM_GRID = (
    {"task": "recall", "steps": 300, "hidden": 16, "val_size": 256},
    {"model": ["rnn", "gru"], "length": [10, 20, 40], "seed": [0, 1, 2]},
)


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


def form_state(grid: Grid) -> dict:
    """Widget key -> value showing `grid`, and REST: the fields the widgets do not show."""
    base, axes = dict(grid.base), dict(grid.axes)
    state = {MODELS: [m for m in grid.models if m in cell_names()]}
    for field, key in LISTS.items():
        values = axes.pop(field, None) or (base.pop(field, getattr(RunConfig, field)),)
        state[key] = ", ".join(map(str, values))
    for field, key in SINGLE.items():
        if field not in axes:  # a swept steps or lr stays in REST, its widget hidden
            state[key] = SINGLE_TYPES[field](base.pop(field, getattr(RunConfig, field)))
    return state | {REST: {"base": base, "grid": {k: list(v) for k, v in axes.items()}}}


def form_tables(state) -> tuple[dict, dict]:
    """(base, grid) tables from the widgets' values and REST in `state` (the session state);
    ValueError naming a bad list."""
    rest = state.get(REST, {"base": {}, "grid": {}})
    base = dict(rest["base"]) | {f: state[k] for f, k in SINGLE.items() if k in state}
    grid = {"model": list(state[MODELS])}
    for field, key in LISTS.items():
        try:
            values = numbers(state[key])
        except ValueError as err:
            raise ValueError(f"{field}: {err}") from None
        if field == "hidden" and len(values) == 1:
            base["hidden"] = values[0]
        else:
            grid[field] = values
    return base, grid | dict(rest["grid"])


def _fill(grid: Grid, source: str) -> None:
    state = form_state(grid)
    for key in SINGLE.values():
        if key not in state:  # the grid sweeps that field: no single-value widget for it
            st.session_state.pop(key, None)
    for key, value in state.items():
        st.session_state[key] = value
    st.session_state[SOURCE] = source


def _load_preset() -> None:
    """on_change of the preset picker: the form shows the preset's grid."""
    key = st.session_state[PRESET]
    st.session_state[PROBLEM] = None  # an earlier file's problem is no longer the form's
    grid = preset_grid(key)[0] if key in PRESETS else grid_from_tables(*CUSTOM_GRID)
    _fill(grid, PRESETS[key].title if key in PRESETS else "")


def _load_upload() -> None:
    """on_change of the grid-file uploader: a good file fills the form, a bad one is named."""
    file = st.session_state.get(UPLOAD)
    st.session_state[PROBLEM] = None
    if file is None:
        return
    try:
        grid = grid_from_toml(file.getvalue(), name=file.name, where=file.name)
    except GridError as err:
        st.session_state[PROBLEM] = str(err)
        return
    st.session_state[PRESET] = CUSTOM
    _fill(grid, f"the file {file.name}")


def sweep_form(estimate_text) -> Grid | None:
    """The form in the sidebar; the grid it shows when Run is pressed, else None.
    estimate_text(grid) -> a sentence on how long the grid takes (an estimate)."""
    st.selectbox(
        "Preset",
        [CUSTOM, *PRESETS],
        key=PRESET,
        on_change=_load_preset,
        format_func=lambda k: "Custom grid" if k == CUSTOM else PRESETS[k].title,
        persist_state=KEEP,
    )
    if any(k not in st.session_state for k in (MODELS, *LISTS.values())):
        _load_preset()  # a new session: the chosen preset's values
    _notes()
    _widgets()
    grid = _form_grid()
    if grid is not None and _edited_preset(grid):
        st.caption("Edited: this is no longer the preset's grid.")
    if grid is not None:
        with st.container(key="sweeps_count"):
            st.markdown(f"**{sweep_title(grid)}**: {_count_text(grid)}. {estimate_text(grid)}")
    run = st.button(
        "Run sweep", type="primary", icon=":material/play_arrow:", disabled=grid is None
    )
    _file_controls(grid)
    return grid if run else None


def _form_grid() -> Grid | None:
    """The grid the form shows, or None with one line on what is wrong."""
    if not st.session_state[MODELS]:
        st.error("Choose at least one model.", icon=":material/error:")
        return None
    try:
        return grid_from_tables(*form_tables(st.session_state), name="form", where="this grid")
    except GridError as err:
        st.error(str(err), icon=":material/error:")
    except ValueError as err:
        st.error(f"The grid cannot be built: {err}", icon=":material/error:")
    return None


def _edited_preset(grid: Grid) -> bool:
    """A preset is chosen and the form's runs are not its runs."""
    key = st.session_state[PRESET]
    return key in PRESETS and set(grid.configs()) != set(preset_grid(key)[0].configs())


def _notes() -> None:
    preset = PRESETS.get(st.session_state[PRESET])
    if preset:
        st.caption(preset.summary)
        missing = preset_grid(st.session_state[PRESET])[1]
        if missing:
            st.caption("Not registered in this version: " + ", ".join(missing))
    elif st.session_state.get(SOURCE):
        st.caption(f"From {st.session_state[SOURCE]}.")
    rest = st.session_state.get(REST, {})
    shown = {**rest.get("base", {}), **rest.get("grid", {})}
    if shown:
        st.caption("The same in every run: " + "; ".join(f"{k} = {v}" for k, v in shown.items()))


def _widgets() -> None:
    if SINGLE["task"] in st.session_state:
        st.selectbox(
            "Task",
            task_names(),
            format_func=lambda t: TASKS[t].label,
            key=SINGLE["task"],
            persist_state=KEEP,
        )
    st.multiselect("Models", cell_names(), format_func=model_label, key=MODELS, persist_state=KEEP)
    st.text_input(
        "Sequence lengths T",
        key=LISTS["length"],
        persist_state=KEEP,
        help="Comma-separated, e.g. 10, 20, 40.",
    )
    st.text_input(
        "Hidden sizes H",
        key=LISTS["hidden"],
        persist_state=KEEP,
        help="One size, or several to sweep.",
    )
    st.text_input(
        "Seeds",
        key=LISTS["seed"],
        persist_state=KEEP,
        help="One run per seed and setting, e.g. 0, 1, 2.",
    )
    if SINGLE["steps"] in st.session_state:
        st.number_input("Steps", *LIMITS["steps"], step=50, key=SINGLE["steps"], persist_state=KEEP)
    if SINGLE["lr"] in st.session_state:
        st.number_input(
            "Learning rate", 1e-5, 10.0, format="%.4g", key=SINGLE["lr"], persist_state=KEEP
        )


def _count_text(grid: Grid) -> str:
    sizes = [f"{len(grid.models)} model{'s' if len(grid.models) > 1 else ''}"]
    sizes += [
        f"{len(v)} {PLURALS.get(k, k + 's') if len(v) > 1 else k}" for k, v in grid.axes.items()
    ]
    n = len(grid.configs())
    return f"{n} run{'s' if n > 1 else ''} ({' × '.join(sizes)})"


def _file_controls(grid: Grid | None) -> None:
    """The grid as a grid file (`python -m core.sweep run FILE` reads it too), and a file in."""
    if grid is not None:
        st.download_button(
            "Grid (.toml)",
            grid_toml(grid),
            f"{file_stem(sweep_title(grid))}.toml",
            "application/toml",
            key="sweeps_grid_toml",
            on_click="ignore",
            icon=":material/download:",
        )
    st.file_uploader(
        "Grid file (.toml)",
        type="toml",
        key=UPLOAD,
        on_change=_load_upload,
        max_upload_size=1,
        help="A [base] and a [grid] table, as downloaded above or read by "
        "`python -m core.sweep run GRID.toml`.",
    )
    if st.session_state.get(PROBLEM):
        st.error(st.session_state[PROBLEM], icon=":material/error:")
