"""Normalization layers: hand-computed values, statistics, and BatchNorm's backward against central differences."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnkit.gradcheck import check_gradients
from nnkit.normalization import batchnorm_backward, batchnorm_forward, layernorm_forward, rmsnorm_forward


def test_batchnorm_by_hand():
    X = np.array([[1.0, 10.0], [3.0, 10.0]])  # feature 0: mean 2, var 1; feature 1: constant
    Y, rm, rv = batchnorm_forward(X, np.array([2.0, 1.0]), np.array([0.5, -1.0]), np.zeros(2), np.ones(2), eps=0.0 + 1e-12)
    np.testing.assert_allclose(Y[:, 0], [2 * -1 + 0.5, 2 * 1 + 0.5], rtol=1e-9)
    np.testing.assert_allclose(Y[:, 1], [-1.0, -1.0])  # eps inside the root: no division by zero
    np.testing.assert_allclose(rm, [0.2, 1.0])
    np.testing.assert_allclose(rv, [0.9 * 1 + 0.1 * 1, 0.9])


def test_batchnorm_eval_uses_and_keeps_the_running_statistics():
    X = np.array([[4.0], [6.0]])
    Y, rm, rv = batchnorm_forward(X, np.ones(1), np.zeros(1), np.array([5.0]), np.array([4.0]), train=False, eps=0.0)
    np.testing.assert_allclose(Y[:, 0], [-0.5, 0.5])
    assert rm[0] == 5.0 and rv[0] == 4.0


def test_a_batch_of_one_comes_out_as_beta_in_training():
    Y, _, _ = batchnorm_forward(np.array([[3.0, -7.0]]), np.ones(2), np.array([0.25, 2.0]), np.zeros(2), np.ones(2))
    np.testing.assert_allclose(Y, [[0.25, 2.0]])


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6), batch=st.integers(3, 6), features=st.integers(1, 4))  # n = 2: x_hat = ±1 whatever X, dX ~ eps
def test_batchnorm_backward_matches_central_differences(seed, batch, features):
    rng = np.random.default_rng(seed)
    p = {"X": rng.normal(1.0, 2.0, size=(batch, features)), "gamma": rng.uniform(0.5, 2.0, features),
         "beta": rng.normal(size=features)}
    G = rng.normal(size=(batch, features))
    stats = (np.zeros(features), np.ones(features))
    loss = lambda: float(np.sum(batchnorm_forward(p["X"], p["gamma"], p["beta"], *stats)[0] * G))  # noqa: E731
    dX, dgamma, dbeta = batchnorm_backward(G, p["X"], p["gamma"])
    report = check_gradients(loss, p, {"X": dX, "gamma": dgamma, "beta": dbeta}, tol=1e-6)
    assert report.ok, str(report)


def test_layernorm_normalises_each_row_and_ignores_the_others():
    rng = np.random.default_rng(0)
    X = rng.normal(3.0, 2.0, size=(4, 6))
    Y = layernorm_forward(X, np.ones(6), np.zeros(6))
    np.testing.assert_allclose(Y.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(Y.var(axis=1), 1, rtol=1e-4)
    np.testing.assert_allclose(layernorm_forward(X[:1], np.ones(6), np.zeros(6)), Y[:1])


def test_rmsnorm_by_hand_keeps_the_mean():
    Y = rmsnorm_forward(np.array([[3.0, 4.0]]), np.array([1.0, 2.0]), eps=0.0)
    rms = np.sqrt((9 + 16) / 2)
    np.testing.assert_allclose(Y, [[3 / rms, 8 / rms]])


def test_bad_shapes_are_named():
    with pytest.raises(ValueError, match="gamma must have shape"):
        layernorm_forward(np.ones((2, 3)), np.ones(2), np.zeros(3))
    with pytest.raises(ValueError, match="X must be 2-D"):
        rmsnorm_forward(np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match="dY must have shape|same shape"):
        batchnorm_backward(np.ones((2, 2)), np.ones((3, 2)), np.ones(2))
