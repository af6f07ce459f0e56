"""The Train page's form: task, models, sizes and optimiser settings, and the presets."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from core.cells import InitOption, cell_names, get_cell, init_options
from core.runs.limits import LIMITS
from core.tasks import TASKS, task_names
from core.train.config import LR_SCHEDULES, OPTIMIZERS, RunConfig
from core.train.presets import PRESETS
from dashboard.shared.labels import TASK_LABELS
from dashboard.shared.style import model_label

KEEP = "session"  # form values survive page switches


PRESET_KEY = "train_preset"
FORM_FIELDS = (
    "task",
    "length",
    "models",
    "steps",
    "symbols",
    "seed",
    "hidden",
    "init_scale",
    "orthogonal",
    *init_options(),
    "chrono",
    "batch",
    "optimizer",
    "lr",
    "lr_schedule",
    "clip",
)  # RunConfig fields the form sets; widget key train_<field>


def _apply_preset(base: RunConfig) -> None:
    """Set every form widget to the chosen preset (an on_change callback)."""
    preset = PRESETS.get(st.session_state.get(PRESET_KEY))
    if preset is None:
        return
    cfg = preset.config(base)
    for name in FORM_FIELDS:
        value = getattr(cfg, name)
        st.session_state[f"train_{name}"] = list(value) if name == "models" else value


def preset_picker(base: RunConfig) -> None:
    """A task's preset fills the form with settings measured to show its story."""
    choice = st.selectbox(
        "Start from a preset",
        list(PRESETS),
        index=None,
        key=PRESET_KEY,
        format_func=lambda t: PRESETS[t].title,
        placeholder="Choose a task's preset",
        on_change=_apply_preset,
        args=(base,),
        help="Settings measured to show each task's story in about 30 s: the GRU learns, "
        "the vanilla RNN does not. They fill the form; press Train.",
    )
    if choice is not None and form_holds(PRESETS[choice].config(base), base):
        st.caption(f"Measured: {PRESETS[choice].claim}.")


def form_holds(cfg: RunConfig, base: RunConfig) -> bool:
    """Whether every form field holds cfg's value (a field not drawn yet holds base's)."""
    return all(
        _as_field(st.session_state.get(f"train_{name}", getattr(base, name)))
        == _as_field(getattr(cfg, name))
        for name in FORM_FIELDS
    )


def _as_field(value):
    return tuple(value) if isinstance(value, list) else value


def train_form(base: RunConfig) -> dict | None:
    """The experiment settings as an st.form: the main settings and the Train button first,
    the rest in an "Advanced" expander. The chosen field values on submit, else None.

    The task sits above the form, so that choosing one redraws the page (the preset's note
    follows it). Enter in a field does not submit: only a press of Train trains."""
    st.subheader("Experiment")
    task = _task_box(base)
    with st.form("train_form", enter_to_submit=False, border=False):
        values = {"task": task} | _main_fields(base)
        submitted = st.form_submit_button(
            "Train", type="primary", icon=":material/play_arrow:", width="stretch"
        )
        with st.expander("Advanced", icon=":material/tune:"):
            values |= _advanced_fields(base)
    return values if submitted else None


def config_from_form(base: RunConfig, values: dict) -> RunConfig:
    """Form values over the base config; raises ValueError with RunConfig's message."""
    return replace(base, **values)


def _main_fields(b: RunConfig) -> dict:
    return {
        "length": st.number_input(
            "Sequence length T",
            *LIMITS["length"],
            b.length,
            key="train_length",
            persist_state=KEEP,
            help="How many steps information must be carried. Longer is harder, above all "
            "for the vanilla RNN.",
        ),
        "models": _models_box(b),
        "steps": st.number_input(
            "Steps",
            *LIMITS["steps"],
            b.steps,
            50,
            key="train_steps",
            persist_state=KEEP,
            help="Optimizer steps, one batch each.",
        ),
    }


def _advanced_fields(b: RunConfig) -> dict:
    return _task_fields(b) | _model_fields(b) | _optimiser_fields(b)


def _task_box(b: RunConfig) -> str:
    return st.selectbox(
        "Task",
        task_names(),
        index=task_names().index(b.task),
        format_func=TASK_LABELS.get,
        key="train_task",
        persist_state=KEEP,
        help=" ".join(f"{s.label}: {s.description}" for s in TASKS.values()),
    )


