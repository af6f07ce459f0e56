"""Command-line twin of the BLEU page.

python -m core.bleu --ref REF [--ref REF2 ...] --sys SYS [--sys SYS2 ...] [--src SRC]
                    [--tokenize 13a] [--lowercase] [--ter] [--freq-corpus FILE] [--json OUT]

Prints the corpus table with paired significance vs the first system. Bad input: exit status 2
and one line naming the file and line.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

from core.bleu.analysis import LineCountError, analyse
from core.bleu.breakdowns.compare_mt_report import WordReport, word_report
from core.bleu.breakdowns.significance_all_pairs import pairwise_significance
from core.bleu.bundle import bundle_json, result_bundle
from core.bleu.reading.text_files import read_text_file
from core.bleu.report import BleuReport
from core.bleu.settings import BleuSettings
from core.bleu.statistics.extraction import default_workers
from core.config import OneLineParser, add_arguments, from_args


class InputError(Exception):
    """A file that cannot be scored; the message names the file and line."""


def read_lines(path: str, role: str = "sys") -> list[str]:
    """Segments of a file read by the input doctor (core.bleu.reading.text_files): UTF-8 (BOM
    stripped), LF or CRLF. Its first blocking issue becomes an InputError; warnings go to stderr."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    text_file = read_text_file(path, data, role)
    for issue in text_file.issues:
        if issue.level == "warning":
            print(f"warning: {_one_line(issue.message)}", file=sys.stderr)
    errors = [i for i in text_file.issues if i.level == "error"]
    if errors:
        raise InputError(_one_line(errors[0].message))
    return list(text_file.lines)


def _one_line(message: str) -> str:
    return " ".join(message.split())


def build_parser() -> argparse.ArgumentParser:
    p = OneLineParser(
        prog="python -m core.bleu",
        description=(
            "BLEU/chrF (and TER) with sacrebleu's exact numbers, per-sentence scores, length "
            "buckets and paired significance vs the first system."
        ),
    )
    p.add_argument("--ref", action="append", required=True, help="reference file (repeatable)")
    p.add_argument("--sys", action="append", required=True, help="system output (repeatable)")
    p.add_argument("--src", help="source file (only checked for its line count)")
    add_arguments(p.add_argument_group("settings"), BleuSettings, skip=("baseline",))
    p.add_argument("--workers", type=int, default=default_workers())
    p.add_argument(
        "--freq-corpus",
        metavar="FILE",
        help="training corpus for the word-frequency buckets of word accuracy "
        "(default: the first reference)",
    )
    p.add_argument(
        "--pairwise",
        action="store_true",
        help="also test every pair of systems on BLEU and chrF (in the JSON bundle)",
    )
    p.add_argument("--json", metavar="OUT", help="write the full result bundle as JSON")
    return p


def system_names(paths: list[str]) -> list[str]:
    """File names, or full paths where two files share a name."""
    names = [Path(p).name for p in paths]
    return [n if names.count(n) == 1 else p for n, p in zip(names, paths, strict=True)]


def format_table(report: BleuReport) -> str:
    sig = {(r.system, r.metric): r for r in report.significance}
    ter = report.ter_computed
    width = max(len("system"), *(len(name) for name in report.systems))
    head = f"{'system':<{width}} {'BLEU':>7} {'chrF':>7}" + (f" {'TER':>7}" if ter else "")
    head += f" {'BP':>6} {'ratio':>6}  {'95% CI (BLEU)':>15} {'p (bs)':>8} {'p (AR)':>8}"
    lines = [head, "-" * len(head)]
    for name, row in report.corpus.iterrows():
        r = sig[(name, "BLEU")]
        low, high = r.ci95
        line = f"{name:<{width}} {row['bleu']:7.2f} {row['chrf']:7.2f}"
        line += f" {row['ter']:7.2f}" if ter else ""
        line += f" {row['bp']:6.3f} {row['ratio']:6.3f}  [{low:6.2f},{high:6.2f}]"
        line += f" {_p(r.bs_p_value):>8} {_p(r.ar_p_value):>8}"
        if name == report.baseline:
            line += "  (baseline)"
        elif r.score == r.baseline_score:  # sacrebleu's p is then 1/(S+1), not a finding
            line += "  (same BLEU as the baseline)"
        lines.append(line)
    lines.append("")
    lines += [f"{k}: {v}" for k, v in report.signatures.items()]
    return "\n".join(lines)


def _p(p: float | None) -> str:
    return "-" if p is None else f"{p:.4f}" + ("*" if p < 0.05 else " ")


def json_bundle(
    report: BleuReport, files: list[tuple[str, str]], words: WordReport | None = None
) -> dict:
    """The report's bundle (core.bleu.bundle): input files with SHA-256, word analyses."""
    digests = [
        {"role": role, "path": path, "sha256": hashlib.sha256(Path(path).read_bytes()).hexdigest()}
        for role, path in files
    ]
    return result_bundle(report, digests, words)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = from_args(BleuSettings, args)
        refs = [read_lines(p, "ref") for p in args.ref]
        systems = dict(zip(system_names(args.sys), (read_lines(p) for p in args.sys), strict=True))
        source = read_lines(args.src, "src") if args.src else None
        freq_corpus = read_lines(args.freq_corpus, "ref") if args.freq_corpus else None
        check_counts(args, refs, list(systems.values()), source)
        report = analyse(
            refs, systems, settings, source=source, workers=args.workers, ref_names=args.ref
        )
    except (InputError, ValueError, TypeError) as exc:
        print(f"error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    print(format_table(report))
    if args.json:
        files = (
            [("ref", p) for p in args.ref]
            + [("sys", p) for p in args.sys]
            + ([("src", args.src)] if args.src else [])
        )
        bundle = json_bundle(report, files, word_report(refs, systems, settings, freq_corpus))
        if args.pairwise:
            bundle["pairwise_significance"] = [
                pair
                for metric in ("bleu", "chrf")
                for pair in pairwise_significance(report, metric=metric).to_list()
            ]
        Path(args.json).write_text(bundle_json(bundle), encoding="utf-8")
    return 0


def check_counts(args, refs, hyps, source) -> None:
    """LineCountError naming the first file whose line count differs from the first reference."""
    paths = args.ref + args.sys + ([args.src] if args.src else [])
    streams = refs + hyps + ([source] if source is not None else [])
    for path, lines in zip(paths, streams, strict=True):
        if len(lines) != len(refs[0]):
            raise LineCountError(path, len(lines), args.ref[0], len(refs[0]))


if __name__ == "__main__":
    sys.exit(main())
