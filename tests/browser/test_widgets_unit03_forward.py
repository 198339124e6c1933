"""JupyterLab in headless Chromium: unit 03's forward-pass explorer renders and its controls redraw it.

As in ``test_widgets_browser.py``: a small notebook of its own in a temporary folder, JupyterLab
started there, driven with Playwright. The learner's ``mlp_forward`` is unfinished, as in the
release, so the widget shows the reference with a yellow note. Screenshots go to /tmp/viz_browser_forward*.png.
"""

import json
import os
import shutil
import subprocess
import sys

import nbformat
import pytest

from browser_helpers import CHROMIUM, CHROMIUM_ARGS, free_port, require_chromium, wait_for_server

sync_api = pytest.importorskip("playwright.sync_api")
require_chromium()

PLOT = ".widget-output img"
TIMEOUT_MS = 30_000
SETTINGS = {  # user settings: no news pop-up, no kernel-choice dialog
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker": {"autoStartDefaultKernel": True},
}
NOTEBOOK_CELLS = [
    "from nnkit import viz",
    "def mlp_forward(X, params, activation='relu', output_activation=None):\n"
    "    raise NotImplementedError  # as in the release\n"
    "viz.forward_explorer(mlp_forward)",
]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a temporary folder holding ``forward.ipynb``; yields its URL."""
    root = tmp_path_factory.mktemp("lab")
    (root / "work").mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in NOTEBOOK_CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "work" / "forward.ipynb")
    for plugin, values in SETTINGS.items():
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


@pytest.fixture(scope="module")
def page(lab):
    """The notebook opened in Chromium and run all, with the explorer rendered."""
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1200})
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"{lab}/lab/tree/forward.ipynb?reset")
        page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]')
        page.wait_for_function("() => window.jupyterapp.shell.currentWidget?.sessionContext"
                               "?.session?.kernel?.status === 'idle'")
        # started, not awaited: awaiting the command can hang (TOOLCHAIN.md)
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        page.wait_for_function(f"document.querySelectorAll('{PLOT}').length >= 1")
        yield page
        browser.close()


def wait_for_new_src(page, old: str) -> str:
    page.wait_for_function(
        "([sel, old]) => { const img = document.querySelector(sel); return img && img.src && img.src !== old; }",
        arg=[PLOT, old])
    return page.locator(PLOT).first.get_attribute("src")


def test_it_renders_the_reference_with_the_fallback_note(page):
    page.get_by_text("Your mlp_forward is not finished yet — showing the reference").wait_for()
    page.get_by_text("2-4-1 network, relu hidden units").wait_for()
    page.locator(".jp-Cell").nth(1).screenshot(path="/tmp/viz_browser_forward.png")


def test_the_width_slider_redraws_the_picture(page):
    before = page.locator(PLOT).first.get_attribute("src")
    handle = page.locator(".widget-slider .noUi-handle").first  # width, then seed
    handle.focus()
    handle.press("ArrowRight")
    assert wait_for_new_src(page, before) != before
    page.get_by_text("2-5-1 network").wait_for()


def test_another_data_set_redraws_the_picture(page):
    before = page.locator(PLOT).first.get_attribute("src")
    page.locator("button.widget-toggle-button:text-is('circles')").click()
    assert wait_for_new_src(page, before) != before
    page.locator(".jp-Cell").nth(1).screenshot(path="/tmp/viz_browser_forward_circles.png")
