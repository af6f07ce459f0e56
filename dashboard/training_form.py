"""Reusable dashboard pieces: the training form and the training progress display."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from core.cells import cell_names
from core.train.config import LR_SCHEDULES, OPTIMIZERS, RunConfig
from core.train.limits import LIMITS
from core.train.tasks import TASKS, task_for, task_names
from dashboard.charts.style import model_label
from dashboard.charts.train import loss_curves

TASK_LABELS = {name: spec.label for name, spec in TASKS.items()}
KEEP = "session"  # form values survive page switches


class TrainingProgress:
    """An `on_step` callback: a progress bar and, optionally, a loss chart updated live below it.

    The chart is redrawn about eight times per run (every few evaluations), not every step.
    """

    def __init__(self, cfg: RunConfig, title: str, live_chart: bool = False, redraws: int = 8):
        self.cfg, self.title = cfg, title
        self.bar = st.progress(0.0, text=f"{title}: starting")
        self.chart_slot = st.empty() if live_chart else None
        self.bar_every = max(1, cfg.steps // 50)
        self.evaluations = 0
        self.chart_every = max(1, cfg.steps // cfg.eval_every // redraws)
        self.baseline = task_for(cfg).baseline

    def __call__(self, progress) -> None:
        step, steps = progress.step, progress.steps
        last = step >= steps
        if step % self.bar_every == 0 or last:
            self.bar.progress(min(1.0, max(0.0, step / steps)), text=f"{self.title}: "
                              f"step {step} of {steps}")
        if self.chart_slot is not None and progress.evaluated:
            self.evaluations += 1
            if self.evaluations % self.chart_every == 0 or last:
                fig = loss_curves(progress.histories, self.baseline, task=self.cfg.task)
                fig.update_layout(title={"text": f"Loss, live (step {step} of {steps})"})
                self.chart_slot.plotly_chart(fig, key=f"train_live_loss_{self.evaluations}")

    def clear(self) -> None:
        self.bar.empty()
        if self.chart_slot is not None:
            self.chart_slot.empty()


def train_form(base: RunConfig) -> dict | None:
    """The experiment settings as an st.form; the chosen field values on submit, else None."""
    with st.form("train_form"):
        st.subheader("Experiment")
        values = _task_fields(base) | _model_fields(base) | _optimiser_fields(base)
        submitted = st.form_submit_button("Train", type="primary", icon=":material/play_arrow:",
                                          width="stretch")
    return values if submitted else None


def config_from_form(base: RunConfig, values: dict) -> RunConfig:
    """Form values over the base config; raises ValueError with RunConfig's message."""
    return replace(base, **values)


def _task_fields(b: RunConfig) -> dict:
    return {
        "task": st.selectbox(
            "Task", task_names(), index=task_names().index(b.task), format_func=TASK_LABELS.get,
            key="train_task", persist_state=KEEP,
            help=" ".join(f"{s.label}: {s.description}" for s in TASKS.values())),
        "length": st.number_input(
            "Sequence length T", *LIMITS["length"], b.length, key="train_length",
            persist_state=KEEP,
            help="How many steps information must be carried. Longer is harder, above all "
                 "for the vanilla RNN."),
        "symbols": st.number_input(
            "Symbols K", *LIMITS["symbols"], b.symbols, key="train_symbols", persist_state=KEEP,
            help="Alphabet size of delayed recall only; the other tasks fix their own alphabet "
                 "and ignore this field."),
        "seed": st.number_input(
            "Seed", 0, 2**31 - 1, b.seed, key="train_seed", persist_state=KEEP,
            help="One seed drives the data, the initialisation and the batch order: the same "
                 "settings and seed give identical curves."),
    }


def _model_fields(b: RunConfig) -> dict:
    return {
        "models": tuple(st.multiselect(
            "Models", cell_names(), default=list(b.models), format_func=model_label,
            key="train_models", persist_state=KEEP,
            help="Trained side by side on identical batches from the same seed.")),
        "hidden": st.number_input(
            "Hidden units H", *LIMITS["hidden"], b.hidden, key="train_hidden", persist_state=KEEP,
            help="Hidden state size of each model."),
        "init_scale": st.number_input(
            "Init scale g", 0.01, 10.0, float(b.init_scale), 0.1, key="train_init_scale",
            persist_state=KEEP, help="Weights start as N(0, g²/fan_in); an orthogonal "
                                     "recurrent matrix is multiplied by g."),
        "orthogonal": st.checkbox(
            "Orthogonal recurrent matrix", b.orthogonal, key="train_orthogonal",
            persist_state=KEEP, help="Start the recurrent matrices orthogonal (times g)."),
        "update_bias": st.number_input(
            "GRU update-gate bias", -10.0, 10.0, float(b.update_bias), 0.5,
            key="train_update_bias", persist_state=KEEP,
            help="Initial bias of the update gate u. Negative makes u near 0: the state is "
                 "carried and the gradient has a shortcut."),
        "chrono": st.checkbox(
            "Chrono initialisation", b.chrono, key="train_chrono", persist_state=KEEP,
            help="Update-gate biases -log(U[1, T-1]), spreading memory time scales up to T; "
                 "overrides the update-gate bias."),
    }


SCHEDULE_LABELS = {"constant": "constant", "anneal": "anneal (last quarter)", "cosine": "cosine"}


def _optimiser_fields(b: RunConfig) -> dict:
    return {
        "steps": st.number_input(
            "Steps", *LIMITS["steps"], b.steps, 50, key="train_steps", persist_state=KEEP,
            help="Optimizer steps, one batch each."),
        "batch": st.number_input(
            "Batch", *LIMITS["batch"], b.batch, key="train_batch", persist_state=KEEP,
            help="Sequences per training batch."),
        "optimizer": st.selectbox(
            "Optimizer", OPTIMIZERS, index=OPTIMIZERS.index(b.optimizer),
            format_func=lambda o: {"adam": "Adam", "sgd": "SGD"}.get(o, o),
            key="train_optimizer", persist_state=KEEP),
        "lr": st.number_input(
            "Learning rate", 1e-5, 10.0, float(b.lr), 1e-3, format="%.4g", key="train_lr",
            persist_state=KEEP,
            help="If the loss turns NaN or infinite, training stops: lower this or clip."),
        "lr_schedule": st.selectbox(
            "Learning-rate schedule", LR_SCHEDULES, index=LR_SCHEDULES.index(b.lr_schedule),
            format_func=SCHEDULE_LABELS.get, key="train_lr_schedule", persist_state=KEEP,
            help="anneal: constant, then linearly down to 0 over the last quarter of the steps "
                 "(a calm finish); cosine: half a cosine from the full rate to 0."),
        "clip": st.number_input(
            "Gradient clip", 0.0, 100.0, float(b.clip), 0.5, key="train_clip",
            persist_state=KEEP, help="Global gradient-norm threshold; 0 turns clipping off."),
    }
