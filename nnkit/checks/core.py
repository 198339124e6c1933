"""The exercise spec and the runner that turns a spec into a learner-facing checker.

An ``Exercise`` is data: the reference, the cases, the known mistakes (``Mutant``s with
their hints) and how results are compared. ``run`` executes the learner's function on
every case and raises ``AssertionError`` with a message a learner can act on.
"""

from __future__ import annotations

import copy
import functools
import inspect
import warnings
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from nnkit.checks._compare import compare, show
from nnkit.checks._guard import TimeUp, learner_line, reference_use, time_limit

TIME_LIMIT = 5.0  # seconds per case for the learner's function


@dataclass(frozen=True)
class Case:
    """One call of the learner's function: a short description and the arguments."""

    label: str
    args: tuple
    kwargs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Mutant:
    """A small realistic mistake: its implementation and the hint shown when it is recognised."""

    name: str
    fn: Callable
    hint: str


@dataclass(frozen=True, eq=False)
class Exercise:
    """Everything a checker knows about one exercise.

    reference: computes the expected result (a private copy of the nnkit function).
    public_reference: the nnkit function the learner's code must not call in hidden mode.
    cases / hidden_cases: zero-argument builders of the visible / hidden ``Case`` lists.
    outputs: names of the parts of a tuple result, e.g. ``("w_new", "b_new")``.
    parts: names of the items of tuples inside an output, e.g. ``{"history": ("index", ...)}``.
    observe: when set, results are compared through ``observe(result)`` (``observe_label``)
    and only the raw result's structure must match the reference's.
    slow_hint: the likely reason when the learner's function runs past the time limit.
    """

    name: str
    reference: Callable
    public_reference: Callable
    cases: Callable[[], list]
    hidden_cases: Callable[[], list]
    mutants: tuple
    outputs: tuple = ()
    parts: dict = field(default_factory=dict)
    rtol: float = 1e-7
    atol: float = 1e-9
    observe: Callable | None = None
    observe_label: str = ""
    slow_hint: str = ""

    def case_list(self, hidden: bool = False) -> list:
        """The cases of one mode, built once."""
        return _cases(self, hidden)

    def problem(self, expected, got) -> str | None:
        """First difference between ``got`` and ``expected``, or None when ``got`` is right."""
        name = self.outputs[0] if len(self.outputs) == 1 else "your result"
        if got is None and expected is not None:
            return f"your function returned None (expected {show(expected)}): did you forget a `return`?"
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

    def hints(self, case: Case, got, passed: tuple = ()) -> list[str]:
        """Hints of the mutants whose result on ``case`` equals ``got``.

        Mutants that would also have failed one of the ``passed`` cases explain less of what
        the learner's function did; they are shown only when no other mutant fits.
        """
        matching = [m for m in self.mutants if self._agrees(m, case, got)]
        consistent = [m for m in matching if all(self._agrees(m, c, self.expected(c)) for c in passed)]
        return [m.hint for m in consistent or matching]

    def expected(self, case: Case):
        """The reference's result on ``case`` (computed on copies of its arguments)."""
        return self.reference(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))

    def _agrees(self, mutant: Mutant, case: Case, result) -> bool:
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                out = mutant.fn(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
            return self.problem(out, result) is None
        except Exception:  # the mistake crashes here, or returns something not comparable
            return False


VISIBLE_SEED = 0
HIDDEN_SEED = 1_000_003  # hidden cases never share a random stream with the visible ones


def seeded_cases(fixed: Callable[[], list], random_case: Callable, n_visible: int, n_hidden: int) -> dict:
    """``cases`` and ``hidden_cases`` builders: the fixed edge cases, then seeded random ones.

    ``random_case(rng) -> Case`` draws one case; hidden cases use another seed and more draws.
    """

    def build(seed: int, n: int) -> list:
        rng = np.random.default_rng(seed)
        return [*fixed(), *(random_case(rng) for _ in range(n))]

    return {
        "cases": functools.partial(build, VISIBLE_SEED, n_visible),
        "hidden_cases": functools.partial(build, HIDDEN_SEED, n_hidden),
    }


@functools.cache
def _cases(exercise: Exercise, hidden: bool) -> list:
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


def run(ex: Exercise, fn, hidden: bool = False) -> None:
    """Check ``fn`` against ``ex``; print one line on success, raise AssertionError otherwise."""
    if not callable(fn):
        raise AssertionError(
            f"check.{ex.name} needs your function `{ex.name}` as its argument; "
            f"got {type(fn).__name__} {show(fn)}."
        )
    if hidden:
        used = reference_use(fn, forbidden=(ex.public_reference,))
        if used:
            raise AssertionError(
                f"{ex.name}: your function calls nnkit's reference implementation ({used}). "
                "Write the computation yourself: the graded tests check your own code."
            )
    cases = ex.case_list(hidden)
    for number, case in enumerate(cases, 1):
        _run_case(ex, fn, case, f"check {number} of {len(cases)}", passed=tuple(cases[: number - 1]))
    kind = " hidden" if hidden else ""
    print(f"✓ {ex.name} passes {len(cases)}{kind} check{'s' if len(cases) != 1 else ''}.")


def _run_case(ex: Exercise, fn, case: Case, where: str, passed: tuple) -> None:
    expected = ex.expected(case)
    args, kwargs = copy.deepcopy(case.args), copy.deepcopy(case.kwargs)
    header = f"{ex.name} fails {where}: {case.label}.\n  input:    {_show_input(ex, case)}\n"
    try:
        with time_limit(TIME_LIMIT):
            got = fn(*args, **kwargs)
    except TimeUp:
        raise AssertionError(
            f"{header}  your function did not finish within {TIME_LIMIT:g} s: is there a loop that "
            f"never ends?{' ' + ex.slow_hint if ex.slow_hint else ''}"
        ) from None
    except NotImplementedError:
        raise AssertionError(
            f"{ex.name} is not implemented yet: replace `raise NotImplementedError` with your code."
        ) from None
    except Exception as exc:
        raise AssertionError(
            f"{header}  your function raised {type(exc).__name__}: {exc}{learner_line(exc)}"
        ) from None
    changed = _changed_argument(ex, case, args, kwargs)
    if changed:
        raise AssertionError(header + changed)
    problem = ex.problem(expected, got)
    if problem:
        message = header + _expected_got(ex, expected, got) + f"  problem:  {problem}"
        hints = ex.hints(case, got, passed)
        if hints:
            message += "\nHint: it looks like " + "\n  or: ".join(hints)
        raise AssertionError(message)


def _parameter_names(ex: Exercise, case: Case) -> list[str]:
    names = list(inspect.signature(ex.reference).parameters)[: len(case.args)]
    return names + list(case.kwargs)


def _show_input(ex: Exercise, case: Case) -> str:
    values = [*case.args, *case.kwargs.values()]
    if not values:
        return "(no arguments)"
    return ", ".join(f"{n} = {show(v)}" for n, v in zip(_parameter_names(ex, case), values))


def _expected_got(ex: Exercise, expected, got) -> str:
    if ex.observe is None:
        return f"  expected: {show(expected)}\n  got:      {show(got)}\n"
    try:
        seen = f"  ->  {ex.observe_label} = {show(ex.observe(got))}"
    except Exception:
        seen = ""
    return f"  expected: {ex.observe_label} = {show(ex.observe(expected))}\n  got:      {show(got)}{seen}\n"


def _changed_argument(ex: Exercise, case: Case, args: tuple, kwargs: dict) -> str | None:
    before = [*case.args, *case.kwargs.values()]
    after = [*args, *kwargs.values()]
    for name, old, new in zip(_parameter_names(ex, case), before, after):
        if not _same(old, new):
            return (
                f"  your function changed its input `{name}` in place (before: {show(old)}, "
                f"after: {show(new)}).\n  Build a new value instead: `{name} = {name} + ...` "
                f"makes a new array, `{name} += ...` or `{name}[...] = ...` overwrites the caller's."
            )
    return None


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    return a is b or a == b


def make_checker(ex: Exercise) -> Callable:
    """The public ``check.<name>(fn, hidden=False)`` function for ``ex``."""

    def checker(fn, hidden: bool = False) -> None:
        run(ex, fn, hidden)

    checker.__name__ = checker.__qualname__ = ex.name
    checker.__doc__ = (
        f"Check your `{ex.name}` against the reference on edge cases and seeded random cases.\n\n"
        "Prints one line when every case passes; otherwise raises AssertionError naming the\n"
        "case, the input, the expected and the obtained result, and the likely mistake."
    )
    checker.exercise = ex
    return checker
