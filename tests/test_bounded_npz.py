"""The bounded .npz reader and the run-file limits: a decompression bomb and a config claiming a
million hidden units are refused by name, inside a child process limited to 3 GB of address
space (where reading either in full would end in MemoryError)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
import zipfile

import numpy as np
import pytest

from core.bounded_npz import NpzError, read_npz
from core.runs.run_files import RunFileError, run_from_bytes, run_to_bytes
from core.train.config import RunConfig
from core.train.loop import train
from tests.conftest import REPO

GB = 2**30


def bomb(key: str, shape: tuple[int, ...], payload_mb: int = 40) -> bytes:
    """An .npz whose member `key` declares `shape` float64 but holds payload_mb of zeros,
    deflated to a few hundred kB."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": shape}
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{key}.npy", header.getvalue() + bytes(payload_mb * 2**20))
    return buf.getvalue()


@pytest.fixture(scope="module")
def saved():
    return run_to_bytes(
        train(RunConfig(length=5, hidden=4, steps=4, val_size=16, eval_every=2, checkpoints=2))
    )


def test_reader_returns_the_arrays_numpy_wrote():
    arrays = {
        "a/final/W": np.arange(12, dtype=np.float32).reshape(3, 4),
        "b": np.asfortranarray(np.arange(6.0).reshape(2, 3)),
        "c": np.int64(7),
    }
    for save in (np.savez, np.savez_compressed):
        buf = io.BytesIO()
        save(buf, **arrays)
        got = read_npz(buf.getvalue(), "x.npz")
        assert set(got) == set(arrays)
        for k, v in arrays.items():
            np.testing.assert_array_equal(got[k], v)
            assert got[k].dtype == v.dtype


def test_shape_is_refused_from_the_header_before_the_data():
    data = bomb("m/final/U", (30_000, 30_000), payload_mb=1)
    with pytest.raises(
        NpzError,
        match=r"x.npz: m/final/U has shape \(30000, 30000\), "
        r"expected \(4, 12\)",
    ):
        read_npz(data, "x.npz", expect=lambda key: (4, 12))


def test_total_size_bound_names_the_member():
    data = bomb("big", (1000, 1000), payload_mb=1)  # 8 MB declared
    with pytest.raises(NpzError, match=r"x.npz: big declares 7.6 MB"):
        read_npz(data, "x.npz", max_bytes=2**20)


def test_object_arrays_are_refused_unread():
    buf = io.BytesIO()
    np.savez(buf, p=np.array([{"a": 1}], dtype=object))
    with pytest.raises(NpzError, match="x.npz: p holds object values"):
        read_npz(buf.getvalue(), "x.npz")


def test_truncated_member_is_reported():
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (100,)}
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("short.npy", header.getvalue() + bytes(80))
    with pytest.raises(NpzError, match="short is truncated: 80 of 800 bytes"):
        read_npz(buf.getvalue(), "x.npz")


CHILD = textwrap.dedent("""
    import json, resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))
    from core.runs.run_files import RunFileError, run_from_bytes
    json_bytes, npz_path, unbounded = open(sys.argv[1], "rb").read(), sys.argv[2], sys.argv[3]
    npz = open(npz_path, "rb").read() if npz_path != "-" else None
    out = {}
    try:
        run_from_bytes(json_bytes, npz, json_name="up.run.json", npz_name="up.run.npz")
        out["result"] = "loaded"
    except RunFileError as err:
        out["result"], out["message"] = "refused", str(err)
    except MemoryError:
        out["result"] = "MemoryError"
    if unbounded == "1":        # what reading the archive in full does under the same limit
        import io, numpy as np
        try:
            with np.load(io.BytesIO(npz), allow_pickle=False) as z:
                [z[k] for k in z.files]
            out["unbounded"] = "read"
        except MemoryError:
            out["unbounded"] = "MemoryError"
    print(json.dumps(out))
""")


def _in_limited_child(tmp_path, json_bytes: bytes, npz: bytes | None, unbounded: bool) -> dict:
    (tmp_path / "up.run.json").write_bytes(json_bytes)
    npz_arg = "-"
    if npz is not None:
        (tmp_path / "up.run.npz").write_bytes(npz)
        npz_arg = str(tmp_path / "up.run.npz")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            str(tmp_path / "up.run.json"),
            npz_arg,
            "1" if unbounded else "0",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS is enforced on Linux")
def test_decompression_bomb_is_refused_by_name_under_3_gb(tmp_path, saved):
    json_bytes, _ = saved
    data = bomb("gru/final/W", (30_000, 30_000))  # declares 6.7 GB
    assert len(data) < 5 * 2**20
    out = _in_limited_child(tmp_path, json_bytes, data, unbounded=True)
    assert out["unbounded"] == "MemoryError"  # the old loader's fate
    assert out["result"] == "refused", out
    assert "up.run.npz: gru/final/W has shape (30000, 30000), expected (16, 12)" in out["message"]


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS is enforced on Linux")
def test_bomb_under_an_unknown_name_is_refused_by_size_under_3_gb(tmp_path, saved):
    json_bytes, _ = saved
    out = _in_limited_child(
        tmp_path, json_bytes, bomb("gru/final/Q", (30_000, 30_000)), unbounded=False
    )
    assert out["result"] == "refused", out
    assert "up.run.npz: gru/final/Q declares 6.7 GB ((30000, 30000) float64)" in out["message"]


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS is enforced on Linux")
def test_a_million_hidden_units_are_refused_before_building(tmp_path, saved):
    json_bytes, npz = saved
    doc = json.loads(json_bytes)
    doc["config"]["hidden"] = 1_000_000
    out = _in_limited_child(tmp_path, json.dumps(doc).encode(), npz, unbounded=False)
    assert out["result"] == "refused", out
    assert "up.run.json: config is not usable" in out["message"]
    assert "hidden must be a whole number from 1 to 256; got 1000000." in out["message"]


def test_size_within_limits_but_over_the_run_budget_is_refused(saved):
    json_bytes, _ = saved
    data = bomb("gru/final/U", (4, 12), payload_mb=0)  # right shape, truncated data
    with pytest.raises(RunFileError, match="truncated"):
        run_from_bytes(json_bytes, data, npz_name="w.npz")
