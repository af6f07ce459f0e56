"""Per-sentence sufficient statistics, extracted once per system with sacrebleu's own code.

Everything else (corpus, sentence and bucket scores, resampling tests) is numpy on these arrays.
Segments are processed in blocks: each block caches its reference n-grams once (sacrebleu's
`_cache_references`) and scores every system against that cache, so memory stays bounded for
large uploads and blocks can run in parallel worker processes (spawned, never forked).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.bleu.settings import BleuSettings
from core.bleu.statistics.chrf_block_counts import chrf_block
from core.bleu.statistics.per_segment_counts import segment_counter
from core.bleu.statistics.tokenizer_13a import FastTokenizer13a
from core.workers.kept import run_calls

METRICS = ("bleu", "chrf", "ter")
MAX_BLOCK = 2000  # segments per block: bounds the reference cache's memory

# Lines of text (segments x (references + systems)) from which extraction goes to spawned
# workers; below, it stays in-process (starting a worker costs about a second).
SPAWN_MIN_LINES = 10_000
SPAWN_MIN_TER = 1_000  # TER (an edit distance with shifts per sentence) is worth it sooner


@dataclass(frozen=True)
class SegmentStats:
    """Sufficient statistics of one metric: one row per segment for every system.

    bleu rows: [hyp_len, closest_ref_len, matches_1..N, totals_1..N]       (int64)
    chrf rows: [hyp, ref, match] counts per char order then word order   (int64)
    ter rows:  [fewest edits over references, mean reference length]     (float64)
    """

    metric: str  # bleu | chrf | ter
    by_system: dict[str, np.ndarray]  # system name -> (N, K) statistics
    first_ref_len: np.ndarray  # (N,) tokenized length of each segment's first reference
    num_refs: int  # references per segment (-1 when it varies)
    signature: str  # sacrebleu's signature string for the metric


def make_metric(settings: BleuSettings, metric: str):
    """sacrebleu metric object for `metric` under `settings` (corpus BLEU for "bleu")."""
    factories = {"bleu": settings.corpus_bleu, "chrf": settings.chrf, "ter": settings.ter}
    if metric not in factories:
        raise ValueError(f"unknown metric {metric!r}; expected one of {METRICS}")
    scorer = factories[metric]()
    if metric == "bleu" and scorer.tokenizer_signature == "13a":
        scorer.tokenizer = FastTokenizer13a()  # sacrebleu's output, faster (tokenizer_13a.py)
    return scorer


def count_refs(refs: list[list[str | None]]) -> int:
    """sacrebleu's nrefs: references per segment, or -1 when it varies (None = missing)."""
    counts = {sum(r is not None for r in seg) for seg in zip(*refs, strict=True)}
    return counts.pop() if len(counts) == 1 else -1


def extract_stats(
    settings: BleuSettings,
    refs: list[list[str | None]],
    systems: dict[str, list[str]],
    metrics: tuple[str, ...] = ("bleu", "chrf"),
    workers: int = 1,
    on_block: Callable[[int, int], None] | None = None,
) -> dict[str, SegmentStats]:
    """Extract per-segment statistics of `metrics` for every system, references cached once.

    refs: reference streams [[ref1_line1, ...], [ref2_line1, ...]]; systems: name -> lines.
    All streams must already have the same length (see core.bleu.analysis.check_line_counts).
    workers > 1 runs the (metric, block) tasks in that many worker processes started with
    spawn (safe from a threaded server, unlike fork); each task gets only its block's lines.
    Inputs under SPAWN_MIN_LINES lines of text (SPAWN_MIN_TER with TER) stay in this process
    (starting workers costs more). on_block(done, total) is called, in the calling thread,
    after each finished task.
    """
    n = len(refs[0])
    lines = n * (len(refs) + len(systems))
    parallel = workers > 1 and lines >= (SPAWN_MIN_TER if "ter" in metrics else SPAWN_MIN_LINES)
    block = max(1, min(MAX_BLOCK, math.ceil(n / (2 * (workers if parallel else 1)))))
    tasks = [(m, lo, min(lo + block, n)) for m in metrics for lo in range(0, n, block)]
    jobs = (_block_job(settings, refs, systems, t) for t in tasks)
    if parallel and len(tasks) > 1:
        parts = _in_workers(workers, jobs, len(tasks), on_block)
    else:
        parts = _collect((_extract_block(*job) for job in jobs), len(tasks), on_block)
    return _assemble(settings, refs, systems, metrics, parts)


