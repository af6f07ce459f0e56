"""Gates page figures: (unit x time) heatmaps of one sequence's gates and states, the memory
time constants, and the read / write / carry bars of the tiny explainer GRU."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.analysis.gates import GateTrace
from core.analysis.gru_explainer import ReadWriteCarry
from core.cells import get_cell
from dashboard.shared.style import BASELINE_LINE, base_layout, log_axis, model_colour, model_label

# What each heatmap shows: (title, colour scale, value range). "z" is PyTorch's 1 - u.
FIELDS = {
    "u": ("update gate u_t (1 = write the candidate)", "Viridis", (0.0, 1.0)),
    "z": ("PyTorch's update gate z_t = 1 - u_t (1 = keep the old state)", "Viridis", (0.0, 1.0)),
    "r": ("reset gate r_t (1 = the candidate reads h_(t-1))", "Viridis", (0.0, 1.0)),
    "c": ("candidate c_t (the proposed new content)", "RdBu", (-1.0, 1.0)),
    "h": ("hidden state h_t", "RdBu", (-1.0, 1.0)),
}
GATE_SCALE = ("Viridis", (0.0, 1.0))  # any other gate a cell names (Cell.gates)
PART_COLOURS = {"carry": "#8C8C8C", "write": model_colour("gru"), "read": "#E0A458"}
ALL_TOKENS_UP_TO = 40  # sequences this long label every step with its token; longer
LABELLED_STEPS = 20  # ones label about this many steps (every token is in the hover)
BAR_GAP = 0.2  # gap between steps; two bar groups share the rest
STATE_SHIFT = (1.0 - BAR_GAP) / 4  # centre of the right-hand (state) bar relative to the step


def field_values(trace: GateTrace, field: str) -> np.ndarray | None:
    """The (T, H) array a heatmap shows: h, c (the candidate), z (= 1 - u) or a gate's key."""
    if field in ("h", "c", "z"):
        return getattr(trace, field)
    return trace.gates.get(field)


def field_spec(trace: GateTrace, field: str) -> tuple[str, str, tuple[float, float]]:
    """(title, colour scale, value range) of a heatmap; a gate not in FIELDS is titled from
    its cell's own description."""
    if field in FIELDS:
        return FIELDS[field]
    info = {g.key: g for g in get_cell(trace.cell).gates}[field]
    return (f"{info.name} {info.symbol}_t ({info.meaning})", *GATE_SCALE)


