"""JupyterLab in headless Chromium: unit 03's forward-pass explorer renders and its controls redraw it.

A small notebook of its own in a temporary folder, JupyterLab started there, driven with
Playwright (``browser_helpers``). The learner's ``mlp_forward`` is unfinished, as in the
release, so the widget shows the reference with a yellow note. Screenshots go to /tmp/viz_browser_forward*.png.
"""

import pytest

from browser_helpers import PLOT, lab_on_notebook, require_chromium, run_all

sync_api = pytest.importorskip("playwright.sync_api")
require_chromium()

TIMEOUT_MS = 30_000
NOTEBOOK_CELLS = [
    "from nnkit import viz",
    "def mlp_forward(X, params, activation='relu', output_activation=None):\n"
    "    raise NotImplementedError  # as in the release\n"
    "viz.forward_explorer(mlp_forward)",
]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a temporary folder holding ``forward.ipynb``; yields its URL."""
    with lab_on_notebook(tmp_path_factory.mktemp("lab"), "forward.ipynb", NOTEBOOK_CELLS) as url:
        yield url


@pytest.fixture(scope="module")
def page(lab):
    """The notebook opened in Chromium and run all, with the explorer rendered."""
    with sync_api.sync_playwright() as pw:
        browser, page = run_all(pw, lab, "forward.ipynb", plots=1, height=1200, timeout_ms=TIMEOUT_MS)
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
