"""One process-pool implementation: every long job (trainings, sweeps, translation trainings,
BLEU extraction) runs on core.workers' pool, so no other module starts processes itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
POOL = ROOT / "core" / "workers" / "pool.py"
STARTS_PROCESSES = re.compile(
    r"ProcessPoolExecutor|multiprocessing\.Process|\bmp\.Process|\.Process\(|get_context\(|"
    r"set_start_method|os\.fork\(|from multiprocessing import"
)
SOURCES = sorted(p for d in ("core", "dashboard") for p in (ROOT / d).rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_worker_pool_starts_processes(path):
    if path == POOL:
        return
    code = [line for line in path.read_text().splitlines() if not line.lstrip().startswith("#")]
    found = [line.strip() for line in code if STARTS_PROCESSES.search(line)]
    assert not found, f"{path.relative_to(ROOT)} starts processes itself: {found}"


def test_the_check_sees_a_process_pool():
    assert STARTS_PROCESSES.search("pool = ProcessPoolExecutor(2)")
    assert STARTS_PROCESSES.search('ctx = mp.get_context("spawn")')
    assert STARTS_PROCESSES.search("p = ctx.Process(target=f)")
    assert STARTS_PROCESSES.search(POOL.read_text())  # the one place that does
