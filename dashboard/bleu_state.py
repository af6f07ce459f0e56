"""Cached wrappers for the BLEU page: uploads are read and analysed once per content + settings.

No st.* calls inside the cached functions. Large arguments (segment lists) are passed with a
leading underscore so Streamlit does not hash them; their SHA-256 digests stand in for them in
the cache key, so a change of view never recomputes and a change of file or setting always does.
Entry limits are small: one report of a 100,000-line upload holds tens of megabytes.
"""

from __future__ import annotations

import streamlit as st

from core.bleu.analysis import analyse
from core.bleu.example import example_corpus
from core.bleu.inputs import TextFile, read_text_file
from core.bleu.report import BleuReport
from core.bleu.settings import BleuSettings
from core.bleu.tables import TableInput, read_table
from core.bleu.ter import add_ter


@st.cache_data(max_entries=32, show_spinner=False)
def read_upload(name: str, data: bytes, role: str) -> TextFile:
    """Input doctor on one uploaded file (keyed by name, bytes and role)."""
    return read_text_file(name, data, role)


@st.cache_data(max_entries=8, show_spinner=False)
def read_upload_table(name: str, data: bytes) -> TableInput:
    """Input doctor on one uploaded TSV/CSV/JSONL table."""
    return read_table(name, data)


def analyse_files(
    refs: list[TextFile],
    systems: list[TextFile],
    names: list[str],
    source: TextFile | None,
    settings: BleuSettings,
    ter: bool = False,
) -> BleuReport:
    """analyse() of doctored files, cached by (digests, names, settings); TER added on demand
    (its own cache entry, so asking for TER does not redo the rest)."""
    key = (
        tuple(f.sha256 for f in refs),
        tuple(zip(names, (f.sha256 for f in systems), strict=True)),
        source.sha256 if source else None,
        repr(settings),
    )
    ref_lines = [list(f.lines) for f in refs]
    sys_lines = {n: list(f.lines) for n, f in zip(names, systems, strict=True)}
    report = _analyse(key, ref_lines, sys_lines, list(source.lines) if source else None, settings)
    return _with_ter(key, report, ref_lines, sys_lines) if ter else report


@st.cache_data(max_entries=6, show_spinner="Scoring every sentence of every system ...")
def _analyse(key: tuple, _refs, _systems, _source, _settings) -> BleuReport:
    """key stands in for the unhashed inputs (underscore arguments are not hashed)."""
    return analyse(_refs, _systems, _settings, source=_source, workers=1)


@st.cache_data(max_entries=4, show_spinner="Computing TER (an edit distance per sentence) ...")
def _with_ter(key: tuple, _report: BleuReport, _refs, _systems) -> BleuReport:
    return add_ter(_report, _refs, _systems, workers=1)


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
