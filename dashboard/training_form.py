"""Reusable dashboard pieces: the training form and the training progress display."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from core.train.config import GRU_VARIANTS, LR_SCHEDULES, MODELS, OPTIMIZERS, TASKS, RunConfig
from core.train.limits import LIMITS
from core.train.tasks import task_for
from dashboard.charts.style import model_label
from dashboard.charts.train import loss_curves

TASK_LABELS = {
    "recall": "Delayed recall",
    "adding": "Adding problem",
    "copy": "Copy memory",
    "order": "Temporal order",
}
VARIANT_LABELS = {
    "seed": "seed (ours)",
    "reset_after": "reset_after (PyTorch)",
}
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
            "Task", TASKS, index=TASKS.index(b.task), format_func=TASK_LABELS.get,
            key="train_task", persist_state=KEEP,
            help="Delayed recall: name the first symbol after T-1 distractors (chance 1/K). "
                 "Adding: sum the two marked values (solved if |error| < 0.04). Copy memory: "
                 "repeat 10 symbols after T blanks. Temporal order: classify the order of two "
                 "marked symbols (4 classes)."),
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
            "Models", MODELS, default=list(b.models), format_func=model_label,
            key="train_models", persist_state=KEEP,
            help="Trained side by side on identical batches from the same seed.")),
        "hidden": st.number_input(
            "Hidden units H", *LIMITS["hidden"], b.hidden, key="train_hidden", persist_state=KEEP,
            help="Hidden state size of each model."),
        "gru_variant": st.selectbox(
            "GRU variant", GRU_VARIANTS, index=GRU_VARIANTS.index(b.gru_variant),
            format_func=VARIANT_LABELS.get, key="train_gru_variant", persist_state=KEEP,
            help="seed: c = tanh(W[r*h; x] + b), the reset gate acts before the matrix. "
                 "reset_after: n = tanh(W_in x + b_in + r*(W_hn h + b_hn)), as in PyTorch."),
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
