"""Background work yields the CPU: training and sweep workers run at a lower scheduling priority
than the process that serves people (the Streamlit server, a browser, a shell), so pages stay
responsive while a model trains on the same cores. Throughput alone is unchanged: a niced
process still gets every idle cycle."""

from __future__ import annotations

import contextlib
import os

BACKGROUND_NICENESS = 10  # added to the worker's nice value (Unix: 0 normal ... 19 lowest)


def run_in_background() -> None:
    """Lower this process's priority by BACKGROUND_NICENESS (no-op where os.nice is missing)."""
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):  # not permitted here: keep the priority we have
            os.nice(BACKGROUND_NICENESS)
