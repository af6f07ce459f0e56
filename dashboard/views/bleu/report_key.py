"""What stands for a BLEU report in cache keys: a digest of every per-sentence statistic it
holds (BLEU, chrF, TER when computed), its settings, systems and baseline. Two reports with the
same key show the same numbers; the key is computed once per report object (hashing 100,000
lines' statistics takes a noticeable part of a second), then remembered while it lives."""

from __future__ import annotations

import hashlib
import threading
import weakref

import numpy as np

from core.bleu.report import BleuReport

_KNOWN: dict[int, tuple[weakref.ref, tuple]] = {}  # id(report) -> (the report, its key)
_LOCK = threading.Lock()


def report_key(report: BleuReport) -> tuple:
    """(statistics digest, settings, systems, baseline) of `report`, remembered per object."""
    with _LOCK:
        held = _KNOWN.get(id(report))
    if held is not None and held[0]() is report:
        return held[1]
    key = _computed_key(report)
    i = id(report)
    with _LOCK:
        _KNOWN[i] = (weakref.ref(report, lambda _: _forget(i)), key)
    return key


def _forget(i: int) -> None:
    with _LOCK:
        _KNOWN.pop(i, None)


def _computed_key(report: BleuReport) -> tuple:
    digest = hashlib.sha256()
    for stats in (report.bleu_stats, report.chrf_stats):
        for name in report.systems:
            digest.update(np.ascontiguousarray(stats[name]).tobytes())
    if report.ter_computed:
        digest.update(np.ascontiguousarray(report.sentences["ter"].to_numpy()).tobytes())
    return digest.hexdigest(), repr(report.settings), report.systems, report.baseline
