"""What the end-to-end tests read from and do to the page in the browser: wait for Streamlit to
finish a run, read plotly figures' data from the DOM, use the sidebar, take screenshots."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from playwright.sync_api import TimeoutError as PlaywrightTimeout

if TYPE_CHECKING:
    from playwright.sync_api import Page

WIDTH = 1400  # viewport width of every test page (and of the README screenshots)
MAX_SHOT_HEIGHT = 16_000  # px; taller pages are cut there
EXCEPTION = '[data-testid="stException"]'
PLOTLY = '[data-testid="stPlotlyChart"] .js-plotly-plot'

_SCRIPT_STATE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app ? app.getAttribute('data-test-script-state') : null;
}"""

# Every rendered plotly figure: title as text, traces' names, x and y (typed arrays decoded).
_FIGURES = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(div => ({
  title: ((div.layout && div.layout.title && div.layout.title.text) || '').replace(/<[^>]*>/g, ''),
  traces: (div._fullData || []).map(t => ({
    name: t.name || '', type: t.type,
    x: t.x ? Array.from(t.x) : null, y: t.y ? Array.from(t.y) : null,
  })),
}))"""


def wait_idle(pg: Page, settle_ms: int = 400, timeout_s: float = 180) -> None:
    """Until the script is not running and stays so for settle_ms (reruns can follow quickly)."""
    deadline = time.monotonic() + timeout_s
    quiet_since = None
    while time.monotonic() < deadline:
        state = pg.evaluate(_SCRIPT_STATE)
        now = time.monotonic()
        if state == "notRunning":
            quiet_since = quiet_since or now
            if (now - quiet_since) * 1000 >= settle_ms:
                return
        else:
            quiet_since = None
        pg.wait_for_timeout(100)
    raise TimeoutError(f"the app was still running after {timeout_s} s")


def open_app(pg: Page, url: str, path: str = "") -> None:
    pg.goto(f"{url}/{path}")
    pg.wait_for_selector('[data-testid="stApp"]')
    pg.wait_for_selector('[data-testid="stSidebarNav"]')
    wait_idle(pg)


def go_to(pg: Page, title: str) -> None:
    """Click a page in the sidebar navigation and wait for it to render."""
    # By accessible name: a link's text also holds its icon's name ("translate" on BLEU's).
    link = pg.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True)
    link.click()
    pg.wait_for_function(
        "t => { const h = document.querySelector('[data-testid=\"stMain\"] h1');"
        " return h && h.innerText.includes(t); }",
        arg=title.split()[0],
    )
    wait_idle(pg)


def exceptions(pg: Page) -> list[str]:
    return pg.locator(EXCEPTION).all_inner_texts()


def figures(pg: Page) -> list[dict]:
    """Every plotly figure on the page, as {title, traces: [{name, type, x, y}]}."""
    return pg.evaluate(_FIGURES)


def figure_with_trace(pg: Page, trace_name: str) -> dict:
    found = [f for f in figures(pg) if any(t["name"] == trace_name for t in f["traces"])]
    assert found, f"no chart with a trace named {trace_name!r}"
    return found[0]


def trace(figure: dict, name: str) -> dict:
    (t,) = [t for t in figure["traces"] if t["name"] == name]
    return t


def metrics(pg: Page) -> dict[str, str]:
    """st.metric label -> value as displayed."""
    out = {}
    for m in pg.get_by_test_id("stMetric").all():
        label = m.get_by_test_id("stMetricLabel").inner_text().strip()
        out[label] = m.get_by_test_id("stMetricValue").inner_text().strip()
    return out


def alerts(pg: Page, kind: str = "Error") -> list[str]:
    """Texts of st.error / st.warning / st.info / st.success boxes (kind: Error, Warning...)."""
    return pg.get_by_test_id(f"stAlertContent{kind}").all_inner_texts()


def uploader(pg: Page, label: str):
    """The file input of the st.file_uploader whose label contains `label`."""
    box = pg.get_by_test_id("stFileUploader").filter(has_text=label)
    return box.locator("input[type=file]")


def put_files(pg: Page, label: str, paths: list[Path], attempts: int = 3) -> None:
    """Choose files in an uploader, as a person would: one uploader at a time, then wait until
    it lists every file and the rerun is over. Streamlit's frontend can drop a file chosen a few
    milliseconds after another uploader's file (the second upload is never sent), which a
    person cannot do; so the choice is repeated if the files do not appear."""
    box = pg.get_by_test_id("stFileUploader").filter(has_text=label)
    for attempt in range(attempts):
        box.locator("input[type=file]").set_input_files([str(p) for p in paths])
        try:
            for p in paths:
                box.get_by_title(p.name, exact=True).first.wait_for(timeout=15_000)  # a chip
            break
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
    wait_idle(pg)


def full_page_screenshot(pg: Page, path: Path, max_height: int = MAX_SHOT_HEIGHT) -> None:
    """Streamlit scrolls inside its main block, so grow the viewport to the content first."""
    height = pg.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return m ? m.scrollHeight : document.body.scrollHeight; }"
    )
    before = pg.viewport_size
    pg.set_viewport_size({"width": WIDTH, "height": int(min(max(height, 800), max_height))})
    pg.wait_for_timeout(600)  # let plotly re-lay out
    pg.screenshot(path=str(path), full_page=True)
    if before:
        pg.set_viewport_size(before)
