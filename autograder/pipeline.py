"""Grade a class: plan what needs grading, grade it in parallel, record every result at once.

Workers (threads of this process, or a dask.distributed cluster) only run
``grade_submission`` and return a plain dict; the main process alone writes: first the
result file (atomic, durable), then the gradebook, and a student's feedback page as soon as
all of their notebooks are in (overlapping the grading of the others). A run killed at any point therefore loses
nothing already recorded, and the next run grades only what has no result yet.
"""

from __future__ import annotations

import itertools
import os
import platform
import tempfile
from collections import Counter
from contextlib import ExitStack
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from autograder import feedback, untrusted
from autograder.collect import Submission, source_notebooks
from autograder.gradebook import GradebookWriter
from autograder.workspace import Slot, Workspace, hidden_seed, result_key, sha256, submission_sha

GRADER_DIR = Path(__file__).resolve().parent
RESULT_FIELDS = ("status", "scores", "messages", "notes", "seconds", "peak_memory_mb", "feedback_notebook",
                 "autograded_notebook", "timing")


def grade_bytes(notebook: bytes, source: bytes, name: str, limits, hidden_seed: int | None = None) -> dict:
    """Grade one notebook given as bytes (so a worker needs no shared disk); a JSON-able dict.

    ``name`` is the notebook's file stem; both notebooks are written to a private temporary
    folder under that name before ``autograder.execute.grade_submission`` runs.
    """
    from autograder.execute import grade_submission

    with tempfile.TemporaryDirectory(prefix="autograde-") as tmp:
        sub_path = Path(tmp, "submission", f"{name}.ipynb")
        src_path = Path(tmp, "source", f"{name}.ipynb")
        for path, data in ((sub_path, notebook), (src_path, source)):
            path.parent.mkdir()
            path.write_bytes(data)
        result = grade_submission(sub_path, src_path, limits, hidden_seed)
    return _as_dict(result)


def _as_dict(result) -> dict:
    """A ``SubmissionResult`` as the JSON-able dict that travels, is stored and is recorded."""
    out = {f: getattr(result, f) for f in RESULT_FIELDS}
    out["scores"] = {gid: [float(s), float(m)] for gid, (s, m) in out["scores"].items()}
    out["peak_memory_mb"] = out["peak_memory_mb"] or 0.0
    return out


def _not_run(task: "Task") -> dict:
    """The result of a submission collected as unusable (a link, a special file, too large ...)."""
    from autograder.execute import not_graded
    from autograder.integrity import read_source, source_tests

    sub = task.submission
    return _as_dict(not_graded(source_tests(read_source(task.source)), sub.status, sub.reason))


# Modules of the batch layer and the course build: they never change a score.
NOT_GRADING = {"__init__", "__main__", "collect", "feedback", "formgrader", "glossary", "gradebook", "handback",
               "inputs", "lms", "make_course", "pipeline", "preflight", "report", "samples", "workspace"}
# What runs in the learner's kernel besides nnkit, and shapes what a notebook computes.
KERNEL_PACKAGES = ("numpy", "matplotlib", "ipykernel", "IPython", "jupyter_client", "nbformat")


def grader_fingerprint(grader_dir: Path = GRADER_DIR, nnkit_dir: Path | None = None) -> str:
    """Hash of everything a score depends on: the per-submission grader, the whole of nnkit (the
    checkers and the references they compute expected values from), and the kernel's packages."""
    from importlib.metadata import version

    if nnkit_dir is None:
        import nnkit
        nnkit_dir = Path(nnkit.__file__).parent
    files = sorted(p for p in grader_dir.glob("*.py") if p.stem not in NOT_GRADING)
    files += sorted(nnkit_dir.rglob("*.py"))
    versions = [f"python {platform.python_version()}", *(f"{name} {version(name)}" for name in KERNEL_PACKAGES)]
    return sha256(b"".join(p.read_bytes() for p in files) + "\n".join(versions).encode())


class SchedulerUnreachable(RuntimeError):
    """--scheduler names no dask scheduler that answers."""


@dataclass
class Task:
    slot: Slot
    key: str
    submission: Submission
    source: Path
    hidden_seed: int


@dataclass
class Outcome:
    """What a run leaves behind for the report: every current slot's result."""

    results: dict[Slot, dict] = field(default_factory=dict)
    scores: dict[tuple[str, str], tuple[float, float, float] | None] = field(default_factory=dict)
    max_scores: dict[str, float] = field(default_factory=dict)
    graded_now: int = 0
    reused: int = 0


def _arguments(task: Task, limits) -> tuple:
    """``grade_bytes``'s arguments for one task: everything travels as values, no shared disk needed."""
    return task.submission.data, task.source.read_bytes(), task.slot[2], limits, task.hidden_seed


def _start_local(tasks: list[Task], limits, jobs: int, stack: ExitStack) -> Iterator[tuple[Task, dict]]:
    """Start grading on ``jobs`` threads (each waits on its own sandbox process); yield results as they finish."""
    pool = stack.enter_context(ThreadPoolExecutor(max_workers=jobs))
    stack.callback(pool.shutdown, wait=False, cancel_futures=True)  # on an early exit, drop the queue
    futures = {pool.submit(grade_bytes, *_arguments(t, limits)): t for t in tasks}
    return ((futures[f], _outcome(f.result)) for f in as_completed(futures))


