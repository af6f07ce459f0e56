"""Real-browser fixtures: headless Streamlit servers on free localhost ports, and Debian's chromium
driven by Playwright. Playwright never downloads a browser here.

Two servers per session: `app_url` runs a shortened default experiment (GATESCOPE_FAST_DEFAULT=1)
so most scenarios start in a second; `default_app_url` runs the real default experiment. Every
test page is a fresh browser context (its own Streamlit session) and leaves a full-page
screenshot in tests/e2e/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.e2e.ui import WIDTH, full_page_screenshot

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).parent / "screenshots"
CHROMIUM = os.environ.get("GATESCOPE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL_HINT = "install it with `apt-get install chromium` (Debian) or set GATESCOPE_CHROMIUM"
FAST_DEFAULT_ENV = "GATESCOPE_FAST_DEFAULT"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log=None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = ""
            if log is not None:
                log.seek(0)
                err = log.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"streamlit exited early with status {proc.returncode}: {err}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not become healthy at {url} within {timeout} s")


@contextmanager
def streamlit_server(
    fast_default: bool, script: str = "dashboard/app.py", store: str | None = None
) -> Iterator[str]:
    """`python -m streamlit run dashboard/app.py` (or another script, relative to the repository)
    headless on a free port; stopped afterwards. The repository's .streamlit/config.toml applies
    (upload cap, XSRF, no usage statistics). The run store is `store`, else a fresh one."""
    port = _free_port()
    env = dict(os.environ)
    env.pop(FAST_DEFAULT_ENV, None)
    env["GATESCOPE_STORE"] = store or tempfile.mkdtemp(prefix="gatescope-e2e-store-")  # never ./
    if fast_default:
        env[FAST_DEFAULT_ENV] = "1"
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--server.fileWatcherType=none",
    ]
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:  # the server's stderr (an unread pipe could fill up)
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=log)
        try:
            _wait_healthy(url, proc, log)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="session")
def browser_path() -> str:
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail(f"chromium not found at {CHROMIUM} on CI: {INSTALL_HINT}")
    pytest.skip(f"chromium not found at {CHROMIUM}: {INSTALL_HINT}")


@pytest.fixture(scope="session")
def app_url(browser_path) -> Iterator[str]:
    """The app with a shortened default experiment (most scenarios)."""
    with streamlit_server(fast_default=True) as url:
        yield url


@pytest.fixture(scope="session")
def default_app_url(browser_path) -> Iterator[str]:
    """The app exactly as a user starts it: the real default experiment."""
    with streamlit_server(fast_default=False) as url:
        yield url


@pytest.fixture(scope="session")
def browser(browser_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=browser_path, args=CHROMIUM_ARGS)
        yield b
        b.close()


@contextmanager
def browser_page(browser, shot_name: str | Callable[[], str]):
    """A fresh context (own Streamlit session) and page; a full-page screenshot afterwards."""
    context = browser.new_context(viewport={"width": WIDTH, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(120_000)
    try:
        yield pg
    finally:
        try:
            save_screenshot(pg, shot_name() if callable(shot_name) else shot_name)
        finally:
            context.close()


def save_screenshot(pg, name: str) -> None:
    """A full-page PNG in tests/e2e/screenshots/ (ignored by git)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    full_page_screenshot(pg, SCREENSHOTS / f"{safe}.png")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can see whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, request):
    """A fresh browser page (own session); a full-page screenshot is saved afterwards, named
    `failed_<test>.png` when the test failed (so a passing rerun does not overwrite it)."""
    name = request.node.name
    with browser_page(browser, lambda: _shot_name(request.node, name)) as pg:
        yield pg


def _shot_name(node, name: str) -> str:
    failed = getattr(node, "report_call", None) is not None and node.report_call.failed
    return f"failed_{name}" if failed else name
