"""What stands for a BLEU report in cache keys (dashboard.views.bleu.report_key): reports that show
different numbers never share a key, and the key is computed once per report object."""

from __future__ import annotations

import dataclasses
import gc

from core.bleu import BleuSettings, analyse
from core.bleu.ter import add_ter
from dashboard.views.bleu import report_key as keys
from dashboard.views.bleu.report_key import report_key

REFS = [["the bird sings today", "a quiet morning"]]
BASE = ["the bird sings today", "a loud morning"]


def _report(second: list[str], **settings):
    return analyse(REFS, {"base": BASE, "other": second}, BleuSettings(**settings))


def test_outputs_with_equal_bleu_statistics_but_different_chrf_get_different_keys():
    cat = _report(["the cat sings today", "a quiet morning"])
    dog = _report(["the dog sings today", "a quiet morning"])
    for name in cat.systems:  # BLEU sees the same matches and lengths ...
        assert (cat.bleu_stats[name] == dog.bleu_stats[name]).all()
    assert cat.corpus.loc["other", "chrf"] != dog.corpus.loc["other", "chrf"]  # ... chrF not
    assert report_key(cat) != report_key(dog)


def test_settings_names_baseline_and_ter_change_the_key():
    other = ["the bird sang today", "a quiet morning"]
    report = _report(other)
    key = report_key(report)
    assert report_key(_report(list(other))) == key  # another object, the same numbers
    assert report_key(_report(other, lowercase=True)) != key
    assert report_key(report.renamed({"base": "A", "other": "B"})) != key
    assert report_key(dataclasses.replace(report, baseline="other")) != key
    assert report_key(add_ter(report, REFS, {"base": BASE, "other": other})) != key


def test_the_key_is_computed_once_per_report_and_forgotten_with_it(monkeypatch):
    report = _report(["the bird sang today", "a quiet morning"])
    computed = []
    real = keys._computed_key
    monkeypatch.setattr(keys, "_computed_key", lambda r: computed.append(1) or real(r))
    first = report_key(report)
    assert report_key(report) == first and len(computed) == 1
    held = id(report)
    del report
    gc.collect()
    assert held not in keys._KNOWN
