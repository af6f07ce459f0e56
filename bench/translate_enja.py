"""The translation lab's targets on small_parallel_enja (50,000 Japanese-English pairs):
ja -> en, embedding 64, hidden 128, 4k vocabulary per side, batch 64, Adam 2e-3, greedy.

    python bench/translate_enja.py                          # GRU and RNN, 600 s each, in parallel
    python bench/translate_enja.py --runs gru+att --budget 900
    python bench/translate_enja.py --clock cpu              # budget in process CPU seconds

SIGTERM to the script stops every run early: each checkpoints, translates the test set and
reports as if its budget had ended (the JSON says stopped_early).

Each run trains in its own spawned process (one BLAS thread) and reports: test BLEU (sacrebleu,
tokenize=none on the corpus' own tokens: the text is already tokenized and lowercased), the
dev-BLEU curve, BLEU by English reference length (4-6, 7-9, 10-12, 13-16 words), training
target tokens/s and the process's peak memory. The data is read from beside the repository
(`$GATESCOPE_ANCHORS` or ../shared/anchors/data), never copied. Results are written as JSON to
--out.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import signal
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core.translate.analysis import bleu_by_length  # noqa: E402
from core.translate.config import TranslateConfig  # noqa: E402
from core.translate.corpus import ParallelCorpus  # noqa: E402
from core.translate.experiment import translate_test_set  # noqa: E402
from core.translate.preprocess import prepare  # noqa: E402
from core.translate.readers import read_aligned  # noqa: E402
from core.translate.train import train_model  # noqa: E402

REF_CUTOFFS = (7, 10, 13)  # English reference words: 4-6, 7-9, 10-12, 13-16
BASE = TranslateConfig(
    embed=64,
    hidden=128,
    vocab_size=4000,
    batch_size=64,
    lr=2e-3,
    epochs=10**6,
    checkpoint_every=400,
    dev_limit=500,
    bleu_tokenize="none",
)


def data_dir() -> Path:
    root = os.environ.get("GATESCOPE_ANCHORS")
    return (
        Path(root) if root else REPO.parent / "shared" / "anchors" / "data"
    ) / "small-parallel-enja"


def load(split: str, folder: Path):
    ja, en = folder / f"{split}.ja", folder / f"{split}.en"
    return read_aligned(ja.name, ja.read_bytes(), en.name, en.read_bytes())


def enja_corpus(folder: Path) -> ParallelCorpus:
    return ParallelCorpus(
        load("train", folder),
        load("dev", folder),
        load("test", folder),
        "small_parallel_enja ja-en",
    )


def run(name: str, cfg: TranslateConfig, folder: str, out: str) -> None:
    stopped = []
    signal.signal(signal.SIGTERM, lambda *_: stopped.append(True))  # stop early, still report
    corpus = enja_corpus(Path(folder))
    started = time.perf_counter()
    prepared = prepare(corpus, cfg)
    cell = name.split("+")[0]
    model = train_model(
        prepared,
        cfg,
        cell,
        lambda e: (
            e.checkpoint
            and print(
                f"{name}: step {e.step} {e.seconds:.0f}s dev BLEU {e.checkpoint.dev_bleu:.2f} "
                f"dev loss {e.checkpoint.dev_loss:.3f}",
                flush=True,
            )
        ),
        lambda: bool(stopped),
    )
    wall = time.perf_counter() - started
    test = translate_test_set(model, corpus)
    ref_lens = np.array([len(t.split()) for t in corpus.test.target])
    table = bleu_by_length(
        list(corpus.test.target),
        {name: test.hyps},
        ref_lens,
        REF_CUTOFFS,
        cfg.bleu_tokenize,
        n_samples=1000,
    )
    result = {
        "run": name,
        "test_bleu": test.bleu,
        "best": model.best.__dict__,
        "curve": [c.__dict__ for c in model.history.checkpoints],
        "steps": model.history.steps[-1],
        "tokens_per_s": model.tokens_per_s,
        "wall_seconds_with_setup": wall,
        "cpu_seconds": time.process_time(),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "by_reference_length": table.drop(columns=["system"]).to_dict("records"),
        "config": cfg.to_json(),
        "stopped_early": bool(stopped),
    }
    Path(out, f"{name}.json").write_text(json.dumps(result, indent=1))
    print(
        f"{name}: test BLEU {test.bleu:.2f}, best dev BLEU {model.best.dev_bleu:.2f} at step "
        f"{model.best.step}, {model.tokens_per_s:.0f} tokens/s, peak RSS "
        f"{result['peak_rss_mb']:.0f} MB",
        flush=True,
    )


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--runs",
        nargs="+",
        default=["gru", "rnn"],
        help="cell or cell+att per run; all start together",
    )
    p.add_argument("--budget", type=float, default=600.0, help="seconds per run")
    p.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    p.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "gatescope-enja"))
    args = p.parse_args()
    folder = data_dir()
    if not folder.is_dir():
        sys.exit(f"small_parallel_enja not found at {folder}; set GATESCOPE_ANCHORS")
    Path(args.out).mkdir(parents=True, exist_ok=True)
    ctx = mp.get_context("spawn")
    procs = []
    for name in args.runs:
        cfg = replace(
            BASE,
            models=(name.split("+")[0],),
            attention=name.endswith("+att"),
            time_budget=args.budget,
            budget_clock=args.clock,
        )
        procs.append(ctx.Process(target=run, args=(name, cfg, str(folder), args.out)))
    print(f"load average before: {os.getloadavg()}", flush=True)
    for proc in procs:
        proc.start()
    signal.signal(signal.SIGTERM, lambda *_: [p.terminate() for p in procs])
    for proc in procs:
        proc.join()
    print(f"load average after: {os.getloadavg()}", flush=True)


if __name__ == "__main__":
    main()
