"""Weight initializers: each ``(fan_in, fan_out, rng) -> W: (fan_in, fan_out)`` float64.

The scale keeps ``Var(z) = fan_in * Var(w) * Var(x)`` in check: LeCun ``Var(w) = 1/fan_in``,
Xavier/Glorot ``2/(fan_in + fan_out)``, He/Kaiming ``2/fan_in`` (for ReLU). A uniform
``U(-a, a)`` has variance ``a^2/3``, hence the bounds ``sqrt(6/(fan_in + fan_out))`` and
``sqrt(6/fan_in)``. Normals are plain (not truncated). ``rng`` is a Generator or a seed.
"""

from __future__ import annotations

import numpy as np

from nnkit._validate import as_rng, check_positive, check_positive_int, lookup


def _shape(fan_in, fan_out) -> tuple[int, int]:
    check_positive_int(fan_in, "fan_in")
    check_positive_int(fan_out, "fan_out")
    return int(fan_in), int(fan_out)


def _normal(shape, rng, std) -> np.ndarray:
    return as_rng(rng).normal(0.0, std, size=shape)


def _uniform(shape, rng, bound) -> np.ndarray:
    return as_rng(rng).uniform(-bound, bound, size=shape)


def zeros(fan_in, fan_out, rng=None) -> np.ndarray:
    """All zeros (``rng`` is accepted for a uniform signature and ignored)."""
    return np.zeros(_shape(fan_in, fan_out))


def normal(fan_in, fan_out, rng, std=0.01) -> np.ndarray:
    """N(0, std^2) entries whatever the fans: the "small random numbers" of early practice."""
    shape = _shape(fan_in, fan_out)
    check_positive(std, "std")
    return _normal(shape, rng, std)


def lecun_normal(fan_in, fan_out, rng) -> np.ndarray:
    """N(0, 1/fan_in)."""
    n_in, n_out = _shape(fan_in, fan_out)
    return _normal((n_in, n_out), rng, np.sqrt(1.0 / n_in))


def xavier_normal(fan_in, fan_out, rng) -> np.ndarray:
    """N(0, 2/(fan_in + fan_out)) (Glorot & Bengio, 2010)."""
    n_in, n_out = _shape(fan_in, fan_out)
    return _normal((n_in, n_out), rng, np.sqrt(2.0 / (n_in + n_out)))


def xavier_uniform(fan_in, fan_out, rng) -> np.ndarray:
    """U(-a, a), a = sqrt(6/(fan_in + fan_out)): variance 2/(fan_in + fan_out)."""
    n_in, n_out = _shape(fan_in, fan_out)
    return _uniform((n_in, n_out), rng, np.sqrt(6.0 / (n_in + n_out)))


def he_normal(fan_in, fan_out, rng) -> np.ndarray:
    """N(0, 2/fan_in) (He et al., 2015), for ReLU layers."""
    n_in, n_out = _shape(fan_in, fan_out)
    return _normal((n_in, n_out), rng, np.sqrt(2.0 / n_in))


def he_uniform(fan_in, fan_out, rng) -> np.ndarray:
    """U(-a, a), a = sqrt(6/fan_in): variance 2/fan_in."""
    n_in, n_out = _shape(fan_in, fan_out)
    return _uniform((n_in, n_out), rng, np.sqrt(6.0 / n_in))


def standard_normal(fan_in, fan_out, rng) -> np.ndarray:
    """N(0, 1) entries whatever the fans: the "large" initialization that explodes through depth."""
    return _normal(_shape(fan_in, fan_out), rng, 1.0)


INITIALIZERS = {
    f.__name__: f
    for f in (zeros, normal, lecun_normal, xavier_normal, xavier_uniform, he_normal, he_uniform, standard_normal)
}


def get(name: str):
    """The initializer called ``name``; ValueError listing the known names otherwise."""
    return lookup(INITIALIZERS, name, "initializer")
