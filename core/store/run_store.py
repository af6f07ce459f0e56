"""The run store: an SQLite index (WAL mode, several writer processes at once) and one weights
.npz per run beside it, in a folder (default ./gatescope-runs/).

    store = open_store()                     # $GATESCOPE_STORE, else ./gatescope-runs/
    run_id = save_run(store, run, name="GRU T=80", tags=("baseline",))   # core.runs.stored
    store.list_runs(task="recall", model="gru", tag="baseline")
    run = load_run(store, run_id)            # through the bounded run-file reader

Writes are crash-safe: the weights file is written under a temporary name and renamed into place
before the index row is committed, so a process killed mid-write loses at most the run it was
writing (an orphaned weights file, never a row without its weights). A file that is not a
Gatescope store raises StoreError with a clear message.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from core.store.reading import StoreReading
from core.store.records import SCHEMA, UPGRADES, StoreError, config_hash

STORE_ENV = "GATESCOPE_STORE"
DEFAULT_DIR = "gatescope-runs"
INDEX = "index.sqlite"
APPLICATION_ID = 0x47534350  # "GSCP": marks the SQLite file as ours
FORMAT = "gatescope.store/1"
BUSY_MS = 30_000  # a writer waits this long for another writer's lock
INSERT = "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"


def store_path(path: str | Path | None = None) -> Path:
    """The store folder: `path`, else $GATESCOPE_STORE, else ./gatescope-runs."""
    return Path(path or os.environ.get(STORE_ENV) or DEFAULT_DIR)


def open_store(path: str | Path | None = None) -> RunStore:
    return RunStore(store_path(path))


class RunStore(StoreReading):
    """A run-store folder: writing here, the queries in core.store.reading."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.index = self.folder / INDEX
        self.weights_dir = self.folder / "weights"
        if self.folder.exists() and not self.folder.is_dir():
            raise StoreError(f"{self.folder}: is a file, not a run-store folder")
        try:
            self.weights_dir.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(f"{self.folder}: cannot be created ({err.strerror})") from err
        self._initialise()

    # ------------------------------------------------------------ connection
    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """One connection per operation: safe across threads and processes."""
        try:
            con = sqlite3.connect(self.index, timeout=BUSY_MS / 1000, isolation_level=None)
        except sqlite3.Error as err:
            raise StoreError(f"{self.index}: cannot be opened ({err})") from err
        try:
            con.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
            yield con
        except sqlite3.DatabaseError as err:
            raise StoreError(f"{self.index}: not a usable Gatescope run store ({err})") from err
        finally:
            con.close()

    def _initialise(self) -> None:
        with self._db() as con:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
            if app_id != APPLICATION_ID and tables:
                raise StoreError(
                    f"{self.index}: an SQLite file of another program (tables "
                    f"{', '.join(sorted(tables)[:5])}), not a Gatescope run store"
                )
            con.execute("PRAGMA journal_mode = WAL")
            if not tables:
                con.execute("BEGIN IMMEDIATE")
                if not {r[0] for r in con.execute("SELECT name FROM sqlite_master")}:
                    for statement in SCHEMA.split(";"):
                        if statement.strip():
                            con.execute(statement)
                    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    con.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
                con.execute("COMMIT")
            found = con.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
            if found is None or found[0] != FORMAT:
                raise StoreError(
                    f"{self.index}: store format {found and found[0]!r}, expected {FORMAT!r}"
                )
            for statement in UPGRADES:
                con.execute(statement)

    # ------------------------------------------------------------ writing
    def save(
        self,
        *,
        kind: str,
        name: str,
        config: dict,
        task: str,
        models: list[str],
        metrics: dict,
        seconds: float,
        doc: bytes | None,
        npz: bytes | None,
        status: str = "done",
        reason: str | None = None,
        tags: tuple[str, ...] = (),
        sweep: str | None = None,
    ) -> str:
        """Store one run: its document (e.g. a run JSON), weights .npz bytes and index fields.
        core.runs.stored.save_run fills these in for a TrainResult. Returns the new id."""
        return self._insert(
            kind=kind,
            name=name,
            tags=tags,
            sweep=sweep,
            config=config,
            chash=config_hash(config),
            task=task,
            models=models,
            status=status,
            reason=reason,
            metrics=metrics,
            seconds=seconds,
            doc=doc,
            npz=npz,
        )

    def save_record(
        self,
        *,
        kind: str,
        name: str,
        config: dict,
        histories: dict,
        metrics: dict,
        arrays: dict[str, np.ndarray] | None = None,
        tags: tuple[str, ...] = (),
        data: dict | None = None,
    ) -> str:
        """Store any other experiment (e.g. a translation model): JSON-able config, histories
        and metrics, any other JSON-able data it needs to be shown again (e.g. its test
        translations), plus named arrays as its weights. Returns the id."""
        body = {"config": config, "histories": histories, "metrics": metrics, "data": data or {}}
        doc = json.dumps(body, ensure_ascii=False, allow_nan=False).encode()
        npz = _npz_bytes(arrays) if arrays else None
        return self._insert(
            kind=kind,
            name=name,
            tags=tags,
            sweep=None,
            config=config,
            chash=config_hash(config),
            task=str(config.get("task", kind)),
            models=list(config.get("models", [])),
            status="done",
            reason=None,
            metrics=metrics,
            seconds=float(metrics.get("seconds", 0.0)),
            doc=doc,
            npz=npz,
        )

    def _insert(
        self,
        *,
        kind,
        name,
        tags,
        sweep,
        config,
        chash,
        task,
        models,
        status,
        reason,
        metrics,
        seconds,
        doc,
        npz,
    ) -> str:
        run_id = uuid.uuid4().hex
        weights = None
        if npz is not None:
            weights = f"{run_id}.npz"
            tmp = self.weights_dir / f".{weights}.{os.getpid()}.tmp"
            tmp.write_bytes(npz)
            os.replace(tmp, self.weights_dir / weights)
        row = (
            run_id,
            kind,
            name,
            json.dumps(list(tags)),
            time.time(),
            chash,
            task,
            json.dumps(models),
            status,
            reason,
            json.dumps(metrics),
            seconds,
            json.dumps(config),
            doc,
            weights,
            sweep,
        )
        with self._db() as con:
            con.execute(INSERT, row)
        return run_id

    def save_sweep(self, name: str, tables: dict) -> None:
        """Record (or update) a sweep's grid tables under its name, so that it can be shown
        again after a restart, and from another process than the one that ran it."""
        text = json.dumps(tables, allow_nan=False)  # key order kept: the grid's axis order
        with self._db() as con:
            con.execute("INSERT OR REPLACE INTO sweeps VALUES (?, ?, ?)", (name, text, time.time()))

    def rename(self, run_id: str, name: str) -> None:
        with self._db() as con:
            con.execute("UPDATE runs SET name = ? WHERE id = ?", (name, run_id))

    def set_tags(self, run_id: str, tags: tuple[str, ...]) -> None:
        clean = sorted({t.strip() for t in tags if t.strip()})
        with self._db() as con:
            con.execute("UPDATE runs SET tags = ? WHERE id = ?", (json.dumps(clean), run_id))

    def delete(self, run_id: str) -> None:
        with self._db() as con:
            row = con.execute("SELECT weights FROM runs WHERE id = ?", (run_id,)).fetchone()
            con.execute("DELETE FROM runs WHERE id = ?", (run_id,))
        if row and row[0]:
            (self.weights_dir / row[0]).unlink(missing_ok=True)


def _npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()
