"""Parallel text from files: a pairs file (source<TAB>target[<TAB>anything]), two aligned plain
text files, or a BLEU-page table with `source` and `ref` columns. Every problem raises
CorpusError with a message naming the file and the line."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import PurePath

from core.bleu.reading.table_files import column_role


class CorpusError(ValueError):
    """A parallel text file that cannot be used, with a message naming the file and line."""


@dataclass(frozen=True)
class Pairs:
    source: tuple[str, ...]  # one sentence per pair
    target: tuple[str, ...]  # aligned with source
    extra: tuple[str, ...]  # the rest of each pairs-file line after the target ("" if none)
    origin: str  # where the pairs came from, for messages and the UI

    def __len__(self) -> int:
        return len(self.source)

    def reversed(self) -> Pairs:
        """The other translation direction: target becomes source."""
        return Pairs(self.target, self.source, self.extra, self.origin + " (reversed)")


def decode_lines(name: str, data: bytes) -> list[str]:
    """UTF-8 bytes -> lines (a BOM is dropped, CRLF accepted); a bad byte names its line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    out = []
    for number, raw in enumerate(lines, start=1):
        try:
            out.append(raw.decode("utf-8").rstrip("\r"))
        except UnicodeDecodeError as err:
            raise CorpusError(
                f"{name}, line {number}: not UTF-8 text (byte "
                f"0x{raw[err.start]:02x} at column {err.start + 1})."
            ) from None
    if not out:
        raise CorpusError(f"{name} is empty: it holds no lines.")
    return out


def _check_sentence(name: str, number: int, side: str, text: str) -> str:
    text = text.strip()
    if not text:
        raise CorpusError(f"{name}, line {number}: the {side} side is empty.")
    return text


def read_pairs(name: str, data: bytes) -> Pairs:
    """A Tatoeba/Anki-style pairs file: `source<TAB>target[<TAB>anything else]` per line."""
    src, tgt, extra = [], [], []
    for number, line in enumerate(decode_lines(name, data), start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) < 2:
            raise CorpusError(f"{name}, line {number}: no tab; a pairs line is source<TAB>target.")
        src.append(_check_sentence(name, number, "source", fields[0]))
        tgt.append(_check_sentence(name, number, "target", fields[1]))
        extra.append("\t".join(fields[2:]))
    return Pairs(tuple(src), tuple(tgt), tuple(extra), name)


def read_aligned(src_name: str, src_data: bytes, tgt_name: str, tgt_data: bytes) -> Pairs:
    """Two plain-text files, line i of one translating line i of the other."""
    src, tgt = decode_lines(src_name, src_data), decode_lines(tgt_name, tgt_data)
    if len(src) != len(tgt):
        raise CorpusError(
            f"{src_name} has {len(src)} lines but {tgt_name} has {len(tgt)}: "
            "aligned files need the same number of lines."
        )
    s = tuple(_check_sentence(src_name, i, "source", t) for i, t in enumerate(src, start=1))
    t = tuple(_check_sentence(tgt_name, i, "target", x) for i, x in enumerate(tgt, start=1))
    return Pairs(s, t, ("",) * len(s), f"{src_name} + {tgt_name}")


def _table_rows(name: str, data: bytes) -> tuple[list[str], list[tuple[int, dict]]]:
    """-> header, (line, row dict) per data row, for .tsv/.tab/.csv (header first) or .jsonl."""
    lines = decode_lines(name, data)
    if PurePath(name).suffix.lower() in (".jsonl", ".ndjson", ".json"):
        rows = []
        for number, line in enumerate(lines, start=1):
            if line.strip():
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as err:
                    raise CorpusError(f"{name}, line {number}: not JSON ({err.msg}).") from None
                if not isinstance(row, dict):
                    raise CorpusError(f"{name}, line {number}: not a JSON object.")
                rows.append((number, {k: str(v) for k, v in row.items()}))
        return (list(rows[0][1]) if rows else []), rows
    delimiter = "," if PurePath(name).suffix.lower() == ".csv" else "\t"
    table = list(csv.reader(lines, delimiter=delimiter))
    header = [h.strip() for h in table[0]]
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if cells and len(cells) != len(header):
            raise CorpusError(
                f"{name}, line {number}: {len(cells)} columns, the header has {len(header)}."
            )
        if cells:
            rows.append((number, dict(zip(header, cells, strict=True))))
    return header, rows


def read_table_pairs(name: str, data: bytes) -> Pairs:
    """A BLEU-page table (TSV/CSV/JSONL) with a `source` column and a `ref` column."""
    header, rows = _table_rows(name, data)
    src_col = next((h for h in header if column_role(h) == "src"), None)
    ref_col = next((h for h in header if column_role(h) == "ref"), None)
    if src_col is None or ref_col is None:
        raise CorpusError(
            f"{name}: a table needs a `source` column and a `ref` column (its columns: {header})."
        )
    if not rows:
        raise CorpusError(f"{name} has a header but no data rows.")
    s = tuple(_check_sentence(name, n, "source", r.get(src_col, "")) for n, r in rows)
    t = tuple(_check_sentence(name, n, "target", r.get(ref_col, "")) for n, r in rows)
    return Pairs(s, t, ("",) * len(s), name)
