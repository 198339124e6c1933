"""Grade one submission: integrity, static scan, sandboxed run, scores the kernel cannot fake.

``grade_submission(notebook, source, limits)`` never raises for a bad submission; it returns a
``SubmissionResult`` whose ``status`` is one of:
  graded              ran to the end (notes list any restored cells or truncated output)
  timed out           the whole-notebook wall clock ran out; tests finished before it count
  out of memory       the memory limit was hit; tests finished before it count
  kernel died         the kernel exited (os._exit, segfault ...); tests finished before it count
  malformed notebook  not readable as a notebook;        0 points, not run
  wrong assignment    none of the source's cell ids;      0 points, not run
  empty               an empty file or a notebook without cells; 0 points, not run
  tampered            code that modifies the grader, numpy, nnkit or the kernel (static scan), or
                      a test whose result the kernel misreported; 0 points, the message says where
  error               the grader itself failed (sandbox did not start ...); 0 points, re-run it
Every autograded test cell of the source gets a score; every 0 comes with a message.

A test cell of checker calls (``check.predict(predict, hidden=True)``) is decided here, in the
grader's process, outside the sandbox (``verdicts``, nnkit.checks.remote); the runner relays its
questions to the kernel, and its event carries the verdict. Any other
test cell passes only if (1) the kernel's execute_reply says "ok", (2) it produced no error output
and (3) it printed the per-run nonce marker the runner appended. A reply "error" without an error
output, or "ok" without the marker and without an error, means the kernel's reporting was subverted
(e.g. IPython's showtraceback replaced): "tampered". The second line, against a learner who attacks
the kernel (see static_scan and kernel_guard): the static scan refuses code that reaches kernel or
interpreter internals; an audit hook refuses gc walks, trace hooks, ctypes and code swaps; before
each test the originals of numpy, nnkit, builtins, IPython's display and the kernel's send path are
put back. A restore that fails before a decided test also makes the submission "tampered".
Messages give the exception's type and message (nnkit.checks puts the case and hint there),
never a traceback, so hidden test source cannot leak; the feedback notebook has hidden test
blocks removed and tracebacks of test cells dropped.
"""
from __future__ import annotations

import copy
import json
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder import integrity, static_scan, test_calls, verdicts
from autograder.sandbox import Limits, describe_protections, run_notebook

__all__ = ["Limits", "SubmissionResult", "grade_submission", "not_graded", "describe_protections"]

_MESSAGE_CAP = 2000
GUARD = Path(__file__).with_name("kernel_guard.py")  # runs in the kernel: sent as text, never imported here


@dataclass
class SubmissionResult:
    """The outcome of grading one submission (picklable)."""

    status: str
    scores: dict[str, tuple[float, float]] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    peak_memory_mb: float | None = None
    feedback_notebook: dict | None = None
    autograded_notebook: dict | None = None  # as nbgrader's autograde leaves it: hidden tests, tracebacks
    timing: dict = field(default_factory=dict)  # phase -> seconds (sandbox.RunOutcome.timing, "grader")


def _zero(tests: dict[str, float], message: str) -> tuple[dict, dict]:
    return {g: (0.0, p) for g, p in tests.items()}, {g: message for g in tests}


def not_graded(tests: dict[str, float], status: str, reason: str) -> SubmissionResult:
    """The result of a submission that is not run (``tests``: grade_id -> points): 0 points, the reason."""
    scores, messages = _zero(tests, f"not graded: {reason}")
    return SubmissionResult(status, scores, messages, [reason])


def _test_message(errors: list[list[str]], reply: str | None) -> str:
    if errors:
        ename, evalue = errors[-1]
        text = f"{ename}: {evalue}" if evalue else f"{ename} (a test failed without a message)"
        return text if len(text) <= _MESSAGE_CAP else text[:_MESSAGE_CAP] + " ..."
    return f"the test did not complete (kernel reply: {reply})"


def _feedback(nb: nbformat.NotebookNode, test_cells: set[int]) -> dict:
    """The executed notebook without hidden tests and without tracebacks in test cells."""
    nb = copy.deepcopy(nb)
    for index, cell in enumerate(nb.cells):
        cell.source = integrity.strip_hidden_tests(cell.source)
        if index in test_cells and cell.cell_type == "code":
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    out["traceback"] = []
    return _plain_json(nb)


def _plain_json(nb: nbformat.NotebookNode) -> dict:
    """The notebook as plain JSON types: picklable and serialisable anywhere."""
    return json.loads(json.dumps(nb))


