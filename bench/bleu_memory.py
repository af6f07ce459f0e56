"""Peak memory of a full BLEU analysis of a generated 100,000-line upload.

    python bench/bleu_memory.py                 # 100,000 lines, 1 reference, 3 systems
    python bench/bleu_memory.py --lines 20000 --workers 2

Writes the generated reference and systems (core.bleu.reading.built_in_corpus) to a temporary
folder, runs
`python -m core.bleu` on them as a child process (BLEU + chrF, sentence scores, buckets, paired
bootstrap 1000 and approximate randomization 10000, JSON bundle written), and reports
- the peak resident memory of the whole process tree, sampled from /proc every 20 ms
  (parent plus any extraction workers, summed), and
- the child's own peak RSS from resource.getrusage (the largest single process).
Target: peak < 1 GB.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core.bleu.reading.built_in_corpus import example_corpus  # noqa: E402


def tree_rss_kib(pid: int) -> int:
    """Resident memory of pid and its descendants (Linux /proc), KiB."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(
                next(ln.split()[1] for ln in status.splitlines() if ln.startswith("VmRSS:"))
            )
            for task in Path(f"/proc/{p}/task").iterdir():
                children = (task / "children").read_text().split()
                stack += [int(c) for c in children]
        except (OSError, StopIteration):
            continue
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    data = example_corpus(n_segments=args.lines, seed=0)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cmd = [
            sys.executable,
            "-m",
            "core.bleu",
            "--workers",
            str(args.workers),
            "--json",
            str(folder / "out.json"),
        ]
        (folder / "ref.txt").write_text("\n".join(data.references[0]) + "\n", encoding="utf-8")
        cmd += ["--ref", str(folder / "ref.txt")]
        for name, lines in data.systems.items():
            (folder / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
            cmd += ["--sys", str(folder / f"{name}.txt")]
        size = sum(f.stat().st_size for f in folder.glob("*.txt"))
        del data
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        peak = [0]

        def sample():
            while proc.poll() is None:
                peak[0] = max(peak[0], tree_rss_kib(proc.pid))
                time.sleep(0.02)

        sampler = threading.Thread(target=sample)
        sampler.start()
        out, err = proc.communicate()
        sampler.join()
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            sys.exit(f"analysis failed:\n{err[-2000:]}")
        child_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        bundle_mb = (folder / "out.json").stat().st_size / 1e6
    print(out.splitlines()[2] if len(out.splitlines()) > 2 else out)
    print(
        f"{args.lines:,} lines x (1 reference + 3 systems), {size / 1e6:.1f} MB of text, "
        f"workers {args.workers}: {seconds:.1f} s, JSON bundle {bundle_mb:.1f} MB"
    )
    print(f"peak memory, whole process tree (sampled): {peak[0] / 1024:.0f} MiB")
    print(
        f"peak RSS of the largest process (getrusage): {child_kib / 1024:.0f} MiB   (target < 1 GB)"
    )


if __name__ == "__main__":
    main()
