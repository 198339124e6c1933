"""Unit-03 reference: universal approximation shown by hand, a 1-H-1 ReLU network built from "bumps".

``relu_bumps(knots, values)`` returns the weights of a one-hidden-layer ReLU network whose
output is the piecewise-linear interpolant of the points ``(knots[k], values[k])``: hidden
unit ``k`` is the hinge ``relu(x - knots[k])`` (k = 0..K-2), and the output adds them up with
weight "the change of slope at knot k", starting from ``values[0]``. Every sum of bumps (hat
functions) over the knots is such a sum of hinges, so this is also the bump construction.
"""

from __future__ import annotations

import numpy as np

from nnkit._validate import as_float_array, check_shape


def relu_bumps(knots, values) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Weights of the ReLU interpolant through ``(knots[k], values[k])``.

    knots: (K,) strictly increasing, K >= 2; values: (K,).
    Returns W1: (1, K-1), b1: (K-1,), W2: (K-1, 1), b2: (1,) with
    ``relu(x @ W1 + b1) @ W2 + b2`` equal to ``values[k]`` at ``knots[k]``, linear in between,
    ``values[0]`` left of the first knot and the last segment's line right of the last knot.
    """
    knots = as_float_array(knots, "knots", ndim=1)
    values = as_float_array(values, "values", ndim=1)
    check_shape(values, "values", knots.shape, "one value per knot")
    if len(knots) < 2 or np.any(np.diff(knots) <= 0):
        raise ValueError(f"knots must be at least 2 strictly increasing numbers; got {knots.tolist()}")
    slopes = np.diff(values) / np.diff(knots)             # (K-1,): the slope of each segment
    slope_changes = np.diff(slopes, prepend=0.0)          # what each hinge adds to the slope
    W1 = np.ones((1, len(knots) - 1))
    b1 = -knots[:-1]
    return W1, b1, slope_changes[:, None], values[:1].copy()
