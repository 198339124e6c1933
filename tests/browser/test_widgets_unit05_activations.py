"""JupyterLab in headless Chromium: unit 05's activation explorer renders and redraws when a control changes.

Like ``test_widgets_browser.py``: a small notebook in a temporary folder (``browser_helpers.lab_on_notebook``),
driven with Playwright. The learner's sigmoid is unfinished, so the yellow note shows.
Screenshot: /tmp/viz_browser_unit05.png.
"""

import pytest

from browser_helpers import PLOT, lab_on_notebook, notebook_page, require_chromium, wait_for_new_src

sync_api = pytest.importorskip("playwright.sync_api")
require_chromium()

CELLS = [
    "from nnkit import viz",
    "def sigmoid(z):\n    raise NotImplementedError  # as in the release",
    "viz.activation_explorer({'sigmoid': sigmoid})",
]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with lab_on_notebook(tmp_path_factory.mktemp("lab05"), CELLS) as url:
        yield url


def test_explorer_renders_and_a_slider_changes_the_picture(lab):
    with notebook_page(sync_api, lab, f"document.querySelectorAll('{PLOT}').length >= 1") as page:
        page.get_by_text("Your sigmoid is not finished yet — showing the reference").wait_for()
        before = page.locator(PLOT).first.get_attribute("src")
        handle = page.locator(".widget-slider .noUi-handle").nth(1)  # 0: layers L, 1: mean of z
        handle.focus()
        handle.press("ArrowRight")
        assert wait_for_new_src(page, PLOT, 0, before) != before
        page.locator(".jp-Cell").nth(len(CELLS) - 1).screenshot(path="/tmp/viz_browser_unit05.png")
