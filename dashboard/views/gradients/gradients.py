"""Gradient flow page: how much of the last step's loss gradient reaches each earlier state,
for the RNN and the GRU, at every training checkpoint."""

from __future__ import annotations

import math

import streamlit as st

from core.analysis.checkpoints import ANALYSIS_BATCH
from core.analysis.decay import DecayStats
from core.train.results import TrainResult
from dashboard.session import state
from dashboard.session.analysis_cache import (
    RELATIVE_DEFAULT,
    checkpoint_slider,
    checkpoint_steps,
    decay_at,
    flow_grid,
    flows_at,
    jacobians_at,
    run_selector,
    spectra_at,
)
from dashboard.shared.labels import TASK_LABELS
from dashboard.shared.presentation import presenting, show
from dashboard.shared.style import model_label, ordered
from dashboard.shared.text import plain
from dashboard.views.gradients.figures import (
    THEORY_DEFAULT,
    animation,
    clipping_by_model,
    clipping_chart,
    flow_chart,
    heatmaps,
    jacobian_chart,
    spectrum_charts,
)
from dashboard.views.gradients.text import decay_frame, fit_text, flow_explanation

NO_WEIGHTS = (
    "This run was loaded from its JSON file alone, so its parameters are missing and "
    "its gradients cannot be computed: upload the .npz saved with it too (Train page, "
    "*Load saved runs*). The clipping history below comes from the JSON."
)


def decay_table(stats: dict[str, DecayStats]) -> None:
    """One row per model: measured half-life, survival at 20 and 50 steps, the fitted rate.
    A table, so every figure is shown whole at any width."""
    st.table(decay_frame(stats), border="horizontal")
    first = stats[ordered(stats)[0]]
    st.caption(
        "Curve: what the median normalised gradient does, in the words of the sentence "
        "under the chart. Half-life: measured, the first k where it falls "
        "below 1/2 (beyond T when it never does). Surviving: the median normalised "
        "gradient k steps back (above 1: it grew). Fitted rate: " + fit_text(first)
    )


def equations() -> None:
    st.latex(
        r"\begin{aligned} \text{RNN:}\quad & h_t = \tanh(x_t W + h_{t-1} U + b) \\ "
        r"& \frac{\partial h_t}{\partial h_{t-1}} = \operatorname{diag}(1 - h_t^2)\, U^\top "
        r"\\ & \Big\|\frac{\partial L_T}{\partial h_{T-k}}\Big\| \le "
        r"\sigma_{\max}(U)^k\, \Big\|\frac{\partial L_T}{\partial h_T}\Big\| "
        r"\end{aligned}"
    )
    st.latex(
        r"\begin{aligned} \text{GRU:}\quad & h_t = u_t \odot c_t + (1 - u_t) \odot h_{t-1} "
        r"\\ & \frac{\partial h_t}{\partial h_{t-1}} = \operatorname{diag}(1 - u_t) + "
        r"(\text{terms through } u_t, r_t, c_t) \\ & \phantom{\frac{\partial h_t}"
        r"{\partial h_{t-1}}} \approx I \quad \text{on units where } u_t \approx 0 "
        r"\end{aligned}"
    )


def flow_section(run: TrainResult, run_id: str) -> None:
    ck = checkpoint_slider(run, "gradients_checkpoint")
    left, right = st.columns(2)
    relative = left.toggle(
        "Normalise each sequence at k = 0",
        value=RELATIVE_DEFAULT,
        key="gradients_relative",
        help="Divide by the norm at the last step, so the curves show how "
        "much of the gradient survives; off: raw norms.",
    )
    theory = right.toggle(
        "Theory overlays",
        value=THEORY_DEFAULT,
        key="gradients_theory",
        help="RNN: σ_max(U)^k and ρ(U)^k. GRU: the product of (1 - u) along "
        "the carry path (best unit and median unit).",
    )
    flows = flows_at(run_id, ck, run)
    init = flows_at(run_id, 0, run) if ck != 0 else None
    stats = decay_at(run_id, ck, run)
    decay_table(stats)
    show(
        flow_chart(run_id, ck, flows, init, relative=relative, theory=theory),
        "gradients_flow_chart",
        name=f"gradient-flow-step-{flows[ordered(flows)[0]].step}",
    )
    st.markdown(flow_explanation(stats))
    equations()
    st.subheader("Over training")
    grid = flow_grid(run_id, relative, run)
    show(animation(run_id, relative, grid), "gradients_flow_animation")
    st.caption(
        "Press play to watch the curves change from checkpoint to checkpoint (the dotted "
        "curves are step 0). Below, each row is one checkpoint's median curve; both maps "
        "share one colour scale."
    )
    if presenting():
        return
    maps = heatmaps(run_id, relative, grid)
    for col, (name, fig) in zip(st.columns(len(maps)), maps.items(), strict=True):
        show(fig, f"gradients_heatmap_{name}", where=col)
    spectrum_section(run, run_id, ck, {m: f.step for m, f in flows.items()})
    jacobian_section(run, run_id, ck)


