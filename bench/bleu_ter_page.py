"""TER on the BLEU page vs the command line, on compare-mt's TED example (2 systems x 2,445
lines; needs the anchor data): the page's TER extraction (spawned workers, as the page runs it)
and `python -m core.bleu --ter`, wall time of each, alternating rounds.

    python bench/bleu_ter_page.py [--rounds 3] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core.bleu.settings import BleuSettings  # noqa: E402
from core.bleu.statistics.extraction import extract_stats  # noqa: E402
from tests.conftest import anchors_root  # noqa: E402

FILES = ("ted.ref.detok.eng", "ted.sys1.detok.eng", "ted.sys2.detok.eng")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    folder = anchors_root() / "compare-mt-example"
    if not folder.is_dir():
        sys.exit(f"anchor data not found at {folder} (set GATESCOPE_ANCHORS)")
    ref, *systems = [(folder / f).read_text(encoding="utf-8").splitlines() for f in FILES]
    print(
        f"TED: 2 systems x {len(ref):,} lines; {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    for r in range(args.rounds):
        start = time.perf_counter()
        extract_stats(
            BleuSettings(),
            [ref],
            {"0": systems[0], "1": systems[1]},
            ("ter",),
            workers=args.workers,
        )
        page = time.perf_counter() - start
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "core.bleu",
                "--ref",
                str(folder / FILES[0]),  # noqa: S603
                "--sys",
                str(folder / FILES[1]),
                "--sys",
                str(folder / FILES[2]),
                "--ter",
                "--workers",
                str(args.workers),
            ],
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        cli = time.perf_counter() - start
        print(
            f"round {r + 1}: page's TER extraction {page:6.1f} s, command line with TER "
            f"(whole analysis) {cli:6.1f} s, load average {os.getloadavg()[0]:.1f}"
        )


if __name__ == "__main__":
    main()
