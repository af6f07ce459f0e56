"""A system keeps one colour by its name: a system named after a model (as the Translate page's
hand-off names them) in that model's colour, as on Train and Translate; any other system in a
colour of its own, from a palette that avoids the models' colours, whatever its position."""

from __future__ import annotations

import pytest

from core.bleu import BleuSettings, analyse
from core.bleu.breakdowns.gap_decomposition import decompose_gap
from core.bleu.reading.built_in_corpus import example_corpus
from core.cells import CELLS
from dashboard.views.bleu.charts import scores as charts
from dashboard.views.bleu.charts.style import SYSTEM_COLOURS, TIE, colour_of, system_colours

MODEL_COLOURS = {c.colour for c in CELLS.values()}


@pytest.fixture(scope="module")
def handed_off():
    """Two systems named as the hand-off names them, the baseline (RNN) first."""
    corpus = example_corpus(n_segments=60, seed=8)
    systems = {"RNN": corpus.systems["weak"], "GRU": corpus.systems["strong"]}
    return analyse(corpus.references, systems, BleuSettings(ar_trials=0, bootstrap_samples=50))


def test_a_system_named_after_a_model_has_the_models_colour_in_any_position():
    for systems in (["RNN", "GRU"], ["GRU", "RNN"], ["upload.txt", "GRU", "RNN"]):
        colours = system_colours(systems)
        assert colours["RNN"] == CELLS["rnn"].colour
        assert colours["GRU"] == CELLS["gru"].colour
    for name, cell in CELLS.items():  # by label or by registry name
        assert system_colours([cell.label])[cell.label] == cell.colour
        assert system_colours([name])[name] == cell.colour


def test_other_systems_get_distinct_colours_that_no_model_uses_whatever_the_order():
    names = ["ted.sys1.detok.eng", "ted.sys2.detok.eng", "online-B", "uedin", "x", "y"]
    colours = system_colours(names)
    assert len(set(colours.values())) == len(names)
    assert not set(colours.values()) & (MODEL_COLOURS | {TIE})
    assert system_colours(names[::-1]) == colours  # by name, not by position
    assert not set(SYSTEM_COLOURS) & (MODEL_COLOURS | {TIE})
    assert colour_of("online-B", names) == colours["online-B"]


def test_every_bleu_chart_draws_rnn_and_gru_in_their_model_colours(handed_off):
    report = handed_off
    rnn, gru = CELLS["rnn"].colour, CELLS["gru"].colour
    want = {"RNN": rnn, "RNN (baseline)": rnn, "GRU": gru}
    wide = report.sentence_scores("bleu")
    for fig in (
        charts.corpus_bars(report.significance_table(), report.systems),
        charts.sentence_boxes(wide),
        charts.bucket_chart(report.buckets, report.systems),
        charts.precision_chart(report.corpus),
    ):
        for t in fig.data:
            assert t.marker.color == want[t.name], (fig.layout.title.text, t.name)
    scatter = charts.pair_scatter(wide, "RNN", "GRU")
    assert scatter.data[0].name.startswith("GRU better") and scatter.data[0].marker.color == gru
    assert scatter.data[2].name.startswith("RNN better") and scatter.data[2].marker.color == rnn
    gap = charts.gap_chart(decompose_gap(report, "RNN", "GRU"), report.systems).data[0]
    assert gap.increasing.marker.color == gru and gap.decreasing.marker.color == rnn
