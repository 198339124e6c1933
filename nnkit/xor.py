"""Unit-02 references: why one line cannot do XOR, and two ways out.

- ``collapse_linear``: two stacked linear layers are one linear layer (the "illusion of depth").
- ``xor_features``: the feature map ``[x1, x2, x1*x2]`` in which XOR is linearly separable.
- ``step``, ``threshold_network``, ``xor_network``: a hand-set 2-2-1 network of threshold
  units (hidden OR and NAND, output AND) that computes XOR on the four corners.
- ``find_cycle``: the repeating weight states of a perceptron that never converges.
"""

from __future__ import annotations

import numpy as np

from nnkit._validate import as_float_array, check_matmul, check_shape


def collapse_linear(W1, b1, W2, b2) -> tuple[np.ndarray, np.ndarray]:
    """The single layer equal to ``(X @ W1 + b1) @ W2 + b2``.

    W1: (n_in, h), b1: (h,), W2: (h, n_out), b2: (n_out,) -> W: (n_in, n_out), b: (n_out,),
    with ``W = W1 @ W2`` and ``b = b1 @ W2 + b2``.
    """
    W1 = as_float_array(W1, "W1", ndim=2)
    W2 = as_float_array(W2, "W2", ndim=2)
    b1 = as_float_array(b1, "b1", ndim=1)
    b2 = as_float_array(b2, "b2", ndim=1)
    check_matmul(W1, "W1", W2, "W2")
    check_shape(b1, "b1", (W1.shape[1],), "one bias per column of W1")
    check_shape(b2, "b2", (W2.shape[1],), "one bias per column of W2")
    return W1 @ W2, b1 @ W2 + b2


def xor_features(X) -> np.ndarray:
    """Add the product feature: X: (batch, 2) -> (batch, 3) with columns ``[x1, x2, x1*x2]``."""
    X = as_float_array(X, "X", ndim=2)
    check_shape(X, "X", (X.shape[0], 2), "two inputs per row")
    return np.column_stack([X, X[:, 0] * X[:, 1]])


def step(z) -> np.ndarray:
    """Heaviside threshold: 1.0 where ``z >= 0``, else 0.0 (same shape as ``z``)."""
    z = as_float_array(z, "z")
    return np.where(z >= 0, 1.0, 0.0)


def threshold_network(X, W1, b1, W2, b2) -> np.ndarray:
    """A 2-layer network of threshold units: X: (batch, n_in) -> (batch,) in {0, 1}.

    hidden = step(X @ W1 + b1), output = step(hidden @ W2 + b2)[:, 0];
    W1: (n_in, h), b1: (h,), W2: (h, 1), b2: (1,).
    """
    X = as_float_array(X, "X", ndim=2)
    W1 = as_float_array(W1, "W1", ndim=2)
    W2 = as_float_array(W2, "W2", ndim=2)
    check_matmul(X, "X", W1, "W1")
    check_matmul(W1, "W1", W2, "W2")
    check_shape(W2, "W2", (W1.shape[1], 1), "one output unit")
    b1 = as_float_array(b1, "b1", ndim=1)
    b2 = as_float_array(b2, "b2", ndim=1)
    check_shape(b1, "b1", (W1.shape[1],), "one bias per hidden unit")
    check_shape(b2, "b2", (1,), "one output unit")
    hidden = step(X @ W1 + b1)
    return step(hidden @ W2 + b2)[:, 0]


def xor_network() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Hand-set weights ``(W1 (2,2), b1 (2,), W2 (2,1), b2 (1,))`` that compute XOR.

    Hidden unit 0 is OR (x1 + x2 - 0.5 >= 0), hidden unit 1 is NAND (-x1 - x2 + 1.5 >= 0),
    the output is AND of the two (h0 + h1 - 1.5 >= 0): "at least one, but not both".
    """
    W1 = np.array([[1.0, -1.0], [1.0, -1.0]])
    b1 = np.array([-0.5, 1.5])
    W2 = np.array([[1.0], [1.0]])
    b2 = np.array([-1.5])
    return W1, b1, W2, b2


def find_cycle(history) -> tuple[int, int] | None:
    """Find where a perceptron run starts repeating itself.

    history: list of ``(index, w_after, b_after)`` tuples (one per update, as returned by
    ``nnkit.perceptron.train``). The state of entry k is ``(w_after, b_after)``. Returns
    ``(i, j - i)`` for the first entry j whose state equals (exactly) that of an earlier
    entry i, or ``None`` if no state repeats.
    """
    first_seen: dict[tuple, int] = {}
    for j, entry in enumerate(history):
        if not isinstance(entry, (tuple, list)) or len(entry) != 3:
            raise ValueError(f"history[{j}] must be an (index, w, b) tuple; got {entry!r}")
        _, w, b = entry
        w = as_float_array(w, f"history[{j}] w", ndim=1)
        state = (*w.tolist(), float(as_float_array(b, f"history[{j}] b", ndim=0)))
        if state in first_seen:
            i = first_seen[state]
            return i, j - i
        first_seen[state] = j
    return None
