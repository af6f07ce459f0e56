"""cluster/dask.yaml: the Dask settings the README gives machines that run training workers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

dask = pytest.importorskip("dask", reason="Dask is a dev requirement (requirements-dev.txt)")
pytest.importorskip("distributed", reason="Dask distributed is a dev requirement")
yaml = pytest.importorskip("yaml", reason="PyYAML comes with Dask")

SETTINGS = Path(__file__).resolve().parents[1] / "cluster" / "dask.yaml"


def dotted(tree: dict, prefix: str = "") -> dict[str, object]:
    """{"a": {"b": 1}} -> {"a.b": 1}"""
    out: dict[str, object] = {}
    for key, value in tree.items():
        name = f"{prefix}.{key}" if prefix else key
        out.update(dotted(value, name) if isinstance(value, dict) else {name: value})
    return out


def test_every_setting_names_an_existing_dask_setting_and_changes_it():
    import distributed  # noqa: F401  (loads distributed's defaults into dask.config)

    settings = dotted(yaml.safe_load(SETTINGS.read_text()))
    assert settings
    for key, value in settings.items():
        default = dask.config.get(key)  # KeyError: a misspelt key would change nothing
        assert value != default, key


def test_a_worker_started_as_the_readme_says_reads_them():
    """DASK_CONFIG=cluster/dask.yaml, as in the README's `dask worker` line."""
    settings = dotted(yaml.safe_load(SETTINGS.read_text()))
    code = (
        "import json, dask, distributed\n"
        f"print(json.dumps([dask.config.get(k) for k in {list(settings)!r}]))"
    )
    env = {**os.environ, "DASK_CONFIG": str(SETTINGS)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == list(settings.values())
