"""Which test cells the grader decides itself: those made only of nnkit checker calls.

A test cell such as ``check.predict(predict)`` followed by ``check.predict(predict, hidden=True)``
is not run as code in the learner's kernel: the runner asks nnkit.checks.remote for each call's
verdict, so the kernel only ever runs the learner's function. A test cell holding anything else
(an instructor's own asserts) runs in the kernel, as nbgrader runs it, under the marker check.
"""

from __future__ import annotations

import ast

Call = tuple[str, str, bool]  # (exercise, the learner's function name, hidden)


def checker_aliases(bound: dict[str, str]) -> set[str]:
    """Names the source's imports bind to ``nnkit.checks`` (e.g. ``check``)."""
    return {name for name, target in bound.items() if target == "nnkit.checks"}


def graded_calls(source: str, aliases: set[str], exercises: set[str]) -> list[Call] | None:
    """The checker calls that make up test cell ``source``, or None if it holds anything else."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return None
    calls = [_checker_call(stmt, aliases, exercises) for stmt in body]
    return calls if calls and all(calls) else None


def _checker_call(stmt: ast.stmt, aliases: set[str], exercises: set[str]) -> Call | None:
    call = stmt.value if isinstance(stmt, ast.Expr) else None
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name) and call.func.value.id in aliases
            and call.func.attr in exercises and len(call.args) == 1 and isinstance(call.args[0], ast.Name)):
        return None
    hidden = False
    for keyword in call.keywords:
        if keyword.arg != "hidden" or not isinstance(keyword.value, ast.Constant) \
                or not isinstance(keyword.value.value, bool):
            return None
        hidden = keyword.value.value
    return call.func.attr, call.args[0].id, hidden
