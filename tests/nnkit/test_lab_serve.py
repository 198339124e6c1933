"""``nnkit.lab.serve`` (make lab, make demo, make present): stopping the launcher stops its server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_sigterm_to_the_launcher_reaches_the_server(tmp_path):
    pidfile = tmp_path / "server.pid"
    server = f"import os, time; open({str(pidfile)!r}, 'w').write(str(os.getpid())); time.sleep(120)"
    launcher = subprocess.Popen([sys.executable, "-c", "import os, sys; from nnkit.lab import serve; "
                                 f"sys.exit(serve([sys.executable, '-c', {server!r}], dict(os.environ)))"])
    try:
        assert _wait_for(lambda: pidfile.exists() and pidfile.read_text(), 30), "the server did not start"
        pid = int(pidfile.read_text())
        launcher.send_signal(signal.SIGTERM)
        launcher.wait(timeout=30)
        assert _wait_for(lambda: not _alive(pid), 10), "the server outlived its launcher"
    finally:
        launcher.kill()
        if pidfile.exists() and pidfile.read_text() and _alive(int(pidfile.read_text())):
            os.kill(int(pidfile.read_text()), signal.SIGKILL)
