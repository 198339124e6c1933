"""JupyterLab in headless Chromium: unit 03's forward-pass explorer renders and its controls redraw it.

A small notebook of its own in a temporary folder, JupyterLab started there, driven with
Playwright (``browser_helpers``). The learner's ``mlp_forward`` is unfinished, as in the
release, so the widget shows the reference with a yellow note. Screenshots go to /tmp/viz_browser_forward*.png.
"""

import pytest

from browser_helpers import PLOT, lab_on_notebook, notebook_page, require_chromium, wait_for_new_src

sync_api = pytest.importorskip("playwright.sync_api")
require_chromium()

NOTEBOOK_CELLS = [
    "from nnkit import viz",
    "def mlp_forward(X, params, activation='relu', output_activation=None):\n"
    "    raise NotImplementedError  # as in the release\n"
    "viz.forward_explorer(mlp_forward)",
]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a temporary folder holding ``forward.ipynb``; yields its URL."""
    with lab_on_notebook(tmp_path_factory.mktemp("lab"), NOTEBOOK_CELLS, name="forward.ipynb") as url:
        yield url


@pytest.fixture(scope="module")
def page(lab):
    """The notebook opened in Chromium and run all, with the explorer rendered."""
    with notebook_page(sync_api, lab, f"document.querySelectorAll('{PLOT}').length >= 1", name="forward.ipynb") as page:
        yield page


def test_it_renders_the_reference_with_the_fallback_note(page):
    page.get_by_text("Your mlp_forward is not finished yet — showing the reference").wait_for()
    page.get_by_text("2-4-1 network, relu hidden units").wait_for()
    page.locator(".jp-Cell").nth(1).screenshot(path="/tmp/viz_browser_forward.png")


def test_the_width_slider_redraws_the_picture(page):
    before = page.locator(PLOT).first.get_attribute("src")
    handle = page.locator(".widget-slider .noUi-handle").first  # width, then seed
    handle.focus()
    handle.press("ArrowRight")
    assert wait_for_new_src(page, PLOT, 0, before) != before
    page.get_by_text("2-5-1 network").wait_for()


def test_another_data_set_redraws_the_picture(page):
    before = page.locator(PLOT).first.get_attribute("src")
    page.locator("button.widget-toggle-button:text-is('circles')").click()
    assert wait_for_new_src(page, PLOT, 0, before) != before
    page.locator(".jp-Cell").nth(1).screenshot(path="/tmp/viz_browser_forward_circles.png")
