"""Initializers: sample moments over many draws against the formulas, bounds, shapes, seeds."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnkit import init
from nnkit.init import INITIALIZERS

# name -> (distribution, Var(w) from the formula, uniform bound or None); written from the papers.
EXPECTED = {
    "zeros": ("zero", lambda fi, fo: 0.0, None),
    "normal": ("normal", lambda fi, fo: 0.01**2, None),
    "lecun_normal": ("normal", lambda fi, fo: 1.0 / fi, None),
    "xavier_normal": ("normal", lambda fi, fo: 2.0 / (fi + fo), None),
    "xavier_uniform": ("uniform", lambda fi, fo: 2.0 / (fi + fo), lambda fi, fo: math.sqrt(6 / (fi + fo))),
    "he_normal": ("normal", lambda fi, fo: 2.0 / fi, None),
    "he_uniform": ("uniform", lambda fi, fo: 2.0 / fi, lambda fi, fo: math.sqrt(6 / fi)),
    "standard_normal": ("normal", lambda fi, fo: 1.0, None),
}
# relative standard error of the mean square of n draws is sqrt(c / n): c = Var(w^2) / E[w^2]^2
REL_SE_CONST = {"normal": 2.0, "uniform": 0.8}
KURTOSIS = {"normal": 3.0, "uniform": 1.8}
FANS = [(300, 500), (784, 64)]  # unequal fans, two ratios: Xavier, He and LeCun all differ
ENTRIES = pytest.mark.parametrize("name", sorted(INITIALIZERS))


def test_every_initializer_has_expected_moments():
    assert set(EXPECTED) == set(INITIALIZERS), "add the new initializer's formula to EXPECTED"


def draws(name, fan_in, fan_out, n_matrices=3):
    """Pool several matrices drawn from one seeded Generator."""
    rng = np.random.default_rng(12345)
    return np.concatenate([init.get(name)(fan_in, fan_out, rng).ravel() for _ in range(n_matrices)])


@ENTRIES
@pytest.mark.parametrize("fan_in, fan_out", FANS)
def test_sample_moments_match_the_formula(name, fan_in, fan_out):
    kind, variance, _ = EXPECTED[name]
    w = draws(name, fan_in, fan_out)
    var = variance(fan_in, fan_out)
    if kind == "zero":
        assert not w.any()
        return
    n = w.size
    mean_square = np.mean(w**2)  # the mean is 0 by construction: E[w^2] = Var(w)
    assert abs(mean_square / var - 1) < 5 * math.sqrt(REL_SE_CONST[kind] / n)
    assert abs(w.mean()) < 5 * math.sqrt(var / n)
    kurtosis = np.mean(w**4) / mean_square**2
    assert kurtosis == pytest.approx(KURTOSIS[kind], abs=10 * math.sqrt(24 / n))


@pytest.mark.parametrize("name", [k for k, v in EXPECTED.items() if v[0] == "uniform"])
@pytest.mark.parametrize("fan_in, fan_out", FANS)
def test_uniform_bounds_respected_and_nearly_reached(name, fan_in, fan_out):
    bound = EXPECTED[name][2](fan_in, fan_out)
    peak = np.abs(draws(name, fan_in, fan_out)).max()
    assert bound * (1 - 1e-3) <= peak <= bound


@ENTRIES
@settings(max_examples=25, deadline=None)
@given(st.integers(1, 40), st.integers(1, 40))
def test_shape_and_dtype(name, fan_in, fan_out):
    W = init.get(name)(fan_in, fan_out, np.random.default_rng(0))
    assert W.shape == (fan_in, fan_out) and W.dtype == np.float64 and np.all(np.isfinite(W))


@ENTRIES
def test_same_seed_same_weights_and_seed_equals_its_generator(name):
    f = init.get(name)
    assert np.array_equal(f(5, 7, 3), f(5, 7, 3))
    assert np.array_equal(f(5, 7, 3), f(5, 7, np.random.default_rng(3)))
    if name != "zeros":
        assert not np.array_equal(f(5, 7, 3), f(5, 7, 4))


def test_normal_std_sets_the_scale():
    w = init.normal(400, 400, 0, std=0.5).ravel()
    assert np.mean(w**2) == pytest.approx(0.25, rel=5 * math.sqrt(2 / w.size))


@ENTRIES
@pytest.mark.parametrize("bad", [0, -3, 2.5, True, "4", None])
def test_fans_must_be_positive_integers(name, bad):
    f = init.get(name)
    with pytest.raises(ValueError, match=r"fan_in must be a positive integer; got"):
        f(bad, 3, 0)
    with pytest.raises(ValueError, match=r"fan_out must be a positive integer; got"):
        f(3, bad, 0)


@pytest.mark.parametrize("name", sorted(set(INITIALIZERS) - {"zeros"}))
def test_rng_must_be_a_generator_or_seed(name):
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator or an integer seed"):
        init.get(name)(3, 4, None)


@pytest.mark.parametrize("std", [0.0, -1.0])
def test_normal_std_must_be_positive(std):
    with pytest.raises(ValueError, match="std must be a positive number"):
        init.normal(3, 4, 0, std=std)


def test_get_unknown_lists_the_known_names():
    with pytest.raises(ValueError, match="unknown initializer 'orthogonal'; known: .*he_normal"):
        init.get("orthogonal")
