"""JupyterLab in headless Chromium: unit 07's optimizer race renders and redraws when a control changes.

Like ``test_widgets_browser.py``: a small notebook in a temporary folder (``browser_helpers.lab_on_notebook``),
driven with Playwright. The learner's adam_step is unfinished, so the yellow note shows.
Screenshot: /tmp/viz_browser_unit07.png.
"""

import pytest

from browser_helpers import PLOT, lab_on_notebook, notebook_page, require_chromium, wait_for_new_src

sync_api = pytest.importorskip("playwright.sync_api")
require_chromium()

CELLS = [
    "from nnkit import viz, optim",
    "def adam_step(p, g, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):\n    raise NotImplementedError  # as in the release",
    "viz.optimizer_race(optim.momentum_update, adam_step)",
]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with lab_on_notebook(tmp_path_factory.mktemp("lab07"), CELLS) as url:
        yield url


def test_race_renders_and_the_step_slider_changes_the_picture(lab):
    with notebook_page(sync_api, lab, f"document.querySelectorAll('{PLOT}').length >= 1") as page:
        page.get_by_text("Your adam_step is not finished yet — showing the reference").wait_for()
        before = page.locator(PLOT).first.get_attribute("src")
        handle = page.locator(".widget-slider .noUi-handle").last  # the step slider
        handle.focus()
        for _ in range(40):
            handle.press("ArrowLeft")
        assert wait_for_new_src(page, PLOT, 0, before) != before
        page.locator(".jp-Cell").nth(len(CELLS) - 1).screenshot(path="/tmp/viz_browser_unit07.png")
