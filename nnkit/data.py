"""Seeded toy data sets in the plane: ``X: (n, 2)`` float64 and labels ``t: (n,)``.

Binary sets label their classes -1 and +1 (float64) and split them as evenly as possible;
``spirals`` labels its ``classes`` arms 0..K-1 (int64). The rows come in random order. Every
draw uses ``rng`` (a Generator or an integer seed): the same seed gives the same arrays.
"""

from __future__ import annotations

import numpy as np

from nnkit._validate import as_rng, check_nonnegative, check_positive, check_positive_int

_XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
_XOR_T = np.array([-1.0, 1.0, 1.0, -1.0])


def _balanced(n, k, rng):
    """Class indices 0..k-1, each used n // k or n // k + 1 times, in random order."""
    return rng.permutation(np.arange(n) % k)


def _pm1(n, rng):
    """Balanced labels in {-1, +1}, in random order."""
    return 2.0 * _balanced(n, 2, rng) - 1.0


def _noisy(X, noise, rng):
    """X plus independent N(0, noise^2) on each coordinate."""
    return X + noise * rng.standard_normal(X.shape)


def blobs(n, margin, rng, return_line=False):
    """Two linearly separable blobs whose geometric margin about a random line is >= margin.

    The line ``w . x + b = 0`` (``||w|| = 1``, random direction, offset in [-1, 1]) is drawn
    first; each point sits ``margin + g`` from it on its label's side, ``g`` a N(1, 1) draw
    redrawn while negative, and N(0, 1.5^2) along it. With many points the smallest
    distance is close to ``margin``. ``return_line=True`` also returns ``(w, b)``.
    """
    check_positive_int(n, "n")
    check_positive(margin, "margin")
    rng = as_rng(rng)
    angle, offset = rng.uniform(0.0, 2 * np.pi), rng.uniform(-1.0, 1.0)
    w = np.array([np.cos(angle), np.sin(angle)])
    along = np.array([-w[1], w[0]])
    t = _pm1(n, rng)
    g = rng.normal(1.0, 1.0, n)
    while (neg := g < 0).any():
        g[neg] = rng.normal(1.0, 1.0, neg.sum())
    X = np.outer(t * (margin + g) + offset, w) + np.outer(rng.normal(0.0, 1.5, n), along)
    return (X, t, (w, -offset)) if return_line else (X, t)


def xor_table():
    """The four corners (0,0), (0,1), (1,0), (1,1) with XOR labels [-1, +1, +1, -1]."""
    return _XOR_X.copy(), _XOR_T.copy()


def xor_cloud(n, noise, rng):
    """n points scattered with N(0, noise^2) around the XOR corners, labelled as their corner."""
    check_positive_int(n, "n")
    check_nonnegative(noise, "noise")
    rng = as_rng(rng)
    corner = _balanced(n, 4, rng)
    return _noisy(_XOR_X[corner], noise, rng), _XOR_T[corner]


def moons(n, noise, rng):
    """Two interleaved half circles of radius 1: the upper one centred at (0, 0) is labelled -1,
    the lower one centred at (1, 0.5) is labelled +1; plus N(0, noise^2) per coordinate."""
    check_positive_int(n, "n")
    check_nonnegative(noise, "noise")
    rng = as_rng(rng)
    t = _pm1(n, rng)
    theta = rng.uniform(0.0, np.pi, n)
    upper = np.column_stack([np.cos(theta), np.sin(theta)])
    lower = np.column_stack([1.0 - np.cos(theta), 0.5 - np.sin(theta)])
    X = np.where((t < 0)[:, None], upper, lower)
    return _noisy(X, noise, rng), t


def circles(n, noise, factor, rng):
    """Two concentric circles: radius 1 labelled -1, radius ``factor`` in (0, 1) labelled +1;
    angles uniform, plus N(0, noise^2) per coordinate."""
    check_positive_int(n, "n")
    check_nonnegative(noise, "noise")
    if not (np.isscalar(factor) and 0 < factor < 1):
        raise ValueError(f"factor must be a number in (0, 1); got {factor!r}")
    rng = as_rng(rng)
    t = _pm1(n, rng)
    theta = rng.uniform(0.0, 2 * np.pi, n)
    radius = np.where(t < 0, 1.0, factor)
    X = radius[:, None] * np.column_stack([np.cos(theta), np.sin(theta)])
    return _noisy(X, noise, rng), t


def spirals(n, noise, rng, classes=2):
    """``classes`` interleaved spiral arms; labels are integers 0..classes-1.

    Arm ``k`` at radius ``r`` (uniform in [0, 1]) has angle ``2 pi k / classes + 4 r``
    (about two thirds of a turn); then N(0, noise^2) per coordinate.
    """
    check_positive_int(n, "n")
    check_nonnegative(noise, "noise")
    check_positive_int(classes, "classes")
    rng = as_rng(rng)
    t = _balanced(n, classes, rng)
    r = rng.uniform(0.0, 1.0, n)
    theta = 2 * np.pi * t / classes + 4.0 * r
    X = r[:, None] * np.column_stack([np.cos(theta), np.sin(theta)])
    return _noisy(X, noise, rng), t.astype(np.int64)
