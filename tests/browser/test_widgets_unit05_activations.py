"""JupyterLab in headless Chromium: unit 05's activation explorer renders and redraws when a control changes.

Like ``test_widgets_browser.py``: a small notebook in a temporary folder, JupyterLab started
there, driven with Playwright. The learner's sigmoid is unfinished, so the yellow note shows.
Screenshot: /tmp/viz_browser_unit05.png.
"""

import pytest
import test_widgets_browser as shared
from test_widgets_browser import PLOT, TIMEOUT_MS, lab  # noqa: F401  (the server fixture, fed CELLS below)

from browser_helpers import CHROMIUM, CHROMIUM_ARGS, require_chromium

sync_api = pytest.importorskip("playwright.sync_api")
require_chromium()

CELLS = [
    "from nnkit import viz",
    "def sigmoid(z):\n    raise NotImplementedError  # as in the release",
    "viz.activation_explorer({'sigmoid': sigmoid})",
]


@pytest.fixture(scope="module", autouse=True)
def cells():
    """The shared ``lab`` fixture writes ``NOTEBOOK_CELLS``: this module's cells while it runs."""
    saved, shared.NOTEBOOK_CELLS = shared.NOTEBOOK_CELLS, CELLS
    yield
    shared.NOTEBOOK_CELLS = saved


def test_explorer_renders_and_a_slider_changes_the_picture(lab):
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"{lab}/lab/tree/widgets.ipynb?reset")
        page.wait_for_function("() => window.jupyterapp.shell.currentWidget?.sessionContext"
                               "?.session?.kernel?.status === 'idle'")
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        page.wait_for_function(f"document.querySelectorAll('{PLOT}').length >= 1")
        page.get_by_text("Your sigmoid is not finished yet — showing the reference").wait_for()
        before = page.locator(PLOT).first.get_attribute("src")
        handle = page.locator(".widget-slider .noUi-handle").nth(1)  # 0: layers L, 1: mean of z
        handle.focus()
        handle.press("ArrowRight")
        page.wait_for_function("([sel, old]) => { const img = document.querySelector(sel);"
                               " return img && img.src && img.src !== old; }", arg=[PLOT, before])
        page.locator(".jp-Cell").nth(len(CELLS) - 1).screenshot(path="/tmp/viz_browser_unit05.png")
        browser.close()
