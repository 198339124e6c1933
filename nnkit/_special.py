"""Vectorised error function and normal distribution, accurate to float64 (numpy has no erf).

W. J. Cody's rational Chebyshev approximations ("Rational Chebyshev approximations for the
error function", Math. Comp. 23, 1969; Netlib SPECFUN ``calerf``), evaluated on three
intervals of ``|x|``: erf on [0, 0.46875], erfc on (0.46875, 4] and erfc on (4, inf).
Each interval is evaluated only on its own entries, so no branch overflows on another's input.
"""

from __future__ import annotations

import numpy as np

_INV_SQRT_PI = 5.6418958354775628695e-1
_SQRT_HALF = 7.0710678118654752440e-1
_INV_SQRT_2PI = 3.9894228040143267794e-1
_XBIG = 26.543  # erfc(x) underflows to 0 beyond this

_A = (3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
      3.20937758913846947e03, 1.85777706184603153e-1)
_B = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
      2.84423683343917062e03)
_C = (5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
      2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
      2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8)
_D = (1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
      1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
      3.43936767414372164e03, 1.23033935480374942e03)
_P = (3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
      1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2)
_Q = (2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
      6.05183413124413191e-2, 2.33520497626869185e-3)


def _rational(y, num, den):
    """Cody's nested rational function of ``y``: ``num[-1]`` leads, ``den`` is monic."""
    k = len(den) - 1
    xnum, xden = num[-1] * y, y
    for a, b in zip(num[:k], den[:k]):
        xnum, xden = (xnum + a) * y, (xden + b) * y
    return (xnum + num[k]) / (xden + den[k])


def _erf_small(x):
    """erf(x) for |x| <= 0.46875."""
    return x * _rational(x * x, _A, _B)


def _scaled(y, r):
    """exp(-y^2) * r, with y^2 split as ysq^2 + del so the large part is exact."""
    ysq = np.trunc(16.0 * y) / 16.0
    return np.exp(-ysq * ysq) * np.exp(-(y - ysq) * (y + ysq)) * r


def _erfc_mid(y):
    """erfc(y) for 0.46875 < y <= 4."""
    return _scaled(y, _rational(y, _C, _D))


def _erfc_large(y):
    """erfc(y) for 4 < y < 26.543."""
    ysq = 1.0 / (y * y)
    return _scaled(y, (_INV_SQRT_PI - ysq * _rational(ysq, _P, _Q)) / y)


def _erfc_abs(y):
    """erfc(y) for y = |x| > 0.46875 (entries at or beyond 26.543 give 0)."""
    out = np.zeros_like(y)
    mid = y <= 4.0
    large = ~mid & (y < _XBIG)
    out[mid] = _erfc_mid(y[mid])
    out[large] = _erfc_large(y[large])
    return out


def _pieces(x):
    """x as float64, the mask |x| <= 0.46875, erf on that mask and erfc(|x|) off it."""
    x = np.asarray(x, dtype=np.float64)
    small = np.abs(x) <= 0.46875
    return x, small, _erf_small(x[small]), _erfc_abs(np.abs(x[~small]))


def erf(x) -> np.ndarray:
    """Error function, elementwise, float64; any shape."""
    x, small, near, tail = _pieces(x)
    out = np.empty_like(x)
    out[small], out[~small] = near, np.copysign(1.0 - tail, x[~small])
    return out


def erfc(x) -> np.ndarray:
    """Complementary error function 1 - erf(x), accurate in the tails; any shape."""
    x, small, near, tail = _pieces(x)
    out = np.empty_like(x)
    out[small], out[~small] = 1.0 - near, np.where(x[~small] < 0, 2.0 - tail, tail)
    return out


def normal_cdf(z) -> np.ndarray:
    """Standard normal CDF Phi(z) = erfc(-z / sqrt 2) / 2; accurate for very negative z."""
    return 0.5 * erfc(-np.asarray(z, dtype=np.float64) * _SQRT_HALF)


def normal_pdf(z) -> np.ndarray:
    """Standard normal density phi(z) = exp(-z^2 / 2) / sqrt(2 pi)."""
    z = np.asarray(z, dtype=np.float64)
    return _INV_SQRT_2PI * np.exp(-0.5 * z * z)
