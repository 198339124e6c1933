"""JupyterLab in headless Chromium: unit 05's activation explorer renders and redraws when a control changes.

Like ``test_widgets_browser.py``: a small notebook in a temporary folder (``browser_helpers.widget_lab``),
driven with Playwright. The learner's sigmoid is unfinished, so the yellow note shows.
Screenshot: /tmp/viz_browser_unit05.png.
"""

import pytest

from browser_helpers import CHROMIUM, CHROMIUM_ARGS, WIDGET_PLOT, require_chromium, run_all, widget_lab

sync_api = pytest.importorskip("playwright.sync_api")
require_chromium()

TIMEOUT_MS = 30_000
CELLS = [
    "from nnkit import viz",
    "def sigmoid(z):\n    raise NotImplementedError  # as in the release",
    "viz.activation_explorer({'sigmoid': sigmoid})",
]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with widget_lab(tmp_path_factory.mktemp("lab05"), CELLS) as url:
        yield url


def test_explorer_renders_and_a_slider_changes_the_picture(lab):
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        page.set_default_timeout(TIMEOUT_MS)
        run_all(page, lab, plots=1)
        page.get_by_text("Your sigmoid is not finished yet — showing the reference").wait_for()
        before = page.locator(WIDGET_PLOT).first.get_attribute("src")
        handle = page.locator(".widget-slider .noUi-handle").nth(1)  # 0: layers L, 1: mean of z
        handle.focus()
        handle.press("ArrowRight")
        page.wait_for_function("([sel, old]) => { const img = document.querySelector(sel);"
                               " return img && img.src && img.src !== old; }", arg=[WIDGET_PLOT, before])
        page.locator(".jp-Cell").nth(len(CELLS) - 1).screenshot(path="/tmp/viz_browser_unit05.png")
        browser.close()
