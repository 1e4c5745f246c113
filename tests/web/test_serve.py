"""`gongkai serve` really serves: migrations, the login page, the stylesheet and the icon over
HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


def test_serve_migrates_and_answers(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "GONGKAI_SQLITE_PATH": str(tmp_path / "site.sqlite3"),
        "GONGKAI_SECRET_KEY": "test-" + "Qw3rTy8uIo2pAs5dFg7hJk9lZx1cVb" * 2,
    }
    env.pop("DATABASE_URL", None)  # this test is about the command; SQLite keeps it local
    server = subprocess.Popen(
        [sys.executable, "-m", "gongkai.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, kind, body = get(f"http://127.0.0.1:{port}/login/")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(server.stdout.read() if server.stdout else "") from None
                time.sleep(0.2)
        assert status == 200
        assert "登录" in body.decode("utf-8")
        status, kind, _ = get(f"http://127.0.0.1:{port}/static/web/gongkai.css")
        assert (status, kind.split(";")[0]) == (200, "text/css")
        assert 'rel="icon" href="/static/web/icon.svg"' in body.decode("utf-8")
        # Where a browser asks before it has read a page: the same icon, not a 404.
        status, kind, icon = get(f"http://127.0.0.1:{port}/favicon.ico")
        assert (status, kind.split(";")[0]) == (200, "image/svg+xml")
        assert icon.startswith(b"<svg")
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "已完成数据库迁移" in output
    assert "Traceback" not in output
    assert "Not Found" not in output
