"""The README's cluster recipe, run as written: its `dask scheduler` and `dask worker` commands
start a real scheduler and two workers from the repository root, its `python -m core.sweep run`
line trains a sweep on them, and the runs are the same as the local pool's.

The commands are read from the README's code block, so the test follows the README. What the
test changes, and why: the address (a free port on this machine instead of HOST:8786, the
scheduler's default port), one worker process per `dask worker` (two "machines" of one worker
each on a small test machine), no scheduler dashboard, and its own grid file and run store.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.runs import stored
from core.store.run_store import STORE_ENV, RunStore
from core.sweep.grid import load_grid
from core.sweep.results import results_table
from core.workers.choose import SCHEDULER_ENV

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
README_ADDRESS = "tcp://HOST:8786"
BASH = shutil.which("bash") or "/bin/bash"
WORKERS = 2
GRID = """\
[base]
task = "recall"
steps = 12
hidden = 4
val_size = 16
eval_every = 4
checkpoints = 2
[grid]
model = ["rnn", "gru"]
length = [3, 5]
seed = [0]
"""


def recipe() -> dict[str, str]:
    """The README's cluster block by role (install, scheduler, worker, sweep): one shell command
    each, its continuation lines joined and its comment dropped."""
    text = README.read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```bash\n(.*?)```", text, re.S) if "dask scheduler" in b]
    assert len(blocks) == 1, "README: expected one bash block with the `dask scheduler` command"
    lines = [
        re.sub(r"\s+#.*$", "", line).strip() for line in blocks[0].replace("\\\n", " ").split("\n")
    ]
    roles = {
        "install": r"\bpip install\b",
        "scheduler": r"\bdask scheduler\b",
        "worker": r"\bdask worker\b",
        "sweep": r"-m core\.sweep run\b",
    }
    commands = {}
    for role, pattern in roles.items():
        found = [line for line in lines if re.search(pattern, line)]
        assert len(found) == 1, (
            f"README's cluster block: expected one `{pattern}` line, got {found}"
        )
        commands[role] = found[0]
    return commands


def requirement_lines(path: Path) -> list[str]:
    """A requirements file's lines, its `-r` includes expanded (comments dropped)."""
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("-r "):
            out += requirement_lines(path.parent / line[3:].strip())
        elif line:
            out.append(line)
    return out


def test_the_recipes_install_line_installs_gatescope_itself():
    install = recipe()["install"]
    (name,) = re.findall(r"-r\s+(\S+)", install)
    lines = requirement_lines(REPO / name)
    assert "-e ." in lines, f"{name} does not install the package (-e .)"
    assert any(line.startswith("dask[distributed]") for line in lines)
    assert "PYTHONPATH" not in " ".join(recipe().values())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def recipe_env(store: Path) -> dict[str, str]:
    """This interpreter's environment as an activated venv gives it: its `dask` and `python`
    first on PATH, no PYTHONPATH (the package must be installed), no scheduler setting."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", SCHEDULER_ENV}}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env[STORE_ENV] = str(store)
    return env


@contextlib.contextmanager
def started(command: str, env: dict, log: Path):
    """A README command in its own process group, ended (the whole group) however we leave."""
    with log.open("w") as out:
        proc = subprocess.Popen(
            [BASH, "-c", command],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield proc
    finally:
        stop_group(proc)


def stop_group(proc: subprocess.Popen) -> None:
    """SIGTERM to the command's process group (the CLI, its nannies and workers), then SIGKILL
    to whatever is left of it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=20)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def wait_for_workers(distributed, address: str, procs: dict, logs: dict, timeout=90.0):
    """Until the scheduler lists WORKERS workers; a process that exits fails with its log."""
    deadline = time.monotonic() + timeout
    client = None
    try:
        while time.monotonic() < deadline:
            for name, proc in procs.items():
                assert proc.poll() is None, f"{name} exited:\n{logs[name].read_text()[-3000:]}"
            if client is None:
                with contextlib.suppress(OSError, TimeoutError):
                    client = distributed.Client(address, timeout="2s", set_as_default=False)
            if client is not None and len(client.nthreads()) >= WORKERS:
                return
            time.sleep(0.2)
        pytest.fail(f"no {WORKERS} workers at {address} in {timeout:.0f} s")
    finally:
        if client is not None:
            client.close()


def sweep(command: str, env: dict) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [BASH, "-c", command],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done


def assert_same_runs(grid, a: RunStore, b: RunStore) -> None:
    ta, tb = results_table(grid, a), results_table(grid, b)
    assert (ta["status"] == "done").all() and len(ta) == 4
    pd.testing.assert_frame_equal(ta.drop(columns="seconds"), tb.drop(columns="seconds"))
    for h in ta["config_hash"]:
        ra, rb = stored.load_run(a, a.find(h).id), stored.load_run(b, b.find(h).id)
        for name, model in ra.models.items():
            for key, value in model.params.items():
                np.testing.assert_array_equal(rb.models[name].params[key], value)


@pytest.mark.slow  # a real scheduler and two workers: about 15-30 s
def test_the_readme_recipe_trains_a_sweep_on_a_real_cluster_as_the_local_pool_does(tmp_path):
    distributed = pytest.importorskip("distributed", reason="Dask is in requirements-cluster.txt")
    pytest.importorskip("dask", reason="Dask is in requirements-cluster.txt")
    env = recipe_env(tmp_path / "cluster-store")
    installed = subprocess.run(
        [sys.executable, "-c", "import core, dashboard"], cwd=tmp_path, env=env, check=False
    )
    assert installed.returncode == 0, (
        f"Gatescope is not installed in {sys.prefix}: the README's `pip install -r "
        "requirements-cluster.txt` installs it, and without it the scheduler cannot unpickle runs"
    )
    (tmp_path / "grid.toml").write_text(GRID, encoding="utf-8")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    commands = {k: c.replace(README_ADDRESS, address) for k, c in recipe().items()}
    scheduler = f"{commands['scheduler']} --host 127.0.0.1 --port {port} --no-dashboard"
    worker = re.sub(r"--nworkers \S+", "--nworkers 1", commands["worker"])
    run = commands["sweep"].replace("grid.toml", str(tmp_path / "grid.toml"))
    logs = {name: tmp_path / f"{name}.log" for name in ("scheduler", "worker 1", "worker 2")}
    with contextlib.ExitStack() as stack:
        procs = {"scheduler": stack.enter_context(started(scheduler, env, logs["scheduler"]))}
        for name in ("worker 1", "worker 2"):
            procs[name] = stack.enter_context(started(worker, env, logs[name]))
        wait_for_workers(distributed, address, procs, logs)
        on_cluster = sweep(run, env)
    assert f"on {address}" in on_cluster.stderr and "trained 4, failed 0" in on_cluster.stdout
    local = re.sub(r"\s--scheduler\s+\S+", "", run) + f" --workers {WORKERS}"
    on_pool = sweep(local, recipe_env(tmp_path / "local-store"))
    assert "on local workers" in on_pool.stderr
    grid = load_grid(tmp_path / "grid.toml")
    assert_same_runs(grid, RunStore(tmp_path / "cluster-store"), RunStore(tmp_path / "local-store"))
