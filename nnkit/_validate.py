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
