"""JupyterLab in headless Chromium: unit 09's regularization explorer renders and redraws when a slider moves.

Like ``test_widgets_unit05_activations.py``: a small notebook in a temporary folder
(``browser_helpers.lab_on_notebook``), driven with Playwright. The learner's dropout_forward is
unfinished, so the yellow note shows. Screenshot: /tmp/viz_browser_unit09.png.
"""

import pytest

from browser_helpers import PLOT, lab_on_notebook, notebook_page, require_chromium, wait_for_new_src

sync_api = pytest.importorskip("playwright.sync_api")
require_chromium()

CELLS = [
    "from nnkit import viz",
    "def dropout_forward(A, p, rng, train=True):\n    raise NotImplementedError  # as in the release",
    "viz.regularization_explorer({'dropout_forward': dropout_forward})",
]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with lab_on_notebook(tmp_path_factory.mktemp("lab09"), CELLS) as url:
        yield url


def test_explorer_renders_and_each_slider_changes_the_picture(lab):
    with notebook_page(sync_api, lab, f"document.querySelectorAll('{PLOT}').length >= 1") as page:
        page.get_by_text("Your dropout_forward is not finished yet — training with nnkit's").wait_for()
        for slider in (0, 1):  # 0: lambda, 1: dropout p
            before = page.locator(PLOT).first.get_attribute("src")
            handle = page.locator(".widget-slider .noUi-handle").nth(slider)
            handle.focus()
            handle.press("ArrowRight")
            assert wait_for_new_src(page, PLOT, 0, before) != before
        page.locator(".jp-Cell").nth(len(CELLS) - 1).screenshot(path="/tmp/viz_browser_unit09.png")