def gate_heatmap(trace: GateTrace, field: str, order: np.ndarray | None = None) -> go.Figure:
    """Heatmap of one (T, H) field: units (in `order`, top to bottom) against time, the input
    tokens under the time axis; hover shows step, token, unit and value."""
    values = field_values(trace, field)
    if values is None:
        raise ValueError(f"a {trace.cell} trace has no {field!r}")
    T, H = values.shape
    order = np.arange(H) if order is None else np.asarray(order)
    title, scale, (lo, hi) = field_spec(trace, field)
    tokens = np.array(trace.tokens, dtype=object)
    custom = np.broadcast_to(tokens, (H, T))  # (H, T)
    fig = go.Figure(
        go.Heatmap(
            z=values[:, order].T,
            x=np.arange(T),
            y=[f"unit {j}" for j in order],
            customdata=custom,
            colorscale=scale,
            zmin=lo,
            zmax=hi,
            name=field,
            hovertemplate="t = %{x} (input %{customdata}), %{y}: %{z:.3f}<extra></extra>",
        )
    )
    base_layout(fig, title, "time step t (input token)", "hidden unit")
    every = 1 if T <= ALL_TOKENS_UP_TO else -(-T // LABELLED_STEPS)  # ceil
    ticks = np.arange(0, T, every)
    fig.update_xaxes(
        tickmode="array",
        tickvals=ticks,
        tickangle=0,
        ticktext=[trace.tokens[t] if every == 1 else f"{trace.tokens[t]}<br>t={t}" for t in ticks],
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_layout(hovermode="closest", margin={"t": 50}, height=max(260, 90 + 20 * H))
    return fig


def tau_figure(trace: GateTrace, order: np.ndarray | None = None) -> go.Figure:
    """Memory time constant tau_j = 1 / mean_t u_t[j] per unit, log axis (a GRU trace)."""
    if trace.tau is None:
        raise ValueError("a vanilla RNN trace has no gates and no tau")
    order = np.arange(trace.tau.size) if order is None else np.asarray(order)
    tau = trace.tau[order]
    finite = np.where(np.isfinite(tau), tau, np.nan)
    fig = go.Figure(
        go.Bar(
            x=[f"unit {j}" for j in order],
            y=finite,
            name="tau",
            marker={"color": model_colour("gru")},
            hovertemplate="%{x}: tau = %{y:.3g} steps<extra></extra>",
        )
    )
    T = len(trace.tokens)
    fig.add_trace(
        go.Scatter(
            x=[f"unit {order[0]}", f"unit {order[-1]}"],
            y=[T, T],
            mode="lines",
            name=f"sequence length T = {T}",
            line=BASELINE_LINE,
            hoverinfo="skip",
        )
    )
    base_layout(
        fig, "Memory time constant tau = 1 / mean u (steps)", "hidden unit", "tau (log scale)"
    )
    log_axis(fig)
    fig.update_xaxes(type="category", showticklabels=tau.size <= 40)
    fig.update_layout(hovermode="closest", margin={"t": 80})
    return fig


def read_write_carry_figure(rwc: ReadWriteCarry) -> go.Figure:
    """Per unit (one row each) and step: carried (1-u)*h_(t-1) and written u*c_t stacked into
    h_t, with what the candidate read, r*h_(t-1), as a separate bar beside them."""
    T, H = rwc.h.shape
    steps = np.arange(1, T + 1)
    fig = make_subplots(
        rows=H,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.06,
        subplot_titles=[f"unit {j}" for j in range(H)],
    )
    for j in range(H):
        gates = np.stack([rwc.u[:, j], rwc.r[:, j], rwc.h_prev[:, j]], axis=1)  # (T, 3)
        first = j == 0
        tip = "u = %{customdata[0]:.2f}, r = %{customdata[1]:.2f}, h_(t-1) = %{customdata[2]:.2f}"
        fig.add_trace(
            go.Bar(
                x=steps,
                y=rwc.read[:, j],
                name="read: r * h_(t-1)",
                offsetgroup="read",
                legendgroup="read",
                showlegend=first,
                marker={"color": PART_COLOURS["read"]},
                customdata=gates,
                hovertemplate="read %{y:.3f}<br>" + tip + "<extra></extra>",
            ),
            row=j + 1,
            col=1,
        )
        fig.add_trace(
            go.Bar(
                x=steps,
                y=rwc.carry[:, j],
                name="carry: (1 - u) * h_(t-1)",
                offsetgroup="state",
                legendgroup="carry",
                showlegend=first,
                marker={"color": PART_COLOURS["carry"]},
                hovertemplate="carry %{y:.3f}<extra></extra>",
            ),
            row=j + 1,
            col=1,
        )
        fig.add_trace(
            go.Bar(
                x=steps,
                y=rwc.write[:, j],
                base=rwc.carry[:, j],
                name="write: u * c_t",
                offsetgroup="state",
                legendgroup="write",
                showlegend=first,
                marker={"color": PART_COLOURS["write"]},
                hovertemplate="write %{y:.3f}<extra></extra>",
            ),
            row=j + 1,
            col=1,
        )
        fig.add_trace(
            go.Scatter(
                x=steps + STATE_SHIFT,
                y=rwc.h[:, j],
                mode="markers",
                name="h_t = carry + write",
                legendgroup="h",
                showlegend=first,
                marker={
                    "color": "black",
                    "symbol": "line-ew-open",
                    "size": 16,
                    "line": {"width": 2},
                },
                hovertemplate="h_t %{y:.3f}<extra></extra>",
            ),
            row=j + 1,
            col=1,
        )
    base_layout(fig, "What each step reads, writes and carries", "", "")
    fig.update_xaxes(title_text="step t", row=H, col=1, dtick=1)
    fig.update_layout(
        barmode="group",
        bargap=BAR_GAP,
        bargroupgap=0.0,
        hovermode="closest",
        height=200 + 150 * H,
        margin={"t": 50},
        legend={"y": -0.6 / H},
    )  # below the last row, whatever H
    return fig


def model_title(model: str, cell: str) -> str:
    """A heading for a model's traces: its label and what the cell is."""
    return f"{model_label(model)}: {get_cell(cell).summary}"
