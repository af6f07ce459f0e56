"""Several browser sessions on one server: time until each shows the default results.

Target (issue "Experiments at scale"): six sessions opening the app at once each show the
default results within 10 s. (Page switches while another session trains:
`bench/page_switches.py`; the server's part without browsers: `bench/server_sessions.py`.)

    python bench/concurrent_sessions.py              # 6 sessions, the real default experiment
    python bench/concurrent_sessions.py --sessions 3

Starts `streamlit run dashboard/app.py` on a free port with a fresh temporary run store (so the
default experiment really trains, once, in a worker), and drives Debian's chromium with
Playwright's async API. The clock of each session starts when its page is requested and stops
when the default run's metrics and both of its charts are drawn. The browsers run on the same
cores as the server, so the script also reports their CPU seconds, and opens the same number of
sessions on a bare page (`bench/floor_app.py`: a title, one metric, two plotly charts): what
the browsers alone cost here. Each wave also prints when each session received the server's
last message before its results were drawn: the server's part of the wait (an upper bound),
the rest being the browser's own work. One session alone on each page shows what a single
browser takes on this machine. `--browser-nice 15` starts the browsers at a lower priority, so
the server and its workers get the cores first, as they would with the browsers on the
readers' own machines (the browsers still draw here, with what is left).

Waves: (1) new browser contexts (empty caches, like first-time visitors) while the default
trains; (2) new contexts again, the default already trained; (3) returning visitors: tabs of one
context whose cache already holds the app's scripts.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402

METRIC = '[data-testid="stMain"] [data-testid="stMetric"]'
CHARTS = tuple(  # the Train page's two result charts (not the live curves drawn while it trains)
    f'[data-testid="stMain"] .st-key-train_{name}_chart .js-plotly-plot .main-svg'
    for name in ("loss", "accuracy")
)
VIEWPORT = {"width": 1400, "height": 1000}
BROWSER = [CHROMIUM]  # the executable launched; --browser-nice puts a `nice` wrapper here


def niced_browser(niceness: int) -> str:
    """A wrapper that starts chromium (and so all its processes) at this nice value."""
    wrapper = Path(tempfile.mkdtemp(prefix="gatescope-bench-")) / "chromium"
    wrapper.write_text(f'#!/bin/sh\nexec nice -n {niceness} "{CHROMIUM}" "$@"\n')
    wrapper.chmod(0o755)
    return str(wrapper)


@dataclass
class Shown:
    page: object  # the Playwright page
    seconds: float  # from requesting the page to the metrics and two charts drawn
    delivered: float  # from requesting it to the last server message before that (an upper
    # bound on the server's part: a frame is stamped when this script sees it)


async def shown(page, url: str) -> Shown:
    """Open url and wait for the default run's metrics and two charts to be drawn."""
    frames: list[float] = []
    page.on(
        "websocket", lambda ws: ws.on("framereceived", lambda _: frames.append(time.perf_counter()))
    )
    start = time.perf_counter()
    await page.goto(url)
    await page.locator(METRIC).first.wait_for(timeout=300_000)
    for chart in CHARTS:
        await page.locator(chart).first.wait_for(timeout=300_000)
    end = time.perf_counter()
    delivered = max((f for f in frames if f <= end), default=end)
    return Shown(page, end - start, delivered - start)


async def open_new_context(browser, url: str) -> Shown:
    ctx = await browser.new_context(viewport=VIEWPORT)
    return await shown(await ctx.new_page(), url)


async def open_tab(ctx, url: str) -> Shown:
    return await shown(await ctx.new_page(), url)


def cpu_seconds() -> tuple[float, float]:
    """(CPU seconds of the Streamlit server and its workers, of everything else this script
    started: the Playwright driver and chromium), for processes alive now."""
    import psutil

    server = browser = 0.0
    for proc in psutil.Process().children(recursive=True):
        try:
            times = proc.cpu_times()
            in_server = "streamlit" in " ".join(proc.cmdline()) or any(
                "streamlit" in " ".join(a.cmdline()) for a in proc.parents()
            )
        except psutil.Error:
            continue
        if in_server:
            server += times.user + times.system
        else:
            browser += times.user + times.system
    return server, browser


async def wave(label: str, openers) -> list:
    before = cpu_seconds()
    opened = await asyncio.gather(*openers)
    after = cpu_seconds()
    times = sorted(o.seconds for o in opened)
    delivered = sorted(o.delivered for o in opened)
    print(
        f"{label}: "
        + ", ".join(f"{t:.1f}" for t in times)
        + f"  (max {max(times):.1f}); the server's last message by "
        + ", ".join(f"{t:.1f}" for t in delivered)
        + f" s; CPU seconds meanwhile: server and its workers "
        f"{after[0] - before[0]:.1f}, browsers {after[1] - before[1]:.1f}",
        flush=True,
    )
    return [o.page for o in opened]


async def run(url: str, sessions: int) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=BROWSER[0], args=CHROMIUM_ARGS)
        n = sessions
        await wave(
            f"{n} new sessions at once while the default trains, seconds until its results "
            "show (<= 10)",
            [open_new_context(browser, url) for _ in range(n)],
        )
        again = await wave(
            f"{n} more new sessions at once, the default already trained",
            [open_new_context(browser, url) for _ in range(n)],
        )
        for page in again:
            await page.context.close()
        alone = await wave("one new session alone", [open_new_context(browser, url)])
        await alone[0].context.close()
        returning = await browser.new_context(viewport=VIEWPORT)
        await open_tab(returning, url)  # the context's cache now holds the app's scripts
        await wave(
            f"{n} returning visitors at once (tabs of one browser context, scripts cached)",
            [open_tab(returning, url) for _ in range(n)],
        )
        await returning.close()
        await browser.close()


async def floor(url: str, sessions: int) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=BROWSER[0], args=CHROMIUM_ARGS)
        alone = await wave("floor: one new session alone", [open_new_context(browser, url)])
        await alone[0].context.close()
        await wave(
            f"floor: {sessions} new sessions at once on bench/floor_app.py",
            [open_new_context(browser, url) for _ in range(sessions)],
        )
        ctx = await browser.new_context(viewport=VIEWPORT)
        await open_tab(ctx, url)
        await wave(
            f"floor: {sessions} returning visitors at once",
            [open_tab(ctx, url) for _ in range(sessions)],
        )
        await browser.close()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sessions", type=int, default=6)
    p.add_argument(
        "--browser-nice",
        type=int,
        default=0,
        help="start the browsers at this nice value (e.g. 15): the server and its workers get "
        "the cores first, as they would with the browsers on other machines",
    )
    args = p.parse_args()
    if args.browser_nice:
        BROWSER[0] = niced_browser(args.browser_nice)
    print(
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; real default "
        f"experiment; fresh store; browsers at nice {args.browser_nice}",
        flush=True,
    )
    with streamlit_server(fast_default=False) as url:
        asyncio.run(run(url, args.sessions))
    with streamlit_server(fast_default=False, script="bench/floor_app.py") as url:
        asyncio.run(floor(url, args.sessions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
