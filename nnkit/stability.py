"""Keeping deep nets trainable: products of Jacobians, gradient clipping, residual blocks, checkpointing.

Backpropagation multiplies one Jacobian per layer, ``J_l = d a_l / d a_(l-1)`` (column
convention, shape (n_out, n_in)); its growth or decay with depth is measured by the norms of
the running products and by the largest Lyapunov exponent. Clipping bounds one step; a
residual block ``Y = X + relu(X @ W + b)`` adds the identity to every Jacobian; checkpointing
trades recomputation for activation memory. Batches are rows: ``X: (batch, width)``.
"""

from __future__ import annotations

import numpy as np

from nnkit import _validate as v


def _square_list(mats, name: str) -> list:
    if not isinstance(mats, (list, tuple)) or not mats:
        raise TypeError(f"{name} must be a non-empty list of square matrices; got {type(mats).__name__}")
    out = [v.as_float_array(m, f"{name}[{i}]", ndim=2) for i, m in enumerate(mats)]
    for i, m in enumerate(out):
        v.check_shape(m, f"{name}[{i}]", (out[0].shape[0], out[0].shape[0]), "square, all of one size")
    return out


def jacobian_norms(jacobians) -> np.ndarray:
    """Spectral norms of the running products ``P_l = J_l @ ... @ J_1``, l = 1..L.

    jacobians: list of L matrices (n, n), ``J_l = d a_l / d a_(l-1)``. Returns (L,):
    entry l - 1 is the largest singular value of P_l, the most that l layers can stretch a gradient.
    """
    P, norms = None, []
    for J in _square_list(jacobians, "jacobians"):
        P = J if P is None else J @ P
        norms.append(np.linalg.norm(P, 2))
    return np.array(norms)


def spectral_radius(A) -> float:
    """Largest modulus of an eigenvalue of the square matrix A: (n, n). Returns a float >= 0."""
    (A,) = _square_list([A], "A")
    return float(np.max(np.abs(np.linalg.eigvals(A))))


def lyapunov_exponent(jacobians, rng=0) -> float:
    """Largest Lyapunov exponent of the product ``J_L ... J_1``: the mean log-growth per layer.

    A random unit vector is pushed through each J_l and renormalised (so nothing overflows);
    returns ``(1/L) * sum_l log ||J_l u_(l-1)||``. Positive: gradients explode; negative: vanish.
    """
    mats = _square_list(jacobians, "jacobians")
    u = v.as_rng(rng).standard_normal(mats[0].shape[0])
    u /= np.linalg.norm(u)
    total = 0.0
    for J in mats:
        u = J @ u
        grow = np.linalg.norm(u)
        total += np.log(grow)
        u /= grow
    return total / len(mats)


def global_norm(grads) -> float:
    """sqrt of the sum of squares of every entry of every array in ``grads`` (a list)."""
    return float(np.sqrt(sum(float(np.sum(np.square(g))) for g in _array_list(grads))))


def _array_list(grads) -> list:
    if not isinstance(grads, (list, tuple)) or not grads:
        raise TypeError(f"grads must be a non-empty list of arrays; got {type(grads).__name__}")
    return [v.as_float_array(g, f"grads[{i}]") for i, g in enumerate(grads)]


def clip_by_global_norm(grads, max_norm: float) -> tuple[list, float]:
    """Scale every gradient by ``min(1, max_norm / N)``, N the global norm of them all together.

    grads: list of arrays (any shapes). Returns (clipped list of new arrays, N before clipping).
    One common factor keeps the direction of the whole gradient; below the threshold nothing changes.
    """
    v.check_positive(max_norm, "max_norm")
    arrays = _array_list(grads)
    norm = global_norm(arrays)
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    return [g * scale for g in arrays], norm


def clip_by_value(grads, limit: float) -> list:
    """Clip every entry of every gradient into [-limit, limit] (changes the direction)."""
    v.check_positive(limit, "limit")
    return [np.clip(g, -limit, limit) for g in _array_list(grads)]


