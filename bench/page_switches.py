"""Page switches in one session while another person trains, with that person's browser on
these cores and elsewhere.

Target (issue "Experiments at scale"): while one session trains, another session's page switch
stays under 1 s.

    python bench/page_switches.py               # two rounds of both kinds of trainer
    python bench/page_switches.py --rounds 3

Starts `streamlit run dashboard/app.py` with a fresh store. A reader (headless chromium, on the
server's two cores) opens the app, waits for the default results, and switches pages while
another session trains (T = 240, 5000 steps: it outlasts every switch; the script says whether
it still was). The other person is, in turn:

- a second browser on these cores, as in `bench/concurrent_sessions.py`: it redraws its
  progress bar every 0.5 s and its live loss chart every 2 s, on the cores the reader uses;
- a session speaking Streamlit's websocket protocol (`bench/protocol.py`): it submits the Train
  form and reruns the page's polling fragments at their intervals, as its browser would, so the
  server does all of that person's work, and only the drawing happens elsewhere, as it does for
  a person on another machine.

Each round runs both, in an order that alternates. Switches are timed back to back (each click
as soon as the previous page's title shows) and settled (each click once the previous page's
script has finished and the browser is idle). The clock of a switch stops when the new page's
title is drawn; each switch also prints when the server finished the page's run (the reader's
`script_finished` message), the server's part of it.
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

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from bench.concurrent_sessions import VIEWPORT, open_new_context, shown  # noqa: E402
from bench.protocol import ProtocolSession, int_state, trigger  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402

IN_BROWSER, BY_PROTOCOL = "a browser on these cores", "its browser elsewhere (protocol)"
PAGES = ("Gates", "Gradient flow", "BLEU breakdown", "Train", "Gates", "Train")
RUNNING = '[data-testid="stStatusWidget"]'  # shown while the session's script runs
IDLE = "() => new Promise(done => requestIdleCallback(() => done(), {timeout: 30000}))"
TRAINING = {"Sequence length T": "240", "Steps": "5000"}  # minutes of training: it outlasts
# every switch below (a run that ends mid-way would time its completion instead)


async def settled(page) -> None:
    """Wait until the session's script has finished and the browser has drawn its output (its
    main thread is idle), as a reader would before the next click."""
    await page.wait_for_timeout(300)
    await page.locator(RUNNING).wait_for(state="hidden", timeout=60_000)
    await page.evaluate(IDLE)
    await page.wait_for_timeout(200)


async def switch(page, title: str) -> float:
    """Click the page's link in the sidebar; seconds until its title is drawn."""
    start = time.perf_counter()
    await page.get_by_test_id("stSidebarNavLink").filter(has_text=title).click()
    await page.wait_for_function(
        "t => { const h = document.querySelector('[data-testid=\"stMain\"] h1');"
        " return h && h.innerText.includes(t); }",
        arg=title.split()[0],
        timeout=60_000,
    )
    return time.perf_counter() - start


async def start_training(page) -> None:
    side = page.get_by_test_id("stSidebar")
    for label, value in TRAINING.items():
        field = side.get_by_label(label, exact=True)
        await field.fill(value)
        await field.press("Tab")
    await side.get_by_role("button", name="Train").click()
    await stop_button(page).wait_for()


def stop_button(page):
    return page.get_by_test_id("stMain").get_by_role("button", name="Stop")


class Finishes:
    """When the reader's session received `script_finished` messages (the server's part)."""

    def __init__(self, page):
        self.times: list[float] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        if isinstance(payload, bytes | bytearray):
            msg = ForwardMsg()
            msg.ParseFromString(bytes(payload))
            if msg.WhichOneof("type") == "script_finished":
                self.times.append(time.perf_counter())

    def after(self, start: float) -> float | None:
        return next((t - start for t in self.times if t > start), None)


async def timed_switch(page, finishes: Finishes, title: str) -> tuple[float, float | None]:
    """(seconds until the title is drawn, seconds until the server finished the run); returns
    once the page has settled."""
    start = time.perf_counter()
    drawn = await switch(page, title)
    await settled(page)
    return drawn, finishes.after(start)


