"""The one bounded .npz reader: shapes come from each member's .npy header before any data is
read, and nothing larger than expected is ever decompressed.

Every loader (run files, the run store, saved translation models) goes through `read_npz`.
A member is refused, by name, when its header declares an object dtype, a shape other than the
one the caller expects, or a size that would push the total over `max_bytes`. Only then are
exactly the declared bytes read from the decompressing stream, so a few-MB "zip bomb" that
declares gigabytes costs nothing. Pickles are never loaded.
"""

from __future__ import annotations

import math
import zipfile
from collections.abc import Callable
from io import BytesIO

import numpy as np

MAX_BYTES = 512 * 2**20  # default bound on the total decompressed size of one archive
MAX_MEMBERS = 20_000  # arrays per archive
MAX_HEADER = 10_000  # bytes of one .npy header (numpy's own default bound)

Expect = Callable[[str], tuple[int, ...] | None]  # array name -> required shape (None: any)


class NpzError(ValueError):
    """An archive that cannot be read safely; the message names the file and the member."""


def read_npz(
    data: bytes, name: str, *, expect: Expect | None = None, max_bytes: int = MAX_BYTES
) -> dict[str, np.ndarray]:
    """Numeric arrays of an .npz archive's bytes, checked header-first.

    expect(key) returns the shape the array `key` must have (or None for any shape) and may
    raise NpzError to refuse an unexpected name.
    """
    if not data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        raise NpzError(
            f"{name}: not a readable .npz archive (it does not start like the zip file an .npz is)"
        )
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise NpzError(
                    f"{name}: holds {len(members)} arrays, more than the {MAX_MEMBERS} accepted"
                )
            arrays, total = {}, 0
            for info in members:
                key, array, size = _read_member(archive, info, name, expect, max_bytes - total)
                arrays[key] = array
                total += size
            return arrays
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, RuntimeError) as err:
        raise NpzError(
            f"{name}: not a readable .npz archive, truncated or corrupt ({err})"
        ) from err


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, expect: Expect | None, budget: int
) -> tuple[str, np.ndarray, int]:
    if not info.filename.endswith(".npy"):
        raise NpzError(f"{name}: member {info.filename!r} is not a .npy array")
    key = info.filename[:-4]
    where = f"{name}: {key}"
    with archive.open(info) as stream:
        shape, fortran, dtype = _header(stream, where)
        wanted = expect(key) if expect is not None else None
        if wanted is not None and tuple(shape) != tuple(wanted):
            raise NpzError(f"{where} has shape {tuple(shape)}, expected {tuple(wanted)}")
        size = math.prod(shape) * dtype.itemsize
        if size > budget:
            raise NpzError(
                f"{where} declares {_mb(size)} ({tuple(shape)} {dtype}), more than "
                f"the {_mb(max(budget, 0))} left of the archive's size limit"
            )
        raw = stream.read(size)
    if len(raw) != size:
        raise NpzError(f"{where} is truncated: {len(raw)} of {size} bytes")
    array = np.frombuffer(raw, dtype=dtype).reshape(shape, order="F" if fortran else "C")
    return key, array.copy(), size


def _header(stream, where: str) -> tuple[tuple[int, ...], bool, np.dtype]:
    try:
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(
                stream, max_header_size=MAX_HEADER
            )
        elif version in ((2, 0), (3, 0)):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(
                stream, max_header_size=MAX_HEADER
            )
        else:
            raise ValueError(f"unknown .npy version {version}")
    except (ValueError, SyntaxError, EOFError) as err:
        raise NpzError(f"{where} has an unreadable .npy header ({err})") from err
    if dtype.hasobject or dtype.kind not in "biuf":
        raise NpzError(f"{where} holds {dtype} values, not a plain numeric array (refused unread)")
    return shape, fortran, dtype


def _mb(n: int) -> str:
    if n < 2**20:
        return f"{n / 2**10:,.1f} kB"
    return f"{n / 2**20:,.1f} MB" if n < 2**30 else f"{n / 2**30:,.1f} GB"
