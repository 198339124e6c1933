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


@dataclass(frozen=True)
class Outcome:
    """What one call of the learner's function did, wherever it ran.

    ``got``: the result; ``args``/``kwargs``: the arguments as they were after the call (to see
    in-place changes). Otherwise one of ``raised`` (``"ValueError: msg (your line 3: ...)"``),
    ``not_done`` (NotImplementedError), ``timed_out`` or ``unreadable`` (a result that could not
    be brought back from the learner's kernel, and why) is set. ``warned``: the first of numpy's
    floating-point warnings during the call (what a ``quiet`` exercise fails on), or None.
    """

    got: object = None
    args: tuple = ()
    kwargs: dict | None = None
    raised: str | None = None
    not_done: bool = False
    timed_out: bool = False
    unreadable: str | None = None
    warned: str | None = None


def call_here(fn, args: tuple, kwargs: dict, limit: float) -> Outcome:
    """Call ``fn(*args, **kwargs)`` in this process within ``limit`` seconds (arguments: copies).

    numpy's floating-point warnings are recorded (``Outcome.warned``), then shown as usual."""
    try:
        with time_limit(limit), floating_warnings() as seen:
            got = fn(*args, **kwargs)
    except TimeUp:
        return Outcome(timed_out=True)
    except NotImplementedError:
        return Outcome(not_done=True)
    except Exception as exc:
        return Outcome(raised=f"{type(exc).__name__}: {exc}{learner_line(exc)}")
    for w in seen:  # recorded, not swallowed: the learner still sees them
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return Outcome(got, args, kwargs, warned=first_warning(seen))


def attempts(ex, fn, cases: list, call=call_here) -> list[Attempt]:
    """Attempts on ``cases`` in order, up to the first broken one or the end of the budget.

    ``call(fn, args, kwargs, limit) -> Outcome`` runs one call: ``call_here`` in this process; the
    batch grader passes one that runs it in the learner's kernel (``nnkit.checks.remote``).
    """
    done, deadline = [], None
    for number, case in enumerate(cases, 1):
        limit = TIME_LIMIT if deadline is None else deadline - time.perf_counter()
        if limit <= 0:
            break
        result = attempt(ex, fn, case, number, limit, call)
        if result.broken and deadline is not None:
            break  # a later case that breaks is not part of the diagnosis
        done.append(result)
        if result.broken:
            break
        if result.problem and deadline is None:
            deadline = time.perf_counter() + MORE_CASES_BUDGET
    return done


def attempt(ex, fn, case, number: int, limit: float = TIME_LIMIT, call=call_here) -> Attempt:
    """Call ``fn`` on a copy of ``case``'s arguments and compare with the reference."""
    expected = ex.expected(case)
    outcome = call(fn, copy.deepcopy(case.args), copy.deepcopy(case.kwargs), limit)
    if outcome.not_done:
        raise NotDone
    if outcome.timed_out:
        return Attempt(number, case, expected, broken=_slow(ex))
    if outcome.raised is not None:
        return Attempt(number, case, expected, broken=f"your function raised {outcome.raised}")
    if outcome.unreadable is not None:
        return Attempt(number, case, expected, broken=f"your function's result cannot be checked: {outcome.unreadable}")
    changed = _changed_argument(ex, case, outcome.args, outcome.kwargs or {})
    if changed:
        return Attempt(number, case, expected, outcome.got, broken=changed, in_place=True)
    warned = outcome.warned if ex.quiet else None
    problem = (ex.problem(expected, outcome.got) or (warned and _warned(warned))
               or _unused_generator(ex, case, outcome.args))
    return Attempt(number, case, expected, outcome.got, problem=problem, warned=warned)


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
                f"after: {show(new)}{_largest_change(old, new)}).\n  Build a new value instead: "
                f"`{name} = {name} + ...` makes a new array, `{name} += ...` or `{name}[...] = ...` "
                "overwrites the caller's."
            )
    return None


def _unused_generator(ex, case, args: tuple) -> str | None:
    """A Generator argument whose state the call left as it was, where the reference draws from it:
    the function drew from elsewhere."""
    for name, old, new in zip(parameter_names(ex, case), case.args, args):
        if isinstance(old, np.random.Generator) and _state(old) == _state(new) and _reference_draws(ex, case):
            return (f"your function never drew from `{name}`, the Generator it was given (its state is "
                    f"unchanged): draw with `{name}.normal(...)` or `{name}.uniform(...)`; np.random.* uses "
                    "numpy's global generator, so the same seed would not give the same numbers")
    return None


def _reference_draws(ex, case) -> bool:
    """Whether the reference changes the state of a Generator among ``case``'s arguments."""
    args = copy.deepcopy(case.args)
    ex.reference(*args, **copy.deepcopy(case.kwargs))
    return any(_state(a) != _state(b) for a, b in zip(case.args, args) if isinstance(a, np.random.Generator))


def _state(rng) -> str:
    return repr(rng.bit_generator.state) if isinstance(rng, np.random.Generator) else repr(rng)


def _largest_change(old, new) -> str:
    """``; largest change 1e-05`` for float arrays of one shape that look the same when shown, else ''."""
    if not (isinstance(old, np.ndarray) and isinstance(new, np.ndarray) and old.shape == new.shape
            and np.issubdtype(old.dtype, np.floating) and np.issubdtype(new.dtype, np.floating)
            and show(old) == show(new)):
        return ""
    return f"; largest change {np.max(np.abs(new - old), initial=0.0):.2g}"


def _same(a, b) -> bool:
    if isinstance(a, np.random.Generator):  # drawing from it is its job: its state may change
        return isinstance(b, np.random.Generator)
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, dict):  # a layer's parameters {"W": ..., "b": ...}
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a is b or a == b
