"""The JSON bundle of one analysis, the same keys from the command line and from the page."""

from __future__ import annotations

import json

from core.bleu.breakdowns.compare_mt_report import WordReport
from core.bleu.report import BleuReport, json_ready


def result_bundle(
    report: BleuReport, files: list[dict], words: WordReport | None = None, **extra
) -> dict:
    """report.to_dict() plus "files" (one entry per input: role, path, sha256, ...), the word
    analyses (word_accuracy, ngram_differences) when given, and any extra keys. significance
    lists the non-baseline systems only (BLEU, with chrF nested)."""
    bundle = report.to_dict(extra={"files": files, **extra})
    bundle["significance"] = [s for s in bundle["significance"] if s["system"] != report.baseline]
    if words is not None:
        bundle.update(words.to_dict())
    return bundle


def bundle_json(bundle: dict) -> str:
    return json.dumps(json_ready(bundle), indent=1, ensure_ascii=False)
