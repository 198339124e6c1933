"""Rosenblatt's perceptron: prediction, the update rule, training with a history, Novikoff's bound.

Shapes: ``X: (batch, d)``, ``w: (d,)``, ``b`` a number, labels ``t`` in {-1, +1}.
The neuron outputs ``sign(w . x + b)`` with ``sign(0) = +1``.
"""

from __future__ import annotations

import numpy as np

from nnkit._validate import (
    as_float_array,
    check_pm1_labels,
    check_positive,
    check_positive_int,
    check_same_length,
    check_shape,
)
from nnkit._geometry import min_norm_point


def _sign(a):
    """+1.0 where a >= 0, else -1.0 (so sign(0) = +1)."""
    return np.where(a >= 0, 1.0, -1.0)


def _weights(w, b, d: int, d_name: str):
    """Validated ``w: (d,)`` and scalar ``b``."""
    w = as_float_array(w, "w", ndim=1)
    check_shape(w, "w", (d,), f"one weight per {d_name}")
    return w, float(as_float_array(b, "b", ndim=0))


def _batch(w, b, X):
    """Validated ``w, b, X`` for the batch functions."""
    X = as_float_array(X, "X", ndim=2)
    w, b = _weights(w, b, X.shape[1], "column of X")
    return w, b, X


def _labels(t, X):
    """Validated labels ``t: (batch,)`` in {-1, +1}, one per row of X."""
    t = as_float_array(t, "t", ndim=1)
    check_same_length(X, "X", t, "t")
    check_pm1_labels(t)
    return t


def predict(w, b, X):
    """Labels ``sign(X @ w + b)`` in {-1, +1}: (batch,) float64."""
    w, b, X = _batch(w, b, X)
    return _sign(X @ w + b)


def signed_distance(w, b, X):
    """Signed distance ``(X @ w + b) / ||w||`` of each row to the line: (batch,)."""
    w, b, X = _batch(w, b, X)
    norm = np.linalg.norm(w)
    if norm == 0:
        raise ValueError("w must be nonzero: with w = 0 there is no line to measure from")
    return (X @ w + b) / norm


def _step(w, b, x, t, lr):
    """One perceptron step on validated inputs: (w_new, b_new, mistake?)."""
    if _sign(w @ x + b) == t:
        return w.copy(), b, False
    return w + lr * t * x, b + lr * t, True


def update(w, b, x, t, lr):
    """The rule on one sample ``x: (d,)``: on a mistake ``w + lr t x, b + lr t``; else unchanged.

    Returns new ``(w_new, b_new)``; the inputs are never modified.
    """
    x = as_float_array(x, "x", ndim=1)
    w, b = _weights(w, b, x.shape[0], "entry of x")
    t = as_float_array(t, "t", ndim=0)
    check_pm1_labels(t)
    check_positive(lr, "lr")
    w_new, b_new, _ = _step(w, b, x, float(t), lr)
    return w_new, b_new


def train(X, t, lr=1.0, max_epochs=100):
    """Train from ``w = 0, b = 0``, visiting rows 0..n-1 each epoch.

    Stops after the first epoch without a mistake, or after ``max_epochs``.
    Returns ``(w, b, history)``, history a list of ``(index, w_after, b_after)``, one per update.
    """
    X = as_float_array(X, "X", ndim=2)
    t = _labels(t, X)
    check_positive(lr, "lr")
    check_positive_int(max_epochs, "max_epochs")
    w, b, history = np.zeros(X.shape[1]), 0.0, []
    for _ in range(max_epochs):
        n_before = len(history)
        for i in range(X.shape[0]):
            w, b, mistake = _step(w, b, X[i], t[i], lr)
            if mistake:
                history.append((i, w.copy(), b))
        if len(history) == n_before:
            break
    return w, b, history


def perceptron_loss(w, b, X, t):
    """Perceptron criterion: the sum over mistakes of ``-t (w . x + b)`` (>= 0)."""
    w, b, X = _batch(w, b, X)
    t = _labels(t, X)
    return float(np.sum(np.maximum(0.0, -t * (X @ w + b))))


def novikoff_bound(X, t):
    """Novikoff's bound ``(R / gamma)^2`` on the number of updates of ``train`` (any lr).

    With the bias folded in, ``z_i = (x_i, 1)``: ``R = max ||z_i||`` and ``gamma`` the largest
    ``min_i t_i (u . z_i)`` over unit vectors ``u = (w, b)`` (the margin of the best separator,
    measured in the augmented space, so at most the geometric margin in the plane). ``gamma``
    is the distance from the origin to the convex hull of the points ``t_i z_i`` (the dual of
    this max-margin problem), found exactly by Wolfe's algorithm; it is then measured as the
    margin of the direction ``u`` it yields, so it never exceeds the optimum and the bound is
    never too small.
    Raises ValueError when no separating line is found (the data are not separable).
    """
    X = as_float_array(X, "X", ndim=2)
    t = _labels(t, X)
    Z = np.column_stack([X, np.ones(X.shape[0])])
    A = t[:, None] * Z
    p = min_norm_point(A)  # gamma = ||p||, attained by u = p / ||p||
    R = np.linalg.norm(Z, axis=1).max()
    norm = np.linalg.norm(p)
    gamma = np.min(A @ p) / norm if norm > 1e-10 * R else 0.0
    if not gamma > 1e-10 * R:
        raise ValueError(
            "X, t are not linearly separable (no line leaves every point on its side); "
            "Novikoff's bound holds only for separable data"
        )
    return float((R / gamma) ** 2)
