"""Layers as pairs of plain functions (CS231n style).

``*_forward`` takes arrays and returns ``(out, cache)``; ``*_backward`` takes the upstream
gradient and that cache and returns one gradient per forward input, in the same order.
Batches are rows: ``X: (batch, fan_in)``, ``Z = X @ W + b`` with ``W: (fan_in, fan_out)``.
"""

from __future__ import annotations

from nnkit import _validate as v
from nnkit import activations


def dense_forward(X, W, b):
    """Affine layer Z = X @ W + b.

    X: (batch, fan_in), W: (fan_in, fan_out), b: (fan_out,).
    Returns Z: (batch, fan_out) and cache (X, W).
    """
    X = v.as_float_array(X, "X", ndim=2)
    W = v.as_float_array(W, "W", ndim=2)
    b = v.as_float_array(b, "b", ndim=1)
    v.check_matmul(X, "X", W, "W")
    v.check_shape(b, "b", (W.shape[1],), "fan_out, the number of columns of W")
    return X @ W + b, (X, W)


def dense_backward(dZ, cache):
    """Backward pass of :func:`dense_forward`.

    dZ: (batch, fan_out), the gradient w.r.t. Z; cache: (X, W) from the forward pass.
    Returns dX = dZ @ W.T: (batch, fan_in), dW = X.T @ dZ: (fan_in, fan_out), db = sum of dZ
    over the batch: (fan_out,).
    """
    X, W = cache
    dZ = v.as_float_array(dZ, "dZ", ndim=2)
    v.check_shape(dZ, "dZ", (X.shape[0], W.shape[1]), "the shape of Z in the forward pass")
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)


def activation_forward(Z, name: str):
    """Elementwise activation A = f(Z), f looked up by name in ``nnkit.activations.ACTIVATIONS``.

    Z: any shape. Returns A (same shape) and cache (Z, activation).
    """
    act = activations.get(name)
    Z = v.as_float_array(Z, "Z")
    return act.fn(Z), (Z, act)


def activation_backward(dA, cache):
    """Backward pass of :func:`activation_forward`: dZ = dA * f'(Z), same shape as Z."""
    Z, act = cache
    dA = v.as_float_array(dA, "dA")
    v.check_shape(dA, "dA", Z.shape, "the shape of Z in the forward pass")
    return dA * act.grad(Z)


def relu_backward(dA, cache):
    """Backward pass of ``activation_forward(Z, "relu")``: dZ = dA * (Z > 0), so 0 at Z = 0.

    dA: the gradient w.r.t. A = max(Z, 0), shape of Z; cache: (Z, activation). Returns dZ.
    """
    Z, _ = cache
    dA = v.as_float_array(dA, "dA")
    v.check_shape(dA, "dA", Z.shape, "the shape of Z in the forward pass")
    return dA * (Z > 0)
