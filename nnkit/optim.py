"""Optimizers: SGD, SGD with momentum, Adam.

Every optimizer updates parameters IN PLACE (``p -= step``), so caches and closures that hold
the arrays see the new values. ``params`` and ``grads`` are matching containers: a dict
name -> array, or a list of such dicts (the layers of ``nnkit.mlp``). Stateful optimizers
(momentum, Adam) keep one buffer per parameter, keyed by its position in the container.
"""

from __future__ import annotations

import numpy as np

from nnkit import _validate as v


def _check_beta(beta, name: str) -> None:
    """Require a decay rate in [0, 1)."""
    if not np.isscalar(beta) or not 0.0 <= beta < 1.0:
        raise ValueError(f"{name} must be a number in [0, 1); got {beta!r}")


def _pairs(params, grads):
    """Yield (key, param, grad) for matching dict / list-of-dict containers, checking shapes."""
    layers_p = params if isinstance(params, (list, tuple)) else [params]
    layers_g = grads if isinstance(grads, (list, tuple)) else [grads]
    if len(layers_p) != len(layers_g):
        raise ValueError(f"params and grads must have the same number of layers; "
                         f"got {len(layers_p)} and {len(layers_g)}")
    for i, (lp, lg) in enumerate(zip(layers_p, layers_g)):
        if not isinstance(lp, dict) or not isinstance(lg, dict):
            raise TypeError("params and grads must be dicts of arrays or lists of such dicts; "
                            f"got {type(lp).__name__} and {type(lg).__name__}")
        if set(lp) != set(lg):
            raise ValueError(f"params and grads must have the same keys; "
                             f"got {sorted(lp)} and {sorted(lg)} (layer {i})")
        for name, p in lp.items():
            if not isinstance(p, np.ndarray) or p.dtype != np.float64:
                raise TypeError(f"params[{i}][{name!r}] must be a float64 numpy array "
                                "(updated in place)")
            g = v.as_float_array(lg[name], f"grads[{i}][{name!r}]")
            v.check_same_shape(p, f"params[{i}][{name!r}]", g, f"grads[{i}][{name!r}]")
            yield (i, name), p, g


def sgd_step(params, grads, lr: float) -> None:
    """Plain gradient descent, in place: p <- p - lr * g for every parameter."""
    v.check_positive(lr, "lr")
    for _, p, g in _pairs(params, grads):
        p -= lr * g


def sgd_update(params, grads, lr: float):
    """Plain gradient descent as new arrays: ``p - lr * g`` for every parameter, ``params`` untouched.

    Returns a container shaped like ``params`` (a dict, or a list of dicts).
    """
    v.check_positive(lr, "lr")
    layers = [dict(layer) for layer in (params if isinstance(params, (list, tuple)) else [params])]
    for (i, name), p, g in _pairs(params, grads):
        layers[i][name] = p - lr * g
    return layers if isinstance(params, (list, tuple)) else layers[0]


class SGD:
    """Plain gradient descent; ``step(params, grads)`` updates in place."""

    def __init__(self, lr: float = 0.1):
        v.check_positive(lr, "lr")
        self.lr = lr

    def step(self, params, grads) -> None:
        sgd_step(params, grads, self.lr)


class Momentum:
    """Heavy-ball momentum: u <- beta u + g;  p <- p - lr u.  ``step`` updates in place."""

    def __init__(self, lr: float = 0.1, beta: float = 0.9):
        v.check_positive(lr, "lr")
        _check_beta(beta, "beta")
        self.lr, self.beta = lr, beta
        self.velocity = {}

    def step(self, params, grads) -> None:
        for key, p, g in _pairs(params, grads):
            u = self.velocity.setdefault(key, np.zeros_like(p))
            u *= self.beta
            u += g
            p -= self.lr * u


class Adam:
    """Adam (Kingma & Ba 2015) with bias correction; ``step`` updates in place.

    m <- b1 m + (1-b1) g;  s <- b2 s + (1-b2) g**2;  p <- p - lr m_hat / (sqrt(s_hat) + eps),
    with m_hat = m / (1 - b1**t), s_hat = s / (1 - b2**t) at step t = 1, 2, ...
    """

    def __init__(self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8):
        v.check_positive(lr, "lr")
        v.check_positive(eps, "eps")
        _check_beta(beta1, "beta1")
        _check_beta(beta2, "beta2")
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.t = 0
        self.m, self.s = {}, {}

    def step(self, params, grads) -> None:
        self.t += 1
        c1, c2 = 1.0 - self.beta1**self.t, 1.0 - self.beta2**self.t
        for key, p, g in _pairs(params, grads):
            m = self.m.setdefault(key, np.zeros_like(p))
            s = self.s.setdefault(key, np.zeros_like(p))
            m += (1.0 - self.beta1) * (g - m)
            s += (1.0 - self.beta2) * (g * g - s)
            p -= self.lr * (m / c1) / (np.sqrt(s / c2) + self.eps)
