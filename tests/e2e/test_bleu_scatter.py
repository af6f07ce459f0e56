"""The BLEU page's A-vs-B scatter in a real browser: a click on a point opens its sentence."""

from __future__ import annotations

import time

import pytest

from core.bleu.reading.built_in_corpus import example_corpus
from tests.e2e.ui import exceptions, open_app, wait_idle

pytestmark = pytest.mark.e2e


# The A-vs-B scatter's most isolated point (so a click there hits it alone): its position on
# the screen (the axes' own offsets: equal scales shrink the plot area inside the margins) and
# the line its customdata carries.
_SCATTER = """Array.from(document.querySelectorAll('.js-plotly-plot'))
  .find(g => g._fullData && g._fullData.some(t => t.name === 'equal'))"""
_LONE_POINT = """() => {
  const gd = SCATTER;
  const fl = gd._fullLayout, box = gd.getBoundingClientRect();
  const points = [];
  gd._fullData.slice(0, 3).forEach(t => { for (let i = 0; i < t.x.length; i++) {
    points.push({px: box.left + fl.xaxis._offset + fl.xaxis.l2p(t.x[i]),
                 py: box.top + fl.yaxis._offset + fl.yaxis.l2p(t.y[i]),
                 line: Number(t.customdata[i])});
  } });
  let best = null, bestGap = -1;
  for (const p of points) {
    let gap = Infinity;
    for (const q of points) if (q !== p) gap = Math.min(gap, Math.hypot(p.px - q.px, p.py - q.py));
    if (gap > bestGap) { best = p; bestGap = gap; }
  }
  return {...best, gap: bestGap, n: points.length};
}""".replace("SCATTER", _SCATTER)


_RANGES = """() => { const fl = (SCATTER)._fullLayout;
  return {x: fl.xaxis.range, y: fl.yaxis.range}; }""".replace("SCATTER", _SCATTER)
SCORE_RANGE = (-2, 102)  # both axes: sentence BLEU 0..100 and a margin for the markers


def assert_score_ranges(page) -> None:
    ranges = page.evaluate(_RANGES)
    for axis in ("x", "y"):
        assert ranges[axis] == pytest.approx(SCORE_RANGE, abs=0.5), (axis, ranges)


def test_a_point_clicked_on_the_scatter_opens_its_sentence(page, app_url):
    """Plotly sends the line numbers as a binary array; the click's selection carries the
    line back to the page, which shows that sentence. Both axes show 0..100 before and after
    the click (the equal-scale constraint once widened the x axis to -42..142)."""
    open_app(page, app_url, "bleu")
    page.wait_for_selector(".js-plotly-plot")
    wait_idle(page)
    line_input = page.get_by_label("Sentence (line number)")
    assert line_input.input_value() == "1"
    page.evaluate(_SCATTER + ".scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)
    assert_score_ranges(page)
    point = page.evaluate(_LONE_POINT)
    assert point["n"] == len(example_corpus().source) and point["gap"] > 6  # px
    assert point["line"] != 1
    page.mouse.click(point["px"], point["py"])
    deadline = time.monotonic() + 30
    while line_input.input_value() != str(point["line"]) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    wait_idle(page)
    assert line_input.input_value() == str(point["line"])
    assert_score_ranges(page)
    assert not exceptions(page)
