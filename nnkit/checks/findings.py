"""Generic findings: how one wrong value relates to the expected one, for any exercise.

Each ``*_finding`` function looks at one expected/got pair (arrays as floats, or a tuple or
list for ``swapped_finding`` and ``length_finding``) in the ``Context`` of the case's
arguments, and returns a ``Finding`` (a stable tag and a sentence for the learner) or None.
``array_findings`` tries every one that applies. Nothing here knows an exercise.
"""

from __future__ import annotations

import inspect
import numbers
from dataclasses import dataclass

import numpy as np

from nnkit.checks._compare import compare, show

RTOL, ATOL = 1e-6, 1e-9
STRUCTURAL = {"transposed", "extra_axis", "missing_axis", "flattened", "wrong_axis", "swapped", "permuted",
              "returned_input"}


@dataclass(frozen=True)
class Finding:
    """One observation: ``tag`` names the kind of mistake (for tests), ``text`` is for the learner."""

    tag: str
    text: str

    @property
    def structural(self) -> bool:
        """About the shape or order of the result, which a coincidence hardly explains."""
        return self.tag in STRUCTURAL


@dataclass(frozen=True)
class Context:
    """What the diagnoses may relate a result to: the case's arguments by parameter name."""

    inputs: dict

    @classmethod
    def of(cls, fn, args: tuple, kwargs: dict) -> Context:
        """Arguments of the call ``fn(*args, **kwargs)`` by name, defaults included."""
        try:
            bound = inspect.signature(fn).bind(*args, **kwargs)
            bound.apply_defaults()
            return cls(dict(bound.arguments))
        except (TypeError, ValueError):
            return cls({})

    def factors(self) -> list[tuple[str, float, str]]:
        """Named factors ``(tag, value, words)`` a result can be off by in this case."""
        named = [("-1", -1.0, "−1 times (the opposite sign of)"), ("2", 2.0, "twice"), ("1/2", 0.5, "half")]
        for name, value in self.inputs.items():
            if _is_scalar(value) and abs(float(value)) not in (0.0, 1.0):
                named += [(name, float(value), f"`{name}` times"),
                          (f"1/{name}", 1 / float(value), f"1/`{name}` times")]
            elif isinstance(value, np.ndarray) and value.ndim == 1 and np.linalg.norm(value) not in (0.0, 1.0):
                norm = float(np.linalg.norm(value))
                named += [(f"norm({name})", norm, f"‖{name}‖ times"),
                          (f"1/norm({name})", 1 / norm, f"1/‖{name}‖ times"),
                          (f"norm({name})^2", norm**2, f"‖{name}‖² times"),
                          (f"1/norm({name})^2", norm**-2, f"1/‖{name}‖² times")]
        batch = self.batch()
        if batch and batch > 1:
            named += [("batch", float(batch), f"the batch size ({batch}) times (a sum where a mean is expected?)"),
                      ("1/batch", 1 / batch, f"1/batch size (1/{batch}) times (a mean where a sum is expected?)")]
        return named

    def batch(self) -> int | None:
        """Rows of the first 2-D array argument (the batch), if any."""
        arrays = [v for v in self.inputs.values() if isinstance(v, np.ndarray) and v.ndim == 2]
        return arrays[0].shape[0] if arrays else None

    def axis_lengths(self) -> dict[str, tuple]:
        """``{name: shape}`` of every array argument."""
        return {name: value.shape for name, value in self.inputs.items() if isinstance(value, np.ndarray)}


def _is_scalar(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _close(a, b) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL))


def as_numbers(value) -> np.ndarray | None:
    """``value`` as a float array (booleans become 0/1), or None when it is not numeric."""
    try:
        arr = np.asarray(value)
    except Exception:
        return None
    if arr.dtype == np.bool_ or np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating):
        return arr.astype(float)
    return None


# --- the shape is wrong --------------------------------------------------------------------------

def transposed_finding(path, e, g, ctx) -> Finding | None:
    """``g`` is ``e.T`` (a 2-D result with its axes swapped)."""
    if e.ndim == 2 and g.shape == e.shape[::-1] and _close(g.T, e) and not _close(g, e):
        return Finding("transposed", f"`{path}` is the transpose of the expected array: shape {g.shape} "
                                     f"instead of {e.shape} (rows and columns swapped)")
    return None


