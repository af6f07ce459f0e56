"""Shared fixtures. Real MT data with known scores lives beside the repository, not in it.

Streamlit is imported first, as in the app: importing it sets plotly's default template to its
own, and the dashboard's chart style, imported after it, sets the house template over that."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import streamlit  # noqa: F401

REPO = Path(__file__).resolve().parents[1]


def anchors_root() -> Path:
    """`$GATESCOPE_ANCHORS`, else `../shared/anchors/data` next to the repository."""
    env = os.environ.get("GATESCOPE_ANCHORS")
    return Path(env) if env else REPO.parent / "shared" / "anchors" / "data"


def _anchor(name: str) -> Path:
    path = anchors_root() / name
    if not path.is_dir():
        pytest.skip(
            f"anchor data {name!r} not found at {path}: set GATESCOPE_ANCHORS to the folder "
            "holding compare-mt-example/ and sacrebleu-tests/ to run this test"
        )
    return path


@pytest.fixture(autouse=True)
def no_warm_up(monkeypatch):
    """No background warming of the default run's analyses (dashboard.session.warm_up): a thread
    computing between tests would interleave with tests that count computations. Its own test
    turns it back on."""
    monkeypatch.setenv("GATESCOPE_WARM_UP", "0")


@pytest.fixture(scope="session")
def ted_dir() -> Path:
    """compare-mt's TED Slovak-English example (reference, two systems, expected values)."""
    return _anchor("compare-mt-example")


@pytest.fixture(scope="session")
def sacrebleu_tests_dir() -> Path:
    """sacrebleu's own test vectors and the WMT17 en-de subset."""
    return _anchor("sacrebleu-tests")


@pytest.fixture(scope="session")
def enja_dir() -> Path:
    """small_parallel_enja: 50,000 Japanese-English pairs with dev and test sets."""
    return _anchor("small-parallel-enja")


@pytest.fixture(autouse=True)
def run_store(tmp_path_factory, monkeypatch) -> Path:
    """Every test gets its own empty run store (GATESCOPE_STORE), never ./gatescope-runs."""
    folder = tmp_path_factory.mktemp("store")
    monkeypatch.setenv("GATESCOPE_STORE", str(folder))
    return folder


@pytest.fixture
def fast(monkeypatch):
    """A short default experiment (GATESCOPE_FAST_DEFAULT=1), so a page test boots in a second."""
    monkeypatch.setenv("GATESCOPE_FAST_DEFAULT", "1")


@pytest.fixture
def fresh_caches():
    """Empty Streamlit caches before and after: st.cache_data, and st.cache_resource (the BLEU
    page's reports and its shared store of extracted statistics)."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
