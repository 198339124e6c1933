"""What the browser tests share: Debian's Chromium with the flags that work here, a free port, a server to wait for,
and a JupyterLab serving a small widget notebook that a page opens and runs."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
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


def wait_for_server(url: str, server: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    """Until ``url/api/status`` answers; fails the test with the server's log if it exits or times out."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status", timeout=1)
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the server did not start:\n" + log.read_text()[-3000:])
            time.sleep(0.2)


WIDGET_PLOT = ".widget-output img"
LAB_SETTINGS = {  # user settings: no news pop-up, no kernel-choice dialog
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker": {"autoStartDefaultKernel": True},
}


@contextlib.contextmanager
def widget_lab(root: Path, cells: list[str]):
    """JupyterLab on ``root/work`` holding ``widgets.ipynb`` made of ``cells``; yields its URL.

    The notebook is written into a temporary folder: JupyterLab's autosave would rewrite a tracked file.
    """
    import nbformat

    (root / "work").mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "work" / "widgets.ipynb")
    for plugin, values in LAB_SETTINGS.items():
        path = root / "settings" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(root / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(root / "workspaces"), "MPLBACKEND": "Agg"}
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip", "127.0.0.1",
         "--port", str(port), "--ServerApp.port_retries=0", "--IdentityProvider.token=",
         "--ServerApp.password=", "--LabApp.expose_app_in_browser=True", f"--notebook-dir={root / 'work'}"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=(root / "server.log").open("w"))
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(url, server, root / "server.log", seconds=30)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(root, ignore_errors=True)


def run_all(page, url: str, plots: int) -> None:
    """Open ``widgets.ipynb`` of ``url`` in ``page``, run all cells and wait for ``plots`` widget pictures."""
    page.goto(f"{url}/lab/tree/widgets.ipynb?reset")
    page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]')
    # the indicator says idle before the kernel exists: wait for the kernel itself
    page.wait_for_function("() => window.jupyterapp.shell.currentWidget?.sessionContext"
                           "?.session?.kernel?.status === 'idle'")
    # started, not awaited: awaiting the command can hang (TOOLCHAIN.md)
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    page.wait_for_function(f"document.querySelectorAll('{WIDGET_PLOT}').length >= {plots}")
