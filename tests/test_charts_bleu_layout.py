"""BLEU charts with real system names: one colour per system everywhere, long names shortened
in legends and kept whole in hover text, legends below the plot (never over a title)."""

from __future__ import annotations

import numpy as np
import pytest

from core.bleu import BleuSettings, analyse
from core.bleu.breakdowns.gap_decomposition import decompose_gap
from core.bleu.reading.built_in_corpus import example_corpus
from dashboard.views.bleu.charts import scores as charts
from dashboard.views.bleu.charts.style import (
    AXIS_ROOM,
    LEGEND_CHARS,
    LEGEND_ROW,
    colour_of,
    short_name,
    system_colours,
)

# WMT17-style file names: 40 characters, differing at both ends
NAMES = [
    f"newstest2017.{team:<10.10}-nmt-{k}.4934.en-de"
    for k, team in enumerate(
        ["LMU-reranked", "KIT-ensemble", "uedin-nmt-big", "online-B", "C-3MA", "TALP-UPC"]
    )
]


@pytest.fixture(scope="module")
def report():
    corpus = example_corpus(n_segments=80, seed=4)
    base = list(corpus.systems.values())
    systems = {n: base[i % len(base)][i:] + base[i % len(base)][:i] for i, n in enumerate(NAMES)}
    return analyse(corpus.references, systems, BleuSettings(ar_trials=0, bootstrap_samples=50))


def figures(report):
    wide = report.sentence_scores("bleu")
    a, b = report.systems[2], report.systems[4]
    return {
        "corpus": charts.corpus_bars(report.significance_table(), report.systems),
        "boxes": charts.sentence_boxes(wide),
        "scatter": charts.pair_scatter(wide, a, b),
        "buckets": charts.bucket_chart(report.buckets, report.systems),
        "precision": charts.precision_chart(report.corpus),
        "gap": charts.gap_chart(decompose_gap(report, a, b), report.systems),
    }


def test_names_are_forty_characters_and_distinct_after_shortening():
    assert all(len(n) == 40 for n in NAMES)
    short = [short_name(n) for n in NAMES]
    assert len(set(short)) == len(NAMES) and all(len(s) == LEGEND_CHARS for s in short)
    assert short_name("short") == "short"


def test_each_system_keeps_its_colour_on_every_chart(report):
    figs = figures(report)
    colour = system_colours(report.systems)
    assert len(set(colour.values())) == len(report.systems)
    for key in ("corpus", "buckets", "precision"):
        for t in figs[key].data:
            full = next(n for n in report.systems if short_name(n) == t.name.split(" (")[0])
            assert t.marker.color == colour[full], key
    for t, n in zip(figs["boxes"].data, report.systems, strict=True):
        assert t.marker.color == colour[n]
    a, b = report.systems[2], report.systems[4]
    b_wins, ties, a_wins = figs["scatter"].data[:3]
    assert b_wins.name.startswith(short_name(b)) and b_wins.marker.color == colour[b]
    assert a_wins.name.startswith(short_name(a)) and a_wins.marker.color == colour[a]
    assert ties.marker.color not in colour.values()
    gap = figs["gap"].data[0]
    assert gap.increasing.marker.color == colour[b] and gap.decreasing.marker.color == colour[a]
    assert colour_of(b, report.systems) == colour[b]


def test_legends_sit_below_the_plot_with_room_in_the_margin(report):
    for key, fig in figures(report).items():
        layout = fig.layout
        if layout.showlegend is False:
            continue
        assert layout.legend.yref == "container" and layout.legend.y == 0, key  # at the foot
        rows = -(-sum(1 for t in fig.data if t.showlegend is not False) // 3)
        assert layout.margin.b >= AXIS_ROOM + LEGEND_ROW * rows, key  # room under the axis
        assert layout.title.y >= 0.9, key  # title at the very top


def test_legends_show_short_names_and_hover_the_full_name(report):
    for key, fig in figures(report).items():
        for t in fig.data:
            if t.name and t.name != "equal":
                assert len(t.name.split(" (")[0].split(" better")[0]) <= LEGEND_CHARS, key
    for t in figures(report)["corpus"].data:
        assert any(n in t.hovertemplate for n in report.systems)
    titles = figures(report)["scatter"].layout
    assert len(titles.xaxis.title.text) <= LEGEND_CHARS + 3
    gap = figures(report)["gap"].layout
    assert all(n not in gap.title.text for n in report.systems)  # no long name in a title


def test_distribution_is_one_box_row_per_system(report):
    fig = figures(report)["boxes"]
    assert [t.type for t in fig.data] == ["box"] * len(NAMES)
    assert fig.layout.height >= 45 * len(NAMES)
    wide = report.sentence_scores("bleu")
    for t, n in zip(fig.data, report.systems, strict=True):
        assert np.isclose(np.mean(t.x), wide[n].mean())
