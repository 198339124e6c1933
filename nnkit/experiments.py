"""Statistics through depth: how activations and gradients grow or shrink layer by layer.

A stack of ``depth`` square dense layers (``width -> width``, zero bias) with one activation
and one initializer is fed ``n_samples`` standard-normal inputs; a standard-normal gradient is
then backpropagated from the top. This is the experiment of Glorot & Bengio (2010) and He et
al. (2015): with ReLU, He initialization keeps the second moment of the activations constant
through depth, Xavier initialization halves it at every layer.

Usage: ``layer_stats("relu", draw_weights("he_normal", depth=50, width=256, rng=0))``.
Weights are drawn apart so that a widget can reuse them when only the activation changes, and
``draw_weights(init, max_depth, ...)[:depth]`` equals ``draw_weights(init, depth, ...)``.
"""

from __future__ import annotations

import numpy as np

from nnkit import _validate as v
from nnkit import init as initializers
from nnkit import losses, mlp, optim
from nnkit.layers import activation_backward, activation_forward, dense_forward

#: Keys of the dict returned by :func:`layer_stats`; each maps to an array of shape (depth,).
STATS = ("mean", "std", "second_moment", "zero_fraction", "grad_norm")


def draw_weights(init: str, depth: int, width: int, rng) -> list:
    """``depth`` square weight matrices (width, width) drawn with the initializer ``init``.

    Kept apart from :func:`layer_stats` so that a caller that only changes the activation
    (a widget) can reuse the draws, which cost about a third of the whole experiment.
    """
    v.check_positive_int(depth, "depth")
    draw = initializers.get(init)
    rng = v.as_rng(rng)
    return [draw(width, width, rng) for _ in range(depth)]


def _sum_sq(a: np.ndarray) -> float:
    """Sum of squares without BLAS (whose threads stall a loaded 2-core machine)."""
    return float(np.einsum("ij,ij->", a, a))


def layer_stats(activation: str, weights, n_samples: int = 256, rng=0, keep=None, scale: float = 1.0) -> dict:
    """Per-layer forward and backward statistics of the square network with ``weights``.

    activation: a name in ``nnkit.activations.ACTIVATIONS``; weights: a list of ``depth``
    matrices (width, width), e.g. from :func:`draw_weights`; rng: Generator or int seed for the
    standard-normal inputs X: (n_samples, width) and the standard-normal top gradient.
    Returns a dict of arrays of shape (depth,), entry l for the output A_l of layer l + 1:
    ``mean``, ``std``, ``second_moment`` (mean of A_l**2), ``zero_fraction`` (share of exact
    zeros in A_l) and ``grad_norm`` (Frobenius norm of dL/dA_l, with dL/dA_depth drawn N(0, 1)).
    ``keep``: a list that receives each layer's outputs A_l: (n_samples, width), or None.
    ``scale``: every layer uses ``scale * weights[l]`` (one standard draw serves every scheme).
    """
    v.check_positive_int(n_samples, "n_samples")
    width = _width(weights)
    rng = v.as_rng(rng)
    X = rng.standard_normal((n_samples, width))
    dA = rng.standard_normal((n_samples, width))
    return _through_depth(activation, weights, X, dA, keep, scale)


def _width(weights) -> int:
    if not isinstance(weights, (list, tuple)) or not weights:
        raise TypeError(f"weights must be a non-empty list of (width, width) arrays; "
                        f"got {type(weights).__name__}")
    return np.shape(weights[0])[0]


def _through_depth(activation: str, weights, X, dA, keep=None, scale: float = 1.0) -> dict:
    """The statistics of :func:`layer_stats` for given inputs X and top gradient dA: (n, width).

    ``keep``: a list that receives each layer's activations A_l (for histograms), or None;
    ``scale``: the layers use ``scale * W`` (applied to Z = A @ W, cheaper than to W).
    """
    width = _width(weights)
    bias = np.zeros(width)
    A = X
    stats = {key: np.empty(len(weights)) for key in STATS}
    caches = []
    for layer, W in enumerate(weights):
        v.check_shape(np.asarray(W), f"weights[{layer}]", (width, width), "square layers")
        Z, (_, W) = dense_forward(A, W, bias)
        A, act_cache = activation_forward(Z if scale == 1.0 else scale * Z, activation)
        caches.append((W, act_cache))
        if keep is not None:
            keep.append(A)
        stats["mean"][layer], stats["std"][layer] = A.mean(), A.std()
        stats["second_moment"][layer] = _sum_sq(A) / A.size
        stats["zero_fraction"][layer] = np.count_nonzero(A == 0.0) / A.size
    for layer in reversed(range(len(weights))):
        stats["grad_norm"][layer] = np.sqrt(_sum_sq(dA))
        W, act_cache = caches[layer]
        dA = activation_backward(dA, act_cache) @ W.T  # dX of dense_backward; dW is not needed
        if scale != 1.0:
            dA = scale * dA
    return stats


