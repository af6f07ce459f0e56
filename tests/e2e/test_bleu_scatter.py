"""The BLEU page's A-vs-B scatter in a real browser: a click on a point opens its sentence."""

from __future__ import annotations

import time

import pytest

from core.bleu.example import example_corpus
from tests.e2e.ui import exceptions, open_app, wait_idle

pytestmark = pytest.mark.e2e


# The A-vs-B scatter's most isolated point (so a click there hits it alone): its position on
# the screen and the line its customdata carries.
_SCATTER = """Array.from(document.querySelectorAll('.js-plotly-plot'))
  .find(g => g._fullData && g._fullData.some(t => t.name === 'equal'))"""
_LONE_POINT = """() => {
  const gd = SCATTER;
  const fl = gd._fullLayout, box = gd.getBoundingClientRect();
  const points = [];
  gd._fullData.slice(0, 3).forEach(t => { for (let i = 0; i < t.x.length; i++) {
    points.push({px: box.left + fl._size.l + fl.xaxis.l2p(t.x[i]),
                 py: box.top + fl._size.t + fl.yaxis.l2p(t.y[i]), line: Number(t.customdata[i])});
  } });
  let best = null, bestGap = -1;
  for (const p of points) {
    let gap = Infinity;
    for (const q of points) if (q !== p) gap = Math.min(gap, Math.hypot(p.px - q.px, p.py - q.py));
    if (gap > bestGap) { best = p; bestGap = gap; }
  }
  return {...best, gap: bestGap, n: points.length};
}""".replace("SCATTER", _SCATTER)


def test_a_point_clicked_on_the_scatter_opens_its_sentence(page, app_url):
    """Plotly sends the line numbers as a binary array; the click's selection carries the
    line back to the page, which shows that sentence."""
    open_app(page, app_url, "bleu")
    page.wait_for_selector(".js-plotly-plot")
    wait_idle(page)
    line_input = page.get_by_label("Sentence (line number)")
    assert line_input.input_value() == "1"
    page.evaluate(_SCATTER + ".scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)
    point = page.evaluate(_LONE_POINT)
    assert point["n"] == len(example_corpus().source) and point["gap"] > 6  # px
    assert point["line"] != 1
    page.mouse.click(point["px"], point["py"])
    deadline = time.monotonic() + 30
    while line_input.input_value() != str(point["line"]) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    wait_idle(page)
    assert line_input.input_value() == str(point["line"])
    assert not exceptions(page)