def _residual_args(X, W, b):
    X = v.as_float_array(X, "X", ndim=2)
    W = v.as_float_array(W, "W", ndim=2)
    b = v.as_float_array(b, "b", ndim=1)
    v.check_shape(W, "W", (X.shape[1], X.shape[1]), "square (width, width): the block adds its input")
    v.check_shape(b, "b", (X.shape[1],), "width, the number of columns of X")
    return X, W, b


def residual_forward(X, W, b) -> np.ndarray:
    """Residual block ``Y = X + relu(X @ W + b)``. X: (batch, width), W: (width, width), b: (width,)."""
    X, W, b = _residual_args(X, W, b)
    return X + np.maximum(X @ W + b, 0.0)


def residual_backward(dY, X, W, b) -> tuple:
    """Backward pass of :func:`residual_forward` (it recomputes Z = X @ W + b).

    dY: (batch, width). Returns dX = dY + (dY * [Z > 0]) @ W.T (the identity path plus the branch),
    dW = X.T @ (dY * [Z > 0]), db = its sum over the batch.
    """
    X, W, b = _residual_args(X, W, b)
    dY = v.as_float_array(dY, "dY", ndim=2)
    v.check_shape(dY, "dY", X.shape, "the shape of Y, which is the shape of X")
    dZ = dY * (X @ W + b > 0)
    return dY + dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)


def checkpoint_memory(depth: int, every: int, batch: int, width: int, itemsize: int = 8) -> tuple[int, int]:
    """Peak activation bytes and extra layer forwards of backprop with a checkpoint every ``every`` layers.

    The input of the first layer of each segment is kept as a checkpoint. Backward takes the
    segments last to first; while segment j (0-based, ``n_j`` layers) is recomputed, checkpoints
    0..j are still held plus the inputs of its other n_j - 1 layers: j + n_j activations. Each
    activation is (batch, width) numbers of ``itemsize`` bytes. ``every = 1`` is plain backprop:
    depth activations and no recomputation. Returns (peak_bytes, extra_forwards), the
    recomputed layer forwards being depth - (number of segments).
    """
    for value, name in ((depth, "depth"), (every, "every"), (batch, "batch"), (width, "width"),
                        (itemsize, "itemsize")):
        v.check_positive_int(value, name)
    starts = range(0, depth, every)
    held = max(j + min(every, depth - start) for j, start in enumerate(starts))
    return held * batch * width * itemsize, depth - len(starts)


def checkpointed_grad(X, weights, dout, every: int) -> tuple[np.ndarray, int, int]:
    """dL/dX through ``relu`` layers ``A_l = relu(A_(l-1) @ W_l)``, with a checkpoint every ``every`` layers.

    X: (batch, width); weights: list of (width, width); dout: dL/dA_L, (batch, width).
    Counts what is really held: returns (dX, peak bytes of the activations kept at once,
    layer forwards run again during backward).
    """
    v.check_positive_int(every, "every")
    starts = list(range(0, len(weights), every))
    checkpoints, A = {}, v.as_float_array(X, "X", ndim=2)
    for l, W in enumerate(weights):
        if l in starts:
            checkpoints[l] = A
        A = np.maximum(A @ W, 0.0)
    kept, peak, extra, dA = sum(a.nbytes for a in checkpoints.values()), 0, 0, dout
    for start in reversed(starts):
        inputs = [checkpoints[start]]
        for W in weights[start:min(start + every, len(weights)) - 1]:
            inputs.append(np.maximum(inputs[-1] @ W, 0.0))
            extra += 1
        peak = max(peak, kept + sum(a.nbytes for a in inputs[1:]))
        for A_in, W in zip(reversed(inputs), reversed(weights[start:start + len(inputs)])):
            dA = (dA * (A_in @ W > 0)) @ W.T
        kept -= checkpoints.pop(start).nbytes
    return dA, peak, extra