def layer_stats_through_depth(activation: str, weights, X, dA) -> dict:
    """Forward std and backward gradient norm per layer of the square network with ``weights``.

    activation: a name in ``nnkit.activations.ACTIVATIONS``; weights: ``depth`` arrays (width,
    width), zero biases; X: (batch, width) inputs; dA: (batch, width), dL/dA at the top.
    Returns ``{"std": (depth,), "grad_norm": (depth,)}``: entry l is the std of all entries of
    the output A_l of layer l + 1 and the Frobenius norm of dL/dA_l.
    """
    X = v.as_float_array(X, "X", ndim=2)
    dA = v.as_float_array(dA, "dA", ndim=2)
    v.check_shape(dA, "dA", X.shape, "one top gradient per output, like X")
    stats = _through_depth(activation, weights, X, dA)
    return {"std": stats["std"], "grad_norm": stats["grad_norm"]}


#: The initializations compared through depth, by the name shown, and the initializer drawing them.
SCHEMES = {"tiny": "normal", "lecun": "lecun_normal", "xavier": "xavier_normal", "he": "he_normal",
           "large": "standard_normal"}

#: Var(w) of each scheme for a layer (fan_in, fan_out).
WEIGHT_VARIANCE = {
    "tiny": lambda fan_in, fan_out: 1e-4,
    "lecun": lambda fan_in, fan_out: 1.0 / fan_in,
    "xavier": lambda fan_in, fan_out: 2.0 / (fan_in + fan_out),
    "he": lambda fan_in, fan_out: 2.0 / fan_in,
    "large": lambda fan_in, fan_out: 1.0,
}

#: E[f(z)^2] / Var(z) for z ~ N(0, q): exactly 1/2 for ReLU, and 1 for tanh while q is small.
SECOND_MOMENT_FACTOR = {"linear": 1.0, "tanh": 1.0, "relu": 0.5}


def predicted_gain(activation: str, init: str, width: int) -> float:
    """The theory's per-layer factor of the second moment E[a^2] in a square network (width, width).

    Var(z) = width * Var(w) * E[a^2] for the next layer, and E[f(z)^2] = c * Var(z) with
    c = ``SECOND_MOMENT_FACTOR[activation]``: the factor is width * Var(w) * c (He with ReLU: 1).
    """
    v.check_positive_int(width, "width")
    factor = v.lookup(SECOND_MOMENT_FACTOR, activation, "activation")
    variance = v.lookup(WEIGHT_VARIANCE, init, "initialization")
    return float(width * variance(width, width) * factor)


def symmetric_units(W, tol: float = 1e-9) -> int:
    """How many different units a layer has: W: (fan_in, fan_out), one column per unit.

    Two columns count as one unit when no entry differs by more than ``tol``: units started equal
    (zero initialization) get equal gradients and stay copies of each other.
    """
    W = v.as_float_array(W, "W", ndim=2)
    distinct: list = []
    for column in W.T:
        if not any(np.max(np.abs(column - kept)) <= tol for kept in distinct):
            distinct.append(column)
    return len(distinct)


def spectral_radius(W) -> float:
    """Largest |eigenvalue| of a square matrix W: (n, n), the per-layer growth of a linear deep net."""
    W = v.as_float_array(W, "W", ndim=2)
    return float(np.max(np.abs(np.linalg.eigvals(W))))


def train_deep(X, y, sizes, activation: str, init: str, steps: int, lr: float, rng=0) -> np.ndarray:
    """Loss per step of full-batch gradient descent on an MLP of widths ``sizes`` (softmax output).

    X: (batch, sizes[0]); y: (batch,) integer labels below sizes[-1]; init: a name in
    ``nnkit.init.INITIALIZERS`` or in ``SCHEMES``; rng: Generator or seed for the weights.
    Returns the softmax cross-entropy before each of the ``steps`` updates: (steps,).
    """
    v.check_positive_int(steps, "steps")
    params = mlp.init_mlp(sizes, rng, SCHEMES.get(init, init))
    losses_seen = np.empty(steps)
    for step in range(steps):
        out, caches = mlp.mlp_forward(X, params, activation)
        losses_seen[step], dout = losses.softmax_cross_entropy(out, y)
        optim.sgd_step(params, mlp.mlp_backward(dout, caches), lr)
    return losses_seen


def dead_fraction(Z) -> float:
    """Share of units that never fire on a batch: Z: (batch, units) pre-activations of a ReLU layer.

    A unit is dead when Z <= 0 on every row: ReLU then outputs 0 and passes back no gradient for
    any sample of the batch. Returns a float in [0, 1].
    """
    Z = v.as_float_array(Z, "Z", ndim=2)
    return float(np.mean(np.all(Z <= 0.0, axis=0)))


def gradient_through_depth(activation, x, w, b) -> np.ndarray:
    """The derivative d a_l / d x along chains of scalar units a_l = f(w_l a_(l-1) + b_l), a_0 = x.

    activation: ``z -> (f(z), f'(z))``; x: (batch,) inputs, one chain each; w, b: (depth,), the
    weight and bias of each layer. Returns (batch, depth): column l - 1 holds the chain rule's
    product  w_1 f'(z_1) * ... * w_l f'(z_l),  the gradient left after l layers.
    """
    a = v.as_float_array(x, "x", ndim=1)
    w = v.as_float_array(w, "w", ndim=1)
    b = v.as_float_array(b, "b", ndim=1)
    v.check_shape(b, "b", w.shape, "one bias per layer, like w")
    grads, g = np.empty((a.size, w.size)), np.ones_like(a)
    for layer in range(w.size):
        a, slope = activation(w[layer] * a + b[layer])
        g = g * w[layer] * slope
        grads[:, layer] = g
    return grads