def _in_workers(workers: int, jobs, total: int, on_block) -> list:
    """The tasks on the worker layer's kept pool of `workers` processes (core.workers.kept)."""
    done = [0]

    def finished() -> None:
        done[0] += 1
        if on_block is not None:
            on_block(done[0], total)

    return run_calls(_extract_block, list(jobs), workers, finished)


def _block_job(settings, refs, systems, task) -> tuple:
    """(task, settings, the block's references, the block's system lines)."""
    _, lo, hi = task
    return (
        task,
        settings,
        [stream[lo:hi] for stream in refs],
        {name: hyps[lo:hi] for name, hyps in systems.items()},
    )


def _collect(parts, total: int, on_block) -> list:
    """The finished tasks in a list, reporting (done, total) after each one."""
    out = []
    for part in parts:
        out.append(part)
        if on_block is not None:
            on_block(len(out), total)
    return out


def _extract_block(
    task: tuple[str, int, int],
    settings: BleuSettings,
    refs: list[list],
    systems: dict[str, list[str]],
) -> tuple[str, int, dict, np.ndarray]:
    """One (metric, segment block): cache the block's references, score every system."""
    name, lo, hi = task
    metric = make_metric(settings, name)
    out = chrf_block(metric, refs, systems) if name == "chrf" else None
    ref_cache = metric._cache_references(refs) if out is None else []
    if out is None:  # per segment: BLEU, TER, and chrF of very large alphabets
        out = _per_segment(name, metric, ref_cache, systems, hi - lo)
    first_len = np.array(
        [c["ref_lens"][0] for c in ref_cache] if name == "bleu" else [], dtype=np.int64
    )
    return name, lo, out, first_len


def _per_segment(name, metric, ref_cache, systems, n) -> dict[str, np.ndarray]:
    """system -> (n, K) rows, one segment at a time (a line several systems share, once)."""
    count = segment_counter(name, metric, ref_cache)
    dtype = np.float64 if name == "ter" else np.int64
    seen: dict[tuple[int, str], list] = {}
    out = {}
    for sys_name, hyps in systems.items():
        rows = []
        for i, hyp in enumerate(hyps):
            row = seen.get((i, hyp))
            if row is None:  # sacrebleu's _compute_segment_statistics, counted faster
                row = seen[(i, hyp)] = count(i, hyp)
            rows.append(row)
        out[sys_name] = np.asarray(rows, dtype=dtype).reshape(n, -1)
    return out


def _assemble(settings, refs, systems, metrics, parts) -> dict[str, SegmentStats]:
    num_refs = count_refs(refs)
    first_len = np.concatenate(
        [p[3] for p in sorted(parts, key=lambda p: p[1]) if p[0] == "bleu"]
        or [np.zeros(0, dtype=np.int64)]
    )
    result = {}
    for name in metrics:
        blocks = sorted((p for p in parts if p[0] == name), key=lambda p: p[1])
        by_system = {s: np.concatenate([b[2][s] for b in blocks]) for s in systems}
        metric = make_metric(settings, name)
        metric.num_refs = num_refs
        result[name] = SegmentStats(
            name, by_system, first_len, num_refs, metric.get_signature().format()
        )
    return result


def default_workers() -> int:
    """Worker processes worth using here: the CPU count, at most 4."""
    return max(1, min(4, os.cpu_count() or 1))
