"""Activation functions, each beside its derivative, and a registry of them by name.

Every function takes ``z`` of any shape (a scalar, ``(batch,)``, ``(batch, units)``) and returns
float64 of the same shape, elementwise. All are stable for large ``|z|``: no overflow, no NaN
(tiny values may underflow to 0, which is the correctly rounded answer). At the kink ``z = 0``
the ReLU family takes the left derivative: ``relu_grad(0) = 0``,
``leaky_relu_grad(0) = alpha``, ``elu_grad(0) = alpha``.
"""

from __future__ import annotations

import functools
from typing import Callable, NamedTuple

import numpy as np

from nnkit._special import normal_cdf, normal_pdf
from nnkit._validate import as_float_array, check_matmul, check_positive, check_shape, lookup

_GELU_K = np.sqrt(2.0 / np.pi)  # constant of the tanh approximation of GELU
_GELU_C = 0.044715


def _z(z) -> np.ndarray:
    return as_float_array(z, "z")


def sigmoid(z):
    """Logistic sigmoid 1 / (1 + exp(-z)), never exponentiating a positive number."""
    z = _z(z)
    e = np.exp(-np.abs(z))  # in (0, 1]: cannot overflow
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(z):
    """sigma'(z) = sigma(z) (1 - sigma(z)), at most 1/4."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """Hyperbolic tangent, = 2 sigmoid(2z) - 1."""
    return np.tanh(_z(z))


def tanh_grad(z):
    """tanh'(z) = 1 - tanh(z)^2."""
    return 1.0 - tanh(z) ** 2


def relu(z):
    """max(0, z)."""
    return np.maximum(_z(z), 0.0)


def relu_grad(z):
    """1 where z > 0, else 0 (so relu_grad(0) = 0)."""
    return (_z(z) > 0).astype(np.float64)


def leaky_relu(z, alpha=0.01):
    """z where z > 0, else alpha z."""
    check_positive(alpha, "alpha")
    z = _z(z)
    return np.where(z > 0, z, alpha * z)


def leaky_relu_grad(z, alpha=0.01):
    """1 where z > 0, else alpha."""
    check_positive(alpha, "alpha")
    return np.where(_z(z) > 0, 1.0, alpha)


def elu(z, alpha=1.0):
    """z where z > 0, else alpha (exp(z) - 1)."""
    check_positive(alpha, "alpha")
    z = _z(z)
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def elu_grad(z, alpha=1.0):
    """1 where z > 0, else alpha exp(z)."""
    check_positive(alpha, "alpha")
    z = _z(z)
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))


def gelu(z):
    """Exact GELU z Phi(z), Phi the standard normal CDF."""
    z = _z(z)
    return z * normal_cdf(z)


def gelu_grad(z):
    """GELU'(z) = Phi(z) + z phi(z)."""
    z = _z(z)
    return normal_cdf(z) + z * normal_pdf(z)


def _gelu_tanh_inner(z):
    """tanh of the approximation's argument sqrt(2/pi) (z + 0.044715 z^3)."""
    return np.tanh(_GELU_K * (z + _GELU_C * z**3))


def gelu_tanh(z):
    """GELU's tanh approximation 0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3)))."""
    z = _z(z)
    return 0.5 * z * (1.0 + _gelu_tanh_inner(z))


def gelu_tanh_grad(z):
    """Derivative of gelu_tanh by the product and chain rules."""
    z = _z(z)
    th = _gelu_tanh_inner(z)
    return 0.5 * (1.0 + th) + 0.5 * z * (1.0 - th**2) * _GELU_K * (1.0 + 3.0 * _GELU_C * z**2)


def silu(z):
    """SiLU / Swish z sigmoid(z)."""
    z = _z(z)
    return z * sigmoid(z)


def silu_grad(z):
    """SiLU'(z) = sigma(z) (1 + z (1 - sigma(z)))."""
    z = _z(z)
    s = sigmoid(z)
    return s * (1.0 + z * (1.0 - s))


class Activation(NamedTuple):
    """A registry entry: the function and its derivative, both ``z -> same shape``."""

    name: str
    fn: Callable
    grad: Callable


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("sigmoid", sigmoid, sigmoid_grad),
        Activation("tanh", tanh, tanh_grad),
        Activation("relu", relu, relu_grad),
        Activation("leaky_relu", leaky_relu, leaky_relu_grad),
        Activation("elu", elu, elu_grad),
        Activation("gelu", gelu, gelu_grad),
        Activation("gelu_tanh", gelu_tanh, gelu_tanh_grad),
        Activation("silu", silu, silu_grad),
    )
}


def get(name: str) -> Activation:
    """The registry entry called ``name``; ValueError listing the known names otherwise."""
    return lookup(ACTIVATIONS, name, "activation")


def value_and_grad(name: str) -> Callable:
    """``(z, **params) -> (f(z), f'(z))`` for the registry entry ``name``, with ``f``'s signature.

    The form of unit 05's exercises: one function returns an activation and its derivative.
    """
    act = get(name)

    @functools.wraps(act.fn)
    def both(z, *args, **kwargs):
        return act.fn(z, *args, **kwargs), act.grad(z, *args, **kwargs)

    return both


def swiglu(X, W, V):
    """SwiGLU gate silu(X @ W) * (X @ V); X: (batch, d), W, V: (d, hidden) -> (batch, hidden)."""
    X = as_float_array(X, "X", ndim=2)
    W = as_float_array(W, "W", ndim=2)
    V = as_float_array(V, "V", ndim=2)
    check_matmul(X, "X", W, "W")
    check_shape(V, "V", W.shape, "the same as W")
    return silu(X @ W) * (X @ V)
