"""Batch grader vs plain sequential ``nbgrader autograde`` on the same 40 submissions.

20 students x units 01-02, in turn correct, one mistake (an nnkit.checks mutant) and empty
(the untouched release), in nbgrader's layout. Both graders get the same copies; each fills
its own gradebook. Prints both wall times, the speed ratio (goal: >= 2.5x on 2 cores) and
whether every autograded cell got the same score from both. nnkit is byte-compiled first, untimed,
for both (as after any first run on a machine that writes bytecode; the batch grader does it itself).
"""

from __future__ import annotations

import compileall
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.samples import REPO_ROOT, write_class

UNITS = ["01_perceptron", "02_xor"]
STUDENTS = 20
ALL_UNITS = sorted(p.parent.name for p in (REPO_ROOT / "solutions").glob("[0-9][0-9]_*/*.ipynb"))
CLASS, SAMPLE = 300, 3  # the class estimated, from this many students (correct, one mistake, empty)


def _env() -> dict:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds of ``cmd``, and the CPU seconds of its process tree as far as it was waited for
    (the batch grader's sandboxes are not: their CPU comes from the runner's own report)."""
    start, cpu = time.perf_counter(), _cpu_of_children()
    proc = subprocess.run(cmd, cwd=cwd, env=_env(), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd[:4])} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return seconds, _cpu_of_children() - cpu


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


def _breakdown(results: list[dict]) -> list[str]:
    """Mean seconds per notebook and phase (sandbox.RunOutcome.timing), wall and CPU."""
    timed = [r["timing"] for r in results if r.get("timing")]
    lines = [f"{'per notebook, mean of ' + str(len(timed)):34s} {'wall':>6s} {'runner CPU':>11s} {'kernel CPU':>11s}"]
    known = ["sandbox start", "runner start", "kernel start", "guard and imports", "cells", "tests", "shutdown",
             "sandbox exit", "grader"]
    phases = known + sorted({p for t in timed for p in t} - set(known))
    for phase in phases:
        mean = {k: sum(t.get(phase, {}).get(k, 0.0) for t in timed) / len(timed)
                for k in ("wall", "runner_cpu", "kernel_cpu")}
        lines.append(f"  {phase:32s} {mean['wall']:6.3f} {mean['runner_cpu']:11.3f} {mean['kernel_cpu']:11.3f}")
    return lines


def main() -> None:
    jobs = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        course = Path(tmp) / "course"
        n = len(write_class(course, UNITS, STUDENTS))
        compileall.compile_dir(REPO_ROOT / "nnkit", quiet=2)
        for unit in UNITS:  # nbgrader's one-off setup, not timed
            _timed(_nbgrader(course, "generate_assignment", unit, "--force"), course)
        plain, plain_cpu = map(sum, zip(*(_timed(_nbgrader(course, "autograde", unit), course) for unit in UNITS)))
        ours, host_cpu = _timed([sys.executable, "-m", "autograder", str(course / "submitted"),
                                 "--workspace", str(Path(tmp) / "ws"), "--jobs", str(jobs)], REPO_ROOT)
        theirs, mine = _scores(course / "gradebook.db"), _scores(Path(tmp) / "ws" / "gradebook.db")
        results = [json.loads(p.read_text()) for p in (Path(tmp) / "ws" / "results").glob("*.json")]
    per_notebook = [r["seconds"] for r in results]
    sandbox_cpu = sum(t.get("runner_cpu", 0.0) + t.get("kernel_cpu", 0.0)
                      for r in results for t in r.get("timing", {}).values()) / len(results)
    same = theirs == mine and len(mine) > 0
    print(f"{n} submissions ({STUDENTS} students x {len(UNITS)} units), {jobs} CPU(s)")
    print(f"plain nbgrader autograde, sequential: {plain:6.1f} s")
    print(f"python -m autograder --jobs {jobs}:      {ours:6.1f} s  (sandboxed, plus feedback HTML and CSV)")
    print(f"speed ratio: {plain / ours:.2f}x (goal >= 2.5x on 2 cores)")
    print(f"per notebook: nbgrader {plain / n:.1f} s on average (start-up included); "
          f"one sandboxed grade_submission {sum(per_notebook) / len(per_notebook):.1f} s")
    print(f"grades identical on all {len(mine)} autograded cells: {same}")
    print(f"CPU per notebook: nbgrader {plain_cpu / n:.2f} s (its process and kernels); autograder "
          f"{sandbox_cpu:.2f} s in the sandbox (runner and kernel), "
          f"{host_cpu / n:.2f} s in the grader's process (collect, checks, feedback, gradebook; "
          f"its start-up included)")
    print("\n".join(_breakdown(results)))
    if not same:
        diff = sorted(k for k in set(theirs) | set(mine) if theirs.get(k) != mine.get(k))
        for key in diff[:10]:
            print(f"  {key}: nbgrader {theirs.get(key)} vs autograder {mine.get(key)}")
    print("\n".join(_class_estimate(jobs)))


def _class_estimate(jobs: int) -> list[str]:
    """A class of CLASS learners x every unit, estimated from SAMPLE students graded in one batch."""
    with tempfile.TemporaryDirectory(prefix="bench-class-") as tmp:
        n = len(write_class(Path(tmp) / "course", ALL_UNITS, SAMPLE))
        wall, _ = _timed([sys.executable, "-m", "autograder", str(Path(tmp) / "course" / "submitted"),
                          "--workspace", str(Path(tmp) / "ws"), "--jobs", str(jobs)], REPO_ROOT)
        ws = Path(tmp) / "ws"
        per_unit: dict[str, list[float]] = {}
        for entry in json.loads((ws / "index.json").read_text()):
            result = json.loads((ws / "results" / f"{entry['key']}.json").read_text())
            per_unit.setdefault(entry["slot"][1], []).append(result["seconds"])
    minutes = wall * CLASS / SAMPLE / 60
    return [f"class estimate: {SAMPLE} students x {len(ALL_UNITS)} units = {n} notebooks in {wall:.1f} s "
            f"with --jobs {jobs}, so {CLASS} learners x {len(ALL_UNITS)} units ~ {minutes:.0f} min",
            "  mean seconds per notebook: " + ", ".join(f"{u[:2]} {sum(t) / len(t):.1f}"
                                                        for u, t in sorted(per_unit.items()))]


if __name__ == "__main__":
    main()
