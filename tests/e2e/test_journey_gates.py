"""The Gates page's journey in a real browser: the trained GRU's gate charts, the explainer's
presets filling its sliders and bars, the units sorted by τ or not, and the update gate shown
in either convention. Each step reads what a person sees: headings, chart titles, heatmap rows
and values, slider and switch positions, the bars' heights and the sentences."""

from __future__ import annotations

import math

import pytest

from core.analysis.gru_explainer import PRESETS, TinyGruSpec, explain
from dashboard.views.gates.charts import FIELDS
from dashboard.views.gates.explainer import explainer_text
from dashboard.views.gates.text import CONVENTIONS
from tests.e2e.ui import PLOTLY, exceptions, go_to, metrics, open_app, wait_idle

pytestmark = pytest.mark.e2e

TITLE = "Gates: what the GRU reads, writes and carries"
TAU_TITLE = "Memory time constant tau = 1 / mean u (steps)"
PRESET_BUTTONS = {**PRESETS, "Free gates (biases 0)": TinyGruSpec()}
PARTS = {
    "read": "read: r * h_(t-1)",
    "carry": "carry: (1 - u) * h_(t-1)",
    "write": "write: u * c_t",
}

# Every plotly figure: title, and per trace its name, y, the heatmap's z and the customdata.
_CHARTS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(div => ({
  title: ((div.layout && div.layout.title && div.layout.title.text) || '').replace(/<[^>]*>/g, ''),
  traces: (div._fullData || []).map(t => ({
    name: t.name || '', x: t.x ? Array.from(t.x) : null, y: t.y ? Array.from(t.y) : null,
    z: t.z ? Array.from(t.z, row => Array.from(row)) : null,
    customdata: t.customdata ? Array.from(t.customdata, row => Array.from(row)) : null,
  })),
}))"""


def charts(pg) -> dict[str, list[dict]]:
    """Plotly figures on the page by title: title -> traces."""
    return {f["title"]: f["traces"] for f in pg.evaluate(_CHARTS)}


def heatmap(pg, field: str) -> dict:
    """The heatmap of one field ("u", "z", "r", "c", "h") as shown: its single trace."""
    (shown,) = charts(pg)[FIELDS[field][0]]
    return shown


def rows(shown: dict) -> dict[str, list[float]]:
    """A heatmap's rows by unit label."""
    return dict(zip(shown["y"], shown["z"], strict=True))


def main_text(pg) -> str:
    return pg.get_by_test_id("stMain").inner_text()


def markdown_starting(pg, start: str) -> str:
    said = pg.get_by_test_id("stMarkdown").filter(has_text=start)
    return said.first.inner_text()


def switch(pg, label: str):
    return pg.get_by_test_id("stCheckbox").filter(has_text=label).locator("input")


def _slider_input(pg, label: str):
    """A slider's range input (its value and disabled state are the thumb's)."""
    return pg.get_by_test_id("stSlider").filter(has_text=label).locator("input[type=range]")


def slider_value(pg, label: str) -> float:
    return float(_slider_input(pg, label).input_value())


def slider_disabled(pg, label: str) -> bool:
    return _slider_input(pg, label).is_disabled()


def click(pg, name: str) -> None:
    pg.get_by_test_id("stMain").get_by_role("button", name=name, exact=True).click()
    wait_idle(pg)


def choose(pg, name: str) -> None:
    """Press one segment of a segmented control (its segments are radios)."""
    pg.get_by_test_id("stMain").get_by_role("radio", name=name, exact=True).click()
    wait_idle(pg)


def open_gates(pg, url: str) -> None:
    open_app(pg, url)
    go_to(pg, "Gates")
    pg.wait_for_selector(PLOTLY)
    pg.get_by_text(TAU_TITLE).first.wait_for(timeout=60_000)
    wait_idle(pg)


def test_the_trained_grus_gate_charts(page, app_url):
    open_gates(page, app_url)
    assert page.locator("h1").first.inner_text().startswith(TITLE)
    assert "GRU: " in page.locator("h3").all_inner_texts()[0]  # the model's own heading
    shown = charts(page)
    for field in ("u", "r", "c", "h"):
        assert FIELDS[field][0] in shown, f"no {field} heatmap"
    assert FIELDS["z"][0] not in shown  # our convention first
    assert TAU_TITLE in shown
    assert set(metrics(page)) >= {"u < 0.1 (carrying)", "r < 0.1 (past hidden)", "median τ (steps)"}
    assert not exceptions(page)


