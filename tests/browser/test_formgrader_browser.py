"""The instructor's path in a real browser: grade a class, open formgrader on the workspace with
``python -m autograder.formgrader``, enter a score and a comment on a written answer, hand back,
and find both in the student's feedback page. Screenshots go to /tmp/formgrader_*.png.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from browser_helpers import CHROMIUM, CHROMIUM_ARGS, free_port, require_chromium, wait_for_server

sync_api = pytest.importorskip("playwright.sync_api")
require_chromium()

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "autograder"))
from pipeline_helpers import REPO, grade, grader_env  # noqa: E402
from test_manual_grading import SOURCE, UNIT, WRITTEN, _write_class  # noqa: E402

COMMENT = "Scaling is right; 但是 say why the signs stay the same."


@pytest.fixture(scope="module")
def formgrader(tmp_path_factory):
    """A graded workspace and formgrader serving it; yields (workspace, url)."""
    root = tmp_path_factory.mktemp("formgrader")
    ws = root / "ws"
    assert grade(_write_class(root / "class"), ws, source=SOURCE).returncode == 0
    port = free_port()
    log = (root / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "autograder.formgrader", str(ws), "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         "--ServerApp.port_retries=0", "--IdentityProvider.token=", "--ServerApp.password="],
        cwd=REPO, env=grader_env(), stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    wait_for_server(url, server, root / "server.log")
    yield ws, url
    server.terminate()
    server.wait(timeout=30)


def _submission_id(ws: Path) -> str:
    from nbgrader.api import Gradebook

    with Gradebook("sqlite:///" + str(ws / "gradebook.db")) as gb:
        return gb.find_submission_notebook(UNIT, UNIT, "alice").id


def _manual(ws: Path):
    from nbgrader.api import Gradebook

    with Gradebook("sqlite:///" + str(ws / "gradebook.db")) as gb:
        grade_ = gb.find_grade(WRITTEN, UNIT, UNIT, "alice")
        return grade_.manual_score, gb.find_comment(WRITTEN, UNIT, UNIT, "alice").manual_comment


def test_a_score_and_comment_entered_in_formgrader_reach_the_feedback_page(formgrader):
    ws, url = formgrader
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(f"{url}/formgrader/submissions/{_submission_id(ws)}/", timeout=60_000)
        score = page.locator(f"input.score#{WRITTEN}")
        score.wait_for(timeout=30_000)
        score.fill("1.5")
        score.press("Tab")
        comment = page.locator(f"#{WRITTEN}-comment")
        comment.fill(COMMENT)
        comment.press("Tab")
        deadline = time.monotonic() + 20
        while _manual(ws) != (1.5, COMMENT) and time.monotonic() < deadline:
            time.sleep(0.3)
        score.scroll_into_view_if_needed()
        page.screenshot(path="/tmp/formgrader_entry.png")
        assert _manual(ws) == (1.5, COMMENT)

        hand_back = subprocess.run([sys.executable, "-m", "autograder.handback", str(ws)], cwd=REPO,
                                   env=grader_env(), capture_output=True, text=True, timeout=300)
        assert hand_back.returncode == 0, hand_back.stderr
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto((ws / "feedback" / "alice.html").as_uri())
        page.wait_for_function("() => document.querySelector('mjx-container') !== null", timeout=30_000)
        text = page.inner_text("body")
        page.screenshot(path="/tmp/formgrader_feedback.png")
        browser.close()
    assert "graded by hand: 1.5/2" in text and COMMENT in text
    assert all(r.startswith("file://") for r in requests), [r for r in requests if not r.startswith("file://")]
