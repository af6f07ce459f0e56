"""The run store's queries (RunStore inherits them): summaries, counts, lookups by config hash,
and a stored run's document and weights.

Every query selects only the rows it needs through SQL (task, kind, sweep, status and config
hash are columns; config_hash has an index), so asking about one grid, one config or the
number of runs costs the same in a store of fifty runs or of fifty thousand. Model and tag are
JSON lists in their columns and are matched after reading.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager
from pathlib import Path

from core.bounded_npz import MAX_BYTES, NpzError, read_npz
from core.store.records import StoredRecord, StoredRun, StoredSweep, StoreError, summary_from_row

SUMMARY = (
    "SELECT id, kind, name, tags, created, config_hash, task, models, status, reason, "
    "metrics, seconds, config, weights, sweep FROM runs"
)
COLUMN_FILTERS = ("task", "kind", "sweep", "status", "config_hash")  # matched in SQL
COUNTS = "SELECT kind, COUNT(*) FROM runs GROUP BY kind ORDER BY COUNT(*) DESC, kind"
HASHES_PER_QUERY = 500  # config hashes per IN (...) query, well under SQLite's variable limit


class StoreReading:
    """Read side of RunStore; needs its `_db()` connection and `weights_dir`."""

    weights_dir: Path

    def _db(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def list_runs(
        self,
        *,
        task: str | None = None,
        model: str | None = None,
        tag: str | None = None,
        kind: str | None = None,
        sweep: str | None = None,
    ) -> list[StoredRun]:
        """Summaries (no histories, no weights), newest first."""
        runs = self._summaries({"task": task, "kind": kind, "sweep": sweep})
        return [
            r
            for r in runs
            if (model is None or model in r.models) and (tag is None or tag in r.tags)
        ]

    def counts(self) -> dict[str, int]:
        """Stored runs per kind (train, cli, sweep, ...), most first."""
        with self._db() as con:
            rows = con.execute(COUNTS).fetchall()  # the runs_by_kind index, not the table
        return dict(rows)

    def sweeps(self) -> list[StoredSweep]:
        """Every recorded sweep, the most recently started first."""
        with self._db() as con:
            rows = con.execute("SELECT name, grid, started FROM sweeps ORDER BY started DESC")
            return [StoredSweep(name, _json_or_none(grid), started) for name, grid, started in rows]

    def find(self, chash: str, *, status: str | None = "done") -> StoredRun | None:
        """The newest run with this config hash (and status), or None."""
        found = self._summaries({"config_hash": chash, "status": status}, limit=1)
        return found[0] if found else None

    def with_hashes(self, hashes: Iterable[str]) -> list[StoredRun]:
        """Every run whose config hash is one of `hashes`, newest first."""
        wanted = sorted(set(hashes))
        runs: list[StoredRun] = []
        for i in range(0, len(wanted), HASHES_PER_QUERY):
            chunk = wanted[i : i + HASHES_PER_QUERY]
            marks = ", ".join("?" * len(chunk))
            with self._db() as con:
                rows = con.execute(f"{SUMMARY} WHERE config_hash IN ({marks})", chunk)  # noqa: S608
                runs += [summary_from_row(r) for r in rows]
        return sorted(runs, key=lambda r: r.created, reverse=True)

    def _summaries(self, filters: dict[str, str | None], limit: int | None = None):
        """Rows matching every non-None column filter, newest first. -> list[StoredRun]"""
        used = {k: v for k, v in filters.items() if v is not None}
        if not set(used) <= set(COLUMN_FILTERS):  # column names come from here, never users
            raise ValueError(f"not a filterable column: {sorted(set(used) - set(COLUMN_FILTERS))}")
        where = " AND ".join(f"{k} = ?" for k in used)
        query = SUMMARY + (f" WHERE {where}" if where else "") + " ORDER BY created DESC"
        args = list(used.values())
        if limit is not None:
            query += " LIMIT ?"
            args.append(limit)
        with self._db() as con:
            return [summary_from_row(r) for r in con.execute(query, args)]

    def files(self, run_id: str, *, weights: bool = True) -> tuple[bytes, bytes | None]:
        """(document bytes, weights .npz bytes or None) of a stored run."""
        doc, wfile = self._doc(run_id)
        return doc, (self.weights_dir / wfile).read_bytes() if weights and wfile else None

    def load_record(self, run_id: str, *, max_bytes: int = MAX_BYTES) -> StoredRecord:
        doc, wfile = self._doc(run_id)
        arrays = {}
        if wfile:
            try:
                arrays = read_npz(
                    (self.weights_dir / wfile).read_bytes(),
                    f"weights of stored run {run_id}",
                    max_bytes=max_bytes,
                )
            except NpzError as err:
                raise StoreError(str(err)) from err
        body = json.loads(doc)
        return StoredRecord(
            id=run_id,
            config=body["config"],
            histories=body["histories"],
            metrics=body["metrics"],
            arrays=arrays,
            data=body.get("data", {}),
        )

    def _doc(self, run_id: str) -> tuple[bytes, str | None]:
        with self._db() as con:
            row = con.execute("SELECT doc, weights FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None or row[0] is None:
            raise StoreError(f"stored run {run_id}: not in the store, or failed without results")
        return bytes(row[0]), row[1]


def _json_or_none(text: str) -> dict | None:
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, dict) else None
