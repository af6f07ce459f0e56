"""Input doctor: turn uploaded bytes into segments and say plainly what is wrong with them.

One segment per line, read the way sacrebleu's command line reads a file (UTF-8, split on
"\\n", trailing whitespace stripped). Every message names the file and, where it applies, the
line. Decisions:
- UTF-8 byte-order mark: stripped and accepted (noted).
- UTF-16 / UTF-32 with a byte-order mark: decoded, with a warning to re-save as UTF-8.
- CRLF line endings: accepted and normalised (noted).
- Bytes that are not UTF-8 (e.g. Latin-1 text): error naming line and byte offset.
- Binary content (magic numbers of common formats, NUL bytes): error.
- Very long lines: accepted with a warning.
"Error" issues block scoring; "warning" and "info" issues are shown but do not.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

ERROR, WARNING, INFO = "error", "warning", "info"
ROLES = ("ref", "sys", "src")  # reference, system output, source
LONG_LINE_CHARS = 10_000  # a line longer than this is flagged (still accepted)
MAX_LISTED = 8  # line numbers spelled out in one message before "and N more"
TOKENIZED = "the text looks tokenized already"  # in the warning about " ." line endings

MAGIC_NUMBERS = (  # (prefix, what the file looks like)
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"PK\x03\x04", "a zip archive (or .docx/.xlsx, which are zip files)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"%PDF-", "a PDF document"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"BZh", "a bzip2-compressed file"),  # only with the block magic, see _is_bzip2
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-zip archive"),
    (b"\x93NUMPY", "a NumPy array file"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
)
BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE mark
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class InputIssue:
    level: str  # error (blocks scoring) | warning | info
    message: str  # one complete sentence naming the file (and line)
    line: int | None = None  # 1-based line in the file the message points at


@dataclass(frozen=True)
class Decoded:
    text: str | None  # None when the bytes cannot be read as text
    encoding: str  # utf-8 | utf-8-sig | utf-16-le | ... | unknown
    issues: tuple[InputIssue, ...]


@dataclass(frozen=True)
class TextFile:
    name: str  # file name as uploaded (or "table.tsv [column]")
    role: str  # ref | sys | src
    lines: tuple[str, ...]  # segments, one per line, trailing whitespace stripped
    sha256: str  # of the uploaded bytes (of the column text for table columns)
    n_bytes: int  # size of the upload
    encoding: str  # as detected
    issues: tuple[InputIssue, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """True when nothing in the file blocks scoring."""
        return not any(i.level == ERROR for i in self.issues)

    @property
    def n_lines(self) -> int:
        return len(self.lines)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def listed(numbers: Sequence[int]) -> str:
    """'3, 7, 9' or '3, 7, ... and 12 more' for long lists of line numbers."""
    shown = ", ".join(str(n) for n in numbers[:MAX_LISTED])
    rest = len(numbers) - MAX_LISTED
    return f"{shown} and {rest} more" if rest > 0 else shown


def decode_bytes(name: str, data: bytes) -> Decoded:
    """Bytes -> text, or None with an error saying what the bytes look like instead."""
    if not data:
        return Decoded(None, "unknown", (InputIssue(ERROR, f"{name} is empty (0 bytes)."),))
    for magic, kind in MAGIC_NUMBERS:
        if _is_bzip2(data) if magic == b"BZh" else data.startswith(magic):
            msg = f"{name} looks like {kind}, not text: upload plain text, one segment per line."
            return Decoded(None, "binary", (InputIssue(ERROR, msg),))
    if data.startswith(UTF8_BOM):
        note = InputIssue(INFO, f"{name}: UTF-8 byte-order mark found and removed.")
        decoded = _decode_utf8(name, data[len(UTF8_BOM) :], len(UTF8_BOM))
        return Decoded(decoded.text, "utf-8-sig", (note, *decoded.issues))
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _decode_wide(name, data, encoding)
    if b"\x00" in data:
        return Decoded(None, "binary", (_nul_issue(name, data),))
    return _decode_utf8(name, data, 0)


def _is_bzip2(data: bytes) -> bool:
    """'BZh', a block-size digit, then the block magic 0x314159265359 (text may start 'BZh')."""
    return data[:3] == b"BZh" and data[3:4].isdigit() and data[4:10] == b"1AY&SY"


def _decode_wide(name: str, data: bytes, encoding: str) -> Decoded:
    try:
        text = data.decode(encoding.replace("-le", "").replace("-be", ""))  # BOM chooses order
    except UnicodeDecodeError as err:
        msg = f"{name} starts with a {encoding.upper()} byte-order mark but is not valid "
        msg += f"{encoding.upper()} (byte offset {err.start})."
        return Decoded(None, encoding, (InputIssue(ERROR, msg),))
    msg = f"{name} is {encoding.upper()} encoded: decoded it, but other tools expect UTF-8; "
    msg += "consider saving it as UTF-8."
    return Decoded(text.lstrip("\ufeff"), encoding, (InputIssue(WARNING, msg),))


def _nul_issue(name: str, data: bytes) -> InputIssue:
    offset = data.index(b"\x00")
    line = data.count(b"\n", 0, offset) + 1
    head = data[:200]
    if head.count(b"\x00") >= len(head) // 4:  # every other byte NUL: wide text without a BOM
        msg = f"{name} contains NUL bytes from line {line} (byte offset {offset}): it looks like "
        msg += "UTF-16 text without a byte-order mark; save it as UTF-8."
    else:
        msg = f"{name} contains a NUL byte at line {line} (byte offset {offset}): "
        msg += "it looks like a binary file, not text."
    return InputIssue(ERROR, msg, line)


def _decode_utf8(name: str, data: bytes, skipped: int) -> Decoded:
    """Strict UTF-8; on failure name the first bad line, its byte offset and how many lines."""
    try:
        return Decoded(data.decode("utf-8"), "utf-8", ())
    except UnicodeDecodeError as err:
        start = err.start
    line = data.count(b"\n", 0, start) + 1
    in_line = start - (data.rfind(b"\n", 0, start) + 1)
    loose = data.decode("utf-8", errors="surrogateescape").split("\n")
    bad_lines = [i + 1 for i, s in enumerate(loose) if any("\udc80" <= c <= "\udcff" for c in s)]
    hint = ""
    if _reads_as_latin1(data):
        hint = " It looks like Latin-1 / Windows-1252 text; re-save it as UTF-8."
    msg = (
        f"{name} is not valid UTF-8: line {line}, byte {in_line + 1} of the line (file offset "
        f"{start + skipped}) is 0x{data[start]:02X}; {len(bad_lines)} line(s) affected "
        f"({listed(bad_lines)}).{hint}"
    )
    return Decoded(None, "unknown", (InputIssue(ERROR, msg, line),))


def _reads_as_latin1(data: bytes) -> bool:
    """Mostly printable once read as Windows-1252 (no C1 controls, few odd bytes)."""
    text = data.decode("cp1252", errors="replace")
    odd = sum(1 for c in text if c == "\ufffd" or ("\x80" <= c <= "\x9f"))
    return odd == 0


def split_lines(name: str, text: str) -> tuple[list[str], list[InputIssue]]:
    """Text -> segments: split on LF (CRLF accepted), trailing whitespace stripped per line."""
    if not text:
        return [], [InputIssue(ERROR, f"{name} contains no text.")]
    issues: list[InputIssue] = []
    n_crlf = text.count("\r\n")
    if n_crlf:
        text = text.replace("\r\n", "\n")
        issues.append(InputIssue(INFO, f"{name}: Windows (CRLF) line endings converted to LF."))
    if "\r" in text:
        line = text.count("\n", 0, text.index("\r")) + 1
        msg = f"{name} has a lone carriage return (CR) at line {line}: old Mac line endings? "
        msg += "CR does not end a segment here, so lines may run together."
        issues.append(InputIssue(WARNING, msg, line))
    if text.endswith("\n"):
        text = text[:-1]
    return [s.rstrip() for s in text.split("\n")], issues


def content_issues(
    name: str, lines: Sequence[str], role: str, line_numbers: Sequence[int] | None = None
) -> list[InputIssue]:
    """Empty, duplicate, over-long and already-tokenized segments. line_numbers maps segment
    index -> line in the file (tables); by default segment i sits on line i + 1."""
    where = line_numbers if line_numbers is not None else range(1, len(lines) + 1)
    issues: list[InputIssue] = []
    empty = [where[i] for i, s in enumerate(lines) if not s.strip()]
    if lines and len(empty) == len(lines):
        level = WARNING if role == "sys" else ERROR
        effect = "this system will score BLEU 0" if role == "sys" else "nothing to compare to"
        issues.append(InputIssue(level, f"{name}: all {len(lines)} lines are empty: {effect}."))
    elif empty:
        msg = f"{name}: {len(empty)} empty or whitespace-only line(s): {listed(empty)}."
        issues.append(InputIssue(WARNING, msg, empty[0]))
    issues += _duplicate_issues(name, lines, where)
    longest = max(range(len(lines)), key=lambda i: len(lines[i]), default=None)
    if longest is not None and len(lines[longest]) > LONG_LINE_CHARS:
        msg = f"{name}: line {where[longest]} is very long ({len(lines[longest]):,} characters);"
        msg += " is this really one segment per line?"
        issues.append(InputIssue(WARNING, msg, where[longest]))
    if role != "src":
        issues += _tokenized_issues(name, lines)
    return issues


def _duplicate_issues(name: str, lines: Sequence[str], where: Sequence[int]) -> list[InputIssue]:
    first_seen: dict[str, int] = {}
    repeats: list[tuple[int, int]] = []  # (line, line it repeats)
    for i, s in enumerate(lines):
        if not s.strip():
            continue
        if s in first_seen:
            repeats.append((where[i], where[first_seen[s]]))
        else:
            first_seen[s] = i
    if not repeats:
        return []
    line, earlier = repeats[0]
    msg = f"{name}: {len(repeats)} line(s) repeat an earlier line (first: line {line} = line "
    msg += f"{earlier})."
    return [InputIssue(INFO, msg, line)]


def _tokenized_issues(name: str, lines: Sequence[str]) -> list[InputIssue]:
    """Like sacrebleu's "tokenized period" check: many lines end in ' .'."""
    nonempty = sum(1 for s in lines if s.strip())
    n_tok = sum(1 for s in lines if s.endswith(" ."))
    if n_tok >= 100 or (n_tok >= 3 and n_tok >= nonempty / 2):
        msg = f"{name}: {n_tok} of {len(lines)} lines end in ' .' - {TOKENIZED}; "
        msg += "consider tokenizer 'none' (or upload detokenized text)."
        return [InputIssue(WARNING, msg)]
    return []


def read_text_file(name: str, data: bytes, role: str = "sys") -> TextFile:
    """Uploaded bytes -> TextFile with its segments and every issue found."""
    if role not in ROLES:
        raise ValueError(f"unknown file role {role!r}; expected one of {ROLES}")
    decoded = decode_bytes(name, data)
    issues = list(decoded.issues)
    lines: list[str] = []
    if decoded.text is not None:
        lines, split_issues = split_lines(name, decoded.text)
        issues += split_issues + content_issues(name, lines, role)
    return TextFile(
        name, role, tuple(lines), sha256_of(data), len(data), decoded.encoding, tuple(issues)
    )
