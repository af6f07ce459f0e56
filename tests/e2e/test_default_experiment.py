"""The app as a user starts it (the real default experiment), in a real browser: the curves
appear, and every page opens from the sidebar without an exception box.

With GATESCOPE_README_SCREENSHOTS=1 the tour also refreshes the README's screenshots in
docs/screenshots/ (one per main page, viewport 1400 x 1400).
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from core.train.config import RunConfig
from tests.e2e.conftest import browser_page, save_screenshot
from tests.e2e.ui import (
    PLOTLY,
    exceptions,
    figure_with_trace,
    figures,
    go_to,
    metrics,
    open_app,
    trace,
    wait_idle,
)

pytestmark = pytest.mark.e2e

DOCS_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
README_SHOT = {"width": 1400, "height": 1400}
PAGES = (  # sidebar title, README screenshot name, a text each page shows when it works,
    # the heading the README screenshot starts at (None: the top of the page)
    ("Gradient flow", "gradient-flow", "half-life", None),
    ("Gates", "gates", "Update gate", None),
    ("BLEU breakdown", "bleu", "Corpus scores", "Corpus scores"),
    ("Train", "train", "Validation accuracy", None),
)
_SCROLL_TO = """heading => {
  const main = document.querySelector('[data-testid="stMain"]');
  const h = heading && Array.from(main.querySelectorAll('h1, h2, h3'))
    .find(e => e.innerText.trim().startsWith(heading));
  main.scrollTo(0, h ? main.scrollTop + h.getBoundingClientRect().top
                       - main.getBoundingClientRect().top - 110 : 0);
}"""


@pytest.fixture(scope="module")
def elsewhere() -> list[str]:
    """Every URL the shared session's browser asked of a host other than the app's server."""
    return []


@pytest.fixture(scope="module")
def default_session(browser, default_app_url, elsewhere):
    """One browser session on the real default experiment, shared by this module's tests
    (the default trains once per session)."""
    server = urlsplit(default_app_url).netloc
    with browser_page(browser, "default_session") as pg:
        pg.on(
            "request",
            lambda r: (
                elsewhere.append(r.url)
                if urlsplit(r.url).scheme in ("http", "https", "ws", "wss")
                and urlsplit(r.url).netloc != server
                else None
            ),
        )
        open_app(pg, default_app_url)
        yield pg


@pytest.fixture(autouse=True)
def screenshot_each(request, default_session):
    yield
    save_screenshot(default_session, request.node.name)


def test_app_opens_on_the_default_experiments_curves(default_session):
    pg = default_session
    pg.wait_for_selector(PLOTLY)
    assert not exceptions(pg)
    steps = RunConfig().steps
    loss = figure_with_trace(pg, "GRU validation")
    accuracy = [f for f in figures(pg) if "accuracy" in f["title"].lower()]
    assert accuracy, [f["title"] for f in figures(pg)]
    shown = metrics(pg)
    for model in ("RNN", "GRU"):
        curve = trace(loss, f"{model} validation")
        assert curve["x"][0] <= 20 and curve["x"][-1] == steps  # the whole run, not a stub
        assert len(curve["y"]) >= steps // RunConfig().eval_every
        assert all(math.isfinite(v) for v in curve["y"])
        acc = trace(accuracy[0], f"{model} validation")["y"][-1]
        assert shown[f"{model} accuracy"] == f"{acc:.1%}"  # metric = curve's end
    gru_acc = trace(accuracy[0], "GRU validation")["y"][-1]
    rnn_acc = trace(accuracy[0], "RNN validation")["y"][-1]
    chance = 1 / RunConfig().symbols
    assert gru_acc >= 0.95 and rnn_acc <= 2 * chance  # the separation the default promises
    assert any(t["name"].startswith("chance") for t in loss["traces"])


@pytest.mark.parametrize(("title", "shot", "text", "anchor"), PAGES, ids=[p[1] for p in PAGES])
def test_every_page_renders_from_the_sidebar(default_session, title, shot, text, anchor):
    pg = default_session
    go_to(pg, title)
    pg.get_by_text(text, exact=False).first.wait_for()
    wait_idle(pg)
    assert not exceptions(pg), exceptions(pg)
    assert pg.locator(PLOTLY).count() >= 1
    assert pg.locator('[data-testid="stMain"] h1').first.inner_text().startswith(title.split()[0])
    if os.environ.get("GATESCOPE_README_SCREENSHOTS") == "1":
        readme_screenshot(pg, shot, anchor)


def test_no_page_asks_anything_of_another_host(default_session, elsewhere):
    """The tab icon, fonts, scripts and charts all come from the app's own server, so the app
    works on a machine without internet access (and tells no one else who opened it)."""
    for title in ("Sweeps", "Translate", "BLEU breakdown", "Gates", "Gradient flow", "Train"):
        go_to(default_session, title)
    assert elsewhere == []


def readme_screenshot(pg, shot: str, anchor: str | None) -> None:
    before = pg.viewport_size
    pg.set_viewport_size(README_SHOT)
    pg.wait_for_timeout(600)
    pg.evaluate(_SCROLL_TO, anchor)
    pg.wait_for_timeout(400)
    DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(DOCS_SHOTS / f"{shot}.png"))
    pg.set_viewport_size(before)


# Every piece of text the page writes that does not fit its box: metric labels, values and
# deltas cut with an ellipsis, formulas or text wider than their block, chart text (axis
# labels, slider labels, legends) outside the chart, a legend over the chart's title. 2 px of
# slack: KaTeX's struts overhang their box by 2 px without hiding any glyph.
_CLIPPED = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const out = [];
  const text = e => (e.innerText || e.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 80);
  const cuts = e => {
    const s = getComputedStyle(e);
    return ['hidden', 'clip', 'auto', 'scroll'].includes(s.overflowX)
      || s.textOverflow === 'ellipsis';
  };
  const blocks = document.querySelectorAll(
    '[data-testid="stMain"] [data-testid="stMetric"], [data-testid="stMarkdownContainer"], '
    + '.katex-display, [data-testid="stCaptionContainer"], [data-testid="stAlertContainer"], '
    + '[data-testid="stSidebar"] [data-baseweb="tag"]');  // tags: the chosen models' chips
  for (const block of blocks) {
    for (const e of [block, ...block.querySelectorAll('*')]) {
      if (e.closest('.katex-mathml')) continue;  // MathML for screen readers: 1 px, clipped
      if (e.clientWidth > 0 && cuts(e) && e.scrollWidth > e.clientWidth + 2) {
        out.push(`${block.getAttribute('data-testid') || block.className}: ${text(e)}`);
        break;
      }
    }
  }
  const overlap = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom
    && b.top < a.bottom && a.width > 0 && b.width > 0;
  for (const plot of main.querySelectorAll('.js-plotly-plot')) {
    const box = plot.getBoundingClientRect();
    const title = plot.querySelector('.gtitle'), legend = plot.querySelector('.legend');
    if (title && legend && overlap(title.getBoundingClientRect(), legend.getBoundingClientRect())) {
      out.push(`legend over the title: ${title.textContent}`);
    }
    for (const t of plot.querySelectorAll('svg text')) {
      const r = t.getBoundingClientRect();
      if (r.width === 0 || !t.textContent.trim()) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1) {
        out.push(`chart text: ${t.textContent}`);
      }
    }
  }
  return out;
}"""


