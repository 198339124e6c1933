"""Run a learner's function on a checker's cases and record what each call gave.

``attempts`` stops at the first call that raises, times out or changes its input (that is
the message); after the first wrong value it keeps going, within a time budget, so that
the diagnosis sees every case the learner's function can be checked on.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import time
import warnings
from dataclasses import dataclass

import numpy as np

from nnkit.checks._compare import show
from nnkit.checks._guard import TimeUp, learner_line, time_limit

TIME_LIMIT = 5.0  # seconds per case for the learner's function
MORE_CASES_BUDGET = 1.0  # seconds for the cases after the first wrong value


@dataclass(frozen=True)
class Attempt:
    """One case: its number (from 1), the expected value, and the learner's value or failure.

    ``problem`` is the first difference from the expected value (None: right); ``broken`` is
    set instead when the call raised, ran out of time or changed its input (``in_place``).
    """

    number: int
    case: object
    expected: object
    got: object = None
    problem: str | None = None
    broken: str | None = None
    in_place: bool = False
    warned: str | None = None


class NotDone(Exception):
    """The learner's function still raises NotImplementedError."""


def attempts(ex, fn, cases: list) -> list[Attempt]:
    """Attempts on ``cases`` in order, up to the first broken one or the end of the budget."""
    done, deadline = [], None
    for number, case in enumerate(cases, 1):
        limit = TIME_LIMIT if deadline is None else deadline - time.perf_counter()
        if limit <= 0:
            break
        result = attempt(ex, fn, case, number, limit)
        if result.broken and deadline is not None:
            break  # a later case that breaks is not part of the diagnosis
        done.append(result)
        if result.broken:
            break
        if result.problem and deadline is None:
            deadline = time.perf_counter() + MORE_CASES_BUDGET
    return done


def attempt(ex, fn, case, number: int, limit: float = TIME_LIMIT) -> Attempt:
    """Call ``fn`` on a copy of ``case``'s arguments and compare with the reference."""
    expected = ex.expected(case)
    args, kwargs = copy.deepcopy(case.args), copy.deepcopy(case.kwargs)
    try:
        with time_limit(limit), (floating_warnings() if ex.quiet else contextlib.nullcontext([])) as seen:
            got = fn(*args, **kwargs)
    except TimeUp:
        return Attempt(number, case, expected, broken=_slow(ex))
    except NotImplementedError:
        raise NotDone from None
    except Exception as exc:
        return Attempt(number, case, expected, broken=f"your function raised {type(exc).__name__}: "
                                                      f"{exc}{learner_line(exc)}")
    changed = _changed_argument(ex, case, args, kwargs)
    if changed:
        return Attempt(number, case, expected, got, broken=changed, in_place=True)
    warned = first_warning(seen)
    problem = ex.problem(expected, got) or (warned and _warned(warned))
    return Attempt(number, case, expected, got, problem=problem, warned=warned)


@contextlib.contextmanager
def floating_warnings():
    """Record numpy's floating-point warnings (overflow, invalid value, divide by zero) in the body."""
    with warnings.catch_warnings(record=True) as seen, np.errstate(over="warn", invalid="warn", divide="warn"):
        warnings.simplefilter("always", RuntimeWarning)
        yield seen


def first_warning(seen: list) -> str | None:
    """The text of the first RuntimeWarning recorded by ``floating_warnings``, or None."""
    return next((str(w.message) for w in seen if issubclass(w.category, RuntimeWarning)), None)


def _warned(text: str) -> str:
    return (f"numpy warned \"{text}\" inside your function: some intermediate value became inf or "
            "nan, even where the returned values look right; a stable version never overflows")


def _slow(ex) -> str:
    return (f"your function did not finish within {TIME_LIMIT:g} s: is there a loop that never ends?"
            f"{' ' + ex.slow_hint if ex.slow_hint else ''}")


def parameter_names(ex, case) -> list[str]:
    """Names of the reference's parameters that ``case`` passes, positional then keyword."""
    names = list(inspect.signature(ex.reference).parameters)[: len(case.args)]
    return names + list(case.kwargs)


def _changed_argument(ex, case, args: tuple, kwargs: dict) -> str | None:
    before = [*case.args, *case.kwargs.values()]
    after = [*args, *kwargs.values()]
    for name, old, new in zip(parameter_names(ex, case), before, after):
        if not _same(old, new):
            return (
                f"your function changed its input `{name}` in place (before: {show(old)}, "
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
