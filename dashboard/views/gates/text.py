"""The Gates page's sentences, written for either update-gate convention: ours (u, 1 = write)
or PyTorch's (z = 1 - u, 1 = keep). Kept apart from the page so every variant is testable."""

from __future__ import annotations

from core.analysis.gates import GateTrace

CONVENTIONS = {"u": "ours: u (1 = write)", "z": "PyTorch: z = 1 - u (1 = keep)"}

# How "the unit keeps its content" reads in each convention.
CARRY_PHRASE = {
    "u": "its update gate u stays near 0",
    "z": "its update gate z = 1 - u stays near 1",
}
REWRITE_PHRASE = {"u": "u is often near 1", "z": "z is often near 0"}

READ_WRITE_INTRO = (
    "A GRU answers two questions at every step, separately for every unit: which parts of the "
    "old state may the new candidate *read* (the reset gate r), and how much of that candidate "
    "is *written* into the state, the rest being carried over (the update gate u)? Below, a "
    "GRU with a few units runs on a short sequence: set the gates and watch, for every unit "
    "and step, what the candidate reads from the past, what is written and what is carried."
)


def convention_note(trace: GateTrace, convention: str) -> str:
    """Which convention the plots use (the model's own equations are in its title)."""
    plots = (
        "the plots use **our convention**: u_t = 1 writes the candidate, "
        "h_t = u_t c_t + (1 - u_t) h_(t-1)"
        if convention == "u"
        else "the update-gate plot uses **PyTorch's convention**: z_t = 1 - u_t, "
        "h_t = z_t h_(t-1) + (1 - z_t) c_t, so 1 now means *keep*; the other plots are "
        "unchanged"
    )
    return f"Convention: {plots}."


def reading_guide(trace: GateTrace, by_tau: bool, convention: str = "u") -> str:
    """How to read the heatmaps, naming this example's longest-memory unit, in the chosen
    convention; 'the top row' when units are sorted by τ, the unit's number otherwise."""
    top = int(trace.unit_order()[0])
    tau = float(trace.tau[top])
    T = len(trace.tokens)
    memory = (
        "longer than the whole sequence"
        if tau > T
        else f"about {tau:.0f} step" + ("" if round(tau) == 1 else "s")
    )
    who = (
        f"The top row, unit {top} (τ = {tau:.1f}), has"
        if by_tau
        else f"Unit {top} (τ = {tau:.1f}) has"
    )
    return (
        f"{who} the longest memory, {memory}: {CARRY_PHRASE[convention]}, so whatever it "
        "wrote is carried forward almost unchanged, and the gradient flows back along it "
        f"almost undiminished. Units with small τ rewrite their content often ("
        f"{REWRITE_PHRASE[convention]}). Where r is near 0, the candidate cannot see that "
        "unit's past value."
    )
