"""Six people opening the app at once, each browser on its reader's own machine: one real
browser and five protocol sessions arrive together, so the server does the work of six
sessions while only one browser draws on these cores.

Target (issue "Experiments at scale"): six sessions opening the app at once each show the
default results within 10 s.

    python bench/sessions_elsewhere.py              # 3 rounds of: a fresh server, 6 at once
                                                    # and 6 more; its restart, 6 at once
    python bench/sessions_elsewhere.py --rounds 5

`bench/concurrent_sessions.py` runs six browsers on the server's two cores, where even a bare
page with two charts takes longer than 10 s; `bench/server_sessions.py` leaves the browsers
out. Here the five other sessions load the server exactly as five browsers would (they ask for
the first page and read everything it sends, `bench/protocol.py`), and the one browser's clock
runs from requesting the page until the default run's metrics and both charts are drawn, as in
`concurrent_sessions.py`. The sessions are alike, so the browser's time is what each of the
six readers waits (on a machine that draws no slower than this one, which here shares its two
cores with the server). Each round starts a server on a fresh store: the first wave arrives
while the default experiment trains, a second once it has trained. Then the server restarts on
the same store, as a server does after its first start, and a third wave arrives: the default
is read from the store.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.concurrent_sessions import VIEWPORT, shown  # noqa: E402
from bench.server_sessions import session  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402

FIRST_START = ("while the default trains", "the default trained")
RESTART = ("the default read from the store",)


async def wave(browser, url: str, sessions: int) -> tuple[float, float, list[float]]:
    """(the browser's seconds until drawn, until the server's last message, the others')."""
    page = await (await browser.new_context(viewport=VIEWPORT)).new_page()
    drawn, *others = await asyncio.gather(
        shown(page, url), *[session(url) for _ in range(sessions - 1)]
    )
    await page.context.close()
    return drawn.seconds, drawn.delivered, sorted(t for t, _, _ in others)


async def run(url: str, sessions: int, labels: tuple[str, ...]) -> list[float]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        times = []
        for label in labels:
            drawn, delivered, others = await wave(browser, url, sessions)
            times.append(drawn)
            print(
                f"  {sessions} at once, {label}: the browser drew the results after "
                f"{drawn:.2f} s (the server's last message by {delivered:.2f} s); the "
                f"{sessions - 1} protocol sessions had them after "
                + ", ".join(f"{t:.2f}" for t in others)
                + " s",
                flush=True,
            )
        await browser.close()
    return times


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sessions", type=int, default=6)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", flush=True)
    fresh, restarted = [], []
    for n in range(args.rounds):
        store = tempfile.mkdtemp(prefix="gatescope-bench-store-")
        print(f"round {n + 1}: a server on a fresh store", flush=True)
        with streamlit_server(fast_default=False, store=store) as url:
            fresh.append(max(asyncio.run(run(url, args.sessions, FIRST_START))))
        print("  the server restarted on the same store", flush=True)
        with streamlit_server(fast_default=False, store=store) as url:
            restarted.extend(asyncio.run(run(url, args.sessions, RESTART)))
    print(
        f"slowest of the first start's waves: {', '.join(f'{t:.2f}' for t in fresh)} s; after "
        f"a restart: {', '.join(f'{t:.2f}' for t in restarted)} s (target <= 10)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
