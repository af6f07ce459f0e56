"""The Gates page's "Read, write, carry" section: a tiny GRU whose gates the learner sets
(presets or sliders), and what each step reads, writes and carries (core.analysis.gru_explainer)."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from core.analysis.gru_explainer import PRESETS, ReadWriteCarry, TinyGruSpec, explain
from dashboard.shared.figure_cache import cached_figure
from dashboard.shared.presentation import show
from dashboard.views.gates.charts import read_write_carry_figure
from dashboard.views.gates.text import READ_WRITE_INTRO

RW_KEYS = {
    "u_fixed": "rw_u_fixed",
    "u_value": "rw_u_value",
    "u_bias": "rw_u_bias",
    "r_fixed": "rw_r_fixed",
    "r_value": "rw_r_value",
    "r_bias": "rw_r_bias",
}
OPENING = TinyGruSpec()  # what the widgets show first (the warm-up builds its chart)
RW_START = {
    "u_fixed": OPENING.update_value is not None,
    "u_value": 0.5,
    "u_bias": OPENING.update_bias,  # the widgets' first values;
    "r_fixed": OPENING.reset_value is not None,
    "r_value": 0.5,
    "r_bias": OPENING.reset_bias,
}  # presets overwrite them


def apply_preset(spec: TinyGruSpec) -> None:
    """Set the explainer's gate widgets to a preset (an on_click callback)."""
    ss = st.session_state
    for gate, value, bias in (
        ("u", spec.update_value, spec.update_bias),
        ("r", spec.reset_value, spec.reset_bias),
    ):
        ss[RW_KEYS[f"{gate}_fixed"]] = value is not None
        if value is not None:
            ss[RW_KEYS[f"{gate}_value"]] = float(value)
        ss[RW_KEYS[f"{gate}_bias"]] = float(bias)


def gate_controls(gate: str, name: str) -> tuple[float, float | None]:
    """(bias, forced value or None) of one gate from its widgets."""
    for part in ("fixed", "value", "bias"):
        st.session_state.setdefault(RW_KEYS[f"{gate}_{part}"], RW_START[f"{gate}_{part}"])
    fixed = st.toggle(
        f"Fix {gate} to one value",
        key=RW_KEYS[f"{gate}_fixed"],
        help=f"Zero the {name} gate's weights and set it to a constant.",
    )
    value = st.slider(
        f"{gate} value", 0.0, 1.0, step=0.05, key=RW_KEYS[f"{gate}_value"], disabled=not fixed
    )
    bias = st.slider(
        f"{name} gate bias b_{gate}",
        -6.0,
        6.0,
        step=0.5,
        key=RW_KEYS[f"{gate}_bias"],
        disabled=fixed,
        help=f"Negative shuts the {name} gate, positive opens it.",
    )
    return bias, (value if fixed else None)


def explainer_spec() -> TinyGruSpec:
    a, b, c = st.columns(3)
    hidden = a.slider("Units", 2, 4, OPENING.hidden, key="rw_hidden")
    steps = a.slider("Steps", 3, 10, OPENING.steps, key="rw_steps")
    seed = a.number_input(
        "Example seed",
        0,
        10_000,
        OPENING.seed,
        key="rw_seed",
        help="Draws the weights, the inputs and a non-zero h_0.",
    )
    with b:
        u_bias, u_value = gate_controls("u", "update")
    with c:
        r_bias, r_value = gate_controls("r", "reset")
    return TinyGruSpec(
        hidden=hidden,
        steps=steps,
        update_bias=u_bias,
        reset_bias=r_bias,
        update_value=u_value,
        reset_value=r_value,
        seed=int(seed),
    )


def explainer_text(rwc: ReadWriteCarry) -> str:
    text = f"In this run of the tiny GRU, u averages {rwc.u.mean():.2f} and r {rwc.r.mean():.2f}. "
    if rwc.regime == "carry":
        return text + (
            "With u ≈ 0 every bar is carry: h_t = h_(t-1), the state is copied, and "
            "dh_t/dh_(t-1) = I, the gradient's shortcut. Whatever is read and "
            "computed is never written."
        )
    if rwc.regime == "blind":
        return text + (
            "With r ≈ 0 the read bars are empty: the candidate c_t = tanh(x_t W_c + "
            "b_c) sees only the input, as if the past did not exist; u still decides "
            "how much of that fresh candidate is written over the carried state."
        )
    return text + (
        "The reset gate decides what the candidate may *read* (the orange bars); "
        "the update gate decides how much of the candidate is *written* (teal) and "
        "how much of the old state is *carried* (grey). Carry plus write is h_t."
    )


def explainer_section() -> None:
    st.header("Read, write, carry")
    st.markdown(READ_WRITE_INTRO)
    # Full width, then the presets as a wrapping row: nothing is cut at 1024 px.
    st.latex(r"u_t = \sigma(x_t W_u + h_{t-1} U_u + b_u) \quad \text{update: how much to write}")
    st.latex(r"r_t = \sigma(x_t W_r + h_{t-1} U_r + b_r) \quad \text{reset: what to read}")
    st.latex(r"c_t = \tanh(x_t W_c + (\underbrace{r_t \odot h_{t-1}}_{\text{read}}) U_c + b_c)")
    st.latex(
        r"h_t = \underbrace{u_t \odot c_t}_{\text{write}} + "
        r"\underbrace{(1 - u_t) \odot h_{t-1}}_{\text{carry}}"
    )
    st.markdown("**Presets**")
    with st.container(horizontal=True):
        for i, (label, spec) in enumerate(PRESETS.items()):
            st.button(
                label, key=f"rw_preset_{i}", on_click=apply_preset, args=(spec,), width="content"
            )
        st.button(
            "Free gates (biases 0)",
            key="rw_preset_free",
            on_click=apply_preset,
            args=(TinyGruSpec(),),
            width="content",
        )
    spec = explainer_spec()
    rwc = explain(spec)
    st.markdown(explainer_text(rwc))
    show(explainer_figure(spec, rwc), "rw_chart", name="read-write-carry")


def explainer_figure(spec: TinyGruSpec, rwc: ReadWriteCarry) -> go.Figure:
    """The read / write / carry bars of `rwc` = explain(spec), once per spec."""
    return cached_figure((spec,), read_write_carry_figure, rwc)


def warm_explainer() -> None:
    """Build the chart the section opens on. No st.* calls."""
    explainer_figure(OPENING, explain(OPENING))
