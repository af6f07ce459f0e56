"""What the run store holds: the index schema, the config hash and the small summary objects."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import numpy as np

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE runs (
    id TEXT PRIMARY KEY,   -- uuid4 hex
    kind TEXT,             -- train | cli | sweep | import | translate | default
    name TEXT,             -- display name (renameable)
    tags TEXT,             -- JSON list of strings
    created REAL,          -- unix time
    config_hash TEXT,      -- config_hash(config): runs with equal configs share it
    task TEXT,
    models TEXT,           -- JSON list of model names
    status TEXT,           -- done | failed
    reason TEXT,           -- why it failed, or NULL
    metrics TEXT,          -- JSON: model -> {val_loss, val_accuracy, success, steps_to_success}
    seconds REAL,          -- training seconds
    config TEXT,           -- JSON of the config
    doc BLOB,              -- the run JSON (histories), NULL for a failed run
    weights TEXT,          -- weights file name in weights/, or NULL
    sweep TEXT             -- sweep name, or NULL
);
CREATE INDEX runs_by_hash ON runs (config_hash);
CREATE INDEX runs_by_kind ON runs (kind);
CREATE TABLE sweeps (
    name TEXT PRIMARY KEY, -- the sweep's name (its grid file's stem, or the Sweeps page's)
    grid TEXT,             -- JSON {"base": {...}, "grid": {...}}: the tables it ran from
    started REAL           -- unix time its latest run started
);
"""
UPGRADES = (  # what is newer than the first stores: created when such a store is opened
    "CREATE INDEX IF NOT EXISTS runs_by_kind ON runs (kind)",  # counts per kind
    "CREATE TABLE IF NOT EXISTS sweeps (name TEXT PRIMARY KEY, grid TEXT, started REAL)",
)


class StoreError(RuntimeError):
    """The store cannot be used; the message names the file and what is wrong."""


def config_hash(config: dict) -> str:
    """sha256 of the config's canonical JSON, 16 hex digits: equal configs, equal hashes."""
    text = json.dumps(config, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass
class StoredRun:
    """One row of the index: enough to list, filter and sort without reading histories."""

    id: str
    kind: str
    name: str
    tags: list[str]
    created: float
    config_hash: str
    task: str
    models: list[str]
    status: str
    reason: str | None
    metrics: dict
    seconds: float
    config: dict
    has_weights: bool
    sweep: str | None


@dataclass(frozen=True)
class StoredSweep:
    """A sweep the store has run: its name and the grid tables it ran from."""

    name: str
    tables: dict | None  # {"base": {...}, "grid": {...}}; None when the JSON is unreadable
    started: float  # unix time its latest run started


@dataclass
class StoredRecord:
    """A non-training record (e.g. a translation model) read back from the store."""

    id: str
    config: dict
    histories: dict
    metrics: dict
    arrays: dict[str, np.ndarray]
    data: dict = field(default_factory=dict)  # other JSON the record keeps (e.g. test outputs)


def summary_from_row(r: tuple) -> StoredRun:
    (
        rid,
        kind,
        name,
        tags,
        created,
        chash,
        task,
        models,
        status,
        reason,
        metrics,
        seconds,
        config,
        weights,
        sweep,
    ) = r
    return StoredRun(
        id=rid,
        kind=kind,
        name=name,
        tags=json.loads(tags),
        created=created,
        config_hash=chash,
        task=task,
        models=json.loads(models),
        status=status,
        reason=reason,
        metrics=json.loads(metrics),
        seconds=seconds,
        config=json.loads(config),
        has_weights=weights is not None,
        sweep=sweep,
    )
