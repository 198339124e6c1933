"""JupyterLab in headless Chromium: unit 06's initialization explorer renders and redraws when a control changes.

Like ``test_widgets_unit05_activations.py``: a small notebook in a temporary folder
(``browser_helpers.lab_on_notebook``), driven with Playwright. The learner's he_normal is unfinished,
so the yellow note shows. Screenshot: /tmp/viz_browser_unit06.png.
"""

import pytest

from browser_helpers import PLOT, lab_on_notebook, notebook_page, require_chromium, wait_for_new_src

sync_api = pytest.importorskip("playwright.sync_api")
require_chromium()

CELLS = [
    "from nnkit import viz",
    "def he_normal(fan_in, fan_out, rng):\n    raise NotImplementedError  # as in the release",
    "viz.init_explorer({'he': he_normal})",
]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with lab_on_notebook(tmp_path_factory.mktemp("lab06"), CELLS) as url:
        yield url


def test_explorer_renders_and_the_depth_slider_changes_the_picture(lab):
    with notebook_page(sync_api, lab, f"document.querySelectorAll('{PLOT}').length >= 1") as page:
        page.get_by_text("Your initializer for he is not finished yet — showing the reference").wait_for()
        before = page.locator(PLOT).first.get_attribute("src")
        handle = page.locator(".widget-slider .noUi-handle").nth(0)  # 0: depth, 1: width
        handle.focus()
        handle.press("ArrowLeft")
        assert wait_for_new_src(page, PLOT, 0, before) != before
        page.locator(".jp-Cell").nth(len(CELLS) - 1).screenshot(path="/tmp/viz_browser_unit06.png")
