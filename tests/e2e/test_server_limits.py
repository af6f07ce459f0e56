"""The running server, not only the page, enforces the upload cap and XSRF protection: a client
that skips the browser's own size check gets 413, and an upload without the session's XSRF token
gets 403, while the same request within the rules is accepted."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.e2e.ui import open_app, uploader, wait_idle

pytestmark = pytest.mark.e2e

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"
_PUT = """async ([url, token, size]) => {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(size)]), 'direct.txt');
  const r = await fetch(url, {method: 'PUT', body: form, headers: {'X-Xsrftoken': token}});
  return r.status; }"""


def test_server_refuses_uploads_beyond_the_cap_or_without_xsrf_token(page, app_url, tmp_path):
    cap_mb = tomllib.loads(CONFIG.read_text())["server"]["maxUploadSize"]
    uploads = []
    page.on("request", lambda r: uploads.append(r) if "/_stcore/upload_file/" in r.url else None)
    open_app(page, app_url, "bleu")
    small = tmp_path / "small.txt"
    small.write_text("one small line\n", encoding="utf-8")
    uploader(page, "Reference file").set_input_files(str(small))
    page.wait_for_timeout(500)
    wait_idle(page)
    assert uploads, "the browser sent no upload request"
    url, token = uploads[0].url, uploads[0].headers["x-xsrftoken"]  # this session's own
    assert page.evaluate(_PUT, [url, token, 1000]) in (200, 204)  # within the rules: accepted
    assert page.evaluate(_PUT, [url, token, (cap_mb + 1) * 1024 * 1024]) == 413
    assert page.evaluate(_PUT, [url, "not-the-token", 1000]) == 403
