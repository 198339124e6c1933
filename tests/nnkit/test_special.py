"""The vectorised erf/erfc against Python's math module (an independent implementation)."""

import math

import numpy as np
import pytest

from nnkit._special import erf, erfc, normal_cdf, normal_pdf

GRID = np.concatenate([
    np.linspace(-30.0, 30.0, 60_001),
    np.geomspace(1e-300, 1.0, 500),
    -np.geomspace(1e-300, 1.0, 500),
    [0.0, 0.46875, -0.46875, 4.0, -4.0, np.nextafter(4.0, 5.0), 26.543, 1e4, -1e4],
])


def _rel(got, want):
    return np.abs(got - want) / np.abs(want)


def test_erf_matches_math_erf_to_1e_14():
    want = np.array([math.erf(v) for v in GRID])
    got = erf(GRID)
    nonzero = want != 0
    assert _rel(got[nonzero], want[nonzero]).max() <= 1e-14
    assert np.all(got[~nonzero] == 0.0)


def test_erfc_matches_math_erfc_to_1e_14_in_the_tails():
    want = np.array([math.erfc(v) for v in GRID])
    got = erfc(GRID)
    normal = want > 1e-300  # below that math.erfc returns subnormals, erfc 0
    assert _rel(got[normal], want[normal]).max() <= 1e-14
    assert np.all(got[~normal] <= 1e-300)


def test_erf_plus_erfc_is_one_and_erf_is_odd():
    assert np.allclose(erf(GRID) + erfc(GRID), 1.0, rtol=0, atol=2e-16)
    assert np.array_equal(erf(-GRID), -erf(GRID))


def test_keeps_shape_and_accepts_scalars():
    z = np.linspace(-3, 3, 12).reshape(3, 4)
    assert erf(z).shape == (3, 4)
    assert erf(0.5) == pytest.approx(math.erf(0.5), rel=1e-15)


def test_normal_cdf_and_pdf_against_math():
    z = np.linspace(-37.0, 9.0, 4_601)
    cdf = np.array([0.5 * math.erfc(-v / math.sqrt(2.0)) for v in z])
    pdf = np.array([math.exp(-v * v / 2) / math.sqrt(2 * math.pi) for v in z])
    # Phi(z) for z << 0 amplifies the rounding of z / sqrt(2) by ~z^2: 1e-12 is the conditioning.
    assert _rel(normal_cdf(z), cdf).max() <= 1e-12
    assert _rel(normal_pdf(z), pdf).max() <= 1e-14
