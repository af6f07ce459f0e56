"""The BLEU page on a large upload, as a user meets it: Streamlit's AppTest uploads a generated
reference and three systems through the page's file uploaders, then changes settings.

    python bench/bleu_page.py                   # 100,000 lines
    python bench/bleu_page.py --lines 20000

Reports the wall time of each page run:
- the upload (input doctor, statistics extraction under the progress bar, report);
- a change of baseline, of smoothing, and of a system's name (the statistics are reused);
- a change of tokenizer (the text is extracted again);
and the peak RSS of this process (the page runs in it, as in a Streamlit server).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from streamlit.testing.v1 import AppTest  # noqa: E402

from core.bleu.reading.built_in_corpus import example_corpus  # noqa: E402

TEXT = "text/plain"


def as_bytes(lines) -> bytes:
    return "".join(f"{s}\n" for s in lines).encode("utf-8")


def timed(label: str, action) -> float:
    start = time.perf_counter()
    at = action()
    seconds = time.perf_counter() - start
    if at.exception:
        sys.exit(f"{label}: the page raised {at.exception}")
    print(
        f"{label:<44} {seconds:7.2f} s   RSS now {rss_mib('VmRSS'):5.0f} MiB, "
        f"peak so far {rss_mib('VmHWM'):5.0f} MiB"
    )
    return seconds


def rss_mib(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process from /proc, MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=100_000)
    args = parser.parse_args()
    data = example_corpus(n_segments=args.lines, seed=0)
    ref = as_bytes(data.references[0])
    systems = [(f"{name}.txt", as_bytes(lines), TEXT) for name, lines in data.systems.items()]
    del data
    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=1800)
    at.switch_page("views/bleu/bleu.py").run()
    print(
        f"{args.lines:,} lines x (1 reference + {len(systems)} systems), "
        f"{(len(ref) + sum(len(s[1]) for s in systems)) / 1e6:.1f} MB"
    )
    at.file_uploader(key="bleu_up_refs").set_value(("ref.txt", ref, TEXT)).run()
    timed(
        "upload: doctor, extraction, report",
        lambda: at.file_uploader(key="bleu_up_sys").set_value(systems).run(),
    )
    timed(
        "change the baseline", lambda: at.selectbox(key="bleu_baseline").select(systems[1][0]).run()
    )
    timed(
        "change sentence smoothing", lambda: at.selectbox(key="bleu_smooth").select("floor").run()
    )
    name_key = next(w.key for w in at.text_input if w.value == systems[2][0])
    timed("rename a system", lambda: at.text_input(key=name_key).input("renamed").run())
    timed(
        "change the tokenizer (extracts again)",
        lambda: at.selectbox(key="bleu_tokenize").select("intl").run(),
    )
    print(f"peak RSS of the page's process: {rss_mib('VmHWM'):.0f} MiB   (target < 1 GB)")


if __name__ == "__main__":
    main()