@pytest.mark.parametrize("width", [1400, 1024])
@pytest.mark.parametrize("title", ["Train", "Gradient flow", "Gates"])
def test_nothing_the_page_writes_is_clipped(default_session, title, width):
    pg = default_session
    pg.set_viewport_size({"width": width, "height": 1000})
    try:
        go_to(pg, title)
        pg.wait_for_selector(PLOTLY)
        pg.wait_for_timeout(800)  # plotly re-lays out to the new width
        assert not exceptions(pg)
        clipped = pg.evaluate(_CLIPPED)
        assert clipped == [], "\n".join(clipped)
    finally:
        pg.set_viewport_size({"width": 1400, "height": 1000})


def test_every_chart_in_the_browser_downloads_as_svg_at_slide_size(default_session):
    """plotly's own camera button carries the export settings: SVG, 1600 x 900, a name."""
    pg = default_session
    go_to(pg, "Gradient flow")
    pg.wait_for_selector(PLOTLY)
    options = pg.evaluate(
        "() => Array.from(document.querySelectorAll('.js-plotly-plot'))"
        ".map(p => p._context && p._context.toImageButtonOptions)"
    )
    assert options and all(o and o["format"] == "svg" for o in options), options
    assert all((o["width"], o["height"]) == (1600, 900) for o in options)
    assert len({o["filename"] for o in options}) == len(options)
    assert pg.locator('[data-testid="stPlotlyChart"] .modebar-btn[data-title*="Download"]').count()
