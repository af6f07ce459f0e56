"""BLEU page, inputs part: uploaders, the input doctor's report, editable system names.

Bad files are reported and left out; every other upload stays. Line-count mismatches and
unreadable references block scoring (nothing is truncated silently).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core.bleu.reading.file_set_checks import (
    NEED_REFERENCE,
    NEED_SYSTEM,
    InputSet,
    check_inputs,
    unique_names,
)
from core.bleu.reading.text_files import ERROR, INFO, TOKENIZED, WARNING, InputIssue, TextFile
from dashboard.session import bleu_handoff as handoffs
from dashboard.shared.text import plain
from dashboard.views.bleu import state

UPLOAD_HELP = (
    "Plain text, UTF-8, one segment per line (the same line in every file is the same "
    "segment). UTF-8 with a byte-order mark, CRLF line endings and UTF-16 with a byte-order "
    "mark are accepted."
)
TOKENIZE_KEY = "bleu_tokenize"  # the tokenizer selectbox's key
TABLE_HELP = (
    "One TSV, CSV or JSONL file with named columns: `ref` (or `ref1`, `ref2`, ...), optional "
    "`source`, optional `id`, and one column per system."
)

EXAMPLE_ORIGIN = "example"  # PageInputs.origin of the built-in example


@dataclass(frozen=True)
class PageInputs:
    checked: InputSet  # every uploaded file with the doctor's findings
    extra_issues: tuple[InputIssue, ...]  # table-level problems and page notes
    origin: str  # example | files | table | translate (the Translate page's hand-off)
    input_sha256: dict  # uploaded file name -> SHA-256 of its bytes (for the JSON bundle)
    labels: tuple[str, ...] | None = None  # a table's label column (domain, ...), per segment


def upload_widgets() -> PageInputs | None:
    """Uploaders -> doctored inputs; None while nothing is uploaded."""
    c_ref, c_sys, c_src = st.columns(3)
    refs = c_ref.file_uploader(
        "Reference file(s)", accept_multiple_files=True, key="bleu_up_refs", help=UPLOAD_HELP
    )
    systems = c_sys.file_uploader(
        "System outputs", accept_multiple_files=True, key="bleu_up_sys", help=UPLOAD_HELP
    )
    source = c_src.file_uploader("Source (optional)", key="bleu_up_src", help=UPLOAD_HELP)
    table = st.file_uploader(
        "... or one table with all columns", key="bleu_up_table", help=TABLE_HELP
    )
    if table is not None:
        return _from_table(table, bool(refs or systems or source))
    if not (refs or systems or source):
        return None
    ref_files = [state.read_uploaded(f, "ref") for f in refs or []]
    sys_files = [state.read_uploaded(f, "sys") for f in systems or []]
    src_file = state.read_uploaded(source, "src") if source else None
    checked = check_inputs(ref_files, sys_files, src_file)
    shas = {f.name: f.sha256 for f in checked.files}
    return PageInputs(checked, (), "files", shas)


def _from_table(upload, also_files: bool) -> PageInputs:
    table = state.read_upload_table(upload.name, upload.getvalue())
    extra = list(table.issues)
    if also_files:
        extra.append(
            InputIssue(
                WARNING,
                "A table is uploaded, so the separate files are "
                "ignored; remove the table to use them.",
            )
        )
    checked = check_inputs(table.refs, table.systems, table.source)
    if not table.ok:  # the table's own error says why; don't add "add a reference file"
        checked = InputSet((), (), None, ())
    return PageInputs(checked, tuple(extra), "table", {table.name: table.sha256}, table.labels)


def from_handoff(handoff: dict) -> PageInputs:
    """The Translate page's hand-off (checked by handoff.check_handoff) as doctored files."""
    ref_names, sys_names, src_name = handoffs.handoff_names(handoff)
    refs = [
        state.read_upload(name, handoffs.handoff_bytes(lines), "ref")
        for name, lines in zip(ref_names, handoff["refs"], strict=True)
    ]
    systems = [
        state.read_upload(name, handoffs.handoff_bytes(lines), "sys")
        for name, lines in zip(sys_names, handoff["systems"].values(), strict=True)
    ]
    source = (
        state.read_upload(src_name, handoffs.handoff_bytes(handoff["source"]), "src")
        if src_name
        else None
    )
    checked = check_inputs(refs, systems, source)
    return PageInputs(checked, (), "translate", {f.name: f.sha256 for f in checked.files})


def from_example(refs: list[TextFile], systems: list[TextFile], source: TextFile) -> PageInputs:
    checked = check_inputs(refs, systems, source)
    return PageInputs(checked, (), EXAMPLE_ORIGIN, {})


