"""Two-dimensional loss surfaces for watching optimizers: each maps ``P: (..., 2)`` to (value, grad).

``ravine``: an ill-conditioned quadratic, (x**2 + KAPPA y**2) / 2, condition number KAPPA.
``rosenbrock``: (1 - x)**2 + 100 (y - x**2)**2, a curved valley with its minimum at (1, 1).
"""

from __future__ import annotations

import numpy as np

from nnkit import _validate as v

KAPPA = 25.0


def _points(P) -> np.ndarray:
    P = v.as_float_array(P, "P")
    if P.ndim == 0 or P.shape[-1] != 2:
        raise ValueError(f"P must hold 2-D points, shape (..., 2); got shape {P.shape}")
    return P


def ravine(P):
    """(x**2 + KAPPA y**2) / 2 and its gradient (x, KAPPA y); minimum 0 at the origin."""
    P = _points(P)
    scale = np.array([1.0, KAPPA])
    return 0.5 * np.sum(scale * P**2, axis=-1), scale * P


def rosenbrock(P):
    """(1 - x)**2 + 100 (y - x**2)**2 and its gradient; minimum 0 at (1, 1)."""
    P = _points(P)
    x, y = P[..., 0], P[..., 1]
    value = (1.0 - x) ** 2 + 100.0 * (y - x**2) ** 2
    grad = np.stack([-2.0 * (1.0 - x) - 400.0 * x * (y - x**2), 200.0 * (y - x**2)], axis=-1)
    return value, grad


SURFACES = {"ravine": ravine, "rosenbrock": rosenbrock}