def spectrum_section(run: TrainResult, run_id: str, ck: int, steps: dict[str, int]) -> None:
    st.subheader("Recurrent matrices")
    st.markdown(
        "Eigenvalues outside the unit circle let a linearised state grow, inside it "
        "shrink; the largest singular value bounds how much one step can amplify a "
        "gradient. The GRU's gradient does not pass through U_c alone: its carry path "
        "bypasses the matrices."
    )
    spectra = spectra_at(run_id, ck, run)
    for name in ordered(spectra):
        blocks, step = spectra[name], steps[name]
        a, b = st.columns(2)
        eigen, singular = spectrum_charts(run_id, ck, name, blocks, step)
        show(eigen, f"gradients_eigen_{name}", where=a)
        show(singular, f"gradients_singular_{name}", where=b)


def jacobian_section(run: TrainResult, run_id: str, ck: int) -> None:
    with st.expander("Per-step Jacobian norms and their running product"):
        st.markdown(
            "The norm of each one-step Jacobian dh_t/dh_(t-1) and the product of those "
            "norms over the last k steps: an upper bound on how much dh_T/dh_(T-k) can "
            "pass back. Being a bound, it can sit far above the true curve of the main "
            "chart (the Jacobians need not line up from step to step). Computed on 16 "
            "sequences of the same batch."
        )
        if st.toggle("Compute them", key="gradients_jacobians"):
            norms = jacobians_at(run_id, ck, run)
            show(jacobian_chart(run_id, ck, norms), "gradients_jacobian_chart")


def clipping_section(run: TrainResult, run_id: str) -> None:
    st.subheader("Gradient clipping during training")
    clip = run.config.clip
    stats = clipping_by_model(run)
    if clip > 0:
        cols = st.columns(len(stats))
        for col, name in zip(cols, ordered(stats), strict=True):
            frac = stats[name].fraction_clipped
            col.metric(
                f"{model_label(name)} steps clipped",
                "n/a" if math.isnan(frac) else f"{frac:.1%}",
                help=f"Share of training steps whose global gradient norm exceeded "
                f"{clip:g} and was scaled down to it.",
            )
        if any(s.over_rows_only for s in stats.values()):
            st.caption(
                "Shares count the recorded rows (one per evaluation); this run did not "
                "record the share of every step."
            )
    else:
        st.caption("Clipping was off in this run: the applied norm is the raw norm.")
    show(clipping_chart(run_id, stats), "gradients_clipping_chart")


def main() -> None:
    st.title("Gradient flow through time")
    st.caption(
        "How much of the loss at the last step reaches each earlier hidden state: "
        "the vanilla RNN's gradient shrinks geometrically, the GRU's update gate keeps "
        "a shortcut open."
    )
    run = state.ensure_default_run()
    if run is None:
        st.info("No run yet: train one on the Train page.", icon=":material/info:")
        return
    run_selector("gradients_run")
    run_id = state.current_run_id()
    c = run.config
    st.caption(
        f"Run: {plain(state.current_name())}: {TASK_LABELS[c.task]}, T = {c.length}, "
        f"H = {c.hidden}, {c.steps} steps, checkpoints at steps "
        f"{', '.join(map(str, checkpoint_steps(run)))}; loss at the last step of "
        f"{ANALYSIS_BATCH} fixed sequences, curves in float64."
    )
    if len(run.models) == 1:
        only = model_label(next(iter(run.models)))
        st.info(
            f"This run trained the {only} alone; train both models on the Train page to "
            "compare them on the same axes.",
            icon=":material/info:",
        )
    if not run.has_weights:
        st.info(NO_WEIGHTS, icon=":material/upload_file:")
    else:
        flow_section(run, run_id)
    if not presenting():
        clipping_section(run, run_id)


main()