def _models_box(b: RunConfig) -> tuple[str, ...]:
    models = tuple(
        st.multiselect(
            "Models",
            cell_names(),
            default=list(b.models),
            format_func=model_label,
            key="train_models",
            persist_state=KEEP,
            help="Trained side by side on identical batches from the same seed. "
            + f"Conventions: {conventions_note()} "
            + " ".join(f"{get_cell(n).label}: {get_cell(n).summary}." for n in cell_names()),
        )
    )
    return models


def conventions_note() -> str:
    """The conventions of the cells that name one, e.g. 'GRU: reset before (Cho et al. 2014)'."""
    return (
        "; ".join(f"{c.label}: {c.convention}" for c in map(get_cell, cell_names()) if c.convention)
        + "."
    )


def _task_fields(b: RunConfig) -> dict:
    return {
        "symbols": st.number_input(
            "Symbols K",
            *LIMITS["symbols"],
            b.symbols,
            key="train_symbols",
            persist_state=KEEP,
            help="Alphabet size of delayed recall only; the other tasks fix their own alphabet "
            "and ignore this field.",
        ),
        "seed": st.number_input(
            "Seed",
            0,
            2**31 - 1,
            b.seed,
            key="train_seed",
            persist_state=KEEP,
            help="One seed drives the data, the initialisation and the batch order: the same "
            "settings and seed give identical curves.",
        ),
    }


def _model_fields(b: RunConfig) -> dict:
    return {
        "hidden": st.number_input(
            "Hidden units H",
            *LIMITS["hidden"],
            b.hidden,
            key="train_hidden",
            persist_state=KEEP,
            help="Hidden state size of each model.",
        ),
        "init_scale": st.number_input(
            "Init scale g",
            0.01,
            10.0,
            float(b.init_scale),
            0.1,
            key="train_init_scale",
            persist_state=KEEP,
            help="Weights start as N(0, g²/fan_in); an orthogonal "
            "recurrent matrix is multiplied by g.",
        ),
        "orthogonal": st.checkbox(
            "Orthogonal recurrent matrix",
            b.orthogonal,
            key="train_orthogonal",
            persist_state=KEEP,
            help="Start the recurrent matrices orthogonal (times g).",
        ),
        **{name: _init_option_input(option, b) for name, option in init_options().items()},
        "chrono": st.checkbox(
            "Chrono initialisation",
            b.chrono,
            key="train_chrono",
            persist_state=KEEP,
            help="Carry-gate biases (the update and forget gates) set so that memory time "
            "scales spread up to T; overrides the gate biases above.",
        ),
    }


def _init_option_input(option: InitOption, b: RunConfig) -> float:
    """A number input for one init option a cell declares (e.g. the LSTM's forget bias)."""
    return st.number_input(
        option.label,
        option.low,
        option.high,
        float(getattr(b, option.name)),
        0.5,
        key=f"train_{option.name}",
        persist_state=KEEP,
        help=option.help,
    )


SCHEDULE_LABELS = {"constant": "constant", "anneal": "anneal (last quarter)", "cosine": "cosine"}


def _optimiser_fields(b: RunConfig) -> dict:
    return {
        "batch": st.number_input(
            "Batch",
            *LIMITS["batch"],
            b.batch,
            key="train_batch",
            persist_state=KEEP,
            help="Sequences per training batch.",
        ),
        "optimizer": st.selectbox(
            "Optimizer",
            OPTIMIZERS,
            index=OPTIMIZERS.index(b.optimizer),
            format_func=lambda o: {"adam": "Adam", "sgd": "SGD"}.get(o, o),
            key="train_optimizer",
            persist_state=KEEP,
        ),
        "lr": st.number_input(
            "Learning rate",
            1e-5,
            10.0,
            float(b.lr),
            1e-3,
            format="%.4g",
            key="train_lr",
            persist_state=KEEP,
            help="If the loss turns NaN or infinite, training stops: lower this or clip.",
        ),
        "lr_schedule": st.selectbox(
            "Learning-rate schedule",
            LR_SCHEDULES,
            index=LR_SCHEDULES.index(b.lr_schedule),
            format_func=SCHEDULE_LABELS.get,
            key="train_lr_schedule",
            persist_state=KEEP,
            help="anneal: constant, then linearly down to 0 over the last quarter of the steps "
            "(a calm finish); cosine: half a cosine from the full rate to 0.",
        ),
        "clip": st.number_input(
            "Gradient clip",
            0.0,
            100.0,
            float(b.clip),
            0.5,
            key="train_clip",
            persist_state=KEEP,
            help="Global gradient-norm threshold; 0 turns clipping off.",
        ),
    }