def extra_axis_finding(path, e, g, ctx) -> Finding | None:
    """``g`` has the right values with an extra axis of length 1."""
    if g.ndim == e.ndim + 1 and 1 in g.shape and _same_values(e, g):
        return Finding("extra_axis", f"`{path}` has an extra axis of length 1: shape {g.shape} instead of "
                                     f"{e.shape} (the values are right; .ravel() or [:, 0] removes it)")
    return None


def missing_axis_finding(path, e, g, ctx) -> Finding | None:
    """``g`` has the right values without one of the expected axes of length 1."""
    if e.ndim == g.ndim + 1 and 1 in e.shape and _same_values(e, g):
        return Finding("missing_axis", f"`{path}` is missing an axis of length 1: shape {g.shape} instead of "
                                       f"{e.shape} (the values are right; .reshape{e.shape} adds it)")
    return None


def flattened_finding(path, e, g, ctx) -> Finding | None:
    """``g`` is ``e`` flattened to one axis."""
    if g.ndim == 1 and e.ndim >= 2 and _same_values(e, g):
        return Finding("flattened", f"`{path}` is flattened: shape {g.shape} instead of {e.shape} "
                                    "(the values are right, keep the array's rows and columns)")
    return None


def _same_values(e, g) -> bool:
    """The same numbers in the same order, in another shape."""
    return g.shape != e.shape and g.size == e.size and _close(g.reshape(e.shape), e)


def wrong_axis_finding(path, e, g, ctx) -> Finding | None:
    """One axis of ``g`` has the length of one axis of an input where ``e`` has that of another:
    a sum, mean or norm over the wrong axis."""
    if g.ndim != e.ndim or g.ndim == 0 or _input_named(g, ctx):
        return None
    differ = [k for k in range(e.ndim) if g.shape[k] != e.shape[k]]
    if len(differ) != 1:
        return None
    k = differ[0]
    for name, shape in ctx.axis_lengths().items():
        if g.shape[k] in shape and e.shape[k] in shape:
            got_axis, want_axis = shape.index(g.shape[k]), shape.index(e.shape[k])
            return Finding("wrong_axis", f"`{path}` has {g.shape[k]} values along axis {k} where {e.shape[k]} "
                                         f"are expected: one per axis {got_axis} of `{name}` instead of one per "
                                         f"axis {want_axis}; a sum, mean or norm over the wrong axis "
                                         f"(axis={want_axis} where axis={got_axis} is meant)?")
    return None


def input_finding(path, e, g, ctx) -> Finding | None:
    """``g`` is one of the arguments, returned unchanged."""
    name = _input_named(g, ctx)
    return name and Finding("returned_input", f"`{path}` is your input `{name}`, unchanged")


def _input_named(g, ctx) -> str | None:
    """The name of an array argument (two numbers or more) equal to ``g``."""
    arrays = ((n, v) for n, v in ctx.inputs.items() if isinstance(v, np.ndarray) and v.size > 1)
    return next((n for n, v in arrays if _close(as_numbers(v), g)), None)


def length_finding(path, e, g, ctx) -> Finding | None:
    """``g`` has one entry (or row) too many or too few, the others being right."""
    n_e, n_g = len(e), len(g)
    if abs(n_e - n_g) != 1 or (isinstance(e, np.ndarray) and g.shape[1:] != e.shape[1:]):
        return None
    short, long_ = (g, e) if n_g < n_e else (e, g)
    kept = [k for k, drop in (("last", long_[:-1]), ("first", long_[1:])) if _same_entries(drop, short)]
    which = f" (the {kept[0]} one {'is missing' if n_g < n_e else 'is extra'})" if kept else ""
    more = "one more entry" if n_g > n_e else "one entry fewer"
    return Finding("off_by_one", f"`{path}` has {more} than expected, {n_g} instead of {n_e}{which}: "
                                 "a loop bound or a count off by one?")


def _same_entries(a, b) -> bool:
    return compare(b if isinstance(b, np.ndarray) else list(b), a, "", RTOL, ATOL) is None


# --- the values are wrong ------------------------------------------------------------------------

