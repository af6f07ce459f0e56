"""One table file with named columns instead of one file per side: TSV, CSV or JSONL.

Columns: `source`/`src` (optional), `ref`/`reference` or `ref1`, `ref2`... (one or more
references), `id`-like columns (ignored), every other column a system output. The first line is
the header (TSV/CSV); in JSONL every line is one object with the same keys. Ragged rows, bad JSON
lines and non-string values are errors naming the line. Cells keep their text with trailing
whitespace stripped, as sacrebleu does for its own TSV input.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import PurePath

from core.bleu.reading.file_set_checks import MAX_SYSTEMS, too_many_systems
from core.bleu.reading.text_files import (
    ERROR,
    INFO,
    WARNING,
    InputIssue,
    TextFile,
    content_issues,
    decode_bytes,
    listed,
    sha256_of,
)

TABLE_SUFFIXES = {
    ".tsv": "tsv",
    ".tab": "tsv",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
}
SOURCE_COLUMNS = {"source", "src"}
LABEL_COLUMNS = {"label", "domain", "genre", "category"}  # one label per segment, for buckets
REF_COLUMN = re.compile(r"^(ref|refs|reference|references|target|tgt)[ _-]?\d*$", re.IGNORECASE)
IGNORED_COLUMNS = {
    "id",
    "seg_id",
    "segid",
    "segment",
    "doc",
    "docid",
    "doc_id",
    "document",
    "index",
    "line",
    "lineno",
    "line_no",
}


@dataclass(frozen=True)
class Parsed:
    header: list[str]  # column names in file order
    rows: list[list[str]]  # one list of cells per data row
    row_lines: list[int]  # line in the file where each row starts
    issues: list[InputIssue]


@dataclass(frozen=True)
class TableInput:
    name: str  # file name as uploaded
    format: str  # tsv | csv | jsonl
    sha256: str  # of the uploaded bytes
    n_bytes: int  # size of the upload
    encoding: str  # as detected
    refs: tuple[TextFile, ...]  # reference columns
    systems: tuple[TextFile, ...]  # system columns
    system_columns: tuple[str, ...]  # column name of each system (default display name)
    source: TextFile | None  # source column, if any
    issues: tuple[InputIssue, ...]  # problems with the file as a whole
    labels: tuple[str, ...] | None = None  # the first label column's values (LABEL_COLUMNS)

    @property
    def ok(self) -> bool:
        return not any(i.level == ERROR for i in self.issues)


def table_format(name: str) -> str | None:
    """tsv | csv | jsonl from the file name, None for plain text."""
    return TABLE_SUFFIXES.get(PurePath(name).suffix.lower())


def read_table(name: str, data: bytes, fmt: str | None = None) -> TableInput:
    """Uploaded table bytes -> reference, system and source columns as TextFiles."""
    fmt = fmt or table_format(name) or "tsv"
    decoded = decode_bytes(name, data)
    issues = list(decoded.issues)
    parsed = Parsed([], [], [], [])
    if decoded.text is not None:
        text = decoded.text.replace("\r\n", "\n")
        text = text[:-1] if text.endswith("\n") else text
        parser = {"tsv": _parse_tsv, "csv": _parse_csv, "jsonl": _parse_jsonl}[fmt]
        parsed = parser(name, text) if text.strip() else Parsed([], [], [], [])
        if not text.strip():
            issues.append(InputIssue(ERROR, f"{name} contains no text."))
        issues += parsed.issues
    if not any(i.level == ERROR for i in issues):
        issues += _header_issues(name, parsed)
    empty = TableInput(
        name, fmt, sha256_of(data), len(data), decoded.encoding, (), (), (), None, tuple(issues)
    )
    if any(i.level == ERROR for i in issues):
        return empty
    return _columns(empty, parsed)


def _parse_tsv(name: str, text: str) -> Parsed:
    lines = text.split("\n")
    header = [h.strip() for h in lines[0].split("\t")]
    rows, where, ragged = [], [], []
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        if len(fields) != len(header):
            ragged.append((number, len(fields)))
            continue
        rows.append(fields)
        where.append(number)
    return Parsed(header, rows, where, _ragged_issues(name, ragged, len(header), "tab-separated"))


def _parse_csv(name: str, text: str) -> Parsed:
    reader = csv.reader(io.StringIO(text))
    header: list[str] = []
    rows, where, ragged = [], [], []
    start = 1
    try:
        for fields in reader:
            if not header:
                header = [h.strip() for h in fields]
            elif len(fields) != len(header):
                ragged.append((start, len(fields)))
            else:
                rows.append(fields)
                where.append(start)
            start = reader.line_num + 1
    except csv.Error as err:
        msg = f"{name}: line {reader.line_num} cannot be read as CSV ({err})."
        return Parsed(header, rows, where, [InputIssue(ERROR, msg, reader.line_num)])
    return Parsed(header, rows, where, _ragged_issues(name, ragged, len(header), "comma-separated"))


def _ragged_issues(name: str, ragged: list, n_cols: int, kind: str) -> list[InputIssue]:
    if not ragged:
        return []
    line, n = ragged[0]
    msg = (
        f"{name}: {len(ragged)} row(s) do not have the header's {n_cols} {kind} fields "
        f"(line {line} has {n}); ragged rows at line(s) {listed([r[0] for r in ragged])}."
    )
    return [InputIssue(ERROR, msg, line)]


def _parse_jsonl(name: str, text: str) -> Parsed:
    header: list[str] = []
    rows, where, bad, blank = [], [], [], []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            blank.append(number)
            continue
        problem, obj = _json_row(line, header)
        if problem:
            bad.append((number, problem))
            continue
        header = header or list(obj)
        rows.append([obj[k] for k in header])
        where.append(number)
    issues = []
    if bad:
        line, problem = bad[0]
        msg = f"{name}: line {line} {problem}"
        if len(bad) > 1:
            msg += f" ({len(bad)} bad lines in all: {listed([b[0] for b in bad])})"
        issues.append(InputIssue(ERROR, msg + ".", line))
    if blank:
        msg = f"{name}: blank line(s) {listed(blank)} skipped (they are not segments)."
        issues.append(InputIssue(WARNING, msg, blank[0]))
    return Parsed(header, rows, where, issues)


def _json_row(line: str, header: list[str]) -> tuple[str, dict]:
    """('', obj) for a good line, else (what is wrong, {})."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        return f"is not valid JSON ({err.msg} at column {err.colno})", {}
    if not isinstance(obj, dict):
        return f"is a JSON {type(obj).__name__}, not an object with named fields", {}
    if header and set(obj) != set(header):
        missing, extra = sorted(set(header) - set(obj)), sorted(set(obj) - set(header))
        return f"has keys that differ from the first row (missing {missing}, extra {extra})", {}
    for key, value in obj.items():
        if not isinstance(value, str):
            return f"field {key!r} is {json.dumps(value)[:40]}, not a string", {}
    return "", obj


