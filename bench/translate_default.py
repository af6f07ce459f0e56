"""The Translate page's default experiment (built-in English -> Korean corpus, RNN and GRU,
no attention) as the page runs it: one spawned worker per model. Prints the wall time from
submit to both results, each model's training time and CPU time, test BLEU and BLEU by
source length with 95% bootstrap intervals.

    python bench/translate_default.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.translate.analysis import LENGTH_CUTOFFS, bleu_by_length  # noqa: E402
from core.translate.background import TrainingJob  # noqa: E402
from core.translate.generated import generated_corpus  # noqa: E402
from dashboard.views.translate.form import CORPUS_DEFAULT, PAGE_DEFAULT  # noqa: E402


def main() -> None:
    corpus = generated_corpus(CORPUS_DEFAULT)
    print(f"load average before: {os.getloadavg()}")
    start = time.perf_counter()
    job = TrainingJob(corpus, PAGE_DEFAULT)
    job.wait()
    wall = time.perf_counter() - start
    print(f"submit -> both results: {wall:.1f} s wall; load average after: {os.getloadavg()}")
    for m, o in job.outcomes.items():
        print(
            f"{m}: test BLEU {o.test.bleu:.2f}, best dev BLEU {o.model.best.dev_bleu:.2f}, "
            f"training {o.model.wall_seconds:.1f} s wall / {o.model.cpu_seconds:.1f} s CPU, "
            f"{o.model.tokens_per_s:.0f} tokens/s"
        )
    lengths = np.array([len(s.split()) for s in corpus.test.source])
    table = bleu_by_length(
        list(corpus.test.target),
        {m: o.test.hyps for m, o in job.outcomes.items()},
        lengths,
        LENGTH_CUTOFFS,
    )
    print(table.drop(columns=["bucket_index"]).round(2).to_string(index=False))


if __name__ == "__main__":
    main()