def labels_finding(path, e, g, ctx) -> Finding | None:
    """Labels in the wrong coding: 0/1 or booleans for ±1, ±1 for 0/1, or 0/1 the other way round."""
    if g.shape != e.shape or e.ndim == 0:
        return None
    e_values, g_values = set(np.unique(e)), set(np.unique(g))
    if e_values <= {-1.0, 1.0} and g_values <= {0.0, 1.0}:
        if np.array_equal(g, (e > 0)):
            return Finding("zero_one", f"`{path}` holds 0/1 (or True/False) where the labels are −1/+1: "
                                       "np.where(condition, 1.0, -1.0) gives ±1")
        if np.array_equal(g, (e < 0)):
            return Finding("zero_one_flipped", f"`{path}` holds 0/1 (or True/False) where the labels are −1/+1, "
                                       "and 1 where −1 is expected: the labels are flipped too")
    if e_values <= {0.0, 1.0} and g_values <= {-1.0, 1.0} and np.array_equal(g, 2 * e - 1):
        return Finding("plus_minus_one", f"`{path}` holds −1/+1 where 0/1 is expected")
    if e_values <= {0.0, 1.0} and g_values <= {0.0, 1.0} and np.array_equal(g, 1 - e) and e.size > 1:
        return Finding("complement", f"`{path}` is the opposite of the expected output: 1 where 0 is "
                                     "expected and 0 where 1 is")
    return None


def integers_finding(path, e, g, ctx) -> Finding | None:
    """Where ``g`` differs, it is ``e`` cut to a whole number (an int dtype, int(), // or rounding)."""
    if g.shape != e.shape:
        return None
    differ = ~np.isclose(g, e, rtol=RTOL, atol=ATOL)
    e_d, g_d = e[differ], g[differ]
    if not differ.any() or not np.allclose(g_d, np.round(g_d)):
        return None
    if any(np.allclose(g_d, cut(e_d)) for cut in (np.trunc, np.floor, np.round)):
        return Finding("integers", f"`{path}` has whole numbers where decimals are expected "
                                   f"(e.g. {g_d[0]:.6g} instead of {e_d[0]:.6g}): an integer array, int(...), "
                                   "// or rounding cut them; keep floats")
    return None


def factor_finding(path, e, g, ctx) -> Finding | None:
    """``g`` is a constant multiple of ``e`` by a factor the case explains (−1, 2, ½, lr, ...)."""
    named = _named_factor(e, g, ctx)
    return named and Finding(f"factor:{named[0]}", f"`{path}` is {named[1]} the expected value")


def step_finding(path, e, g, ctx) -> Finding | None:
    """For an output ``name_new`` with an input ``name``: the change ``new - name`` is off."""
    name = path.removesuffix("_new")
    old = as_numbers(ctx.inputs.get(name)) if path.endswith("_new") else None
    if old is None or old.shape != e.shape:
        return None
    want, made = e - old, g - old
    if np.allclose(want, 0, atol=ATOL):
        return Finding("changed_when_unchanged", f"`{path}` should equal `{name}` here (no change), but "
                                                 f"yours changed it by {show(made)}")
    if np.allclose(made, 0, atol=ATOL):
        return Finding("unchanged_when_changed", f"`{path}` should change here (by {show(want)}), but "
                                                 f"yours equals `{name}`")
    named = _named_factor(want, made, ctx)
    return named and Finding(f"step_factor:{named[0]}", f"your change `{path} − {name}` is {named[1]} "
                                                        "the expected change")


def _named_factor(e, g, ctx) -> tuple[str, str] | None:
    """``(tag, words)`` of the case's named factor k with ``g == k * e``, or None."""
    k = _constant_ratio(e, g)
    if k is None:
        return None
    return next(((tag, words) for tag, value, words in ctx.factors() if np.isclose(k, value, rtol=RTOL)), None)


def _constant_ratio(e, g) -> float | None:
    """k with ``g == k * e`` (k != 1), where ``e`` has a nonzero entry; else None."""
    if g.shape != e.shape:
        return None
    nonzero = np.abs(e) > ATOL
    if not nonzero.any() or not np.allclose(g[~nonzero], 0, atol=ATOL):
        return None
    ratios = g[nonzero] / e[nonzero]
    k = float(ratios[0])
    if np.isclose(k, 1.0) or not np.allclose(ratios, k, rtol=RTOL):
        return None
    return k


def offset_finding(path, e, g, ctx) -> Finding | None:
    """Every entry of ``g`` is off by the same nonzero amount (two entries or more)."""
    if g.shape != e.shape or e.size < 2:
        return None
    diff = g - e
    c = float(diff.flat[0])
    if np.isclose(c, 0, atol=1e-7) or not np.allclose(diff, c, rtol=RTOL, atol=ATOL):
        return None
    return Finding("offset", f"every entry of `{path}` is off by the same amount, {c:+.4g}: "
                             "a term added or left out once too often?")


