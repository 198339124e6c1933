"""Unit 04's widgets in JupyterLab in headless Chromium: each renders after "run all", with the
fallback note for an unfinished exercise, and its slider changes the picture.
Screenshots go to /tmp/viz_browser_unit04_*.png."""

import pytest

from browser_helpers import PLOT, lab_on_notebook, notebook_page, require_chromium, wait_for_new_src

sync_api = pytest.importorskip("playwright.sync_api")
require_chromium()

NOTEBOOK_CELLS = [
    "from nnkit import viz",
    "def scalar_graph_backward(x, y, z, w):\n    raise NotImplementedError  # as in the release\n"
    "viz.graph_stepper(scalar_graph_backward)",
    "def mlp_backward(dout, caches):\n    raise NotImplementedError\n"
    "viz.training_explorer(mlp_backward, epochs=100, every=10)",
]
GRAPH_SLIDERS = 5  # x, y, z, w, then the backward step


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    with lab_on_notebook(tmp_path_factory.mktemp("lab04"), NOTEBOOK_CELLS) as url:
        with notebook_page(sync_api, url, f"document.querySelectorAll('{PLOT}').length >= 2") as page:
            yield page


def press_right(page, slider: int) -> None:
    handle = page.locator(".widget-slider .noUi-handle").nth(slider)
    handle.focus()
    handle.press("ArrowRight")


def test_graph_stepper_steps_backward_with_the_fallback_note(page):
    page.get_by_text("Your scalar_graph_backward is not finished yet — showing the reference").wait_for()
    before = page.locator(PLOT).nth(0).get_attribute("src")
    press_right(page, GRAPH_SLIDERS - 1)
    assert wait_for_new_src(page, PLOT, 0, before) != before
    page.get_by_text("step 1 of 4").first.wait_for()
    page.locator(".jp-Cell").nth(1).screenshot(path="/tmp/viz_browser_unit04_graph.png")


def test_training_explorer_slider_moves_through_the_epochs(page):
    page.get_by_text("Your mlp_backward is not finished yet — showing the reference").wait_for()
    before = page.locator(PLOT).nth(1).get_attribute("src")
    press_right(page, GRAPH_SLIDERS)
    assert wait_for_new_src(page, PLOT, 1, before) != before
    page.get_by_text("after 10 epochs").first.wait_for()
    page.locator(".jp-Cell").nth(2).screenshot(path="/tmp/viz_browser_unit04_training.png")
