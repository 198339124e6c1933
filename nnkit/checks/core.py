"""The exercise spec and the checker that turns a spec into a learner-facing function.

An ``Exercise`` is data: the reference, the cases, the known mistakes (``Mutant``s with
their hints), how results are compared and the notebook section it rests on. ``run``
executes the learner's function on the cases (``runner``) and, when a value is wrong,
raises ``CheckFailed`` (an AssertionError) with the diagnosis (``report``) a learner can act on.
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import functools
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from nnkit.checks import report, runner
from nnkit.checks._compare import compare, show
from nnkit.checks._guard import reference_use


@dataclass(frozen=True)
class Case:
    """One call of the learner's function: a short description and the arguments."""

    label: str
    args: tuple
    kwargs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Mutant:
    """A small realistic mistake: its implementation and the hint shown when it is recognised.

    ``variants`` are other codings of the same slip (another constant for the learning rate,
    another sign convention); the hint is shown when one coding explains every case.
    """

    name: str
    fn: Callable
    hint: str
    variants: tuple = ()

    def codings(self) -> tuple:
        """``fn`` and its variants."""
        return (self.fn, *self.variants)


@dataclass(frozen=True)
class Dimension:
    """One way the cases vary: ``of(case)`` is its value in a case, ``values`` those the spec allows.

    The visible cases reach the first and the last of ``values`` (e.g. 1 and 5 features), the
    hidden cases every one, so that an answer hard-coding a size or a sign never passes.
    """

    name: str
    of: Callable
    values: tuple


@dataclass(frozen=True, eq=False)
class Exercise:
    """Everything a checker knows about one exercise.

    reference: computes the expected result (a private copy of the nnkit function).
    public_reference: the nnkit function the learner's code must not call in hidden mode.
    cases / hidden_cases: zero-argument builders of the visible / hidden ``Case`` lists.
    mutants: the known mistakes, each with its hint (named only when it explains every case).
    section: the notebook section the exercise rests on, e.g. "1. A neuron that votes".
    outputs: names of the parts of a tuple result, e.g. ``("w_new", "b_new")``.
    parts: names of the items of tuples inside an output, e.g. ``{"history": ("index", ...)}``.
    observe: when set, results are compared through ``observe(result)`` (``observe_label``)
    and only the raw result's structure must match the reference's.
    slow_hint: the likely reason when the learner's function runs past the time limit.
    none_is_an_answer: None is a right result for some inputs (not a forgotten ``return``).
    quiet: numpy's floating-point warnings (overflow, invalid value) in the learner's function fail
    a case, as the reference raises none (a stable sigmoid); mutants must warn alike to be named.
    varies: the ``Dimension``s the cases vary along (features, batch size, label sign, ...).
    allowed: nnkit functions the notebook hands out as building blocks (the learner may call them).
    """

    name: str
    reference: Callable
    public_reference: Callable
    cases: Callable[[], list]
    hidden_cases: Callable[[], list]
    mutants: tuple
    section: str
    outputs: tuple = ()
    parts: dict = field(default_factory=dict)
    rtol: float = 1e-7
    atol: float = 1e-9
    observe: Callable | None = None
    observe_label: str = ""
    slow_hint: str = ""
    none_is_an_answer: bool = False
    quiet: bool = False
    varies: tuple = ()
    allowed: tuple = ()

    def case_list(self, hidden: bool = False) -> list:
        """The cases of one mode, built once."""
        return _cases(self, hidden, hidden_seed() if hidden else VISIBLE_SEED)

    def problem(self, expected, got) -> str | None:
        """First difference between ``got`` and ``expected``, or None when ``got`` is right."""
        name = self.outputs[0] if len(self.outputs) == 1 else "your result"
        if got is None and expected is not None:
            why = "" if self.none_is_an_answer else ": did you forget a `return`?"
            return f"your function returned None (expected {show(expected)}){why}"
        if len(self.outputs) > 1:
            problem = _compare_named(self, expected, got)
        else:
            problem = compare(expected, got, name, self.rtol, self.atol, values=self.observe is None)
        if problem or self.observe is None:
            return problem
        try:
            seen = self.observe(got)
        except Exception as exc:
            return f"{self.observe_label} fails on your result: {type(exc).__name__}: {exc}"
        return compare(self.observe(expected), seen, "output", self.rtol, self.atol)

    def expected(self, case: Case):
        """The reference's result on ``case`` (computed on copies of its arguments)."""
        return self.reference(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))


VISIBLE_SEED = 0
# The hidden random cases' seed. Never shares a stream with the visible ones; the batch grader sets
# it, before any learner code runs, to a value drawn from the course's secret and the student id,
# so that no answer table built from this default scores anything.
HIDDEN_SEED = 1_000_003
_SEED_HERE = contextvars.ContextVar("hidden_seed", default=None)


def hidden_seed() -> int:
    """The seed of the hidden cases: this thread's (``seeded_with``), else ``HIDDEN_SEED``."""
    seed = _SEED_HERE.get()
    return HIDDEN_SEED if seed is None else seed