def _assert_explainer_shows(pg, spec: TinyGruSpec) -> None:
    """Switches, sliders, bars and the sentence are those of `spec`."""
    for gate, value, bias, name in (
        ("u", spec.update_value, spec.update_bias, "update"),
        ("r", spec.reset_value, spec.reset_bias, "reset"),
    ):
        assert switch(pg, f"Fix {gate} to one value").is_checked() == (value is not None)
        assert slider_disabled(pg, f"{gate} value") == (value is None)
        assert slider_disabled(pg, f"{name} gate bias b_{gate}") == (value is not None)
        if value is not None:
            assert slider_value(pg, f"{gate} value") == pytest.approx(value)
        else:
            assert slider_value(pg, f"{name} gate bias b_{gate}") == pytest.approx(bias)
    rwc = explain(spec)
    bars = charts(pg)
    (traces,) = [t for title, t in bars.items() if any(x["name"] == PARTS["read"] for x in t)]
    for part, name in PARTS.items():
        per_unit = [t["y"] for t in traces if t["name"] == name]
        assert len(per_unit) == spec.hidden
        for j, heights in enumerate(per_unit):
            assert heights == pytest.approx(getattr(rwc, part)[:, j].tolist(), abs=1e-9)
    gates_in_hover = [t["customdata"] for t in traces if t["name"] == PARTS["read"]]
    for value, col in ((spec.update_value, 0), (spec.reset_value, 1)):  # hover: (u, r)
        if value is not None:
            assert {round(row[col], 9) for unit in gates_in_hover for row in unit} == {value}
    expected = " ".join(explainer_text(rwc).replace("*", "").split())
    shown = " ".join(markdown_starting(pg, "In this run of the tiny GRU").split())
    assert shown == expected


def test_each_preset_fills_the_explainer(page, app_url):
    open_gates(page, app_url)
    _assert_explainer_shows(page, TinyGruSpec())  # what the section opens on
    sentences = set()
    for label, spec in PRESET_BUTTONS.items():
        click(page, label)
        _assert_explainer_shows(page, spec)
        sentences.add(markdown_starting(page, "In this run of the tiny GRU"))
    assert len(sentences) == len(PRESET_BUTTONS)  # each preset says its own thing
    assert not exceptions(page)


def _tau_bars(pg) -> tuple[list[str], list[float]]:
    (bars,) = [t for t in charts(pg)[TAU_TITLE] if t["name"] == "tau"]
    return bars["x"], [math.inf if v is None or v != v else v for v in bars["y"]]  # NaN = ∞


def test_sorting_units_by_tau(page, app_url):
    open_gates(page, app_url)
    sort = switch(page, "Sort units by τ")
    assert sort.is_checked()  # the page opens sorted
    units, tau = _tau_bars(page)
    assert tau == sorted(tau, reverse=True)  # longest memory on the left
    by_unit = dict(zip(units, tau, strict=True))
    sorted_rows = {f: rows(heatmap(page, f)) for f in ("u", "r", "h")}
    for f in sorted_rows:
        assert heatmap(page, f)["y"] == units  # top row = longest memory
    top = units[0]
    assert f"The top row, {top} (τ = " in main_text(page)

    sort.click(force=True)
    wait_idle(page)
    assert not sort.is_checked()
    stored = [f"unit {j}" for j in range(len(units))]
    units_off, tau_off = _tau_bars(page)
    assert units_off == stored and tau_off == [by_unit[u] for u in stored]
    for f, before in sorted_rows.items():
        shown = heatmap(page, f)
        assert shown["y"] == stored
        assert rows(shown) == before  # the same rows, only moved
    assert f"{top.capitalize()} (τ = " in main_text(page)
    assert not exceptions(page)


def test_both_update_gate_conventions(page, app_url):
    open_gates(page, app_url)
    ours, pytorch = CONVENTIONS["u"], CONVENTIONS["z"]
    u_rows = rows(heatmap(page, "u"))
    r_rows = rows(heatmap(page, "r"))
    before = metrics(page)
    note = markdown_starting(page, "Convention:")
    assert "our convention" in note and "h_t = u_t c_t + (1 - u_t) h_(t-1)" in note

    choose(page, pytorch)
    shown = charts(page)
    assert FIELDS["u"][0] not in shown and FIELDS["z"][0] in shown
    z_rows = rows(heatmap(page, "z"))
    assert z_rows.keys() == u_rows.keys()
    for unit, u in u_rows.items():
        assert z_rows[unit] == pytest.approx([1.0 - v for v in u], abs=1e-6)
    assert rows(heatmap(page, "r")) == r_rows  # the other plots unchanged
    note = markdown_starting(page, "Convention:")
    assert "PyTorch's convention" in note and "h_t = z_t h_(t-1) + (1 - z_t) c_t" in note
    after = metrics(page)
    assert after["z > 0.9 (carrying)"] == before["u < 0.1 (carrying)"]
    assert after["z < 0.1 (overwriting)"] == before["u > 0.9 (overwriting)"]
    assert "u < 0.1 (carrying)" not in after
    assert "z = 1 - u stays near 1" in main_text(page)

    choose(page, ours)
    shown = charts(page)
    assert FIELDS["z"][0] not in shown
    assert rows(heatmap(page, "u")) == u_rows
    assert "our convention" in markdown_starting(page, "Convention:")
    assert metrics(page) == before
    assert not exceptions(page)
