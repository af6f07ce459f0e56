"""Checks across uploaded files: line counts agree, nothing uploaded twice, enough files.

A file whose line count differs from the first reference's is marked with an error and left
out (nothing is cut short silently); the other files are scored. The message names every file
with its count and the line where the files diverge. A reference with the wrong count blocks
scoring (leaving it out would change every score).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from core.bleu.reading.text_files import ERROR, WARNING, InputIssue, TextFile
from core.text_script import dominant_script, script_distance, script_shares

ROLE_NAMES = {"ref": "reference", "sys": "system", "src": "source"}
NEED_REFERENCE = "Add at least one reference file."
NEED_SYSTEM = "Add at least one system output file."
# Systems per analysis. The cost grows linearly with the count (about 11 s per 200 systems of
# 20 lines); a table may hold thousands of columns, which would stall the server for an hour.
MAX_SYSTEMS = 50
SCRIPT_SAMPLE_LINES = 2_000  # lines read per file to find its scripts (on every rerun)
SCRIPT_DISTANCE = 0.5  # a system whose script shares differ more from the reference's is flagged


def too_many_systems(where: str, n: int) -> InputIssue:
    return InputIssue(
        ERROR,
        f"{where} {n:,} systems: at most {MAX_SYSTEMS} are analysed at "
        "once. Split them into several uploads.",
    )


@dataclass(frozen=True)
class InputSet:
    refs: tuple[TextFile, ...]  # one or more references, aligned line by line
    systems: tuple[TextFile, ...]  # system outputs to score
    source: TextFile | None  # optional source text
    issues: tuple[InputIssue, ...]  # problems across files (per-file ones live in each file)

    @property
    def files(self) -> tuple[TextFile, ...]:
        return (*self.refs, *self.systems, *((self.source,) if self.source else ()))

    @property
    def blocking(self) -> tuple[InputIssue, ...]:
        """Every error, per file and across files; scoring waits until this is empty."""
        per_file = [i for f in self.files for i in f.issues if i.level == ERROR]
        return (*per_file, *(i for i in self.issues if i.level == ERROR))

    @property
    def ok(self) -> bool:
        return not self.blocking

    @property
    def n_segments(self) -> int:
        return self.refs[0].n_lines if self.refs else 0


def check_inputs(
    refs: Sequence[TextFile], systems: Sequence[TextFile], source: TextFile | None = None
) -> InputSet:
    """All cross-file checks; per-file issues were found when each file was read."""
    issues: list[InputIssue] = []
    if not refs:
        issues.append(InputIssue(ERROR, NEED_REFERENCE))
    if not systems:
        issues.append(InputIssue(ERROR, NEED_SYSTEM))
    if len(systems) > MAX_SYSTEMS:
        issues.append(too_many_systems("The upload holds", len(systems)))
    files = [*refs, *systems, *([source] if source else [])]
    summary, marked = count_mismatch([f for f in files if f.ok])
    issues += summary
    issues += same_content(files)
    mark = {id(old): new for old, new in marked}
    refs, systems = [mark.get(id(f), f) for f in refs], [mark.get(id(f), f) for f in systems]
    scripts = {id(old): new for old, new in script_mismatch(refs, systems)}
    systems = [scripts.get(id(f), f) for f in systems]
    source = mark.get(id(source), source) if source else None
    return InputSet(tuple(refs), tuple(systems), source, tuple(issues))


def count_mismatch(files: Sequence[TextFile]) -> tuple[list[InputIssue], list[tuple]]:
    """When line counts differ from the first reference's (else the first file's): a warning
    naming every file's count, and each mismatched file again with an error of its own (so it
    is shown red and left out). Returns (issues across files, [(file, marked file)])."""
    counts = {f.n_lines for f in files}
    if len(counts) <= 1:
        return [], []
    standard = next((f for f in files if f.role == "ref"), files[0])
    n = standard.n_lines
    wrong = [f for f in files if f.n_lines != n]
    listing = "; ".join(f"{ROLE_NAMES[f.role]} {f.name}: {f.n_lines} lines" for f in files)
    names = ", ".join(f.name for f in wrong)
    msg = (
        f"Line counts differ: {listing}. {names} left out of scoring (no file is cut short); "
        f"the files with {n} lines, as {standard.name}, are scored."
    )
    marked = []
    for f in wrong:
        where = f"line {n + 1} is extra" if f.n_lines > n else f"line {f.n_lines + 1} is missing"
        own = InputIssue(
            ERROR,
            f"{f.name} has {f.n_lines} lines but {standard.name} has {n} "
            f"({where}): left out of scoring.",
            min(n, f.n_lines) + 1,
        )
        marked.append((f, dataclasses.replace(f, issues=(*f.issues, own))))
    return [InputIssue(WARNING, msg, min(f.n_lines for f in files) + 1)], marked


def script_mismatch(refs: Sequence[TextFile], systems: Sequence[TextFile]) -> list[tuple]:
    """Systems written in another script than the first reference (Korean output against an
    English reference scores BLEU 0 with no other sign): a warning of their own, naming both
    scripts and shares. Returns [(file, marked file)]."""
    if not refs or not refs[0].ok:
        return []
    ref = refs[0]
    systems = [f for f in systems if f.ok]
    ref_shares = script_shares(ref.lines[:SCRIPT_SAMPLE_LINES])
    marked = []
    for f in systems:
        shares = script_shares(f.lines[:SCRIPT_SAMPLE_LINES])
        if script_distance(shares, ref_shares) <= SCRIPT_DISTANCE:
            continue
        own = InputIssue(
            WARNING,
            f"{f.name} is written in {_scripts(shares)} but the reference {ref.name} in "
            f"{_scripts(ref_shares)}: a wrong file or another language? Its scores mean little.",
        )
        marked.append((f, dataclasses.replace(f, issues=(*f.issues, own))))
    return marked


def _scripts(shares: dict[str, float]) -> str:
    """'Hangul (97% of letters)', the main script and its share."""
    main = dominant_script(shares)
    return f"{main} ({shares[main]:.0%} of letters)"


def same_content(files: Sequence[TextFile]) -> list[InputIssue]:
    """Files uploaded twice (same SHA-256), and systems identical to a reference."""
    by_hash: dict[str, list[TextFile]] = defaultdict(list)
    for f in files:
        by_hash[f.sha256].append(f)
    issues = []
    for digest, group in by_hash.items():
        if len(group) < 2:
            continue
        names = " and ".join(f"{ROLE_NAMES[f.role]} {f.name}" for f in group)
        msg = f"{names} have identical content (SHA-256 {digest[:12]}...): the same file twice?"
        roles = {f.role for f in group}
        if {"ref", "sys"} <= roles:
            msg += " A system identical to its reference scores BLEU 100."
        issues.append(InputIssue(WARNING, msg))
    return issues


def unique_names(names: Sequence[str]) -> list[str]:
    """Make display names distinct: 'a', 'a' -> 'a', 'a (2)'."""
    seen: dict[str, int] = {}
    out = []
    taken = set(names)
    for name in names:
        if name not in seen:
            seen[name] = 1
            out.append(name)
            continue
        k = seen[name] + 1
        while f"{name} ({k})" in taken:
            k += 1
        seen[name] = k
        taken.add(f"{name} ({k})")
        out.append(f"{name} ({k})")
    return out
