"""The server's part of six people opening the app at once, and of page switches while another
person trains: sessions that speak Streamlit's websocket protocol directly (`bench/protocol.py`),
without a browser, so the browsers' own drawing (which on a 2-core machine shares the cores
with the server) is left out.

    python bench/server_sessions.py               # 6 sessions at once, 6 more, one alone;
                                                  # then page switches, idle and while training
    python bench/server_sessions.py --sessions 12

Starts `streamlit run dashboard/app.py` with a fresh store, so the first wave of sessions waits
for the default experiment to train (once, in a worker process). Each session connects to
`/_stcore/stream`, asks for the app's first page as a browser does (a BackMsg
`rerun_script`), and reads the server's ForwardMsgs. Its clock stops when the run has finished
(`script_finished`) having sent the default results' metrics and both charts: what a browser
on the reader's own machine then draws (a browser alone draws them in about 2-3 s on this
machine; `bench/concurrent_sessions.py` prints it).

Then one session opens the pages in turn (Gates, Gradient flow, BLEU breakdown, Train, Gates,
Train; three times), first on the idle server, then while another protocol session trains
(T = 240, 5000 steps, the Train form submitted and its polling fragments rerun as a browser
does): the median and slowest seconds from the click's request to the page's `script_finished`.
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

from bench.page_switches import protocol_trainer  # noqa: E402
from bench.protocol import ProtocolSession  # noqa: E402
from tests.e2e.conftest import streamlit_server  # noqa: E402


async def session(url: str) -> tuple[float, int, int]:
    """(seconds until the first run finished, metrics sent, plotly charts sent)."""
    start = time.perf_counter()
    async with ProtocolSession.connect(url) as s:
        out = await s.run()
    return time.perf_counter() - start, out.count("metric"), out.count("plotly_chart")


async def wave(label: str, url: str, n: int) -> None:
    results = await asyncio.gather(*[session(url) for _ in range(n)])
    times = sorted(t for t, _, _ in results)
    sent = {(m, c) for _, m, c in results}
    print(
        f"{label}: " + ", ".join(f"{t:.2f}" for t in times) + f" s (max {max(times):.2f}); "
        f"(metrics, plotly charts) sent per session: {sorted(sent)}",
        flush=True,
    )


TOUR = ("gates", "gradients", "bleu", "", "gates", "")  # URL paths; "" is the Train page


async def tour(s: ProtocolSession, rounds: int) -> str:
    """Open the pages of TOUR in turn `rounds` times: per page, median / slowest seconds."""
    seconds: dict[str, list[float]] = {}
    for _ in range(rounds):
        for path in TOUR:
            seconds.setdefault(path or "train", []).append((await s.open(path)).seconds)
    return ", ".join(f"{k} {statistics.median(v):.2f}/{max(v):.2f}" for k, v in seconds.items())


async def switches(url: str, rounds: int = 3) -> None:
    async with ProtocolSession.connect(url) as s:
        await s.run()
        await tour(s, 1)  # every page once: later visits are what a switch costs
        print(f"page switches on the idle server (median/slowest s): {await tour(s, rounds)}")
        started, done = asyncio.Event(), asyncio.Event()
        trainer = asyncio.create_task(protocol_trainer(url, started, done))
        await started.wait()
        timed = await tour(s, rounds)
        done.set()
        still = "still" if await trainer else "NO LONGER"
        print(f"page switches while another session trains ({still} training at the end): {timed}")


async def run(url: str, sessions: int) -> None:
    await wave(f"{sessions} new sessions at once while the default trains", url, sessions)
    await wave(f"{sessions} more new sessions at once, the default trained", url, sessions)
    await wave("one new session alone", url, 1)
    await switches(url)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sessions", type=int, default=6)
    args = p.parse_args()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", flush=True)
    with streamlit_server(fast_default=False) as url:
        asyncio.run(run(url, args.sessions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
