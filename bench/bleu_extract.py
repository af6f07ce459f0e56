"""Text reading of a big upload, as the BLEU page does it: sacrebleu's BLEU and chrF statistics
of a generated reference and three systems, in this process and in spawned worker processes.

    python bench/bleu_extract.py                 # 100,000 lines, 1 and 2 workers
    python bench/bleu_extract.py --lines 20000 --workers 1 2 4

Workers are spawned afresh for each worker count (their start-up is in the figure; the page
starts them when it opens). Prints the wall time per worker count, the number of progress
updates the page's bar would get, the load average (other work on a small machine distorts
every figure) and checks that every worker count gives the same statistics. CPU seconds are
counted too: on a busy machine the wall time says little, and the CPU time of the busiest
process bounds the wall time on an idle one. Target: 100,000 lines in <= 40 s on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core.bleu.reading.built_in_corpus import example_corpus  # noqa: E402
from core.bleu.settings import BleuSettings  # noqa: E402
from core.bleu.statistics.extraction import extract_stats  # noqa: E402
from core.workers import kept  # noqa: E402


def _cpu() -> tuple[float, float]:
    """(user + system CPU seconds of this process, of its finished children)."""
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    data = example_corpus(n_segments=args.lines, seed=0)
    print(
        f"{args.lines:,} lines x (1 reference + {len(data.systems)} systems), "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start"
    )
    first = None
    for workers in args.workers:
        updates = []
        cpu0 = _cpu()
        start = time.perf_counter()
        stats = extract_stats(
            BleuSettings(),
            data.references,
            data.systems,
            ("bleu", "chrf"),
            workers=workers,
            on_block=lambda i, n, u=updates: u.append(i),
        )
        seconds = time.perf_counter() - start
        kept.close(wait=True)  # the workers exit, so their CPU time is counted
        own, children = (b - a for a, b in zip(cpu0, _cpu(), strict=True))
        print(
            f"workers={workers}: {seconds:7.1f} s wall, {len(updates)} progress updates, "
            f"CPU {own:.1f} s here + {children:.1f} s in workers (idle-machine wall estimate "
            f"{own + children / max(workers, 1) if workers > 1 else own:.1f} s), "
            f"load average now {os.getloadavg()[0]:.1f}"
        )
        if first is None:
            first = stats
        else:
            same = all(
                np.array_equal(first[m].by_system[s], stats[m].by_system[s])
                for m in first
                for s in data.systems
            )
            print(f"  statistics equal to workers={args.workers[0]}: {same}")


if __name__ == "__main__":
    main()
