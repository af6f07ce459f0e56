"""The gradient-flow animation plays in the browser: Play walks the slider through every
checkpoint and the drawn curves end on the last checkpoint's."""

from __future__ import annotations

import pytest

from tests.e2e.ui import exceptions, go_to, open_app

pytestmark = pytest.mark.e2e

_ANIMATED = """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
  .find(d => d._transitionData && d._transitionData._frames.length)"""
_DECODE = """y => {  // a frame's y as plotly stores it: an array or {dtype: 'f8', bdata: base64}
  if (!y || !y.bdata) return Array.from(y || []);
  const bytes = Uint8Array.from(atob(y.bdata), c => c.charCodeAt(0));
  return Array.from(new Float64Array(bytes.buffer)); }"""
_STATE = f"""() => {{ const d = ({_ANIMATED})(); const decode = {_DECODE};
  const frames = d._transitionData._frames;
  return {{ n: frames.length, active: d._fullLayout.sliders[0].active,
           drawn: Array.from(d._fullData[0].y),
           last: decode(frames[frames.length - 1].data[0].y),
           first: decode(frames[0].data[0].y) }}; }}"""


def test_play_walks_through_every_checkpoint(page, app_url):
    open_app(page, app_url)
    go_to(page, "Gradient flow")
    page.wait_for_function(f"() => !!({_ANIMATED})()")
    before = page.evaluate(_STATE)
    assert before["n"] >= 3 and before["active"] == 0 and before["drawn"] == before["first"]
    page.get_by_text("▶ Play").click()
    page.wait_for_function(
        f"() => {{ const s = ({_STATE})(); return s.active === s.n - 1; }}", timeout=60_000
    )
    page.wait_for_timeout(300)
    after = page.evaluate(_STATE)
    assert after["drawn"] == pytest.approx(after["last"]) and after["last"] != after["first"]
    assert not exceptions(page)
