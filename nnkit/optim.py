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
            p[...], self.velocity[key] = momentum_update(p, g, self.velocity.get(key, np.zeros_like(p)),
                                                         self.lr, self.beta)


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
        for key, p, g in _pairs(params, grads):
            state = {"m": self.m.get(key, np.zeros_like(p)), "s": self.s.get(key, np.zeros_like(p)), "t": self.t}
            p[...], state = adam_update(p, g, state, self.lr, self.beta1, self.beta2, self.eps)
            self.m[key], self.s[key] = state["m"], state["s"]
        self.t += 1


def _same_shape(**arrays) -> list[np.ndarray]:
    """The named arrays as float64, all of the first one's shape."""
    (first, a0), *rest = [(name, v.as_float_array(a, name)) for name, a in arrays.items()]
    for name, a in rest:
        v.check_same_shape(a0, first, a, name)
    return [a0, *(a for _, a in rest)]


def momentum_update(p, g, velocity, lr: float, beta: float = 0.9):
    """One heavy-ball step as new arrays: velocity_new = beta velocity + g; p_new = p - lr velocity_new.

    p, g, velocity: same shape. Returns (p_new, velocity_new); the inputs are untouched.
    """
    v.check_positive(lr, "lr")
    _check_beta(beta, "beta")
    p, g, velocity = _same_shape(p=p, g=g, velocity=velocity)
    velocity = beta * velocity + g
    return p - lr * velocity, velocity


def adam_update(p, g, state: dict, lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
    """One Adam step as new arrays. state = {"m": shape of p, "s": shape of p, "t": steps taken so far}.

    t <- t + 1; m <- b1 m + (1-b1) g; s <- b2 s + (1-b2) g**2;
    p_new = p - lr m_hat / (sqrt(s_hat) + eps), m_hat = m / (1 - b1**t), s_hat = s / (1 - b2**t).
    Returns (p_new, {"m": m, "s": s, "t": t}); the inputs are untouched.
    """
    v.check_positive(lr, "lr")
    v.check_nonnegative(eps, "eps")
    _check_beta(beta1, "beta1")
    _check_beta(beta2, "beta2")
    if not isinstance(state, dict) or set(state) != {"m", "s", "t"}:
        raise ValueError(f"state must be a dict with keys 'm', 's', 't'; got {state!r:.80}")
    v.check_nonnegative(state["t"], "state['t']")
    p, g, m, s = _same_shape(p=p, g=g, m=state["m"], s=state["s"])
    t = int(state["t"]) + 1
    m = beta1 * m + (1.0 - beta1) * g
    s = beta2 * s + (1.0 - beta2) * g * g
    m_hat, s_hat = m / (1.0 - beta1**t), s / (1.0 - beta2**t)
    return p - lr * m_hat / (np.sqrt(s_hat) + eps), {"m": m, "s": s, "t": t}