def _header_issues(name: str, parsed: Parsed) -> list[InputIssue]:
    header = parsed.header
    if any(not h for h in header):
        return [InputIssue(ERROR, f"{name}: a column in the header has no name.", 1)]
    if len(set(header)) != len(header):
        dup = sorted({h for h in header if header.count(h) > 1})
        return [InputIssue(ERROR, f"{name}: column name(s) {dup} appear more than once.", 1)]
    roles = [column_role(h) for h in header]
    issues = []
    if not parsed.rows:
        issues.append(InputIssue(ERROR, f"{name} has a header but no data rows."))
    if "ref" not in roles:
        msg = f"{name} has no reference column (name one 'ref', or 'ref1', 'ref2', ...)."
        issues.append(InputIssue(ERROR, msg, 1))
    if "sys" not in roles:
        issues.append(InputIssue(ERROR, f"{name} has no system column besides {header}.", 1))
    if roles.count("sys") > MAX_SYSTEMS:
        issues.append(too_many_systems(f"{name} has columns for", roles.count("sys")))
    return issues


def column_role(column: str) -> str:
    """ref | sys | src | ignored, from the column name."""
    low = column.strip().lower()
    if low in SOURCE_COLUMNS:
        return "src"
    if low in LABEL_COLUMNS:
        return "label"
    if REF_COLUMN.match(low):
        return "ref"
    return "ignored" if low in IGNORED_COLUMNS else "sys"


def _columns(table: TableInput, parsed: Parsed) -> TableInput:
    by_role: dict[str, list[TextFile]] = {
        "ref": [],
        "sys": [],
        "src": [],
        "ignored": [],
        "label": [],
    }
    for j, column in enumerate(parsed.header):
        role = column_role(column)
        lines = tuple(row[j].rstrip() for row in parsed.rows)
        label = f"{table.name} [{column}]"
        issues = (
            ()
            if role in ("ignored", "label")
            else content_issues(label, lines, role, parsed.row_lines)
        )
        text = "\n".join(lines).encode("utf-8")
        by_role[role].append(
            TextFile(label, role, lines, sha256_of(text), len(text), table.encoding, tuple(issues))
        )
    system_columns = tuple(c for c in parsed.header if column_role(c) == "sys")
    note = (
        f"{table.name}: {len(parsed.rows)} rows; references {_names(by_role['ref'])}; "
        f"systems {list(system_columns)}; source {_names(by_role['src']) or 'none'}"
    )
    if by_role["label"]:
        note += f"; labels {_names(by_role['label'])}"
    if by_role["ignored"]:
        note += f"; ignored {_names(by_role['ignored'])}"
    return TableInput(
        table.name,
        table.format,
        table.sha256,
        table.n_bytes,
        table.encoding,
        tuple(by_role["ref"]),
        tuple(by_role["sys"]),
        system_columns,
        by_role["src"][0] if by_role["src"] else None,
        (*table.issues, InputIssue(INFO, note + ".")),
        by_role["label"][0].lines if by_role["label"] else None,
    )


def _names(files: list[TextFile]) -> list[str]:
    return [f.name.rsplit(" [", 1)[-1].rstrip("]") for f in files]
