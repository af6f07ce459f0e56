"""BLEU breakdown: sacrebleu's exact numbers, taken apart sentence by sentence.

Entry points: analyse() -> BleuReport; decompose_gap(); matched_ngrams(); add_ter();
example_corpus() for built-in data. Command line: `python -m core.bleu --help`.
"""

from core.bleu.analysis import LineCountError, analyse, check_inputs
from core.bleu.report import BleuReport
from core.bleu.settings import BleuSettings, available_tokenizers
from core.bleu.significance import PairedResult

__all__ = [
    "BleuReport",
    "BleuSettings",
    "LineCountError",
    "PairedResult",
    "analyse",
    "available_tokenizers",
    "check_inputs",
]
