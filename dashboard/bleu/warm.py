"""The BLEU page's first view of its built-in example, computed before anyone opens the page.

A first visit of the BLEU page on a server imports sacrebleu and the page's modules and scores
the example (statistics, resampling tests, buckets, word accuracy): about 1.5 s of server time
while the reader waits. dashboard.runs.warm_up calls warm_example once per server, in its
background thread, so that first visit reads the caches. The settings are the page's defaults
(BleuSettings' own, which the page's widgets start from) and the names the page gives the
example's files before anyone edits them.
"""

from __future__ import annotations

from core.bleu.settings import BleuSettings
from dashboard.bleu.state import analyse_files, example_files
from dashboard.bleu.uploads import EXAMPLE_ORIGIN, default_names
from dashboard.bleu.word_state import word_analysis


def warm_example() -> None:
    """Score the example with the page's default settings into the page's caches. No st.*
    calls (no progress bar): runs in any thread."""
    refs, systems, _ = example_files()
    names = default_names(systems, EXAMPLE_ORIGIN)
    settings = BleuSettings(baseline=names[0])
    analyse_files(refs, systems, names, settings, progress=False)
    word_analysis(refs, systems, names, settings, None)
