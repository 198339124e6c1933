"""JupyterLab in headless Chromium: unit 08's stability explorer renders and redraws when a control changes.

Like ``test_widgets_unit05_activations.py``: a small notebook in a temporary folder
(``browser_helpers.lab_on_notebook``), driven with Playwright. The learner's residual_backward is
unfinished, so the yellow note shows once the net is residual. Screenshot: /tmp/viz_browser_unit08.png.
"""

import pytest

from browser_helpers import PLOT, lab_on_notebook, notebook_page, require_chromium, wait_for_new_src

sync_api = pytest.importorskip("playwright.sync_api")
require_chromium()

CELLS = [
    "from nnkit import viz\nfrom nnkit.stability import residual_forward",
    "def residual_backward(dY, X, W, b):\n    raise NotImplementedError  # as in the release",
    "viz.stability_explorer({'residual_forward': residual_forward, 'residual_backward': residual_backward})",
]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with lab_on_notebook(tmp_path_factory.mktemp("lab08"), CELLS) as url:
        yield url


def test_explorer_renders_and_the_residual_toggle_and_a_slider_change_the_picture(lab):
    with notebook_page(sync_api, lab, f"document.querySelectorAll('{PLOT}').length >= 1") as page:
        before = page.locator(PLOT).first.get_attribute("src")
        page.get_by_role("button", name="residual").click()
        page.get_by_text("Your residual_backward is not finished yet — showing the reference").wait_for()
        after = wait_for_new_src(page, PLOT, 0, before)
        assert after != before
        handle = page.locator(".widget-slider .noUi-handle").first  # depth
        handle.focus()
        handle.press("ArrowLeft")
        assert wait_for_new_src(page, PLOT, 0, after) != after
        page.locator(".jp-Cell").nth(len(CELLS) - 1).screenshot(path="/tmp/viz_browser_unit08.png")
