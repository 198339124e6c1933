"""Layers: hand-computed forward values and every backward pass against central differences."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnkit.activations import ACTIVATIONS
from nnkit.gradcheck import check_gradients
from nnkit.layers import activation_backward, activation_forward, dense_backward, dense_forward

TOL = 1e-7


def test_dense_forward_by_hand():
    X = np.array([[1.0, 2.0]])
    W = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])
    Z, _ = dense_forward(X, W, np.array([0.5, 0.0, 1.0]))
    np.testing.assert_allclose(Z, [[1 + 4 + 0.5, 0 + 2 + 0, -1 + 0 + 1]])


def test_dense_backward_by_hand():
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    W = np.array([[1.0], [-1.0]])
    _, cache = dense_forward(X, W, np.zeros(1))
    dX, dW, db = dense_backward(np.array([[1.0], [2.0]]), cache)
    np.testing.assert_allclose(dX, [[1.0, -1.0], [2.0, -2.0]])  # dZ_i * W^T
    np.testing.assert_allclose(dW, [[1 + 6], [2 + 8]])  # sum_i X_i dZ_i
    np.testing.assert_allclose(db, [3.0])


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6), batch=st.integers(1, 4), fan_in=st.integers(1, 4),
       fan_out=st.integers(1, 4))
def test_dense_backward_matches_central_differences(seed, batch, fan_in, fan_out):
    rng = np.random.default_rng(seed)
    p = {"X": rng.standard_normal((batch, fan_in)), "W": rng.standard_normal((fan_in, fan_out)),
         "b": rng.standard_normal(fan_out)}
    G = rng.standard_normal((batch, fan_out))  # loss = sum(Z * G) so dL/dZ = G
    _, cache = dense_forward(p["X"], p["W"], p["b"])
    dX, dW, db = dense_backward(G, cache)
    report = check_gradients(lambda: np.sum(dense_forward(p["X"], p["W"], p["b"])[0] * G), p,
                             {"X": dX, "W": dW, "b": db})
    assert report.ok, str(report)
    assert dX.shape == p["X"].shape and dW.shape == p["W"].shape and db.shape == p["b"].shape


def test_relu_forward_by_hand():
    A, _ = activation_forward(np.array([[-1.0, 2.0, 0.0]]), "relu")
    np.testing.assert_array_equal(A, [[0.0, 2.0, 0.0]])


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_backward_matches_central_differences(name):
    rng = np.random.default_rng(sorted(ACTIVATIONS).index(name))
    Z = rng.uniform(-4, 4, (3, 5))
    Z = np.where(np.abs(Z) < 1e-3, 0.5, Z)  # stay away from the ReLU-family kink at 0
    G = rng.standard_normal(Z.shape)
    A, cache = activation_forward(Z, name)
    assert A.shape == Z.shape
    dZ = activation_backward(G, cache)
    p = {"Z": Z}
    report = check_gradients(lambda: np.sum(activation_forward(p["Z"], name)[0] * G), p, {"Z": dZ})
    assert report.ok and report.worst.rel_error <= TOL, str(report)


def test_bad_shapes_name_the_argument():
    X, W, b = np.zeros((4, 3)), np.zeros((3, 2)), np.zeros(2)
    with pytest.raises(ValueError, match="X must be 2-D"):
        dense_forward(np.zeros(3), W, b)
    with pytest.raises(ValueError, match="X has 3 columns but W has 2 rows"):
        dense_forward(X, np.zeros((2, 2)), b)
    with pytest.raises(ValueError, match=r"b must have shape \(2,\)"):
        dense_forward(X, W, np.zeros(3))
    with pytest.raises(ValueError, match="b must be 1-D"):
        dense_forward(X, W, np.zeros((1, 2)))
    with pytest.raises(TypeError, match="W must hold numbers"):
        dense_forward(X, np.full((3, 2), "a"), b)
    _, cache = dense_forward(X, W, b)
    with pytest.raises(ValueError, match=r"dZ must have shape \(4, 2\)"):
        dense_backward(np.zeros((4, 3)), cache)
    _, cache = activation_forward(X, "tanh")
    with pytest.raises(ValueError, match=r"dA must have shape \(4, 3\)"):
        activation_backward(np.zeros((3, 4)), cache)
    with pytest.raises(ValueError, match="relu"):  # the message lists the known names
        activation_forward(X, "rectifier")


def test_relu_backward_blocks_the_gradient_where_z_is_not_positive():
    from nnkit.layers import relu_backward

    Z = np.array([[1.0, -2.0, 0.0], [3.0, 0.5, -0.1]])
    dA = np.array([[2.0, 5.0, 7.0], [-1.0, 4.0, 3.0]])
    _, cache = activation_forward(Z, "relu")
    np.testing.assert_array_equal(relu_backward(dA, cache), [[2.0, 0.0, 0.0], [-1.0, 4.0, 0.0]])
    np.testing.assert_array_equal(relu_backward(dA, cache), activation_backward(dA, cache))
    with pytest.raises(ValueError, match="dA"):
        relu_backward(np.ones((2, 2)), cache)