@dataclass(frozen=True)
class Usable:
    refs: list[TextFile]  # every reference (an unreadable one blocks scoring)
    systems: list[TextFile]  # readable system outputs; unreadable ones are left out
    source: TextFile | None  # the source if readable
    blocked: bool  # True: nothing is scored until the errors shown are fixed
    notes: list[str]  # what was left out or why scoring waits (not shown by show_doctor)


def usable(inputs: PageInputs) -> Usable:
    """What can be scored: unreadable systems and source are left out (and said so);
    unreadable references and any error across files (line counts) block scoring."""
    checked = inputs.checked
    blocked = any(i.level == ERROR for i in (*checked.issues, *inputs.extra_issues))
    notes = []
    bad_refs = [f.name for f in checked.refs if not f.ok]
    if bad_refs:
        blocked = True
        notes.append(
            f"Reference {', '.join(bad_refs)} has an error (see above): scoring "
            "waits for it, since leaving a reference out changes every score."
        )
    systems = [f for f in checked.systems if f.ok]
    left_out = [f.name for f in checked.systems if not f.ok]
    if checked.source and not checked.source.ok:
        left_out.append(checked.source.name)
    if left_out and systems:
        notes.append(f"Left out of scoring (see the errors above): {', '.join(left_out)}.")
    if checked.systems and not systems:
        blocked = True
        notes.append("No system output can be scored (see the errors above).")
    source = checked.source if checked.source and checked.source.ok else None
    return Usable(list(checked.refs), systems, source, blocked or not systems, notes)


def show_doctor(inputs: PageInputs) -> None:
    """Problems across files first, then one expander per file (open when it has errors)."""
    for issue in (*inputs.extra_issues, *inputs.checked.issues):
        _show_issue(issue)
    for f in inputs.checked.files:
        _file_expander(f)


def tokenized_warning(inputs: PageInputs) -> None:
    """Files that look tokenized already, raised above the doctor's rows, with a one-click
    switch to tokenizer 'none' (while another tokenizer is chosen)."""
    files = [f.name for f in inputs.checked.files if any(TOKENIZED in i.message for i in f.issues)]
    if not files or st.session_state.get(TOKENIZE_KEY) == "none":
        return
    c_note, c_button = st.columns([4, 1], vertical_alignment="center")
    c_note.warning(
        plain(
            f"{', '.join(files)}: many lines end in ' .', so {TOKENIZED}. "
            "sacrebleu's tokenizer would split the text again and the scores "
            "would not be comparable; use tokenizer 'none' for tokenized text."
        ),
        icon=":material/warning:",
    )
    c_button.button(
        "Use tokenizer 'none'",
        key="bleu_use_tok_none",
        on_click=lambda: st.session_state.update({TOKENIZE_KEY: "none"}),
    )


def _file_expander(f: TextFile) -> None:
    worst = {i.level for i in f.issues}
    icon = (
        ":material/error:"
        if ERROR in worst
        else (":material/warning:" if WARNING in worst else ":material/check_circle:")
    )
    role = {"ref": "reference", "sys": "system", "src": "source"}[f.role]
    title = f"{role} {f.name}: {f.n_lines:,} lines, {f.n_bytes:,} bytes, {f.encoding}"
    with st.expander(plain(title), expanded=ERROR in worst, icon=icon):
        for issue in f.issues:
            _show_issue(issue)
        if not f.issues:
            st.caption("No problems found.")
        st.caption(f"SHA-256 {f.sha256}")


def _show_issue(issue: InputIssue) -> None:
    if issue.message in (NEED_REFERENCE, NEED_SYSTEM):  # a next step, not a fault
        st.info(issue.message, icon=":material/upload_file:")
        return
    {ERROR: st.error, WARNING: st.warning, INFO: st.caption}[issue.level](plain(issue.message))


def default_name(f: TextFile, origin: str) -> str:
    """A file's name, or the column name for a table column ("t.tsv [nmt]" -> "nmt")."""
    return f.name.rsplit(" [", 1)[-1][:-1] if origin == "table" else f.name


def default_names(files: list[TextFile], origin: str) -> list[str]:
    """The systems' names before anyone edits them (what name_widgets returns untouched)."""
    return unique_names([default_name(f, origin) for f in files])


def name_widgets(files: list[TextFile], origin: str) -> list[str]:
    """One text input per system, keyed by file content and name; names made unique. Three
    per row, labelled by position (the file name in the tooltip), so long names fit."""
    cols = st.columns(min(len(files), 3) or 1)
    names, seen = [], {}
    for i, f in enumerate(files):
        ident = f"{f.sha256[:16]}_{f.name}"
        seen[ident] = seen.get(ident, 0) + 1  # the same file twice still gets two keys
        default = default_name(f, origin)
        value = cols[i % len(cols)].text_input(
            f"System {i + 1} name",
            value=default,
            key=f"bleu_name_{ident}_{seen[ident]}",
            help=plain(f"Shown for {f.name}"),
        )
        names.append(value.strip() or default)
    return unique_names(names)
