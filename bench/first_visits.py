"""A new reader's first visit of each page on a fresh server, once the default results are shown:
the server's part of it.

    python bench/first_visits.py               # three servers
    python bench/first_visits.py --rounds 5 --wait 15

Each round starts `streamlit run dashboard/app.py` with a fresh store. One session speaking
Streamlit's websocket protocol (`bench/protocol.py`) opens the Train page and waits for the
default experiment; that first drawing starts the warm-up (`dashboard/session/warm_up.py`). After
`--wait` seconds a second session, a new reader, opens the Train page and then Gradient flow,
Gates and BLEU breakdown, twice each. The seconds are the server's: from the request to its
`script_finished` message (a browser on the reader's own machine adds its drawing).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.protocol import ProtocolSession  # noqa: E402
from tests.e2e.conftest import streamlit_server  # noqa: E402

PAGES = ("gradients", "gates", "bleu")  # URL paths of the pages timed, in the order visited


async def one_round(url: str, wait: float) -> dict[str, tuple[float, float]]:
    """Per page: (first visit, second visit) seconds of server time."""
    async with ProtocolSession.connect(url) as first:
        start = time.perf_counter()
        shown = await first.run()  # the Train page: waits for the default experiment
        print(
            f"  default shown after {time.perf_counter() - start:.2f} s "
            f"({shown.count('plotly_chart')} charts)",
            flush=True,
        )
        await asyncio.sleep(wait)
    async with ProtocolSession.connect(url) as reader:
        await reader.run()
        visits: dict[str, list[float]] = {p: [] for p in PAGES}
        for _ in range(2):
            for page in PAGES:
                visits[page].append((await reader.open(page)).seconds)
            await reader.open("")  # back to the Train page between the two tours
    return {page: (s[0], s[1]) for page, s in visits.items()}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--wait", type=float, default=15.0, help="seconds between the two sessions")
    args = p.parse_args()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", flush=True)
    firsts: dict[str, list[float]] = {page: [] for page in PAGES}
    for r in range(args.rounds):
        print(f"round {r + 1}", flush=True)
        with streamlit_server(fast_default=False) as url:
            times = asyncio.run(one_round(url, args.wait))
        for page, (first, again) in times.items():
            firsts[page].append(first)
            print(f"  {page}: first visit {first:.3f} s, again {again:.3f} s", flush=True)
    for page, seconds in firsts.items():
        print(
            f"{page}: first visits median {statistics.median(seconds):.3f} s "
            f"({', '.join(f'{s:.3f}' for s in seconds)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
