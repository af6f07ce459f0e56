"""Names of runs and of their files: a run is named by the settings that differ from the
default experiment, and its files by that name plus a short fingerprint of its settings."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import fields

from core.cells import init_options
from core.train.config import RunConfig
from dashboard.shared.style import model_label

# How a changed setting reads in a run name ({} is the value).
SHORT = {
    "length": "T={}",
    "symbols": "K={}",
    "hidden": "H={}",
    "steps": "{} steps",
    "batch": "batch {}",
    "optimizer": "{}",
    "lr": "lr {}",
    "lr_schedule": "{} schedule",
    "clip": "clip {}",
    "init_scale": "g={}",
    "val_size": "{} validation sequences",
    "eval_every": "eval every {}",
    "checkpoints": "{} checkpoints",
    "seed": "seed {}",
    "dtype": "{}",
}
SHORT.update({name: option.short for name, option in init_options().items()})
FLAGS = {("orthogonal", False): "Gaussian recurrent init", ("chrono", True): "chrono init"}


def changed_settings(cfg: RunConfig, base: RunConfig) -> list[str]:
    """The settings of cfg that differ from base, as short phrases, in field order."""
    out = []
    for f in fields(RunConfig):
        value = getattr(cfg, f.name)
        if value == getattr(base, f.name):
            continue
        if f.name == "models":
            out.append(
                " + ".join(model_label(m) for m in value) + (" only" if len(value) == 1 else "")
            )
        elif f.name == "task":
            out.append(str(value))
        elif (f.name, value) in FLAGS:
            out.append(FLAGS[(f.name, value)])
        elif f.name in SHORT:
            out.append(SHORT[f.name].format(f"{value:g}" if isinstance(value, float) else value))
        else:
            out.append(f"{f.name} {value}")
    return out


def run_name(cfg: RunConfig, base: RunConfig) -> str:
    """'copy, T=20, H=32, 1500 steps' (what differs from base), or 'default settings'."""
    changes = changed_settings(cfg, base)
    return ", ".join(changes) if changes else "default settings"


def fingerprint(cfg: RunConfig) -> str:
    """Six hex digits that change with any setting."""
    text = json.dumps(cfg.to_dict(), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:6]


def file_stem(name: str, cfg: RunConfig) -> str:
    """A file name stem: 'gatescope-copy-T20-H32-1500-steps-3fa2c1' (ASCII, no spaces)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower().replace("=", "")).strip("-")[:60]
    return f"gatescope-{slug or 'run'}-{fingerprint(cfg)}"
