"""Cached wrappers for the BLEU page: uploads are read and analysed once per content + settings.

Statistics extraction (the slow part) runs outside Streamlit's caches, under a progress bar,
and is kept in a small store shared by the sessions; everything derived from it is cached.
No st.* calls inside the cached functions.

Results are cached with st.cache_resource, not st.cache_data: they are immutable (frozen
dataclasses, tuples of lines, tables nobody writes to) and large (a 100,000-line report is
~110 MB), and cache_data would keep a pickled copy of each and unpickle a new one on every rerun
(seconds, and memory well past 1 GB after a few setting changes). Large arguments are passed
with a leading underscore so Streamlit does not hash them; the files' SHA-256 digests stand in
for them in the cache key, so a change of view never recomputes and a change of file or
setting always does.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict

import pandas as pd
import streamlit as st

from core.bleu.analysis import report_from_stats, with_smoothing
from core.bleu.breakdowns.bucket_splits import (
    by_baseline_bleu,
    by_label,
    by_length_ratio,
    by_reference_length,
    by_source_length,
)
from core.bleu.breakdowns.length_buckets import bucket_table_for
from core.bleu.breakdowns.significance_all_pairs import PairwiseSignificance, pairwise_significance
from core.bleu.reading.built_in_corpus import example_corpus
from core.bleu.reading.table_files import TableInput, read_table
from core.bleu.reading.text_files import TextFile, read_text_file
from core.bleu.report import BleuReport
from core.bleu.settings import BleuSettings
from core.bleu.statistics.extraction import (
    SegmentStats,
    default_workers,
    extract_stats,
    make_metric,
)
from core.bleu.ter import ter_from_stats, with_ter
from core.workers.kept import warm
from dashboard.views.bleu.report_key import report_key

# Extractions kept for all sessions (a 100,000-line, 3-system one is ~70 MB). Cached reports
# hold the same arrays, so an extraction costs memory only once its reports are dropped;
# every rerun needs its statistics, so evicting them would mean extracting again.
STORED_EXTRACTIONS = 4


@st.cache_resource(max_entries=16, show_spinner=False)
def read_upload(name: str, data: bytes, role: str) -> TextFile:
    """Input doctor on one uploaded file (keyed by name, bytes and role)."""
    return read_text_file(name, data, role)


def read_uploaded(upload, role: str) -> TextFile:
    """read_upload of a file uploader's file, once per upload: Streamlit's file id stands for
    its bytes in the key (hashing a 12 MB upload's bytes on every rerun cost about 20 ms)."""
    return _read_uploaded(upload.name, upload.file_id, role, upload)


@st.cache_resource(max_entries=16, show_spinner=False)
def _read_uploaded(name: str, file_id: str, role: str, _upload) -> TextFile:
    return read_text_file(name, _upload.getvalue(), role)


@st.cache_resource(max_entries=4, show_spinner=False)
def read_upload_table(name: str, data: bytes) -> TableInput:
    """Input doctor on one uploaded TSV/CSV/JSONL table."""
    return read_table(name, data)


def analyse_files(
    refs: list[TextFile],
    systems: list[TextFile],
    names: list[str],
    settings: BleuSettings,
    ter: bool = False,
    progress: bool = True,
) -> BleuReport:
    """The report of doctored files (line counts already checked by the input doctor; the
    source changes no number, so it is not needed here). Statistics are extracted once per
    (files, extraction settings), with a progress bar, and kept for later runs; the report
    made from them is cached by (files, settings) with the systems known by position and
    sacrebleu's default smoothing, then smoothed and renamed: a baseline change never re-reads
    text, and a new smoothing or name does not redo the resampling tests.
    TER is extracted on demand, into its own entry. progress=False: no bar (no st.* call, for
    a thread outside any page)."""
    texts = (refs, systems)
    base = dataclasses.replace(
        settings,
        baseline=_position(settings.baseline, names),
        smooth_method="exp",
        smooth_value=None,
    )
    key = (file_digests(refs, systems), repr(base))
    report = _report(key, _stats(texts, settings, ("bleu", "chrf"), progress), base)
    if ter:
        report = _with_ter(key, report, _stats(texts, settings, ("ter",), progress), base)
    key = (key, ter, settings.smooth_method, settings.smooth_value)
    report = _smoothed(key, report, settings.smooth_method, settings.smooth_value)
    return _renamed((key, tuple(names)), report, tuple(names))


def _position(baseline: str | int, names: list[str]) -> int:
    return names.index(baseline) if isinstance(baseline, str) else baseline


def file_digests(refs: list[TextFile], systems: list[TextFile]) -> tuple:
    return tuple(f.sha256 for f in refs), tuple(f.sha256 for f in systems)


def _stats(
    texts, settings: BleuSettings, metrics: tuple[str, ...], progress: bool = True
) -> dict[str, SegmentStats]:
    """Statistics from the shared store, or extracted now under a progress bar (not inside a
    Streamlit cache, so the bar can update): large inputs in spawned worker processes, the bar
    moving as their blocks finish. Systems are keyed by position: "0", "1", ..."""
    refs, systems = texts
    key = (file_digests(refs, systems), settings.extraction_key(), metrics)
    store = _extraction_store()
    stats = store.get(key)
    if stats is None:
        bar = ExtractionBar(metrics) if progress else None
        stats = extract_stats(
            settings,
            [list(f.lines) for f in refs],
            {str(i): list(f.lines) for i, f in enumerate(systems)},
            metrics,
            workers=default_workers(),
            on_block=bar.done if bar is not None else None,
        )
        store.put(key, stats)
        if bar is not None:
            bar.empty()
    return stats


class ExtractionBar:
    """The progress bar of one extraction, moved as its blocks finish."""

    def __init__(self, metrics: tuple[str, ...]):
        what = "TER (an edit distance per sentence)" if metrics == ("ter",) else "BLEU and chrF"
        self.what = f"Extracting {what} statistics"
        self.bar = st.progress(0.0, text=f"{self.what} with sacrebleu ...")

    def done(self, i: int, n: int) -> None:
        self.bar.progress(i / n, text=f"{self.what}: block {i} of {n}")

    def empty(self) -> None:
        self.bar.empty()


class ExtractionStore:
    """The last few extractions, shared by every session (thread-safe, oldest dropped)."""

    def __init__(self, size: int):
        self.size, self._items, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
            return self._items.get(key)

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)


