"""Ready-made sweeps for the Sweeps page and the README figures. Models not (yet) registered as
cells are left out by `preset_grid`, which says which ones."""

from __future__ import annotations

from dataclasses import dataclass

from core.cells import cell_names
from core.sweep.grid import Grid, grid_from_tables


@dataclass(frozen=True)
class Preset:
    title: str  # shown in the preset picker
    summary: str  # one sentence: what the figure shows
    base: dict  # [base] table
    grid: dict  # [grid] table (model list included)


PRESETS = {
    "vanishing": Preset(
        "Vanishing gradient: success vs length",
        "How far can each model carry one symbol? Success rate over 5 seeds as the delay T "
        "grows (Bengio et al. 1994; Pascanu et al. 2013).",
        {"task": "recall", "hidden": 16, "steps": 600, "val_size": 256},
        {
            "model": ["rnn", "gru", "lstm"],
            "length": [10, 20, 40, 80, 120, 200],
            "seed": [0, 1, 2, 3, 4],
        },
    ),
    "ablation": Preset(
        "Gate ablation: GRU without reset or update gate",
        "Which GRU gate matters? The GRU against its no-reset and no-update ablations and the "
        "RNN, on keyed recall, where a stored symbol must be kept and the other one shut out.",
        {"task": "keyed", "hidden": 16, "steps": 2000, "val_size": 256},
        {
            "model": ["rnn", "gru", "gru_no_reset", "gru_no_update"],
            "length": [10, 20, 40],
            "seed": [0, 1, 2, 3, 4],
        },
    ),
}


def preset_grid(key: str) -> tuple[Grid, list[str]]:
    """The preset's grid restricted to registered cells, and the models left out."""
    p = PRESETS[key]
    known = set(cell_names())
    models = [m for m in p.grid["model"] if m in known]
    missing = [m for m in p.grid["model"] if m not in known]
    return grid_from_tables(p.base, {**p.grid, "model": models}, name=key), missing
