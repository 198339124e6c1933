"""Compare a learner's result with the expected one, and show values compactly.

``compare`` walks the expected value's structure (tuples are fixed groups, lists are
variable-length sequences, dicts map names to values, arrays, numbers, None) and returns a one-line, learner-facing
description of the first difference, or None when the results agree.
"""

from __future__ import annotations

import numbers
import types

import numpy as np


def compare(
    expected, got, path: str, rtol: float, atol: float, values: bool = True, parts: tuple = ()
) -> str | None:
    """First difference between ``got`` and ``expected`` at ``path``; None if they agree.

    With ``values=False`` only the structure (lengths, shapes, dtypes) is compared. ``parts``
    names the items of the tuples found at or below ``path`` (e.g. a history's
    ``("index", "w_after", "b_after")``), so paths read ``history[3].w_after[0]``.
    """
    if expected is None:
        return None if got is None else f"{path}: expected None, got {show(got)}"
    if got is None:
        return f"{path} is None: did you forget a `return`?"
    if isinstance(expected, (tuple, list)):
        return _compare_sequence(expected, got, path, rtol, atol, values, parts)
    if isinstance(expected, dict):
        return _compare_dict(expected, got, path, rtol, atol, values)
    if isinstance(expected, np.ndarray):
        return _compare_array(expected, got, path, rtol, atol, values)
    if isinstance(expected, numbers.Real):
        return _compare_number(expected, got, path, rtol, atol, values)
    if isinstance(expected, str) or callable(expected):
        return _compare_identity(expected, got, path)
    raise TypeError(f"nnkit.checks cannot compare values of type {type(expected).__name__}")


def _compare_identity(expected, got, path):
    """Names and functions (an activation in a cache) match only when they are the same."""
    if got is expected or (isinstance(expected, str) and isinstance(got, str) and got == expected):
        return None
    return f"{path}: expected {show(expected)}, got {show(got)}"


def _compare_sequence(expected, got, path, rtol, atol, values, parts):
    fixed = isinstance(expected, tuple)
    kind, items = ("a tuple", "values") if fixed else ("a list", "entries")
    if not isinstance(got, (tuple, list)):
        return f"{path}: expected {kind} of {len(expected)} {items}, got {_kind(got)}"
    if len(got) != len(expected):
        return f"{path}: expected {len(expected)} {items}, got {len(got)}"
    named = fixed and len(parts) == len(expected)
    for k, (e, g) in enumerate(zip(expected, got)):
        child = f"{path}.{parts[k]}" if named else f"{path}[{k}]"
        problem = compare(e, g, child, rtol, atol, values, () if named else parts)
        if problem:
            return problem
    return None


def _compare_dict(expected, got, path, rtol, atol, values):
    if not isinstance(got, dict):
        return f"{path}: expected a dict with keys {sorted(expected)}, got {_kind(got)}"
    if set(got) != set(expected):
        return f"{path}: expected the keys {sorted(expected)}, got {sorted(got, key=str)}"
    for key, e in expected.items():
        problem = compare(e, got[key], f"{path}[{key!r}]", rtol, atol, values)
        if problem:
            return problem
    return None


def _compare_array(expected, got, path, rtol, atol, values):
    try:
        arr = np.asarray(got)
    except Exception:  # ragged lists and the like
        return f"{path}: expected an array of shape {expected.shape}, got {_kind(got)}"
    problem = _numeric_dtype_problem(arr, path)
    if problem:
        return problem
    if arr.shape != expected.shape:
        return f"{path}: expected shape {expected.shape}, got shape {arr.shape}"
    if not values:
        return None
    arr = arr.astype(np.float64)
    nan = np.isnan(arr) & ~np.isnan(expected)
    if nan.any():
        at = _first_index(nan)
        return f"{_at(path, at)} is NaN (expected {expected[at]:.6g})"
    wrong = ~np.isclose(arr, expected, rtol=rtol, atol=atol, equal_nan=True)
    if wrong.any():
        at = _first_index(wrong)
        return (
            f"{_at(path, at)}: expected {expected[at]:.6g}, got {arr[at]:.6g} "
            f"({int(wrong.sum())} of {wrong.size} entries differ)"
        )
    return None


def _at(path: str, index: tuple) -> str:
    return f"{path}[{', '.join(map(str, index))}]" if index else path


def _compare_number(expected, got, path, rtol, atol, values):
    if isinstance(got, np.ndarray) and got.ndim == 0:
        got = got[()]
    if isinstance(got, (bool, np.bool_)):
        return f"{path}: expected a number, got the boolean {got}"
    if isinstance(got, np.ndarray):
        return f"{path}: expected a single number, got an array of shape {got.shape}"
    if not isinstance(got, numbers.Real):
        return f"{path}: expected a number, got {_kind(got)}"
    if not values:
        return None
    if np.isnan(got) and not np.isnan(expected):
        return f"{path} is NaN (expected {expected:.6g})"
    if not np.isclose(float(got), float(expected), rtol=rtol, atol=atol, equal_nan=True):
        return f"{path}: expected {expected:.6g}, got {float(got):.6g}"
    return None


def _numeric_dtype_problem(arr: np.ndarray, path: str) -> str | None:
    if arr.dtype == np.bool_:
        return f"{path} holds booleans (True/False); expected numbers"
    if not np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.complexfloating):
        return f"{path} has dtype {arr.dtype}; expected real numbers (float)"
    return None


def _first_index(mask: np.ndarray) -> tuple:
    return tuple(int(i) for i in np.argwhere(mask)[0])


def _kind(value) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)} values"
    return f"{type(value).__name__} {show(value)}"


def show(value, limit: int = 4) -> str:
    """A short, readable rendering of a value for messages (arrays without ``array(``)."""
    if isinstance(value, np.ndarray):
        text = np.array2string(
            value, separator=", ", threshold=12, edgeitems=2, formatter={"float_kind": "{:.4g}".format}
        )
        text = " ".join(text.split())
        return f"{text} (shape {value.shape})" if value.ndim >= 2 else text
    if isinstance(value, (bool, np.bool_)) or value is None:
        return str(value)
    if isinstance(value, numbers.Real):
        return f"{value:.6g}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {show(v, limit)}" for k, v in list(value.items())[:limit]) + "}"
    if callable(value) and hasattr(value, "__name__"):
        return value.__name__  # not its repr's memory address
    if isinstance(value, np.random.Generator):
        return f"Generator({type(value.bit_generator).__name__})"  # not its memory address
    if isinstance(value, (tuple, list)):
        inner = [show(v, limit) for v in value[:limit]]
        if len(value) > limit:
            inner.append(f"... ({len(value)} entries)")
        text = ", ".join(inner)
        return f"({text}{',' if len(value) == 1 else ''})" if isinstance(value, tuple) else f"[{text}]"
    if isinstance(value, types.FunctionType):
        return f"the function {value.__name__}"  # not its repr's memory address
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."
