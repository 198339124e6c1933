"""What the browser tests share: Debian's Chromium with the flags that work here, a free port, a server to wait for."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_server(url: str, server: subprocess.Popen, log: Path, seconds: float = 60,
                    probe: str = "/api/status") -> None:
    """Until ``url + probe`` answers; fails the test with the server's log if it exits or times out."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url + probe, timeout=1)
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the server did not start:\n" + log.read_text()[-3000:])
            time.sleep(0.2)
