"""Toy data sets: determinism by seed, labels, balance, and each set's geometry by hand."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnkit import data

# name -> (make(n, rng) -> (X, t), the labels it may use)
MAKERS = {
    "blobs": (lambda n, rng: data.blobs(n, 0.3, rng), (-1.0, 1.0)),
    "xor_cloud": (lambda n, rng: data.xor_cloud(n, 0.1, rng), (-1.0, 1.0)),
    "moons": (lambda n, rng: data.moons(n, 0.1, rng), (-1.0, 1.0)),
    "circles": (lambda n, rng: data.circles(n, 0.1, 0.5, rng), (-1.0, 1.0)),
    "spirals": (lambda n, rng: data.spirals(n, 0.1, rng), (0, 1)),
    "spirals3": (lambda n, rng: data.spirals(n, 0.1, rng, classes=3), (0, 1, 2)),
}
SETS = pytest.mark.parametrize("name", sorted(MAKERS))


@SETS
def test_same_seed_identical_different_seed_different(name):
    make = MAKERS[name][0]
    X1, t1 = make(60, 7)
    X2, t2 = make(60, np.random.default_rng(7))
    assert np.array_equal(X1, X2) and np.array_equal(t1, t2)
    X3, _ = make(60, 8)
    assert not np.array_equal(X1, X3)


@SETS
@settings(max_examples=20, deadline=None)
@given(n=st.integers(1, 101), seed=st.integers(0, 2**32 - 1))
def test_shapes_labels_and_balance(name, n, seed):
    make, labels = MAKERS[name]
    X, t = make(n, seed)
    assert X.shape == (n, 2) and X.dtype == np.float64 and np.all(np.isfinite(X))
    assert t.shape == (n,) and set(np.unique(t)) <= set(labels)
    counts = [np.sum(t == c) for c in labels]
    assert max(counts) - min(counts) <= 1


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("margin", [0.05, 0.3, 1.0])
def test_blobs_margin_is_at_least_the_requested_and_nearly_reached(seed, margin):
    X, t, (w, b) = data.blobs(200, margin, seed, return_line=True)
    assert np.linalg.norm(w) == pytest.approx(1.0)
    distances = t * (X @ w + b) / np.linalg.norm(w)
    assert distances.min() >= margin
    assert distances.min() <= margin + 0.1  # 200 points: some come close to the margin


def test_blobs_default_returns_only_x_and_t():
    X, t = data.blobs(10, 0.5, 0)
    assert np.array_equal(X, data.blobs(10, 0.5, 0, return_line=True)[0])


def test_xor_table_by_hand():
    X, t = data.xor_table()
    assert np.array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    assert np.array_equal(t, [-1, 1, 1, -1])
    X[0, 0] = 5.0  # the caller's copy: the next call is unaffected
    assert data.xor_table()[0][0, 0] == 0.0


def test_xor_cloud_without_noise_is_the_corners_with_their_labels():
    X, t = data.xor_cloud(40, 0.0, 1)
    expected = np.where(X[:, 0] == X[:, 1], -1.0, 1.0)  # XOR: equal bits -> -1
    assert set(map(tuple, X)) == {(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)}
    assert np.array_equal(t, expected)


def test_moons_without_noise_lie_on_their_half_circles():
    X, t = data.moons(100, 0.0, 2)
    up, low = X[t < 0], X[t > 0]
    assert np.allclose(np.linalg.norm(up, axis=1), 1.0) and np.all(up[:, 1] >= 0)
    assert np.allclose(np.linalg.norm(low - [1.0, 0.5], axis=1), 1.0) and np.all(low[:, 1] <= 0.5)


def test_circles_without_noise_have_radius_one_and_factor():
    X, t = data.circles(100, 0.0, 0.3, 3)
    radius = np.linalg.norm(X, axis=1)
    assert np.allclose(radius[t < 0], 1.0) and np.allclose(radius[t > 0], 0.3)


def test_spirals_without_noise_stay_in_the_unit_disc_and_arms_are_rotations():
    X, t = data.spirals(300, 0.0, 4, classes=3)
    r = np.linalg.norm(X, axis=1)
    assert r.max() <= 1.0 and t.dtype == np.int64
    angle = np.arctan2(X[:, 1], X[:, 0])
    expected = 2 * np.pi * t / 3 + 4.0 * r  # arm k, radius r: angle 2 pi k / K + 4 r
    assert np.allclose(np.cos(angle - expected), 1.0, atol=1e-12)


def test_noise_scales_the_scatter():
    X0, _ = data.circles(4000, 0.0, 0.5, 5)
    X1, _ = data.circles(4000, 0.2, 0.5, 5)
    assert np.std(X1 - X0) == pytest.approx(0.2, rel=0.05)


@pytest.mark.parametrize("call, match", [
    (lambda: data.blobs(0, 0.5, 0), "n must be a positive integer"),
    (lambda: data.blobs(10.0, 0.5, 0), "n must be a positive integer"),
    (lambda: data.blobs(10, 0.0, 0), "margin must be a positive number"),
    (lambda: data.moons(10, -0.1, 0), "noise must be a number >= 0"),
    (lambda: data.circles(10, 0.1, 1.0, 0), r"factor must be a number in \(0, 1\)"),
    (lambda: data.spirals(10, 0.1, 0, classes=0), "classes must be a positive integer"),
])
def test_bad_arguments_are_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_rng_must_be_a_generator_or_seed():
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        data.xor_cloud(10, 0.1, None)