async def switches(page, finishes: Finishes) -> tuple[list[float], list[tuple]]:
    """Back to back over PAGES, then settled over PAGES twice."""
    back_to_back = [await switch(page, title) for title in PAGES]
    await settled(page)
    calm = [(title, *await timed_switch(page, finishes, title)) for title in PAGES * 2]
    return back_to_back, calm


async def browser_trainer(p, url: str):
    """Another person in a browser of their own, training; returns (browser, page)."""
    other = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    page = (await open_new_context(other, url)).page
    await start_training(page)
    return other, page


async def protocol_trainer(url: str, started: asyncio.Event, done: asyncio.Event) -> bool:
    """Another person whose browser is elsewhere: submit the Train form, then rerun the page's
    fragments as the browser would until `done`; stop the training. True if it still ran."""
    async with ProtocolSession.connect(url) as s:
        page = await s.run()
        form = [int_state(page.widget("number_input", k), int(v)) for k, v in TRAINING.items()]
        out = await s.run([*form, trigger(page.widget("button", "Train"))])
        out.widget("button", "Stop")  # the job is submitted and polled
        started.set()
        runs = await s.follow_fragments(out.auto_reruns, until=done)
        bars = {r.fragment_id for r in runs if r.count("progress")}  # the progress fragment
        polls = [r for r in runs if r.fragment_id in bars]
        if not polls or not polls[-1].count("progress"):
            return False  # the training ended before the switches did
        stop = polls[-1].widget("button", "Stop")
        await s.run([trigger(stop)], fragment_id=polls[-1].fragment_id)
        return True


async def with_trainer(p, url: str, kind: str, reader, finishes: Finishes):
    if kind == IN_BROWSER:
        other, page = await browser_trainer(p, url)
        result = await switches(reader, finishes)
        still = await stop_button(page).is_visible()
        await stop_button(page).click()
        await stop_button(page).wait_for(state="hidden")
        await other.close()
        return result, still
    started, done = asyncio.Event(), asyncio.Event()
    trainer = asyncio.create_task(protocol_trainer(url, started, done))
    await started.wait()
    result = await switches(reader, finishes)
    done.set()
    return result, await trainer


def report(kind: str, back_to_back: list[float], calm: list[tuple], still: bool) -> None:
    drawn = [d for _, d, _ in calm]
    print(
        f"  trainer: {kind} ({'still' if still else 'NO LONGER'} training at the end); load "
        f"average {os.getloadavg()[0]:.1f}\n"
        f"    back to back: {', '.join(f'{s:.2f}' for s in back_to_back)} s (median "
        f"{statistics.median(back_to_back):.2f}, max {max(back_to_back):.2f})\n"
        f"    settled: median {statistics.median(drawn):.2f} s, max {max(drawn):.2f} s "
        "(target < 1); title drawn / server finished, per switch:\n      "
        + ", ".join(f"{t} {d:.2f}/{f:.2f}" if f else f"{t} {d:.2f}/-" for t, d, f in calm),
        flush=True,
    )


async def run(url: str, rounds: int) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        reader = await (await browser.new_context(viewport=VIEWPORT)).new_page()
        finishes = Finishes(reader)  # before the page opens its websocket
        await shown(reader, url)
        for title in PAGES:  # every page once, as a reader who has looked around
            await switch(reader, title)
            await settled(reader)
        for r in range(rounds):
            order = [IN_BROWSER, BY_PROTOCOL] if r % 2 == 0 else [BY_PROTOCOL, IN_BROWSER]
            print(f"round {r + 1}", flush=True)
            for kind in order:
                (back_to_back, calm), still = await with_trainer(p, url, kind, reader, finishes)
                report(kind, back_to_back, calm, still)
        await browser.close()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=2)
    args = p.parse_args()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", flush=True)
    with streamlit_server(fast_default=False) as url:
        asyncio.run(run(url, args.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
