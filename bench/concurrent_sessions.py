"""Several browser sessions on one server: time until each shows the default results, and page
switches in one session while another trains.

Targets (issue "Experiments at scale"): six sessions opening the app at once each show the
default results within 10 s; while one session trains, another's page switch stays under 1 s.

    python bench/concurrent_sessions.py              # 6 sessions, the real default experiment
    python bench/concurrent_sessions.py --sessions 3

Starts `streamlit run dashboard/app.py` on a free port with a fresh temporary run store (so the
default experiment really trains, once, in a worker), and drives Debian's chromium with
Playwright's async API. The clock of each session starts when its page is requested.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402

RESULT = '[data-testid="stMetric"]'  # the default run's metrics are on the page
PAGES = ("Gates", "Gradient flow", "BLEU breakdown", "Train", "Gates", "Train")


async def open_and_wait(browser, url: str) -> tuple[object, float]:
    ctx = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await ctx.new_page()
    start = time.perf_counter()
    await page.goto(url)
    await page.locator(RESULT).first.wait_for(timeout=300_000)
    return page, time.perf_counter() - start


async def switch(page, title: str) -> float:
    start = time.perf_counter()
    await page.get_by_test_id("stSidebarNavLink").filter(has_text=title).click()
    await page.wait_for_function(
        "t => { const h = document.querySelector('[data-testid=\"stMain\"] h1');"
        " return h && h.innerText.includes(t); }",
        arg=title.split()[0],
        timeout=60_000,
    )
    return time.perf_counter() - start


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


def report(label: str, times: list[float], before, after) -> None:
    server, browser = after[0] - before[0], after[1] - before[1]
    print(
        f"{label}: "
        + ", ".join(f"{t:.1f}" for t in sorted(times))
        + f"  (max {max(times):.1f}); CPU seconds meanwhile: server and its workers "
        f"{server:.1f}, browsers {browser:.1f}"
    )


async def run(url: str, sessions: int) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        before = cpu_seconds()
        opened = await asyncio.gather(*(open_and_wait(browser, url) for _ in range(sessions)))
        label = f"{sessions} sessions at once, seconds until the default results show (<= 10)"
        report(label, [t for _, t in opened], before, cpu_seconds())
        before = cpu_seconds()
        again = await asyncio.gather(*(open_and_wait(browser, url) for _ in range(sessions)))
        label = f"{sessions} more sessions at once, the default already trained"
        report(label, [t for _, t in again], before, cpu_seconds())
        for page, _ in again:  # back to the first six sessions for the page switches
            await page.context.close()
        trainer, browser_page = opened[0][0], opened[1][0]
        main = trainer.get_by_test_id("stSidebar")
        steps = main.get_by_label("Steps", exact=True)
        await steps.fill("3000")
        await steps.press("Tab")
        await main.get_by_role("button", name="Train").click()
        await trainer.get_by_test_id("stMain").get_by_role("button", name="Stop").wait_for()
        switches = [await switch(browser_page, title) for title in PAGES]
        print(f"load average now {os.getloadavg()[0]:.1f}")
        print(
            "page switches in another session while one trains: "
            + ", ".join(f"{s:.2f}" for s in switches)
            + f" s  (median {statistics.median(switches):.2f}, max {max(switches):.2f}; "
            "target < 1)"
        )
        await browser.close()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sessions", type=int, default=6)
    args = p.parse_args()
    os.environ["GATESCOPE_STORE"] = tempfile.mkdtemp(prefix="gatescope-bench-store-")
    print(
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; real default "
        "experiment; fresh store"
    )
    with streamlit_server(fast_default=False) as url:
        asyncio.run(run(url, args.sessions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
