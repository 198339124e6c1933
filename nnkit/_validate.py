"""Input validation shared by nnkit's public functions.

Every check raises ``ValueError`` or ``TypeError`` with a message that names the argument,
what was expected and what was given, so a learner never sees a broadcasting traceback
from deep inside nnkit.
"""

from __future__ import annotations

import numpy as np


def as_float_array(x, name: str, ndim: int | None = None) -> np.ndarray:
    """Return ``x`` as a float64 array, checking it is numeric, finite-typed and of ``ndim``."""
    try:
        arr = np.asarray(x)
    except Exception as exc:  # ragged lists and other non-arrays
        raise TypeError(f"{name} must be array-like of numbers; got {type(x).__name__}") from exc
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)
    ):
        raise TypeError(f"{name} must hold numbers; got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} must be real; got dtype {arr.dtype}")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D; got shape {arr.shape}")
    return arr.astype(np.float64, copy=False)


def check_same_length(a: np.ndarray, a_name: str, b: np.ndarray, b_name: str) -> None:
    """Require ``len(a) == len(b)`` (one label or target per row)."""
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            f"{a_name} and {b_name} must have the same number of rows; "
            f"got {a.shape[0]} and {b.shape[0]}"
        )


def check_matmul(X: np.ndarray, X_name: str, W: np.ndarray, W_name: str) -> None:
    """Require ``X: (batch, fan_in)`` and ``W: (fan_in, fan_out)`` to agree on fan_in."""
    if X.shape[1] != W.shape[0]:
        raise ValueError(
            f"{X_name} has {X.shape[1]} columns but {W_name} has {W.shape[0]} rows; "
            f"expected {X_name}: (batch, fan_in) and {W_name}: (fan_in, fan_out)"
        )


def check_pm1_labels(t: np.ndarray, name: str = "t") -> None:
    """Require every label to be -1 or +1."""
    bad = ~np.isin(t, (-1.0, 1.0))
    if bad.any():
        raise ValueError(
            f"{name} must contain only -1 and +1; found {np.unique(t[bad])[:5].tolist()}"
        )


def check_positive(value, name: str) -> None:
    """Require a strictly positive number."""
    if not np.isscalar(value) or not value > 0:
        raise ValueError(f"{name} must be a positive number; got {value!r}")


def as_rng(rng) -> np.random.Generator:
    """Accept a Generator or an integer seed; refuse the global numpy state."""
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"rng must be a numpy.random.Generator or an integer seed; got {type(rng).__name__}"
    )


def check_same_shape(a: np.ndarray, a_name: str, b: np.ndarray, b_name: str) -> None:
    """Require ``a.shape == b.shape`` (a prediction and its target, a parameter and its gradient)."""
    if a.shape != b.shape:
        raise ValueError(f"{a_name} and {b_name} must have the same shape; got {a.shape} and {b.shape}")


def check_in_range(x: np.ndarray, name: str, low: float, high: float) -> None:
    """Require every entry of ``x`` to lie in the closed interval ``[low, high]``."""
    bad = (x < low) | (x > high) | np.isnan(x)
    if bad.any():
        raise ValueError(f"{name} must lie in [{low}, {high}]; found {x[bad][:5].tolist()}")


def as_class_labels(y, name: str, n_classes: int) -> np.ndarray:
    """Return integer class labels ``y: (batch,)`` in ``0..n_classes-1`` as an int array."""
    arr = np.asarray(y)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D integer class labels; got shape {arr.shape}")
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        if not np.issubdtype(arr.dtype, np.floating) or not np.all(arr == np.round(arr)):
            raise TypeError(f"{name} must hold integer class labels; got dtype {arr.dtype}")
    arr = arr.astype(np.int64)
    bad = (arr < 0) | (arr >= n_classes)
    if bad.any():
        raise ValueError(f"{name} must lie in 0..{n_classes - 1}; found {arr[bad][:5].tolist()}")
    return arr


def check_shape(a: np.ndarray, name: str, shape: tuple, why: str = "") -> None:
    """Require ``a.shape == shape``; ``why`` says where the expected shape comes from."""
    if a.shape != tuple(shape):
        reason = f" ({why})" if why else ""
        raise ValueError(f"{name} must have shape {tuple(shape)}{reason}; got {a.shape}")


def check_positive_int(value, name: str) -> None:
    """Require a strictly positive integer (a count, a size, a fan-in); bools are refused."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")


def check_nonnegative(value, name: str) -> None:
    """Require a number >= 0 (a noise level, a regularization strength)."""
    if not np.isscalar(value) or isinstance(value, (str, bytes)) or not value >= 0:
        raise ValueError(f"{name} must be a number >= 0; got {value!r}")


def lookup(registry: dict, name, what: str):
    """``registry[name]``; a ValueError naming the unknown ``what`` and listing the known names."""
    try:
        return registry[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown {what} {name!r}; known: {', '.join(sorted(registry))}") from None
