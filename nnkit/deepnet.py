"""A deep square ReLU net, plain or residual, trained by SGD: the experiment of unit 08.

Layer l maps (batch, width) to (batch, width): plain ``A_l = relu(A_(l-1) @ W_l + b_l)``, residual
``A_l = A_(l-1) + relu(A_(l-1) @ W_l + b_l)``. The loss is ``0.5 * mean_rows ||A_L - T||²`` for a fixed
target T. Weights are drawn ``N(0, gain² / width)``; the residual and clipping steps are passed in,
so that a learner's ``residual_forward``, ``residual_backward`` and ``clip_by_global_norm`` can drive it.
"""

from __future__ import annotations

import numpy as np

from nnkit import _validate as v
from nnkit import stability


def task(width: int, batch: int, rng=0) -> tuple[np.ndarray, np.ndarray]:
    """Inputs X: (batch, width) ~ N(0, 1) and targets near the identity, T = X + sin(X @ M) / 2, M fixed random."""
    rng = v.as_rng(rng)
    X = rng.standard_normal((batch, width))
    return X, X + 0.5 * np.sin(X @ rng.standard_normal((width, width)) / np.sqrt(width))


def draw(depth: int, width: int, gain: float, rng=0) -> list[dict]:
    """``depth`` layers {"W": (width, width) ~ N(0, gain²/width), "b": zeros(width)}."""
    v.check_positive_int(depth, "depth")
    rng = v.as_rng(rng)
    return [{"W": rng.standard_normal((width, width)) * gain / np.sqrt(width), "b": np.zeros(width)}
            for _ in range(depth)]


def _plain_forward(X, W, b):
    return np.maximum(X @ W + b, 0.0)


def _plain_backward(dY, X, W, b):
    dZ = dY * (X @ W + b > 0)
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)


def loss_and_grads(params, X, T, residual: bool, forward=None, backward=None):
    """Loss, its gradients (list of {"W", "b"}) and ``signal: (depth,)``, the norm of dL/dA_(l-1) per layer.

    forward(X, W, b) -> Y and backward(dY, X, W, b) -> (dX, dW, db) are the residual block's
    (nnkit's by default) when ``residual``, the plain ReLU layer's otherwise.
    """
    if residual:
        forward = forward or stability.residual_forward
        backward = backward or stability.residual_backward
    else:
        forward, backward = _plain_forward, _plain_backward
    inputs, A = [], X
    for layer in params:
        inputs.append(A)
        A = forward(A, layer["W"], layer["b"])
    diff = A - T
    loss = 0.5 * float(np.einsum("ij,ij->", diff, diff)) / len(X)
    dA, grads, signal = diff / len(X), [None] * len(params), np.empty(len(params))
    for l in reversed(range(len(params))):
        dA, dW, db = backward(dA, inputs[l], params[l]["W"], params[l]["b"])
        grads[l], signal[l] = {"W": dW, "b": db}, np.sqrt(np.einsum("ij,ij->", dA, dA))
    return loss, grads, signal


def train(params, X, T, residual: bool, steps: int, lr: float, max_norm: float | None = None,
          forward=None, backward=None, clip=stability.clip_by_global_norm) -> dict:
    """SGD for ``steps`` steps on copies of ``params``; clips by global norm when ``max_norm`` is set.

    Returns {"loss": (steps + 1,) losses before each step and after the last (inf once it overflows),
    "signal": (depth,) the per-layer gradient norms at the start, "grad_norm": (steps,) global norms}.
    """
    params = [{k: a.copy() for k, a in layer.items()} for layer in params]
    losses, norms, signal = [], [], None
    with np.errstate(all="ignore"):
        for _ in range(steps):
            loss, grads, sig = loss_and_grads(params, X, T, residual, forward, backward)
            signal = sig if signal is None else signal
            losses.append(loss)
            flat = [g[k] for g in grads for k in ("W", "b")]
            if not np.isfinite(loss) or not all(np.all(np.isfinite(g)) for g in flat):
                break
            if max_norm is not None:
                flat, norm = clip(flat, max_norm)
            else:
                norm = stability.global_norm(flat)
            norms.append(norm)
            for k, layer in enumerate(params):
                layer["W"] = layer["W"] - lr * flat[2 * k]
                layer["b"] = layer["b"] - lr * flat[2 * k + 1]
        losses.append(loss_and_grads(params, X, T, residual, forward, backward)[0] if len(norms) == steps
                      else np.inf)
    losses = np.where(np.isfinite(losses), losses, np.inf)
    return {"loss": losses, "signal": signal, "grad_norm": np.array(norms)}