def _source_imports(source: nbformat.NotebookNode) -> tuple[dict[str, str], str, set[str]]:
    """Names the source's fixed cells import, the import lines that rebind those its test cells
    use (e.g. ``check``) before each test, and the nnkit modules the source itself imports."""
    code = [integrity.strip_hidden_tests(c.source) for c in source.cells if c.cell_type == "code"]
    fixed = [c.source for c in source.cells
             if c.cell_type == "code" and not integrity.nbgrader_meta(c).get("solution")]
    bound = static_scan.imported_modules(fixed)
    used = static_scan.names_used([c.source for c in source.cells if integrity.is_autograded_test(c)])
    protected = {k: v for k, v in bound.items() if k in used}
    lines = []
    for name, target in protected.items():
        module, _, attr = target.rpartition(".")
        lines.append(f"import {target} as {name}" if not module or _is_module(target)
                     else f"from {module} import {attr} as {name}")
    return bound, "\n".join(lines), static_scan.nnkit_modules(static_scan.imported_modules(code))


def _is_module(dotted: str) -> bool:
    import importlib.util
    try:
        return importlib.util.find_spec(dotted) is not None
    except (ImportError, ValueError):
        return False


def grade_submission(notebook_path: Path, source_path: Path, limits: Limits = Limits(),
                     hidden_seed: int | None = None, second_line: bool = True) -> SubmissionResult:
    """Grade one submitted notebook against its source notebook; never raises for bad submissions.

    ``hidden_seed``: the seed of the checkers' hidden random cases (None: nnkit's default).
    ``second_line=False`` switches off the static scan, the audit hook and the restores (only for
    the test showing that the verdict outside the kernel stops every attack by itself)."""
    started = time.monotonic()
    try:
        result = _grade(Path(notebook_path), Path(source_path), limits, hidden_seed, second_line)
    except Exception as e:  # the grader's own failure: report, never crash the batch
        try:
            tests = integrity.source_tests(integrity.read_source(Path(source_path)))
        except Exception:
            tests = {}
        scores, messages = _zero(tests, "not graded: internal grader error; flagged for a re-run")
        result = SubmissionResult("error", scores, messages, [f"grader error: {type(e).__name__}: {e}"])
    result.seconds = time.monotonic() - started
    if result.timing:  # what this process spent around the sandbox: checks, integrity, scoring
        inside = sum(t.get("wall", 0.0) for t in result.timing.values())
        result.timing["grader"] = {"wall": max(0.0, result.seconds - inside)}
    return result


def _graded_calls(nb: nbformat.NotebookNode, test_index: dict[int, str], bound: dict[str, str]) -> dict:
    """``{cell index: [(exercise, function, hidden), ...]}`` of the test cells the runner decides:
    those made of checker calls whose cases can all travel to the kernel (nnkit.checks.remote)."""
    from nnkit.checks import EXERCISES, remote

    aliases = test_calls.checker_aliases(bound)
    found = {i: test_calls.graded_calls(nb.cells[i].source, aliases, set(EXERCISES)) for i in test_index}
    return {str(i): calls for i, calls in found.items()
            if calls and all(remote.splittable(EXERCISES[name], hidden) for name, _, hidden in calls)}


def _grade(path: Path, source_path: Path, limits: Limits, hidden_seed: int | None,
           second_line: bool = True) -> SubmissionResult:
    source = integrity.read_source(source_path)
    tests = integrity.source_tests(source)
    try:
        rec = integrity.reconcile(integrity.read_submission(path), source)
    except integrity.SubmissionProblem as problem:
        return not_graded(tests, problem.status, problem.message)
    nb = rec.notebook
    test_index = {i: g for g, (i, _) in rec.tests.items()}
    bound, imports, allowed = _source_imports(source)
    learner_cells = [(i, c.source) for i, c in enumerate(nb.cells)
                     if c.cell_type == "code" and not integrity.nbgrader_meta(c).get("locked")]
    findings = static_scan.scan(learner_cells, bound, allowed) if second_line else []
    if findings:
        first = findings[0].message()
        scores, messages = _zero(tests, f"not graded: the notebook tampers with grading ({first})")
        notes = rec.notes + [f"tampering: {f.message()}" for f in findings]
        return SubmissionResult("tampered", scores, messages, notes, feedback_notebook=_feedback(nb, set(test_index)),
                                autograded_notebook=_plain_json(nb))

    working_copy = copy.deepcopy(nb)
    for cell in working_copy.cells:
        cell.source = integrity.strip_hidden_tests(cell.source)
    request = {"notebook": nb, "working_copy": working_copy, "guard_source": GUARD.read_text(encoding="utf-8"),
               "test_cells": sorted(test_index),
               "nonce": secrets.token_hex(16), "hidden_seed": hidden_seed, "second_line": second_line,
               "graded_calls": _graded_calls(nb, test_index, bound),
               "imports": imports, "notebook_name": path.name if path.suffix == ".ipynb" else "submission.ipynb"}
    outcome = run_notebook(request, limits, verdicts.decider(request["graded_calls"], hidden_seed))
    return _score(rec, test_index, outcome, limits)