@contextlib.contextmanager
def seeded_with(seed: int | None):
    """Hidden cases drawn from ``seed`` in this thread only (a grader deciding for several students
    at once in threads); None keeps ``HIDDEN_SEED``."""
    token = _SEED_HERE.set(seed)
    try:
        yield
    finally:
        _SEED_HERE.reset(token)


def seeded_cases(fixed: Callable[[], list], random_case: Callable, n_visible: int, n_hidden: int) -> dict:
    """``cases`` and ``hidden_cases`` builders: the fixed edge cases, then seeded random ones.

    ``random_case(rng) -> Case`` draws one case; hidden cases use another seed and more draws.
    """

    def build(seed: int, n: int) -> list:
        rng = np.random.default_rng(seed)
        return [*fixed(), *(random_case(rng) for _ in range(n))]

    return {
        "cases": functools.partial(build, VISIBLE_SEED, n_visible),
        "hidden_cases": lambda: build(hidden_seed(), n_hidden),  # the seed as it is when the cases are built
    }


@functools.lru_cache(maxsize=512)  # a grader sees one seed per student: a bounded cache
def _cases(exercise: Exercise, hidden: bool, seed: int) -> list:
    """The cases of one mode, built once per seed (``seed`` is part of the cache key)."""
    return list(exercise.hidden_cases() if hidden else exercise.cases())


def _compare_named(ex: Exercise, expected, got) -> str | None:
    if not isinstance(got, (tuple, list)):
        return f"expected a tuple ({', '.join(ex.outputs)}), got {type(got).__name__} {show(got)}"
    if len(got) != len(ex.outputs):
        return f"expected {len(ex.outputs)} values ({', '.join(ex.outputs)}), got {len(got)} values"
    for name, e, g in zip(ex.outputs, expected, got):
        problem = compare(e, g, name, ex.rtol, ex.atol, ex.observe is None, ex.parts.get(name, ()))
        if problem:
            return problem
    return None


class CheckFailed(AssertionError):
    """A failed self-check. In IPython and Jupyter it shows as its message alone
    (``_render_traceback_``): the learner reads what teaches, not nnkit's code. It is still an
    error, so "Run All" stops there and nbgrader counts the test as failed."""

    def _render_traceback_(self) -> list[str]:
        first, *rest = str(self).splitlines() or [""]
        return [f"\x1b[0;31m{type(self).__name__}\x1b[0m: {first}", *rest]


def run(ex: Exercise, fn, hidden: bool = False) -> None:
    """Check ``fn`` against ``ex``; print one line on success, raise CheckFailed otherwise.

    A failure is a ``CheckFailed``: IPython shows its message alone, never nnkit's frames."""
    problem = precheck(ex, fn, hidden)
    if problem:
        raise CheckFailed(problem)
    verdict = examine(ex, fn, hidden)
    if verdict is not None:
        raise CheckFailed(report.message(ex, verdict, len(ex.case_list(hidden))))
    print(passed(ex, hidden))


def precheck(ex: Exercise, fn, hidden: bool) -> str | None:
    """Why ``fn`` cannot be checked at all (not a function; in hidden mode, nnkit's reference), or None."""
    if not callable(fn):
        return (f"check.{ex.name} needs your function `{ex.name}` as its argument; "
                f"got {type(fn).__name__} {show(fn)}.")
    used = reference_use(fn, forbidden=(ex.public_reference,), allowed=ex.allowed) if hidden else None
    if used:
        return (f"{ex.name}: your function calls nnkit's reference implementation ({used}). "
                "Write the computation yourself: the graded tests check your own code.")
    return None


def passed(ex: Exercise, hidden: bool) -> str:
    """The line printed when every case of one mode passes."""
    total = len(ex.case_list(hidden))
    return f"✓ {ex.name} passes {total}{' hidden' if hidden else ''} check{'s' if total != 1 else ''}."


def examine(ex: Exercise, fn, hidden: bool = False, call=runner.call_here) -> report.Diagnosis | None:
    """Run ``fn`` on the cases of one mode: None when all pass, else the diagnosis.

    ``call`` runs one call of ``fn`` (``runner.attempts``); raises CheckFailed when ``fn`` is unfinished."""
    try:
        done = runner.attempts(ex, fn, ex.case_list(hidden), call)
    except runner.NotDone:
        raise CheckFailed(
            f"{ex.name} is not implemented yet: replace `raise NotImplementedError` with your code."
        ) from None
    if all(not a.problem and not a.broken for a in done):
        return None
    return report.diagnosis(ex, done)


def make_checker(ex: Exercise) -> Callable:
    """The public ``check.<name>(fn, hidden=False)`` function for ``ex``."""

    def checker(fn, hidden: bool = False) -> None:
        run(ex, fn, hidden)

    checker.__name__ = checker.__qualname__ = ex.name
    checker.__doc__ = (
        f"Check your `{ex.name}` against the reference on edge cases and seeded random cases.\n\n"
        "Prints one line when every case passes; otherwise raises CheckFailed showing the\n"
        "smallest failing case (input, expected and obtained result) and what went wrong."
    )
    checker.exercise = ex
    return checker
