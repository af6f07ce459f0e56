"""Every chart on every page in a real browser: plotly's toolbar (the modebar, top right of a
chart) never covers a chart's title, however long the title or narrow the column."""

from __future__ import annotations

import pytest

from tests.e2e.ui import exceptions, go_to, open_app, wait_idle

pytestmark = pytest.mark.e2e

PAGES = ("Train", "Gradient flow", "Gates", "Sweeps", "Translate", "BLEU breakdown")
WIDTHS = (1400, 1100)  # px: the test viewport, and a narrower screen with narrower columns

# Each chart's title and whether its text's box meets the modebar's box (the modebar is laid
# out, only transparent, while the pointer is elsewhere).
_TITLES_UNDER_MODEBAR = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(p => {
  const bar = p.querySelector('.modebar'), title = p.querySelector('.gtitle');
  if (!bar || !title) return null;
  const a = bar.getBoundingClientRect(), b = title.getBoundingClientRect();
  const meet = a.width > 0 && b.width > 0 && a.left < b.right && b.left < a.right
    && a.top < b.bottom && b.top < a.bottom;
  return {title: title.textContent, covered: meet};
}).filter(x => x)"""


@pytest.mark.parametrize("width", WIDTHS)
def test_no_modebar_covers_a_chart_title_on_any_page(page, app_url, width):
    page.set_viewport_size({"width": width, "height": 1000})
    open_app(page, app_url)
    seen = {}
    for title in PAGES:
        go_to(page, title)
        wait_idle(page, settle_ms=1000)
        seen[title] = page.evaluate(_TITLES_UNDER_MODEBAR)
        assert not exceptions(page), title
    covered = [(p, c["title"]) for p, charts in seen.items() for c in charts if c["covered"]]
    assert not covered, covered
    assert len(seen["BLEU breakdown"]) >= 6 and len(seen["Gradient flow"]) >= 5, seen