@st.cache_resource
def _extraction_store() -> ExtractionStore:
    return ExtractionStore(STORED_EXTRACTIONS)


@st.cache_resource(max_entries=2, show_spinner="Scoring, resampling and bucketing ...")
def _report(key: tuple, _stats: dict[str, SegmentStats], _settings: BleuSettings) -> BleuReport:
    """key stands in for the unhashed inputs (underscore arguments are not hashed)."""
    return report_from_stats(_settings, _stats)


@st.cache_resource(max_entries=2, show_spinner=False)
def _with_ter(
    key: tuple, _report: BleuReport, _stats: dict[str, SegmentStats], _settings: BleuSettings
) -> BleuReport:
    return with_ter(_report, ter_from_stats(_stats["ter"], _settings))


@st.cache_resource(max_entries=2, show_spinner=False)
def _smoothed(key: tuple, _report: BleuReport, method: str, value: float | None) -> BleuReport:
    return with_smoothing(_report, method, value)


@st.cache_resource(max_entries=2, show_spinner=False)
def _renamed(key: tuple, _report: BleuReport, names: tuple[str, ...]) -> BleuReport:
    """The positional report ("0", "1", ...) under the systems' current names."""
    return _report.renamed(dict(zip(_report.systems, names, strict=True)))


@st.cache_data(max_entries=1, show_spinner=False)
def example_files() -> tuple[list[TextFile], list[TextFile], TextFile]:
    """The built-in generated example as doctored files: (references, systems, source)."""
    corpus = example_corpus()
    refs = [
        read_text_file(f"example reference {j + 1}", _as_bytes(r), "ref")
        for j, r in enumerate(corpus.references)
    ]
    systems = [read_text_file(name, _as_bytes(lines)) for name, lines in corpus.systems.items()]
    return refs, systems, read_text_file("example source", _as_bytes(corpus.source), "src")


def _as_bytes(lines: list[str]) -> bytes:
    return "".join(line + "\n" for line in lines).encode("utf-8")


@st.cache_resource(show_spinner=False)
def warm_workers() -> bool:
    """Once per server: start the extraction workers while the user picks files."""
    warm(default_workers())
    return True


def pairwise(report: BleuReport, metric: str = "bleu") -> PairwiseSignificance:
    """Every pair's paired tests on `metric` ("bleu" or "chrf"), cached by the report."""
    return _pairwise(report_key(report), metric, report)


BUCKET_KINDS = {  # label on the page -> how segments are split (needs: source / labels)
    "reference length": lambda report, source, labels: by_reference_length(report),
    "source length": lambda report, source, labels: by_source_length(report, source),
    "length ratio of the baseline (hyp / ref)": lambda report, source, labels: by_length_ratio(
        report
    ),
    "sentence BLEU of the baseline": lambda report, source, labels: by_baseline_bleu(report),
    "label column": lambda report, source, labels: by_label(labels),
}


def buckets_by(
    report: BleuReport, kind: str, source: TextFile | None, labels: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """report.buckets' table for another split (BUCKET_KINDS), cached."""
    if kind == "reference length":
        return report.buckets
    key = (report_key(report), kind, source.sha256 if source else None, labels)
    return _buckets_by(key, report, kind, source, labels)


@st.cache_resource(max_entries=4, show_spinner="Bucketing ...")
def _buckets_by(
    key: tuple,
    _report: BleuReport,
    kind: str,
    _source: TextFile | None,
    _labels: tuple[str, ...] | None,
):
    which, labels = BUCKET_KINDS[kind](_report, _source.lines if _source else None, _labels)
    metric = make_metric(_report.settings, "bleu")
    return bucket_table_for(
        _report.bleu_stats,
        which,
        labels,
        metric,
        _report.settings.bootstrap_samples,
        _report.settings.seed,
    )


@st.cache_resource(max_entries=4, show_spinner="Testing every pair of systems ...")
def _pairwise(key: tuple, metric: str, _report: BleuReport) -> PairwiseSignificance:
    return pairwise_significance(_report, metric=metric)
