"""The entry point runs the app only as Streamlit's main script, never in a spawned worker."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

# What multiprocessing's spawn start does in every worker the app starts (training, BLEU
# extraction) while Streamlit runs dashboard/app.py as __main__: it first runs that file again
# under the name __mp_main__. Prints whether streamlit got imported on the way.
AS_SPAWNED_WORKER = """
import runpy, sys
runpy.run_path("dashboard/app.py", run_name="__mp_main__")
print("streamlit" in sys.modules, "dashboard.shared.presentation" in sys.modules)
"""


def test_a_spawned_worker_does_not_run_the_app_or_import_streamlit():
    out = subprocess.run(
        [sys.executable, "-c", AS_SPAWNED_WORKER],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert out.stdout.split() == ["False", "False"], out.stderr[-2000:]
