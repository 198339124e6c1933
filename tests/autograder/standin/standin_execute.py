"""TEMPORARY stand-in grader (see sitecustomize.py); serves as both execute and sandbox."""
import dataclasses
import re
import time

import nbformat


def describe_protections():
    return ["none (stand-in grader for tests)"]


@dataclasses.dataclass(frozen=True)
class Limits:
    timeout_s: float = 60.0
    memory_mb: int = 1024
    max_output_bytes: int = 1_000_000
    max_processes: int = 64


@dataclasses.dataclass
class SubmissionResult:
    status: str
    scores: dict
    messages: dict
    notes: list
    seconds: float
    peak_memory_mb: float
    feedback_notebook: dict | None


def _gid(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def grade_submission(notebook_path, source_path, limits=Limits()):
    from nbclient import NotebookClient

    t0 = time.monotonic()
    src = nbformat.read(source_path, as_version=4)
    try:
        nb = nbformat.read(notebook_path, as_version=4)
    except Exception as exc:
        return SubmissionResult("malformed notebook", {}, {}, [str(exc)], 0.0, 0.0, None)
    tests = {_gid(c): (c.source, float(c.metadata["nbgrader"]["points"]))
             for c in src.cells if c.cell_type == "code" and c.get("metadata", {}).get("nbgrader", {}).get("grade")}
    for c in nb.cells:
        if _gid(c) in tests:
            c.source = tests[_gid(c)][0]
    NotebookClient(nb, timeout=limits.timeout_s, allow_errors=True).execute()
    scores, messages = {}, {}
    for c in nb.cells:
        if _gid(c) in tests:
            err = [o for o in c.outputs if o.output_type == "error"]
            pts = tests[_gid(c)][1]
            scores[_gid(c)] = (0.0 if err else pts, pts)
            if err:
                messages[_gid(c)] = f"{err[0].ename}: {err[0].evalue}"
            c.source = re.sub(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", "", c.source, flags=re.S)
            c.outputs = []
    for gid, (_, pts) in tests.items():
        scores.setdefault(gid, (0.0, pts))
    return SubmissionResult("graded", scores, messages, [], time.monotonic() - t0, 50.0, dict(nb))
