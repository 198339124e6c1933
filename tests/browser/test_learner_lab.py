"""``make lab`` (``python -m nnkit.lab``) in Chromium: a course notebook opens, and nbgrader's
instructor tools are not there (no nbgrader menu or sidebar, no formgrader page)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from browser_helpers import CHROMIUM, CHROMIUM_ARGS, free_port, require_chromium, wait_for_server

sync_api = pytest.importorskip("playwright.sync_api")
require_chromium()
REPO = Path(__file__).resolve().parents[2]
KERNEL_IDLE = ("() => { const w = window.jupyterapp.shell.currentWidget; const s = w && w.sessionContext;"
               " return !!(s && s.session && s.session.kernel && s.session.kernel.status === 'idle'); }")


@pytest.fixture(scope="module")
def learner_lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("learner")
    shutil.copytree(REPO / "course", root / "course")  # autosave must not touch the tracked release
    tracker = root / "settings" / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text(json.dumps({"autoStartDefaultKernel": True}))
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(root / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(root / "workspaces")}
    port, log = free_port(), root / "server.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "nnkit.lab", "--no-browser", f"--port={port}", "--dir", str(root / "course"),
         "--allow-root", "--ServerApp.port_retries=0", "--IdentityProvider.token=", "--ServerApp.password=",
         "--LabApp.expose_app_in_browser=True"],
        cwd=REPO, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_for_server(url, server, log)
    yield url
    server.terminate()
    server.wait(timeout=30)


def test_the_formgrader_page_is_not_served(learner_lab):
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{learner_lab}/formgrader")
    assert missing.value.code == 404


def test_a_course_notebook_opens_without_nbgraders_instructor_tools(learner_lab):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.goto(f"{learner_lab}/lab/tree/01_perceptron/01_perceptron.ipynb?reset")
        page.wait_for_function(KERNEL_IDLE, timeout=60_000)
        menus = page.evaluate("() => Array.from(document.querySelectorAll('.lm-MenuBar-itemLabel'), e => e.textContent)")
        sidebar = page.evaluate("() => Array.from(document.querySelectorAll('.lm-TabBar-tab'), e => e.title || e.textContent)")
        plugins = page.evaluate("() => window.jupyterapp.hasPlugin('@jupyter/nbgrader:create-assignment')")
        page.screenshot(path="/tmp/learner_lab.png")
        browser.close()
    assert "File" in menus and not any("nbgrader" in m.lower() for m in menus), menus
    assert not any("assignment" in t.lower() for t in sidebar), sidebar
    assert plugins is False


def test_course_notebooks_open_unmodified(learner_lab):
    """No edit, kernel started and idle, a few seconds later: JupyterLab must not call the notebook modified."""
    notebooks = sorted(p.relative_to(REPO / "course").as_posix() for p in (REPO / "course").glob("*/*.ipynb"))
    dirty = {}
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        for notebook in notebooks:
            page.goto(f"{learner_lab}/lab/tree/{notebook}?reset")
            page.wait_for_function(KERNEL_IDLE, timeout=60_000)
            page.wait_for_timeout(3000)  # JupyterLab writes the kernel's info into the model after it starts
            dirty[notebook] = page.evaluate("() => window.jupyterapp.shell.currentWidget.context.model.dirty")
        browser.close()
    assert notebooks and not any(dirty.values()), dirty