def _score(rec: integrity.Reconciled, test_index: dict[int, str], outcome, limits: Limits) -> SubmissionResult:
    """The result of a run: its status, then each test's points from the runner's events."""
    cells = {e["index"]: e for e in outcome.events if e.get("event") == "cell"}
    done = next((e for e in outcome.events if e.get("event") == "done"), None)
    notes = list(rec.notes)
    status, why = _run_status(outcome, cells, done, limits, notes)
    scores, messages, tampered = _test_scores(rec, cells, why)
    if tampered and status not in ("timed out", "out of memory", "kernel died"):
        status = "tampered"
        scores = {g: (0.0, p) for g, (_, p) in rec.tests.items()}
        messages = {g: f"not graded: the kernel misreported the result of test cell {', '.join(tampered)} "
                       "(error display or test code subverted)" for g in rec.tests}
        notes.append(f"tampering detected at run time in {', '.join(tampered)}")
    nb = nbformat.from_dict(done["notebook"]) if done else rec.notebook
    return SubmissionResult(status, scores, messages, notes, peak_memory_mb=outcome.peak_memory_mb,
                            feedback_notebook=_feedback(nb, set(test_index)), autograded_notebook=_plain_json(nb),
                            timing=outcome.timing)


def _run_status(outcome, cells: dict, done: dict | None, limits: Limits, notes: list[str]) -> tuple[str, str]:
    """``(status, why)`` of the whole run (why: "" when it ran to the end); notes what went wrong."""
    dead = next((e for e in outcome.events if e.get("event") == "dead"), None)
    guard_failed = any(e.get("event") == "guard_failed" for e in outcome.events)
    memory_error = any(name == "MemoryError" for e in cells.values() for name, _ in e.get("errors", []))
    if outcome.timed_out:
        status, why = "timed out", f"the notebook hit the time limit of {limits.timeout_s:g} s"
    elif outcome.out_of_memory or (dead and memory_error):
        status, why = "out of memory", f"the notebook hit the memory limit of {limits.memory_mb} MB"
    elif dead:
        reason = dead.get("reason", "the kernel died")
        status, why = "kernel died", f"{reason} while running cell {dead['index'] + 1}"
    elif guard_failed or done is None:
        status, why = "error", "the grader's runner did not finish; flagged for a re-run"
        notes.append(f"runner exit code {outcome.exit_code}: {outcome.stderr[-3000:]}")
    else:
        status, why = ("out of memory", "a cell ran out of memory") if memory_error else ("graded", "")
    if why:
        notes.append(why)
    if done and done.get("truncated"):
        notes.append(f"output was truncated at {limits.max_output_bytes} bytes")
    return status, why


def _test_scores(rec: integrity.Reconciled, cells: dict, why: str) -> tuple[dict, dict, list[str]]:
    """Points and messages per test; the tests whose reply, error output, marker or guard disagree."""
    scores, messages, tampered = {}, {}, []
    for gid, (index, points) in rec.tests.items():
        event = cells.get(index)
        if event is None:
            scores[gid], messages[gid] = (0.0, points), f"not run: {why}" if why else "not run"
            continue
        if "verdict" in event:
            scores[gid], message, broken = _decided_score(event, points)
            if message:
                messages[gid] = message
            if broken:
                tampered.append(gid)
            continue
        errors, reply = event.get("errors", []), event.get("reply")
        if reply == "ok" and not errors and event.get("marker") and event.get("guard") == "ok":
            scores[gid] = (points, points)
            continue
        scores[gid] = (0.0, points)
        if (reply == "error" and not errors) or (reply == "ok" and not errors and not event.get("marker")) \
                or event.get("guard") != "ok":
            tampered.append(gid)
        messages[gid] = _test_message(errors, reply)
    return scores, messages, tampered


def _decided_score(event: dict, points: float) -> tuple[tuple[float, float], str | None, bool]:
    """A test the runner decided: its points, its message, and whether the restore before it failed."""
    restored = event.get("guard") in ("ok", "off")
    if event["verdict"]["passed"] and restored:
        return (points, points), None, False
    message = event["verdict"]["message"] or "the restore before the test failed"
    return (0.0, points), _test_message([["CheckFailed", message]], None), not restored
