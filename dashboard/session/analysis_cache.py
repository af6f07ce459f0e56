"""Cached analysis of stored runs for the Gradient flow and Gates pages, and the two pickers
those pages share (which run, which checkpoint).

Every wrapper is keyed by the run's unique id (dashboard.session.state.current_run_id()) plus the
checkpoint and whatever else selects the result; the TrainResult itself is passed as an
unhashed leading-underscore argument. Moving a slider back to a checkpoint already seen is a
cache hit. No st.* calls inside the cached functions.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.analysis import checkpoints
from core.analysis.batch_summary import one_blas_thread
from core.analysis.checkpoints import checkpoint_params
from core.analysis.decay import DecayStats, decay_stats
from core.analysis.gates import GateTrace, gate_trace, gate_trace_for_run, token_labels
from core.analysis.gradients import GradientFlow, gradient_flow_for_run
from core.analysis.jacobians import JacobianNorms, jacobian_norms_for_run
from core.analysis.spectrum import Spectrum, spectra_for_run
from core.cells import get_cell
from core.tasks import task_for
from core.train.results import TrainResult
from dashboard.session import state
from dashboard.shared.style import ordered

ENTRIES = 256  # cached results kept per wrapper (runs x checkpoints x models)
EXAMPLE_STREAM = 7_919  # rng stream of generated examples: (run seed, this, example seed)
RELATIVE_DEFAULT = True  # Gradient flow: curves normalised at k = 0 unless the reader says not
EXAMPLE_DEFAULT = ("batch", 0)  # Gates: the first sequence of the analysis batch


def checkpoint_steps(run: TrainResult) -> list[int]:
    """Optimizer steps of the checkpoints every model of the run has (index = checkpoint)."""
    per_model = [checkpoints.checkpoint_steps(run, m) for m in run.models]
    n = min(len(steps) for steps in per_model)
    return per_model[0][:n]


@st.cache_data(max_entries=ENTRIES, show_spinner="Computing gradient flow...")
def flows_at(run_id: str, checkpoint: int, _run: TrainResult) -> dict[str, GradientFlow]:
    """GradientFlow of every model at one checkpoint index."""
    return gradient_flow_for_run(_run, checkpoint)


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def decay_at(run_id: str, checkpoint: int, _run: TrainResult) -> dict[str, DecayStats]:
    """Half-life, decay rate and survival of every model at one checkpoint index."""
    return {m: decay_stats(f) for m, f in flows_at(run_id, checkpoint, _run).items()}


@st.cache_data(max_entries=64, show_spinner="Computing gradient flow at every checkpoint...")
def flow_grid(
    run_id: str, relative: bool, _run: TrainResult
) -> dict[str, tuple[list[int], np.ndarray]]:
    """Per model: (checkpoint steps, median log10 curves (C, T)) over all checkpoints."""
    curves: dict[str, list[np.ndarray]] = {m: [] for m in _run.models}
    steps: dict[str, list[int]] = {m: [] for m in _run.models}
    for i in range(len(checkpoint_steps(_run))):
        for m, flow in flows_at(run_id, i, _run).items():
            shown = flow.relative() if relative else flow
            curves[m].append(shown.median_log10)
            steps[m].append(flow.step)
    return {m: (steps[m], np.stack(curves[m])) for m in _run.models}


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def spectra_at(run_id: str, checkpoint: int, _run: TrainResult) -> dict[str, dict[str, Spectrum]]:
    """Per model: spectra of its recurrent blocks at one checkpoint index."""
    return spectra_for_run(_run, checkpoint)


@st.cache_data(max_entries=ENTRIES, show_spinner="Computing step Jacobian norms...")
def jacobians_at(run_id: str, checkpoint: int, _run: TrainResult) -> dict[str, JacobianNorms]:
    """Per-step Jacobian norms and running products of every model at one checkpoint."""
    return jacobian_norms_for_run(_run, checkpoint)


def default_gate_model(run: TrainResult) -> str:
    """The model the Gates page opens on: the first gated one in display order, else the first."""
    models = ordered(run.models)
    return next((m for m in models if get_cell(m).gates), models[0])


def warm_first_views(run_id: str, run: TrainResult) -> None:
    """Compute what the Gradient flow and Gates pages show first for `run` (their default
    settings, the last checkpoint) into the caches above. No st.* calls: runs in any thread."""
    last = len(checkpoint_steps(run)) - 1
    flow_grid(run_id, RELATIVE_DEFAULT, run)  # every checkpoint's flows, the last one included
    decay_at(run_id, last, run)
    spectra_at(run_id, last, run)
    if run.has_weights:
        trace_at(run_id, default_gate_model(run), last, *EXAMPLE_DEFAULT, run)


def generated_example(run: TrainResult, seed: int) -> np.ndarray:
    """A fresh sequence of the run's task drawn with `seed` (apart from the training, validation
    and analysis streams). -> xs (T, 1, D)"""
    rng = np.random.default_rng((run.config.seed, EXAMPLE_STREAM, int(seed)))
    return task_for(run.config).sample(rng, 1, dtype="float64").xs


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def trace_at(
    run_id: str, model: str, checkpoint: int, source: str, number: int, _run: TrainResult
) -> GateTrace:
    """The gate trace of one example through `model` at a checkpoint: sequence `number` of the
    analysis batch (source "batch") or the sequence generated from seed `number`."""
    with one_blas_thread():
        if source == "batch":
            return gate_trace_for_run(_run, model, checkpoint, number)
        xs = generated_example(_run, number)  # (T, 1, D)
        _, params = checkpoint_params(_run, model, checkpoint)
        tokens = token_labels(_run.config.task, xs[:, 0])
        return gate_trace(model, params, xs, 0, tokens)


# ---------------------------------------------------------------- pickers (plain widgets)


def run_selector(key: str) -> None:
    """A choice among the session's runs (only when there are several); it changes the run
    every page shows, as the Train page's selector does."""
    names = list(state.named_runs())
    if len(names) < 2:
        return
    st.session_state[key] = state.current_name()
    st.selectbox(
        "Shown run",
        names,
        key=key,
        on_change=lambda: state.select_run(st.session_state[key]),
        help="Every run trained or loaded in this session; all pages show this one.",
    )


def checkpoint_slider(run: TrainResult, key: str) -> int:
    """A select slider over the run's checkpoint steps (default: the last); returns the
    checkpoint index. A run with one checkpoint gets a caption instead."""
    steps = checkpoint_steps(run)
    if len(steps) == 1:
        st.caption(f"This run kept one checkpoint (step {steps[0]}).")
        return 0
    if st.session_state.get(key) not in steps:
        st.session_state[key] = steps[-1]
    step = st.select_slider(
        "Training checkpoint (optimizer step)",
        steps,
        key=key,
        help="Parameters saved during training; step 0 is the initialisation.",
    )
    return steps.index(step)
