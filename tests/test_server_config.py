"""Server settings in .streamlit/config.toml, as Streamlit itself reads them from the root."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from tests.conftest import REPO

READ_OPTION = "import sys; from streamlit import config; print(config.get_option(sys.argv[1]))"


def option(name: str) -> str:
    """The option's value as `streamlit run` from the repository root would see it."""
    out = subprocess.run(
        [sys.executable, "-c", READ_OPTION, name],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return out.stdout.split()[-1]


def test_no_full_garbage_collection_is_forced_after_each_script_run():
    # Streamlit's default (True) costs every run, and every fragment poll, about 0.1 s here
    assert option("runner.postScriptGC") == "False"


def test_the_settings_file_is_the_one_read():
    settings = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert option("server.maxUploadSize") == str(settings["server"]["maxUploadSize"])
