"""analyse(): references + system outputs -> BleuReport, every number equal to sacrebleu's."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from core.bleu.breakdowns.length_buckets import assign_buckets, bucket_labels, bucket_table
from core.bleu.breakdowns.significance_vs_baseline import tests_against_baseline
from core.bleu.report import BleuReport
from core.bleu.settings import BleuSettings
from core.bleu.statistics.extraction import SegmentStats, extract_stats, make_metric
from core.bleu.statistics.scores_from_stats import (
    bleu_rows,
    chrf_rows,
    corpus_bleu_score,
    corpus_score,
)


class LineCountError(ValueError):
    """Streams of different lengths: scoring is refused (never truncated)."""

    def __init__(self, name: str, lines: int, expected_name: str, expected: int):
        self.name, self.lines = name, lines
        self.expected_name, self.expected = expected_name, expected
        where = (
            f"line {expected + 1} is extra" if lines > expected else f"line {lines + 1} is missing"
        )
        super().__init__(
            f"{name} has {lines} lines but {expected_name} has {expected} "
            f"({where} in {name}); line counts must match"
        )


def check_inputs(refs, systems: dict, source=None, ref_names=None) -> int:
    """Validate shapes; return the number of segments N. Raises TypeError / ValueError /
    LineCountError with a message naming the stream."""
    if not refs or isinstance(refs, str) or isinstance(refs[0], str):
        raise TypeError("refs must be a list of reference streams (a list of lists of lines)")
    if not systems:
        raise ValueError("at least one system output is needed")
    ref_names = list(ref_names or [f"reference {i + 1}" for i in range(len(refs))])
    n = len(refs[0])
    streams = [(ref_names[i], r) for i, r in enumerate(refs)] + [
        (f"system {name!r}", hyps) for name, hyps in systems.items()
    ]
    if source is not None:
        streams.append(("source", source))
    for name, stream in streams:
        if len(stream) != n:
            raise LineCountError(name, len(stream), ref_names[0], n)
    if n == 0:
        raise ValueError(f"{ref_names[0]} is empty: nothing to score")
    for name, hyps in systems.items():
        bad = next((i for i, h in enumerate(hyps) if not isinstance(h, str)), None)
        if bad is not None:
            raise TypeError(f"system {name!r} line {bad + 1} is not a string")
    no_ref = next(
        (i for i, seg in enumerate(zip(*refs, strict=True)) if all(r is None for r in seg)), None
    )
    if no_ref is not None:
        raise ValueError(f"segment {no_ref + 1} has no reference (all references are None)")
    return n


def resolve_baseline(names: list[str], baseline: str | int) -> str:
    """Baseline system name from a name or a position."""
    if isinstance(baseline, str):
        if baseline not in names:
            raise ValueError(f"baseline {baseline!r} is not one of the systems {names}")
        return baseline
    if baseline >= len(names):
        raise ValueError(f"baseline index {baseline} out of range for {len(names)} systems")
    return names[baseline]


def analyse(
    refs: list[list[str]],
    systems: dict[str, list[str]],
    settings: BleuSettings | None = None,
    source: list[str] | None = None,
    workers: int = 1,
    ref_names: list[str] | None = None,
) -> BleuReport:
    """Score every system against the references and take the scores apart.

    refs: reference streams, refs[j][i] = reference j of segment i (None = missing reference);
    systems: name -> one hypothesis per segment (dict order = display order);
    source: optional source lines (only checked for length); workers: processes used to extract
    statistics (spawned worker processes; 1 = in-process); ref_names: names used in
    error messages. Raises LineCountError when any stream's length differs (no truncation).
    Statistics are extracted once (sacrebleu's own code); everything else is numpy on them.
    TER is included when settings.compute_ter (else see core.bleu.ter.add_ter).
    """
    settings = settings or BleuSettings()
    check_inputs(refs, systems, source, ref_names)
    resolve_baseline(list(systems), settings.baseline)  # a wrong baseline fails before the work
    metrics = ("bleu", "chrf", "ter") if settings.compute_ter else ("bleu", "chrf")
    return report_from_stats(settings, extract_stats(settings, refs, systems, metrics, workers))


def report_from_stats(settings: BleuSettings, stats: dict[str, SegmentStats]) -> BleuReport:
    """The whole analysis from extracted statistics (numpy only, no text is read again).

    stats: extract_stats() output ("bleu" and "chrf", optionally "ter") under settings with the
    same extraction_key(); system names and order are those of stats["bleu"].by_system.
    """
    bleu, chrf = stats["bleu"].by_system, stats["chrf"].by_system
    names = list(bleu)
    n = len(stats["bleu"].first_ref_len)
    baseline = resolve_baseline(names, settings.baseline)
    bleu_m, chrf_m = make_metric(settings, "bleu"), make_metric(settings, "chrf")

    sentences = _sentence_table(settings, bleu, chrf, stats["bleu"].first_ref_len)
    if "ter" in stats:
        ter_m = make_metric(settings, "ter")
        sentences["ter"] = np.concatenate(
            [_ter_rows(ter_m, stats["ter"].by_system[s]) for s in names]
        )
    corpus = _corpus_table(settings, bleu, chrf, stats.get("ter"), sentences)
    significance = tests_against_baseline(settings, bleu, chrf, bleu_m, chrf_m, baseline, corpus)
    return BleuReport(
        settings=settings,
        systems=tuple(names),
        baseline=baseline,
        n_segments=n,
        num_refs=stats["bleu"].num_refs,
        corpus=corpus,
        sentences=sentences,
        buckets=bucket_table(
            bleu,
            stats["bleu"].first_ref_len,
            bleu_m,
            settings.bucket_cutoffs,
            settings.bootstrap_samples,
            settings.seed,
        ),
        significance=significance,
        wins=_wins(sentences, names, baseline),
        signatures=_signatures(settings, stats),
        bleu_stats=bleu,
        chrf_stats=chrf,
        ter_computed="ter" in stats,
    )


def with_smoothing(
    report: BleuReport, smooth_method: str, smooth_value: float | None = None
) -> BleuReport:
    """The report under another sentence-BLEU smoothing. Only sentence BLEU, its mean, the
    wins and the sentence-BLEU signature depend on it; corpus scores, buckets and the paired
    tests are kept as they are (no resampling is redone). The same smoothing: the report."""
    if (smooth_method, smooth_value) == (
        report.settings.smooth_method,
        report.settings.smooth_value,
    ):
        return report
    settings = dataclasses.replace(
        report.settings, smooth_method=smooth_method, smooth_value=smooth_value
    )
    sentences = report.sentences.assign(  # only this column is new (shared under pandas CoW)
        bleu=np.concatenate(
            [
                bleu_rows(
                    report.bleu_stats[s],
                    settings.max_ngram_order,
                    smooth_method,
                    smooth_value,
                    effective_order=True,
                )
                for s in report.systems
            ]
        )
    )
    corpus = report.corpus.copy()
    corpus["sentence_bleu_mean"] = [
        sentences.loc[sentences["system"] == s, "bleu"].mean() for s in corpus.index
    ]
    sentence = settings.sentence_bleu()
    sentence.num_refs = report.num_refs
    return dataclasses.replace(
        report,
        settings=settings,
        sentences=sentences,
        corpus=corpus,
        wins=_wins(sentences, list(report.systems), report.baseline),
        signatures={**report.signatures, "sentence BLEU": sentence.get_signature().format()},
    )


def _sentence_table(settings, bleu, chrf, first_ref_len) -> pd.DataFrame:
    order = settings.max_ngram_order
    chrf_order = settings.chrf_char_order + settings.chrf_word_order
    labels = np.array(bucket_labels(settings.bucket_cutoffs))
    bucket = labels[assign_buckets(first_ref_len, settings.bucket_cutoffs)]
    frames = []
    for name, st in bleu.items():
        frame = {
            "segment": np.arange(len(st)),
            "system": name,
            "bleu": bleu_rows(
                st, order, settings.smooth_method, settings.smooth_value, effective_order=True
            ),
            "chrf": chrf_rows(
                chrf[name], chrf_order, settings.chrf_beta, settings.chrf_eps_smoothing
            ),
            "hyp_len": st[:, 0],
            "ref_len": st[:, 1],
            "first_ref_len": first_ref_len,
            "bucket": bucket,
        }
        for j in range(order):
            frame[f"match_{j + 1}"] = st[:, 2 + j]
        for j in range(order):
            frame[f"total_{j + 1}"] = st[:, 2 + order + j]
        frames.append(pd.DataFrame(frame))
    return pd.concat(frames, ignore_index=True)


def _ter_rows(metric, stats: np.ndarray) -> np.ndarray:
    return np.array([metric._compute_score_from_stats(row).score for row in stats.tolist()])


def _corpus_table(settings, bleu, chrf, ter_stats, sentences) -> pd.DataFrame:
    bleu_m, chrf_m = make_metric(settings, "bleu"), make_metric(settings, "chrf")
    ter_m = make_metric(settings, "ter") if ter_stats is not None else None
    rows = []
    for name, st in bleu.items():
        score = corpus_bleu_score(bleu_m, st)
        own = sentences[sentences["system"] == name]
        row = {
            "system": name,
            "bleu": score.score,
            "chrf": corpus_score(chrf_m, chrf[name]),
            "ter": corpus_score(ter_m, ter_stats.by_system[name]) if ter_m else np.nan,
        }
        row.update({f"p{j + 1}": p for j, p in enumerate(score.precisions)})
        row.update(
            bp=score.bp,
            ratio=score.ratio,
            hyp_len=score.sys_len,
            ref_len=score.ref_len,
            sentence_bleu_mean=own["bleu"].mean(),
            sentence_chrf_mean=own["chrf"].mean(),
        )
        rows.append(row)
    return pd.DataFrame(rows).set_index("system")


def _wins(sentences: pd.DataFrame, names: list[str], baseline: str) -> pd.DataFrame:
    """Sentences where each system's sentence BLEU is above / equal to / below the baseline's."""
    wide = sentences.pivot(index="segment", columns="system", values="bleu")
    rows = []
    for s in names:
        if s == baseline:
            continue
        delta = wide[s].to_numpy() - wide[baseline].to_numpy()
        rows.append(
            {
                "system": s,
                "baseline": baseline,
                "wins": int((delta > 0).sum()),
                "ties": int((delta == 0).sum()),
                "losses": int((delta < 0).sum()),
            }
        )
    return pd.DataFrame(rows, columns=["system", "baseline", "wins", "ties", "losses"])


def _signatures(settings, stats) -> dict[str, str]:
    """sacrebleu's signature strings; "... paired" ones carry bs and seed as its paired test."""
    sigs = {"BLEU": stats["bleu"].signature}
    chrf_name = f"chrF{settings.chrf_beta}" + "+" * settings.chrf_word_order
    sigs[chrf_name] = stats["chrf"].signature
    sentence = settings.sentence_bleu()
    sentence.num_refs = stats["bleu"].num_refs
    sigs["sentence BLEU"] = sentence.get_signature().format()
    for label, kind in (("BLEU", "bleu"), (chrf_name, "chrf")):
        metric = make_metric(settings, kind)
        metric.num_refs = stats[kind].num_refs
        sig = metric.get_signature()
        sig.update("seed", str(settings.seed))
        sig.update("bs", settings.bootstrap_samples)
        sigs[f"{label} paired"] = sig.format()
    if "ter" in stats:
        sigs["TER"] = stats["ter"].signature
    return sigs
