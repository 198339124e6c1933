"""``python -m nnkit.viz.present`` (``make present``) in Chromium: the presenter notebook as a Voila
dashboard, widgets without code, that answers a slider and loads nothing from outside the machine.

Every request that is not for 127.0.0.1 (or a data:/blob: URL) is aborted and recorded: offline,
such a request would fail, so the test fails on any. Screenshot: /tmp/present_voila.png.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from browser_helpers import CHROMIUM, CHROMIUM_ARGS, free_port, require_chromium, wait_for_server

sync_api = pytest.importorskip("playwright.sync_api")
pytest.importorskip("voila")
require_chromium()
REPO = Path(__file__).resolve().parents[2]
PLOTS = ".widget-output img"
LOCAL = ("http://127.0.0.1:", "data:", "blob:")


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    log = tmp_path_factory.mktemp("voila") / "server.log"
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "nnkit.viz.present", "--no-browser", f"--port={port}"],
                              cwd=REPO, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(url, server, log, probe="/voila/static/voila.js")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def dashboard(voila):
    """The Voila page with its widgets rendered; the list of requests that tried to leave the machine."""
    outside: list[str] = []

    def only_local(route):
        if route.request.url.startswith(LOCAL):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 1800})
        page.route("**/*", only_local)
        page.goto(voila + "/", timeout=60_000)
        page.wait_for_function(f"() => document.querySelectorAll('{PLOTS}').length >= 3", timeout=60_000)
        yield page, outside
        browser.close()


def test_widgets_render_without_code(dashboard):
    page, _ = dashboard
    assert page.locator(".widget-slider").count() >= 3
    assert "import matplotlib" not in page.inner_text("body")
    assert page.locator(".jp-InputArea-editor:visible").count() == 0


def test_a_slider_changes_the_picture(dashboard):
    page, _ = dashboard
    w1 = page.locator(".widget-slider", has=page.locator(".widget-label", has_text="w1")).first
    before = page.evaluate(f"() => Array.from(document.querySelectorAll('{PLOTS}'), i => i.src)")
    w1.locator(".noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"before => Array.from(document.querySelectorAll('{PLOTS}'), i => i.src)"
                           ".some((src, k) => src !== before[k])", arg=before, timeout=30_000)
    page.screenshot(path="/tmp/present_voila.png")


def test_nothing_is_fetched_from_outside_the_machine(dashboard):
    page, outside = dashboard
    page.wait_for_timeout(1000)  # late stylesheets and fonts
    icons = page.evaluate("() => Array.from(document.fonts).some(f => f.family.includes('Font Awesome') && f.status === 'loaded')")
    assert outside == []
    assert icons, "the icon font did not load from the local server"
