"""Batch grader vs plain sequential ``nbgrader autograde`` on the same 40 submissions.

20 students x units 01-02, in turn correct, one mistake (an nnkit.checks mutant) and empty
(the untouched release), in nbgrader's layout. Both graders get the same copies; each fills
its own gradebook. Prints both wall times, the speed ratio (goal: >= 1.8x on 2 cores) and
whether every autograded cell got the same score from both.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.samples import REPO_ROOT, write_class

UNITS = ["01_perceptron", "02_xor"]
STUDENTS = 20


def _env() -> dict:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


def _timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=_env(), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd[:4])} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return seconds


def _nbgrader(course: Path, *args: str) -> list[str]:
    """``nbgrader <args>`` on the course folder, with solutions/ as its source."""
    return [sys.executable, "-m", "nbgrader", *args,
            f"--CourseDirectory.root={course}",
            f"--CourseDirectory.source_directory={REPO_ROOT / 'solutions'}",
            f"--CourseDirectory.db_url=sqlite:///{course / 'gradebook.db'}",
            f"--Exchange.root={course / 'exchange'}"]


def _scores(db: Path) -> dict:
    """``{(student, assignment, cell): auto_score}`` of every autograded code test cell."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{db}") as gb:
        return {(sub.student.id, a.name, g.cell.name): g.auto_score
                for a in gb.assignments for sub in a.submissions for nb in sub.notebooks
                for g in nb.grades if g.cell.cell_type == "code"
                and g.cell.name not in {c.name for c in nb.notebook.solution_cells}}


def main() -> None:
    jobs = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        course = Path(tmp) / "course"
        n = len(write_class(course, UNITS, STUDENTS))
        for unit in UNITS:  # nbgrader's one-off setup, not timed
            _timed(_nbgrader(course, "generate_assignment", unit, "--force"), course)
        plain = sum(_timed(_nbgrader(course, "autograde", unit), course) for unit in UNITS)
        ours = _timed([sys.executable, "-m", "autograder", str(course / "submitted"),
                       "--workspace", str(Path(tmp) / "ws"), "--jobs", str(jobs)], REPO_ROOT)
        theirs, mine = _scores(course / "gradebook.db"), _scores(Path(tmp) / "ws" / "gradebook.db")
        per_notebook = [json.loads(p.read_text())["seconds"] for p in (Path(tmp) / "ws" / "results").glob("*.json")]
    same = theirs == mine and len(mine) > 0
    print(f"{n} submissions ({STUDENTS} students x {len(UNITS)} units), {jobs} CPU(s)")
    print(f"plain nbgrader autograde, sequential: {plain:6.1f} s")
    print(f"python -m autograder --jobs {jobs}:      {ours:6.1f} s  (sandboxed, plus feedback HTML and CSV)")
    print(f"speed ratio: {plain / ours:.2f}x (goal >= 1.8x on 2 cores)")
    print(f"per notebook: nbgrader {plain / n:.1f} s on average (start-up included); "
          f"one sandboxed grade_submission {sum(per_notebook) / len(per_notebook):.1f} s")
    print(f"grades identical on all {len(mine)} autograded cells: {same}")
    if not same:
        diff = sorted(k for k in set(theirs) | set(mine) if theirs.get(k) != mine.get(k))
        for key in diff[:10]:
            print(f"  {key}: nbgrader {theirs.get(key)} vs autograder {mine.get(key)}")


if __name__ == "__main__":
    main()
