"""A check decided in the grading process while the learner's function runs in the learner's kernel.

The self-check (``core.run``) does everything in one process. The batch grader splits it:
the kernel side only calls the learner's function on the arguments it is sent and answers with
what came back (``answer_probe``, ``answer_call``); the grading side builds the cases, computes
the expected values, compares, diagnoses and decides (``verdict``). Both sides use the same
``Exercise`` specs and the same ``runner.attempts``, so a spec is written once and a learner
sees the same message in the feedback as in their own notebook.

Everything between the two sides is JSON data in ``nnkit.checks.wire``'s encoding. A kernel that
lies can only lie about its own function's results: it never sees an expected value.
"""

from __future__ import annotations

import time
from typing import Protocol

from nnkit.checks import EXERCISES, core, report, runner, wire

MAX_MESSAGE = 2000  # characters of a text the kernel sends (an exception's message)
BATCH_BUDGET = 2.0  # seconds of calls the kernel runs in one request before it answers


class Kernel(Protocol):
    """The grading side's line to the kernel (``autograder.verdicts`` implements it)."""

    def probe(self, exercise: str, hidden: bool) -> dict:
        """The kernel's ``answer_probe`` for the function under test."""

    def calls(self, request: dict, timeout: float) -> list[dict]:
        """The kernel's ``answer_calls`` replies; ``[{"timed_out": True}]`` past ``timeout`` s."""


# ---- kernel side: call the learner's function, send back what it did ----

def answer_probe(namespace: dict, fn_name: str, exercise: str, hidden: bool) -> dict:
    """``{"problem": message}`` when ``namespace[fn_name]`` cannot be checked (undefined, not
    callable, uses the reference), else {}."""
    if fn_name not in namespace:
        return {"problem": f"NameError: name {fn_name!r} is not defined: run the cell that defines it"}
    problem = core.precheck(EXERCISES[exercise], namespace[fn_name], hidden)
    return {"problem": problem} if problem else {}


def answer_calls(namespace: dict, fn_name: str, request: dict) -> list[dict]:
    """Run ``namespace[fn_name]`` on each of ``request["calls"]`` ({"args", "kwargs"}) in order,
    each within ``request["limit"]`` s; the outcomes, encoded. Stops after a call that raises or
    times out, and starts none after ``request["budget"]`` s."""
    fn, limit, replies = namespace.get(fn_name), float(request["limit"]), []
    deadline = time.perf_counter() + float(request["budget"])
    for one in request["calls"]:
        if replies and time.perf_counter() > deadline:
            break
        replies.append(_answer_call(fn, one, limit))
        if "got" not in replies[-1]:
            break
    return replies


def _answer_call(fn, request: dict, limit: float) -> dict:
    args, kwargs = wire.decode(request["args"]), wire.decode(request["kwargs"])
    outcome = runner.call_here(fn, args, kwargs, limit)
    if outcome.not_done or outcome.timed_out or outcome.raised is not None:
        return {"not_done": outcome.not_done, "timed_out": outcome.timed_out, "raised": outcome.raised}
    try:
        return {"got": wire.encode(outcome.got), "args": wire.encode(outcome.args),
                "kwargs": wire.encode(outcome.kwargs), "warned": outcome.warned and _bounded(outcome.warned)}
    except wire.WireError as exc:
        return {"unreadable": str(exc)}


# ---- grading side: cases, expected values, comparison, diagnosis ----

def verdict(ex: core.Exercise, hidden: bool, kernel: Kernel) -> tuple[bool, str]:
    """``check.<name>(fn, hidden)`` with ``fn`` in the kernel: ``(passed, message)``.

    What ``kernel`` raises when the kernel stops answering propagates."""
    problem = kernel.probe(ex.name, hidden).get("problem")
    if problem:
        return False, _bounded(problem)
    cases = ex.case_list(hidden)
    ahead = iter(_ask(kernel, cases, runner.TIME_LIMIT, BATCH_BUDGET))  # one round trip for most answers

    def call(_fn, args: tuple, kwargs: dict, limit: float) -> runner.Outcome:
        reply = next(ahead, None)
        if reply is None:  # the batch stopped early (a slow function): one call at a time
            [reply] = _ask(kernel, [core.Case("", args, kwargs)], limit, 0.0)[:1] or [{}]
        return outcome_of(reply, args, kwargs)

    try:
        diagnosis = core.examine(ex, None, hidden, call)
    except core.CheckFailed as failed:
        return False, str(failed)
    if diagnosis is not None:
        return False, report.message(ex, diagnosis, len(ex.case_list(hidden)))
    return True, core.passed(ex, hidden)


def splittable(ex: core.Exercise, hidden: bool) -> bool:
    """Whether every case's arguments can travel to the kernel (data and nnkit's functions: an
    exercise whose cases pass their own lambdas, e.g. a loss to differentiate, cannot be split)."""
    try:
        for case in ex.case_list(hidden):
            wire.encode((case.args, case.kwargs), strict=True)
    except wire.WireError:
        return False
    return True


def _ask(kernel: Kernel, cases: list, limit: float, budget: float) -> list[dict]:
    """The kernel's replies for ``cases`` (possibly fewer, never more)."""
    request = {"calls": [{"args": wire.encode(c.args, strict=True), "kwargs": wire.encode(c.kwargs, strict=True)}
                         for c in cases],
               "limit": limit, "budget": budget}
    replies = kernel.calls(request, budget + limit + 2.0)
    return [r if isinstance(r, dict) else {} for r in replies[: len(cases)]] if isinstance(replies, list) else []


def outcome_of(reply: dict, args: tuple, kwargs: dict) -> runner.Outcome:
    """The ``runner.Outcome`` a kernel's reply to ``answer_call`` describes; a reply that does not
    decode is a broken call (the learner's kernel sent it), never an error of the grader."""
    try:
        if reply.get("not_done") is True:
            return runner.Outcome(not_done=True)
        if reply.get("timed_out") is True:
            return runner.Outcome(timed_out=True)
        if reply.get("raised") is not None:
            return runner.Outcome(raised=_bounded(reply["raised"]))
        if reply.get("unreadable") is not None:
            return runner.Outcome(unreadable=_bounded(reply["unreadable"]))
        after_args, after_kwargs = wire.decode(reply["args"]), wire.decode(reply["kwargs"])
        if type(after_args) is not tuple or len(after_args) != len(args) or type(after_kwargs) is not dict:
            raise wire.WireError("the arguments came back in another shape")
        warned = reply.get("warned")
        if warned is not None and not isinstance(warned, str):
            raise wire.WireError("a warning that is not a text")
        return runner.Outcome(wire.decode(reply["got"]), after_args, after_kwargs,
                              warned=None if warned is None else _bounded(warned))
    except (wire.WireError, KeyError, TypeError, AttributeError) as exc:
        return runner.Outcome(unreadable=f"the kernel's reply is not a result ({exc})")


def _bounded(text) -> str:
    text = str(text)
    return text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE] + " ..."
