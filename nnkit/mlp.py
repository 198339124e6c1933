"""A multi-layer perceptron as a list of layer dicts, run with the functions of ``nnkit.layers``.

``params[i] = {"W": (fan_in, fan_out), "b": (fan_out,)}`` for layer i = 0..L-1. Every hidden layer
applies the same activation; the last layer applies ``output_activation`` (None: identity, so
the output is the logits / regression value). Gradients come back in the same layout:
``grads[i]["W"]``, ``grads[i]["b"]``, ready for ``nnkit.optim``.
"""

from __future__ import annotations

import numpy as np

from nnkit import _validate as v
from nnkit import init as initializers
from nnkit.layers import activation_backward, activation_forward, dense_backward, dense_forward


def _check_sizes(sizes) -> None:
    """Require ``sizes = [n_in, h1, ..., n_out]``: at least two positive integer widths."""
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2:
        raise ValueError(f"sizes must list at least two widths [n_in, ..., n_out]; got {sizes!r}")
    for i, n in enumerate(sizes):
        v.check_positive_int(n, f"sizes[{i}]")


def init_mlp(sizes, rng, init: str = "he_normal") -> list[dict]:
    """Parameters for layer widths ``sizes = [n_in, h1, ..., n_out]``: W from ``init``, b = 0.

    rng: numpy Generator or int seed; init: a name in ``nnkit.init.INITIALIZERS``.
    Returns a list of len(sizes) - 1 dicts {"W": (sizes[i], sizes[i+1]), "b": (sizes[i+1],)}.
    """
    _check_sizes(sizes)
    draw = initializers.get(init)
    rng = v.as_rng(rng)
    return [{"W": draw(int(a), int(b), rng), "b": np.zeros(int(b))}
            for a, b in zip(sizes[:-1], sizes[1:])]


def count_parameters(sizes) -> int:
    """Weights and biases of an MLP of widths ``sizes``: the sum of ``(n_i + 1) * n_{i+1}``."""
    _check_sizes(sizes)
    return sum((int(a) + 1) * int(b) for a, b in zip(sizes[:-1], sizes[1:]))


def mlp_forward(X, params, activation: str = "relu", output_activation: str | None = None):
    """Forward pass. X: (batch, sizes[0]). Returns out: (batch, sizes[-1]) and the caches.

    caches[i] = (dense cache, activation cache or None) for layer i, consumed by
    :func:`mlp_backward`.
    """
    if not isinstance(params, (list, tuple)) or not params:
        raise TypeError(f"params must be a non-empty list of layer dicts; got {type(params).__name__}")
    A, caches = X, []
    for i, layer in enumerate(params):
        if not isinstance(layer, dict) or {"W", "b"} - set(layer):
            raise ValueError(f"params[{i}] must be a dict with keys 'W' and 'b'; got {layer!r:.80}")
        Z, dense_cache = dense_forward(A, layer["W"], layer["b"])
        name = activation if i < len(params) - 1 else output_activation
        A, act_cache = (Z, None) if name is None else activation_forward(Z, name)
        caches.append((dense_cache, act_cache))
    return A, caches


def mlp_backward(dout, caches, dense_backward=dense_backward, relu_backward=None) -> list[dict]:
    """Backward pass. dout: (batch, sizes[-1]), the loss gradient w.r.t. the network output.

    Returns grads, a list of dicts {"W": dL/dW_i, "b": dL/db_i} in the layout of ``params``.
    ``dense_backward`` and ``relu_backward`` (used for the ReLU layers when given) let other
    implementations of the layers, such as a learner's, drop in.
    """
    grads = [None] * len(caches)
    dA = dout
    for i in reversed(range(len(caches))):
        dense_cache, act_cache = caches[i]
        if act_cache is None:
            dZ = dA
        elif relu_backward is not None and act_cache[1].name == "relu":
            dZ = relu_backward(dA, act_cache)
        else:
            dZ = activation_backward(dA, act_cache)
        dA, dW, db = dense_backward(dZ, dense_cache)
        grads[i] = {"W": dW, "b": db}
    return grads
