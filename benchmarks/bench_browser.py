"""Widget latency in a real browser: from a key press or click to the new picture on the page.

Every unit's ``browser_cases()`` (``benchmarks/widgets/unitNN_topic.py``) names a cell that shows
a widget and the control to time. They all go into one notebook, opened in the learner's
JupyterLab (``nnkit.lab``) in headless Chromium; after "run all", each control gets ``WARMUP``
untimed and ``REPEATS`` timed events (slider keys alternate right and left). The clock runs in
the page: from the input event's own timestamp to the frame after the new image has decoded.
Columns: ``total`` (that span), ``kernel`` (the widget's handler in the kernel: state update,
figure, PNG; timed by wrapping ipywidgets' message handler; ``cpu``: the kernel's CPU time in
it, which waiting for a shared core does not inflate), ``to DOM`` (until the new <img>
is in the page) and ``decode+paint`` (the rest); ``to DOM`` minus ``kernel`` is the messaging
(browser → server → kernel → browser) and JupyterLab's handling of the new output.

Run: ``python -m benchmarks.bench_browser [part of a case name ...]`` (all cases without one).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import numpy as np

from benchmarks import widgets as unit_cases
from nnkit._units import merge_unique, unit_modules
from nnkit.lab import lab_command, learner_config

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
from browser_helpers import CHROMIUM, CHROMIUM_ARGS, free_port, wait_for_server  # noqa: E402

GOAL_MEDIAN_MS, GOAL_P95_MS = 100.0, 200.0
WARMUP, REPEATS = 2, 30
SETTINGS = {"@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
            "@jupyterlab/notebook-extension/tracker": {"autoStartDefaultKernel": True}}
KERNEL_IDLE = "() => window.jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel?.status === 'idle'"
# Arms the clock for one event in cell ``i``: input timestamp, new <img> in the DOM, decoded and painted.
ARM = """i => { const cell = document.querySelectorAll('.jp-CodeCell')[i]; const old = cell.querySelector('.widget-output img');
  const t = window.__lat = {old: old && old.src};
  const mark = e => { if (t.t0 === undefined) t.t0 = e.timeStamp; };
  for (const kind of ['keydown', 'mousedown', 'input']) document.addEventListener(kind, mark, {capture: true, once: true});
  const seen = new MutationObserver(() => { const img = cell.querySelector('.widget-output img');
    if (!img || img.src === t.old || t.dom !== undefined) return;
    t.dom = performance.now(); seen.disconnect();
    img.decode().catch(() => {}).then(() => requestAnimationFrame(() => { t.paint = performance.now(); })); });
  seen.observe(cell, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']}); }"""


# Run in the kernel before the widgets exist (each widget binds its handler when its comm opens).
KERNEL_TIMER = """
import time, ipywidgets
_bench_handle, _bench_ms = ipywidgets.Widget._handle_msg, []
def _bench_timed(self, msg):
    start, start_cpu = time.perf_counter(), time.process_time()
    try:
        return _bench_handle(self, msg)
    finally:
        if msg["content"]["data"].get("method") in ("update", "custom"):
            _bench_ms.append(((time.perf_counter() - start) * 1000, (time.process_time() - start_cpu) * 1000))
ipywidgets.Widget._handle_msg = _bench_timed
"""
KERNEL_READ = "import json; print(json.dumps(_bench_ms)); _bench_ms.clear()"
EXECUTE = """async code => { const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  let text = ''; const future = kernel.requestExecute({code, silent: false, store_history: false});
  future.onIOPub = m => { if (m.header.msg_type === 'stream') text += m.content.text; };
  await future.done; return text; }"""


def _cases() -> dict:
    """Every unit's browser cases, in unit order."""
    return merge_unique([(m, m.browser_cases()) for m in unit_modules(unit_cases) if hasattr(m, "browser_cases")],
                        "browser benchmark case")


def _lab(root: Path, cases: dict):
    """The learner's JupyterLab on ``root`` holding ``bench.ipynb`` (one cell per case); (server, url)."""
    cells = [nbformat.v4.new_code_cell(case["cell"]) for case in cases.values()]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(nb, root / "bench.ipynb")
    for plugin, values in SETTINGS.items():
        path = root / "settings" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = {**learner_config(root / "config"), "JUPYTERLAB_SETTINGS_DIR": str(root / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(root / "workspaces")}
    port, log = free_port(), root / "server.log"
    extra = ["--ip=127.0.0.1", "--allow-root", "--ServerApp.port_retries=0", "--IdentityProvider.token=",
             "--ServerApp.password=", "--LabApp.expose_app_in_browser=True"]
    server = subprocess.Popen(lab_command(root, port=port, browser=False, extra=extra), env=env,
                              stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_for_server(url, server, log)
    return server, url


def _control(page, i: int, control: tuple):
    kind, text = control
    cell = page.locator(".jp-CodeCell").nth(i)
    if kind == "button":
        return cell.locator("button", has_text=text).filter(has_text=text).first
    if kind == "dropdown":
        return cell.locator(".widget-dropdown").filter(has=page.locator(".widget-label", has_text=text)).first \
            .locator("select")
    slider = cell.locator(".widget-slider").filter(has=page.locator(".widget-label", has_text=text)).first
    return slider.locator(".noUi-handle")


# The key that moves a slider's handle one step: alternating (``up``: right), inward at either end.
KEY = """(el, up) => { const now = +el.getAttribute('aria-valuenow');
  return (up && now < +el.getAttribute('aria-valuemax')) || now <= +el.getAttribute('aria-valuemin')
    ? 'ArrowRight' : 'ArrowLeft'; }"""
# The option next to a <select>'s current one, alternating (``up``: the next), inward at either end.
NEXT = """(el, up) => { const i = el.selectedIndex, last = el.options.length - 1;
  return el.options[(up && i < last) || i === 0 ? i + 1 : i - 1].value; }"""


def _event(page, i: int, control: tuple, k: int) -> dict:
    """One timed event on cell ``i``'s control; the page's timings (ms since navigation).

    A menu is set as Playwright sets one (its ``input`` event starts the clock): JupyterLab takes
    arrow keys on a <select> in a notebook as moves between cells."""
    page.evaluate(ARM, i)
    target = _control(page, i, control)
    if control[0] == "button":
        target.click()
    elif control[0] == "dropdown":
        target.select_option(target.evaluate(NEXT, k % 2 == 0))
    else:
        key = target.evaluate(KEY, k % 2 == 0)
        target.focus()
        page.keyboard.press(key)
    page.wait_for_function("() => window.__lat.paint !== undefined", timeout=30_000)
    return page.evaluate("() => window.__lat")


def _measure(page, i: int, case: dict) -> tuple[np.ndarray, np.ndarray]:
    """(REPEATS, 2): total and to-DOM ms of each timed event of one case; (events, 2): the kernel's wall and CPU ms."""
    for setup in case.get("setup", []):
        page.evaluate(ARM, i)
        _control(page, i, setup).click()
        page.wait_for_function("() => window.__lat.paint !== undefined", timeout=30_000)
    rows = []
    for k in range(WARMUP + REPEATS):
        t = _event(page, i, case["control"], k)
        rows.append((t["paint"] - t["t0"], t["dom"] - t["t0"]))
        if k == WARMUP - 1:
            page.evaluate(EXECUTE, KERNEL_READ)  # forget the set-up and warm-up events
    return np.array(rows[WARMUP:]), np.array(json.loads(page.evaluate(EXECUTE, KERNEL_READ))).reshape(-1, 2)


def main(only: list[str] | None = None) -> None:
    """Measure every case, or only those whose name holds one of the strings ``only``."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        print(f"skipped: {CHROMIUM} is not installed")
        return
    cases = {name: case for name, case in _cases().items() if not only or any(s in name for s in only)}
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as folder:
        server, url = _lab(Path(folder), cases)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1300, "height": 1000})
                page.goto(f"{url}/lab/tree/bench.ipynb?reset", timeout=60_000)
                page.wait_for_function(KERNEL_IDLE, timeout=60_000)
                page.evaluate(EXECUTE, KERNEL_TIMER)
                page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")  # not awaited
                page.wait_for_function(f"() => document.querySelectorAll('.widget-output img').length >= {len(cases)}",
                                       timeout=60_000)
                _report(page, cases)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)


def _report(page, cases: dict) -> None:
    print(f"{'widget event':44s} {'median ms':>9s} {'p95 ms':>7s} {'kernel':>7s} {'cpu':>5s} {'to DOM':>7s} {'decode+paint':>12s}"
          "  (medians)")
    for i, (name, case) in enumerate(cases.items()):
        started = time.perf_counter()
        rows, kernel = _measure(page, i, case)
        total, dom = rows[:, 0], rows[:, 1]
        print(f"{name:44s} {np.median(total):9.1f} {np.percentile(total, 95):7.1f} {np.median(kernel[:, 0]):7.1f}"
              f" {np.median(kernel[:, 1]):5.1f} {np.median(dom):7.1f}"
              f" {np.median(total - dom):12.1f}   ({time.perf_counter() - started:.0f} s)", flush=True)
    print(f"goal: median <= {GOAL_MEDIAN_MS:.0f} ms, p95 <= {GOAL_P95_MS:.0f} ms; {REPEATS} events each after "
          f"{WARMUP} warm-up; headless Chromium; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main(sys.argv[1:])  # python -m benchmarks.bench_browser [part of a case name ...]