def _start_dask(tasks: list[Task], limits, scheduler: str, stack: ExitStack) -> Iterator[tuple[Task, dict]]:
    """Send every task to the dask.distributed cluster at ``scheduler``; yield results as they finish."""
    from distributed import Client, as_completed as dask_completed

    try:
        client = stack.enter_context(Client(scheduler, timeout="30s"))
    except (OSError, ValueError) as exc:  # no answer; an address without a port
        raise SchedulerUnreachable(f"cannot reach the dask scheduler at {scheduler}: {exc}") from exc
    futures = {client.submit(grade_bytes, *_arguments(t, limits), key=f"grade-{t.key}", pure=False): t
               for t in tasks}
    return ((futures[f], _outcome(f.result)) for f in dask_completed(futures))


def _outcome(get: Callable[[], dict]) -> dict:
    """The worker's result, or an "error" result when the grading machinery itself failed."""
    try:
        return untrusted.scrub_tree(get())  # whatever a worker returns is the submission's text too
    except Exception as exc:  # e.g. a lost dask worker, not the student's code
        return {"status": "error", "scores": {}, "messages": {}, "seconds": 0.0, "peak_memory_mb": 0.0, "timing": {},
                "notes": [f"the grader failed: {type(exc).__name__}: {exc}"], "feedback_notebook": None,
                "autograded_notebook": None}


def plan(submissions: Iterable[Submission], ws: Workspace, sources: dict, limits,
         secret: bytes) -> tuple[dict, list[Task]]:
    """Store the submissions in the workspace and split them into done and to-do.

    Returns the updated index ``{slot: key}`` and the tasks whose result is not on disk. Each
    student's hidden cases are drawn from ``secret`` and their id (``hidden_seed``), part of the key.
    """
    grader_sha = grader_fingerprint()
    source_sha = {name: sha256(path.read_bytes()) for name, path in sources.items()}
    index = ws.load_index()
    tasks = []
    for sub in submissions:
        slot = (sub.student, sub.assignment, sub.notebook)
        seed = hidden_seed(secret, sub.student)
        key = result_key(sub, source_sha[slot[1:]], grader_sha, f"{limits!r} hidden_seed={seed}")
        if not sub.status:
            ws.store_submission(sub)
        index[slot] = key
        if ws.load_result(key) is None:
            tasks.append(Task(slot, key, sub, sources[slot[1:]], seed))
    ws.save_index(index)
    return index, tasks


def assignment_checksums(sources: dict[tuple[str, str], Path], assignments: set[str]) -> dict[str, str]:
    """``{assignment: hash of its source notebooks}`` for the given assignments."""
    return {
        a: sha256(b"".join(sources[k].read_bytes() for k in sorted(sources) if k[0] == a))
        for a in assignments
    }


class _Recorder:
    """Everything that follows a result: gradebook, autograded copy, feedback, what was recorded."""

    def __init__(self, writer: GradebookWriter, ws: Workspace, submissions: list[Submission], outcome: Outcome):
        self.writer, self.ws, self.outcome = writer, ws, outcome
        self.shas = {(s.student, s.assignment, s.notebook): submission_sha(s) for s in submissions}
        self.recorded = ws.load_recorded()

    def record(self, slot: Slot, result: dict) -> None:
        sha = self.shas.get(slot, self.recorded.get(slot))
        self.writer.record(slot, result, changed=self.recorded.get(slot, sha) != sha)
        self.recorded[slot] = sha
        self.ws.store_autograded(slot, result.get("autograded_notebook"))
        self.outcome.results[slot] = result

    def write_feedback(self, student: str | None = None) -> None:
        """Feedback pages of one student (or all), with what was graded by hand."""
        mine = {k: r for k, r in self.outcome.results.items() if student in (None, k[0])}
        feedback.write_all(mine, self.ws.feedback_dir, {k: self.writer.manual_part(k) for k in mine})

    def finish(self) -> None:
        self.ws.save_recorded(self.recorded)


def run(submissions: list[Submission], ws: Workspace, source_dir: Path, limits, *, jobs: int,
        scheduler: str | None, db_url: str, progress, secret: bytes) -> Outcome:
    """Grade what is new, record it in the gradebook, write feedback; return all current results.

    ``secret``: the course's secret, from which each student's hidden cases are drawn."""
    sources = source_notebooks(source_dir)
    index, tasks = plan(submissions, ws, sources, limits, secret)
    outcome = Outcome()
    to_run = [t for t in tasks if not t.submission.status]
    not_run = ((t, _outcome(lambda t=t: _not_run(t))) for t in tasks if t.submission.status)
    with ExitStack() as stack:  # grading starts first; the gradebook is set up while it runs
        if scheduler:
            stream = _start_dask(to_run, limits, scheduler, stack)
        else:
            stream = _start_local(to_run, limits, jobs, stack)
        stream = itertools.chain(not_run, stream)
        writer = GradebookWriter(db_url, ws.root, source_dir)
        stack.callback(writer.close)
        writer.register(assignment_checksums(sources, {slot[1] for slot in index}))
        recorder = _Recorder(writer, ws, submissions, outcome)
        stack.callback(recorder.finish)
        for slot, key in sorted(index.items()):
            result = ws.load_result(key)
            if result is not None:
                recorder.record(slot, result)
                outcome.reused += 1
        progress.start(len(tasks))
        pending = Counter(t.slot[0] for t in tasks)
        for task, result in stream:
            if result["status"] != "error":  # the grader's own failure: kept out, re-run retries it
                ws.save_result(task.key, result)
            recorder.record(task.slot, result)
            outcome.graded_now += 1
            student = task.slot[0]
            pending[student] -= 1
            if not pending[student]:  # while the others are graded, this student's page is written
                recorder.write_feedback(student)
            progress.update(f"{student}/{task.slot[1]}: {result['status']}")
        progress.finish()
        recorder.write_feedback()
        outcome.scores, outcome.max_scores = writer.totals(index)
    return outcome


def default_jobs() -> int:
    return os.cpu_count() or 1