def permuted_finding(path, e, g, ctx) -> Finding | None:
    """``g`` holds the expected rows (or columns) in another order; they must be distinct."""
    if g.shape != e.shape:
        return None
    for axis, what in ((0, "rows" if e.ndim > 1 else "values"), (1, "columns"))[: e.ndim]:
        order = _matching_order(np.moveaxis(e, axis, 0), np.moveaxis(g, axis, 0)) if e.shape[axis] > 1 else None
        if order is not None:
            mapping = ", ".join(f"your {k} is the expected {j}" for k, j in enumerate(order) if k != j)
            return Finding("permuted", f"`{path}` has the right {what} in another order ({mapping})")
    return None


def _matching_order(e, g) -> list[int] | None:
    """``order`` with ``g[k] == e[order[k]]`` for distinct entries of ``e``, unless it is the identity."""
    flat_e, flat_g = e.reshape(len(e), -1), g.reshape(len(g), -1)
    same = np.isclose(flat_g[:, None, :], flat_e[None, :, :], rtol=RTOL, atol=ATOL).all(axis=2)  # (g rows, e rows)
    if not np.all(same.sum(axis=1) == 1):
        return None
    order = same.argmax(axis=1).tolist()
    return order if sorted(order) == list(range(len(e))) and order != sorted(order) else None


def off_by_one_finding(path, e, g, ctx) -> Finding | None:
    """Whole-number results (indices, counts) that are one too high or too low where they differ."""
    if g.shape != e.shape or not np.allclose(e, np.round(e)) or not np.allclose(g, np.round(g)):
        return None
    diff = (g - e)[~np.isclose(g, e)]
    if diff.size and (np.allclose(diff, 1) or np.allclose(diff, -1)):
        how = "one more" if diff[0] > 0 else "one less"
        return Finding("off_by_one", f"`{path}` is {how} than expected wherever it differs: an index or "
                                     "a count off by one (Python counts from 0, and range(n) stops at n - 1)?")
    return None


SHAPE_FINDERS = (transposed_finding, extra_axis_finding, missing_axis_finding, flattened_finding,
                 wrong_axis_finding, permuted_finding)
ARRAY_FINDERS = (*SHAPE_FINDERS, input_finding, labels_finding, integers_finding, factor_finding, step_finding,
                 offset_finding)


def array_findings(path, e, g, ctx, whole_numbers=False) -> list[Finding]:
    """Every array finder's verdict on one numeric pair; ``whole_numbers``: ``e`` holds ints."""
    e_arr, g_arr = as_numbers(e), as_numbers(g)
    if e_arr is None or g_arr is None:
        return []
    finders = ARRAY_FINDERS + ((off_by_one_finding,) if whole_numbers else ())
    if step_finding(path, e_arr, g_arr, ctx) is not None:  # an update: judge the change, not the values
        finders = tuple(f for f in finders if f in SHAPE_FINDERS or f is step_finding)
    if e_arr.ndim >= 1 and g_arr.ndim >= 1 and len(e_arr) != len(g_arr):
        finders += (length_finding,)
    found = (finder(path, e_arr, g_arr, ctx) for finder in finders)
    return [f for f in found if f is not None]


# --- tuples and lists ----------------------------------------------------------------------------

def swapped_finding(path, e, g, names) -> Finding | None:
    """Two parts of a tuple result came back in each other's place."""
    if not isinstance(g, (tuple, list)) or len(g) != len(e):
        return None
    for i in range(len(e)):
        for j in range(i + 1, len(e)):
            if agree(e[i], g[j]) and agree(e[j], g[i]) and not agree(e[i], g[i]):
                a, b = (names[i], names[j]) if len(names) == len(e) else (f"part {i}", f"part {j}")
                return Finding("swapped", f"{path}: {a} and {b} are in each other's place: return them in "
                                          f"the order ({', '.join(names) or '...'})")
    return None


def partial_finding(path, e, g, names) -> Finding | None:
    """Only one part of a tuple result came back (e.g. ``w_new`` without ``b_new``)."""
    if isinstance(g, (tuple, list)) and len(g) == len(e):
        return None
    for k, part in enumerate(e):
        if agree(part, g):
            name = names[k] if len(names) == len(e) else f"part {k}"
            return Finding("missing_parts", f"{path}: you returned only {name}; return all of "
                                            f"({', '.join(names) or '...'}), in that order")
    return None


def agree(e, g) -> bool:
    """``g`` equals ``e`` within the diagnosis tolerance."""
    return compare(e, g, "", RTOL, ATOL) is None
