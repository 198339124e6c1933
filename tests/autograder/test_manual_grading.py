"""The instructor's part after the autograder: grading written answers by hand, re-runs that keep
it, feedback that shows it, and nbgrader's own tools working in the workspace (end to end).

A manual grade is entered through nbgrader's Gradebook API exactly as formgrader's API handler
does (``manual_score`` set, ``needs_manual_grade`` cleared, ``manual_comment`` set); the browser
test (tests/browser/test_formgrader_browser.py) enters one through formgrader's own page.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from pipeline_helpers import REPO, grade, grader_env, read_csv
from submissions import learner_copy

UNIT = "01_perceptron"
SOURCE = REPO / "solutions"
WRITTEN = "written_learning_rate"
COMMENT = "Right idea; say why the sign of w.x + b does not change. 很好。"


def _write_class(folder: Path, answer: str = "Scaling by eta scales w and b alike.") -> Path:
    solved = learner_copy(nbformat.read(SOURCE / UNIT / f"{UNIT}.ipynb", as_version=4), solved=True)
    for cell in solved.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == WRITTEN:
            cell.source = answer
    for student, nb in (("alice", solved), ("bob", learner_copy(solved, solved=False))):
        path = folder / "submitted" / student / UNIT / f"{UNIT}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
    return folder


def _enter_manual_grade(workspace: Path, score: float) -> None:
    """What formgrader's API does when the instructor saves a score and a comment."""
    with Gradebook("sqlite:///" + str(workspace / "gradebook.db")) as gb:
        grade_ = gb.find_grade(WRITTEN, UNIT, UNIT, "alice")
        grade_.manual_score, grade_.needs_manual_grade = score, False
        gb.find_comment(WRITTEN, UNIT, UNIT, "alice").manual_comment = COMMENT
        gb.db.commit()


def _written_state(workspace: Path) -> tuple[float | None, bool]:
    with Gradebook("sqlite:///" + str(workspace / "gradebook.db")) as gb:
        grade_ = gb.find_grade(WRITTEN, UNIT, UNIT, "alice")
        return grade_.manual_score, grade_.needs_manual_grade


def _row(workspace: Path, student: str) -> dict:
    return next(r for r in read_csv(workspace) if r["student_id"] == student)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("manual")
    subs, ws = _write_class(root / "class"), root / "ws"
    proc = grade(subs, ws, source=SOURCE)
    assert proc.returncode == 0, proc.stderr
    return subs, ws


def test_the_workspace_is_an_nbgrader_course_directory(graded):
    _, ws = graded
    autograded = ws / "autograded" / "alice" / UNIT / f"{UNIT}.ipynb"
    nb = nbformat.read(autograded, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert any(c.outputs for c in code), "the executed notebook keeps its outputs"
    assert any("BEGIN HIDDEN TESTS" in c.source for c in code), "as nbgrader leaves it: hidden tests restored"
    config = (ws / "nbgrader_config.py").read_text()
    assert str(ws / "gradebook.db") in config and str(SOURCE) in config


def test_nbgrader_tools_run_in_the_workspace_unchanged(graded):
    _, ws = graded
    nbgrader = [sys.executable, "-m", "nbgrader"]
    export = subprocess.run([*nbgrader, "export", "--to", "nbgrader-grades.csv"], cwd=ws, env=grader_env(),
                            capture_output=True, text=True, timeout=120)
    assert export.returncode == 0, export.stderr
    assert "alice" in (ws / "nbgrader-grades.csv").read_text()
    feedback = subprocess.run([*nbgrader, "generate_feedback", UNIT, "--student", "alice"], cwd=ws,
                              env=grader_env(), capture_output=True, text=True, timeout=300)
    assert feedback.returncode == 0, feedback.stderr
    assert (ws / "feedback" / "alice" / UNIT / f"{UNIT}.html").exists()


def test_manual_grades_survive_a_rerun_and_reach_feedback_and_the_csv(graded):
    subs, ws = graded
    before = _row(ws, "alice")
    assert float(before["awaiting_manual"]) == 2.0  # the written answer's points
    _enter_manual_grade(ws, 1.5)
    rerun = grade(subs, ws, source=SOURCE)
    assert rerun.returncode == 0, rerun.stderr
    assert _written_state(ws) == (1.5, False), "an unchanged submission keeps its manual state"
    after = _row(ws, "alice")
    assert float(after["score"]) == float(before["score"]) + 1.5 and float(after["awaiting_manual"]) == 0

    hand_back = subprocess.run([sys.executable, "-m", "autograder.handback", str(ws)], cwd=REPO,
                               env=grader_env(), capture_output=True, text=True, timeout=300)
    assert hand_back.returncode == 0, hand_back.stderr
    page = (ws / "feedback" / "alice.html").read_text(encoding="utf-8")
    assert "graded by hand: 1.5/2" in page and "Right idea; say why the sign" in page and "很好" in page
    assert "not graded yet" in (ws / "feedback" / "bob.html").read_text(encoding="utf-8")


def test_a_changed_submission_is_flagged_for_grading_by_hand_again(graded, tmp_path):
    _, ws = graded
    _enter_manual_grade(ws, 2.0)
    changed = _write_class(tmp_path / "class", answer="A new answer, written after the first grading.")
    proc = grade(changed, ws, source=SOURCE)
    assert proc.returncode == 0, proc.stderr
    score, needs = _written_state(ws)
    assert (score, needs) == (2.0, True), "kept for reference, flagged again"
    assert float(_row(ws, "alice")["awaiting_manual"]) == 2.0
    recorded = json.loads((ws / "recorded.json").read_text())
    assert {tuple(r["slot"]) for r in recorded} == {("alice", UNIT, UNIT), ("bob", UNIT, UNIT)}


def test_formgrader_command_refuses_a_folder_that_was_never_graded(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "autograder.formgrader", str(tmp_path)], cwd=REPO,
                          env=grader_env(), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "no nbgrader_config.py" in proc.stderr
