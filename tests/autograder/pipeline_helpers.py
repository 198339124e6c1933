"""Helpers for the batch-grader tests: run the real command, build submissions, read results."""

from __future__ import annotations

import csv
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[2]
TOY_SOURCE = Path(__file__).resolve().parent / "fixtures" / "pipeline" / "source"


def grader_env() -> dict:
    """Environment for the grader subprocess: the repository importable from anywhere."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def grader_command(submissions: Path, workspace: Path, *options: str, source: Path | None = TOY_SOURCE) -> list:
    cmd = [sys.executable, "-m", "autograder", str(submissions), "--workspace", str(workspace), "--jobs", "2"]
    if source is not None:
        cmd += ["--source", str(source)]
    return cmd + list(options)


def grade(submissions: Path, workspace: Path, *options: str, source: Path | None = TOY_SOURCE,
          timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``python -m autograder`` exactly as an instructor would; return the finished process."""
    return subprocess.run(grader_command(submissions, workspace, *options, source=source), cwd=REPO,
                          env=grader_env(), capture_output=True, text=True, timeout=timeout)


def kill_after_first_result(submissions: Path, workspace: Path, *options: str) -> int:
    """Start grading on one job, SIGKILL the grader and its kernels once a result is on disk; how many are."""
    proc = subprocess.Popen(grader_command(submissions, workspace, "--jobs", "1", *options), cwd=REPO,
                            env=grader_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not list((workspace / "results").glob("*.json")) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    return len(list((workspace / "results").glob("*.json")))


def counts(proc: subprocess.CompletedProcess) -> tuple[int, int]:
    """``(graded now, reused)`` from the grader's closing line."""
    match = re.search(r"(\d+) graded now, (\d+) reused", proc.stderr)
    assert match, proc.stderr
    return int(match[1]), int(match[2])


def read_csv(workspace: Path) -> list[dict]:
    with open(workspace / "grades.csv", newline="") as f:
        return list(csv.DictReader(f))


def toy_variant(kind: str) -> nbformat.NotebookNode:
    """The toy assignment as submitted: ``correct`` (the solution), ``release`` (untouched) or ``wrong``."""
    nb = nbformat.read(TOY_SOURCE / "toy" / "toy.ipynb", as_version=4)
    body = {"correct": "return a + b", "release": "raise NotImplementedError()", "wrong": "return a - b"}[kind]
    nb.cells[1].source = f"def add(a, b):\n    {body}\n"
    return nb


def write_flat(folder: Path, kinds: dict[str, str], pattern: str = "{student}_toy.ipynb") -> Path:
    """A flat LMS-style folder: one ``<student>_toy.ipynb`` per ``{student: kind}``."""
    folder.mkdir(parents=True, exist_ok=True)
    for student, kind in kinds.items():
        nbformat.write(toy_variant(kind), folder / pattern.format(student=student))
    return folder


def gradebook_scores(db: Path | str) -> dict[tuple[str, str], float]:
    """``{(student, grade cell): auto_score}`` straight from the gradebook: a SQLite file or a database URL."""
    from nbgrader.api import Gradebook

    with Gradebook(db if isinstance(db, str) else "sqlite:///" + str(db)) as gb:
        return {
            (sub.student.id, grade.cell.name): grade.auto_score
            for assignment in gb.assignments
            for sub in assignment.submissions
            for nb in sub.notebooks
            for grade in nb.grades
        }
