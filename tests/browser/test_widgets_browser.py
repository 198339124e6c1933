"""JupyterLab in headless Chromium: the widgets render after "run all" and respond to clicks.

The test writes its own small notebook into a temporary folder (JupyterLab's autosave would
rewrite a tracked file), starts JupyterLab there and drives it with Playwright. Screenshots
go to /tmp/viz_browser_*.png.
"""

import pytest

from browser_helpers import CHROMIUM, CHROMIUM_ARGS, WIDGET_PLOT as PLOT, require_chromium, run_all, widget_lab

sync_api = pytest.importorskip("playwright.sync_api")
require_chromium()

TIMEOUT_MS = 30_000

NOTEBOOK_CELLS = [
    "from nnkit import viz",
    "def perceptron_update(w, b, x, t, lr):\n    raise NotImplementedError  # as in the release",
    "viz.perceptron_stepper(perceptron_update)",
    "viz.xor_line_explorer()",
    "def xor_network():\n    raise NotImplementedError\nviz.xor_hidden_space(xor_network)",
]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a temporary folder holding ``widgets.ipynb``; yields its URL."""
    with widget_lab(tmp_path_factory.mktemp("lab"), NOTEBOOK_CELLS) as url:
        yield url


@pytest.fixture(scope="module")
def page(lab):
    """The notebook opened in Chromium, run all, with both widgets rendered."""
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1600})
        page.set_default_timeout(TIMEOUT_MS)
        run_all(page, lab, plots=3)
        yield page
        browser.close()


def wait_for_new_src(page, index: int, old: str) -> str:
    page.wait_for_function(
        "([sel, i, old]) => { const img = document.querySelectorAll(sel)[i];"
        " return img && img.src && img.src !== old; }", arg=[PLOT, index, old])
    return page.locator(PLOT).nth(index).get_attribute("src")


def test_stepper_step_button_redraws_with_the_fallback_note(page):
    step = page.locator('button.widget-button:text-is("step")')  # the icon glyph spoils role names
    before = page.locator(PLOT).nth(0).get_attribute("src")
    step.click()
    after = wait_for_new_src(page, 0, before)
    assert after != before
    page.get_by_text("updates: 1 ·").first.wait_for()
    page.get_by_text("is not finished yet — showing the reference").first.wait_for()
    page.locator(".widget-vbox").filter(has=step).last.screenshot(path="/tmp/viz_browser_stepper.png")


def test_xor_slider_moves_the_line(page):
    before = page.locator(PLOT).nth(1).get_attribute("src")
    handle = page.locator(".widget-slider .noUi-handle").nth(2)  # the stepper has 2 sliders; then w1
    handle.focus()
    handle.press("ArrowRight")
    after = wait_for_new_src(page, 1, before)
    assert after != before
    page.locator(PLOT).nth(1).screenshot(path="/tmp/viz_browser_xor.png")
    page.get_by_text("Your xor_network is not finished yet — showing the reference").wait_for()
    page.locator(".jp-Cell").nth(len(NOTEBOOK_CELLS) - 1).screenshot(path="/tmp/viz_browser_hidden.png")
