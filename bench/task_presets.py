"""Each task's preset (core.train.presets) against its stated result: the GRU reaches
GRU_TARGET validation accuracy, the RNN ends no better than the baseline, both within about 30 s.

    python bench/task_presets.py                      # every task, seed 0
    python bench/task_presets.py --tasks copy --seeds 0 1 2

Wall time is the target; "cpu s" (this process's CPU time) shows how much of the wall time
other work on the machine took. Exits 1 when a preset misses its result.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.train.loop import train  # noqa: E402
from core.train.presets import GRU_TARGET, PRESETS  # noqa: E402
from core.train.verdict import verdicts  # noqa: E402

WALL_TARGET = 30.0  # seconds for both models together, about


def measure(task: str, seed: int) -> bool:
    cfg = replace(PRESETS[task].config(), seed=seed)
    start, cpu_start = time.perf_counter(), time.process_time()
    run = train(cfg)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    v = verdicts(run)
    gru, rnn = v["gru"], v["rnn"]
    ok = gru.accuracy >= GRU_TARGET and not rnn.learnt
    print(
        f"{task:>7}  {seed:>4}  {gru.accuracy:>8.1%}  {rnn.accuracy:>8.1%}  "
        f"{run.baseline.accuracy:>8.1%}  ±{rnn.margin:>5.1%}  {wall:>6.1f}  {cpu:>6.1f}  "
        f"{'ok' if ok else 'MISS'}{'' if wall <= WALL_TARGET else ' (slow)'}",
        flush=True,
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tasks", nargs="+", default=list(PRESETS), choices=list(PRESETS))
    p.add_argument("--seeds", type=int, nargs="+", default=[0])
    args = p.parse_args(argv)
    print(
        f"targets: GRU >= {GRU_TARGET:.0%}, RNN not above the baseline (two standard "
        f"errors), wall about {WALL_TARGET:g} s"
    )
    print(
        f"{'task':>7}  {'seed':>4}  {'GRU acc':>8}  {'RNN acc':>8}  {'baseline':>8}  "
        f"{'margin':>6}  {'wall s':>6}  {'cpu s':>6}  verdict"
    )
    for task in args.tasks:
        print(f"# {PRESETS[task].title}: {dict(PRESETS[task].changes) or 'the default'}")
    results = [measure(task, seed) for task in args.tasks for seed in args.seeds]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
