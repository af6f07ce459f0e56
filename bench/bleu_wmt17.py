"""Wall time of our full BLEU analysis vs sacrebleu's CLI on the WMT17 en-de subset.

    python bench/bleu_wmt17.py              # 3 alternating rounds, median and best
    python bench/bleu_wmt17.py --rounds 1

Both run as fresh processes on the same machine, rounds alternating so both see the same load:
- sacrebleu: `sacrebleu REF -i SYS1..SYS6 -m bleu chrf --paired-bs -f text`
  (corpus BLEU + chrF and a 1000-resample paired bootstrap of every system vs the first);
  `-f text` because its default JSON output fails on numpy 2 float32 values.
- ours: `python -m core.bleu --ref REF --sys SYS1..SYS6` (corpus BLEU + chrF + p1..p4/BP,
  sentence BLEU and chrF of every line, length buckets with bootstrap intervals, paired
  bootstrap 1000 AND approximate randomization 10000 of every system vs the first).
Target: ours <= 0.7x sacrebleu's wall time. With --page, "ours" is the BLEU page itself: the
seven files uploaded through its file uploaders in Streamlit's AppTest (a fresh page and empty
caches each round, in this process as in a server), timed until the page has run (target
<= 0.5x). The data (reference + 6 systems x 3004 lines) is found like the tests find it:
$GATESCOPE_ANCHORS, else ../shared/anchors/data next to the repo.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SYSTEMS = [
    "newstest2017.LIUM-NMT.4900.en-de",
    "newstest2017.uedin-nmt.4722.en-de",
    "newstest2017.LMU-nmt-reranked.4934.en-de",
    "newstest2017.online-B.0.en-de",
    "newstest2017.xmu.4910.en-de",
    "newstest2017.PROMT-Rule-based.4735.en-de",
]


def data_folder() -> Path:
    root = os.environ.get("GATESCOPE_ANCHORS")
    base = Path(root) if root else REPO.parent / "shared" / "anchors" / "data"
    folder = base / "sacrebleu-tests" / "wmt17-en-de-subset"
    if not folder.is_dir():
        sys.exit(f"WMT17 subset not found at {folder}; set GATESCOPE_ANCHORS")
    return folder


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd[:4])} ... failed:\n{proc.stderr[-2000:]}")
    return seconds


def page_seconds(ref: str, hyps: list[str]) -> float:
    """The BLEU page's run after uploading the reference and the systems (AppTest)."""
    sys.path.insert(0, str(REPO))
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    files = [(Path(h).name, Path(h).read_bytes(), "text/plain") for h in hyps]
    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=600)
    at.switch_page("views/bleu/bleu.py").run()
    at.file_uploader(key="bleu_up_refs").set_value(
        (Path(ref).name, Path(ref).read_bytes(), "text/plain")
    ).run()
    start = time.perf_counter()
    at.file_uploader(key="bleu_up_sys").set_value(files).run()
    seconds = time.perf_counter() - start
    if at.exception or not any("BLEU" in df.value.columns for df in at.dataframe):
        sys.exit(f"the page did not score the upload: {at.exception}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="our extraction processes")
    parser.add_argument("--page", action="store_true", help="time the BLEU page (AppTest)")
    args = parser.parse_args()
    folder = data_folder()
    ref = str(folder / "newstest2017-ende-ref.de")
    hyps = [str(folder / s) for s in SYSTEMS]
    theirs_cmd = [
        sys.executable,
        "-m",
        "sacrebleu",
        ref,
        "-i",
        *hyps,
        "-m",
        "bleu",
        "chrf",
        "--paired-bs",
        "-f",
        "text",
    ]
    ours_cmd = [sys.executable, "-m", "core.bleu", "--ref", ref, "--workers", str(args.workers)]
    for h in hyps:
        ours_cmd += ["--sys", h]
    theirs, ours = [], []
    for r in range(args.rounds):
        theirs.append(timed(theirs_cmd))
        ours.append(page_seconds(ref, hyps) if args.page else timed(ours_cmd))
        print(f"round {r + 1}: sacrebleu {theirs[-1]:.2f} s   ours {ours[-1]:.2f} s", flush=True)
    med_t, med_o = statistics.median(theirs), statistics.median(ours)
    print(f"CPUs: {os.cpu_count()}, our workers: {args.workers}, rounds: {args.rounds}")
    for label, times in (
        ("sacrebleu CLI (bleu+chrf, paired bs 1000)", theirs),
        (
            "the BLEU page (upload to scores, AppTest)"
            if args.page
            else "ours (full analysis incl. AR 10000)      ",
            ours,
        ),
    ):
        print(f"{label}: median {statistics.median(times):.2f} s, best {min(times):.2f} s")
    print(
        f"ratio ours/sacrebleu: median {med_o / med_t:.2f}, best {min(ours) / min(theirs):.2f}"
        f"   (target <= {0.5 if args.page else 0.7:.2f})"
    )


if __name__ == "__main__":
    main()
