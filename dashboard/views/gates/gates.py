"""Gates page: the update and reset gates of a trained GRU on one example sequence, and a tiny
GRU whose gates the learner sets, showing what each step reads, writes and carries."""

from __future__ import annotations

import streamlit as st

from core.analysis.ablation import ablation_report
from core.analysis.checkpoints import ANALYSIS_BATCH
from core.analysis.gates import GateTrace
from core.cells import get_cell
from core.train.results import TrainResult
from dashboard.session import state
from dashboard.session.analysis_cache import (
    EXAMPLE_DEFAULT,
    checkpoint_slider,
    default_gate_model,
    run_selector,
    trace_at,
)
from dashboard.shared.labels import TASK_LABELS
from dashboard.shared.presentation import presenting, show
from dashboard.shared.style import model_label, ordered
from dashboard.shared.text import plain
from dashboard.views.gates.ablation_text import ablation_paragraph
from dashboard.views.gates.charts import model_title
from dashboard.views.gates.explainer import explainer_section
from dashboard.views.gates.figures import (
    CONVENTION_DEFAULT,
    SORT_BY_TAU_DEFAULT,
    heatmap,
    shown_fields,
    tau_chart,
    unit_order,
)
from dashboard.views.gates.text import CONVENTIONS, convention_note, reading_guide

SOURCES = {"batch": "from the analysis batch", "generated": "generated"}
NO_WEIGHTS = (
    "This run was loaded from its JSON file alone, without its parameters, so its "
    "gates cannot be traced: upload the .npz saved with it too (Train page, *Load "
    "saved runs*). The read / write / carry explainer below needs no run."
)


# ---------------------------------------------------------------- gates of a trained model


def next_example() -> None:
    st.session_state["gates_seed"] = int(st.session_state.get("gates_seed", 0)) + 1


def example_picker() -> tuple[str, int]:
    """(source, number): an index into the fixed analysis batch, or a generation seed."""
    a, b, c = st.columns([2, 1, 1], vertical_alignment="bottom")
    source = a.radio(
        "Example sequence",
        list(SOURCES),
        index=list(SOURCES).index(EXAMPLE_DEFAULT[0]),
        format_func=SOURCES.get,
        horizontal=True,
        key="gates_source",
    )
    if source == "batch":
        number = b.number_input(
            "Index",
            0,
            ANALYSIS_BATCH - 1,
            EXAMPLE_DEFAULT[1],
            key="gates_index",
            help=f"One of the {ANALYSIS_BATCH} sequences the Gradient flow page uses.",
        )
        return source, int(number)
    st.session_state.setdefault("gates_seed", 0)
    number = b.number_input(
        "Seed",
        0,
        2**31 - 1,
        key="gates_seed",
        help="A fresh sequence of the run's task, drawn from this seed.",
    )
    c.button("Generate new", key="gates_generate", on_click=next_example, icon=":material/casino:")
    return source, int(number)


def gate_metrics(trace: GateTrace, convention: str) -> None:
    u, r = trace.saturation["u"], trace.saturation["r"]
    memory = trace.memory
    cols = [*st.columns(3), *st.columns(3)]  # two rows: labels stay whole at 1024 px
    if convention == "u":
        cols[0].metric(
            "u < 0.1 (carrying)",
            f"{u.low_all:.0%}",
            help="Share of (step, unit) entries where the update gate is shut.",
        )
        cols[1].metric("u > 0.9 (overwriting)", f"{u.high_all:.0%}")
    else:
        cols[0].metric(
            "z > 0.9 (carrying)",
            f"{u.low_all:.0%}",
            help="Share of (step, unit) entries where z = 1 - u keeps the state.",
        )
        cols[1].metric("z < 0.1 (overwriting)", f"{u.high_all:.0%}")
    cols[2].metric("r < 0.1 (past hidden)", f"{r.low_all:.0%}")
    cols[3].metric(
        "median τ (steps)",
        f"{memory.median_tau:.1f}",
        help="τ = 1 / mean u per unit: roughly how many steps a unit remembers.",
    )
    longest = memory.longest_finite_tau
    cols[4].metric(
        "longest τ (steps)",
        "∞" if longest is None else f"{longest:.0f}",
        help="The longest finite τ. Beyond the sequence's length it is an extrapolation: that "
        "unit barely writes within one sequence.",
    )


def trace_section(run: TrainResult, run_id: str) -> None:
    models = ordered(run.models)
    if st.session_state.get("gates_model") not in models:
        st.session_state["gates_model"] = default_gate_model(run)
    top = st.columns([1, 3])
    model = top[0].radio(
        "Model", models, format_func=model_label, horizontal=True, key="gates_model"
    )
    with top[1]:
        ck = checkpoint_slider(run, "gates_checkpoint")
    source, number = example_picker()
    trace = trace_at(run_id, model, ck, source, number, run)
    chosen = (run_id, model, ck, source, number)  # what selects the trace
    if not trace.gates:
        st.info(
            f"The {model_label(model)} has no gates: only its hidden state is shown. Pick "
            "a gated model to see its gates.",
            icon=":material/info:",
        )
        show(heatmap(chosen, trace, "h", None), "gates_heatmap_h")
        return
    a, b = st.columns([2, 1])
    has_update_gate = trace.u is not None
    convention = a.segmented_control(
        "Update-gate convention",
        list(CONVENTIONS),
        format_func=CONVENTIONS.get,
        default=CONVENTION_DEFAULT,
        required=True,
        key="gates_convention",
        disabled=not has_update_gate,
    )
    by_tau = b.toggle(
        "Sort units by τ",
        value=SORT_BY_TAU_DEFAULT,
        key="gates_sort_tau",
        help="Longest memory (largest τ) on top.",
    )
    if has_update_gate:
        st.markdown(convention_note(trace, convention))
    if {"u", "r"} <= set(trace.gates) and trace.tau is not None:
        gate_metrics(trace, convention)
    order = unit_order(trace, by_tau)
    st.subheader(model_title(model, trace.cell))
    for field in shown_fields(trace, convention):
        show(heatmap(chosen, trace, field, order), f"gates_heatmap_{field}")
    if trace.tau is not None and trace.u is not None:
        st.markdown(reading_guide(trace, by_tau, convention))
    if trace.tau is not None and not presenting():
        show(tau_chart(chosen, trace, order), "gates_tau_chart")


def main() -> None:
    st.title("Gates: what the GRU reads, writes and carries")
    st.caption(
        "The update gate decides which units are written, the reset gate what of the "
        "past the candidate may read; where u stays near 0 the state is carried."
    )
    run = state.ensure_default_run()
    if run is None:
        st.info(
            "No run yet: train one on the Train page to see a trained GRU's gates.",
            icon=":material/info:",
        )
    else:
        run_selector("gates_run")
        c = run.config
        st.caption(
            f"Run: {plain(state.current_name())}: {TASK_LABELS[c.task]}, T = {c.length}, "
            f"H = {c.hidden}, {c.steps} steps."
        )
        if not any(get_cell(m).gates for m in run.models):
            st.info(
                "This run has no gated model, so there are no gates to show; train a GRU "
                "(or another gated model) on the Train page. The hidden state is shown "
                "below.",
                icon=":material/info:",
            )
        st.markdown(ablation_paragraph(ablation_report(run)))
        if not run.has_weights:
            st.info(NO_WEIGHTS, icon=":material/upload_file:")
        else:
            trace_section(run, state.current_run_id())
    st.divider()
    explainer_section()


main()
