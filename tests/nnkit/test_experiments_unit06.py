"""Unit 06's reference experiments: the theory's factor, statistics through depth, symmetry, the spectral radius.

Expected values are worked out by hand or measured with other code (finite differences, the
second moments of ``layer_stats``, numpy's eigenvalues of matrices built to have known ones).
"""

import math

import numpy as np
import pytest

from nnkit import data, init, mlp
from nnkit.experiments import (draw_weights, layer_stats, layer_stats_through_depth, predicted_gain,
                               spectral_radius, symmetric_units, train_deep)


def test_predicted_gain_by_hand():
    assert predicted_gain("relu", "he", 256) == 1.0
    assert predicted_gain("relu", "xavier", 256) == 0.5
    assert predicted_gain("tanh", "he", 64) == 2.0
    assert predicted_gain("linear", "large", 10) == 10.0
    assert predicted_gain("relu", "tiny", 100) == pytest.approx(100 * 1e-4 / 2)


@pytest.mark.parametrize("scheme", ["he", "xavier", "lecun"])
def test_predicted_gain_matches_the_measured_relu_second_moment(scheme):
    weights = draw_weights({"he": "he_normal", "xavier": "xavier_normal", "lecun": "lecun_normal"}[scheme],
                           30, 256, rng=3)
    m = layer_stats("relu", weights, n_samples=128, rng=4)["second_moment"]
    measured = (m[-1] / m[4]) ** (1 / 25)
    assert measured == pytest.approx(predicted_gain("relu", scheme, 256), rel=0.05)


def test_layer_stats_through_depth_by_hand():
    stats = layer_stats_through_depth("relu", [np.eye(2)], np.array([[1.0, -2.0]]), np.array([[3.0, 4.0]]))
    assert set(stats) == {"std", "grad_norm"}
    np.testing.assert_allclose(stats["std"], [0.5])  # A = [[1, 0]]
    np.testing.assert_allclose(stats["grad_norm"], [5.0])


def test_layer_stats_through_depth_gradients_match_central_differences():
    rng = np.random.default_rng(0)
    weights = [rng.normal(size=(3, 3)) for _ in range(3)]
    X, dA = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))

    def loss_from(A, first):  # L = sum(dA * A_top), A the output of layer `first`
        for W in weights[first:]:
            A = np.tanh(A @ W)
        return np.sum(dA * A)

    A1 = np.tanh(X @ weights[0])
    grad, h = np.zeros_like(A1), 1e-6
    for index in np.ndindex(A1.shape):
        step = np.zeros_like(A1)
        step[index] = h
        grad[index] = (loss_from(A1 + step, 1) - loss_from(A1 - step, 1)) / (2 * h)
    stats = layer_stats_through_depth("tanh", weights, X, dA)
    assert stats["grad_norm"][0] == pytest.approx(np.linalg.norm(grad), rel=1e-6)
    assert stats["grad_norm"][-1] == pytest.approx(np.linalg.norm(dA))
    assert stats["std"][0] == pytest.approx(A1.std())


def test_layer_stats_through_depth_rejects_a_top_gradient_of_another_shape():
    with pytest.raises(ValueError, match="dA"):
        layer_stats_through_depth("relu", [np.eye(2)], np.ones((3, 2)), np.ones((2, 2)))


def test_symmetric_units_by_hand():
    assert symmetric_units(np.array([[1.0, 1.0, 2.0], [0.0, 1e-12, 0.0]])) == 2
    assert symmetric_units(np.zeros((4, 5))) == 1
    assert symmetric_units(np.eye(3)) == 3


def test_zero_initialization_trains_copies_and_random_does_not():
    rng = np.random.default_rng(0)
    X, y = data.moons(60, 0.1, rng)
    y = (y > 0).astype(int)
    hidden = {}
    for scheme in ("zeros", "normal"):
        params = mlp.init_mlp([2, 8, 2], 0, scheme)
        params[1]["W"] = np.full((8, 2), 0.1) * [1, -1] if scheme == "zeros" else params[1]["W"]  # output gets a signal
        for _ in range(50):
            out, caches = mlp.mlp_forward(X, params, "tanh")
            dout = np.exp(out) / np.exp(out).sum(axis=1, keepdims=True)
            dout[np.arange(len(y)), y] -= 1
            for p, g in zip(params, mlp.mlp_backward(dout / len(y), caches)):
                p["W"] -= 0.5 * g["W"]
                p["b"] -= 0.5 * g["b"]
        hidden[scheme] = params[0]["W"]
    assert np.abs(hidden["zeros"]).max() > 0  # it did learn something, as one unit copied 8 times
    assert symmetric_units(hidden["zeros"]) == 1 and symmetric_units(hidden["normal"]) == 8


def test_spectral_radius_of_matrices_with_known_eigenvalues():
    assert spectral_radius(np.diag([0.5, -3.0, 1.0])) == pytest.approx(3.0)
    angle = 0.3
    rotation = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    assert spectral_radius(2 * rotation) == pytest.approx(2.0)  # complex eigenvalues 2 e^(±i 0.3)


def test_spectral_radius_of_a_random_matrix_follows_the_circular_law():
    W = init.xavier_normal(400, 400, np.random.default_rng(1))  # sigma sqrt(n) = 1
    assert spectral_radius(W) == pytest.approx(1.0, abs=0.1)


def test_train_deep_learns_from_he_and_stalls_from_tiny_weights():
    rng = np.random.default_rng(0)
    X, y = data.moons(100, 0.1, rng)
    y = (y > 0).astype(int)
    he = train_deep(X, y, [2, 16, 16, 2], "relu", "he", steps=150, lr=0.1, rng=1)
    tiny = train_deep(X, y, [2] + [16] * 8 + [2], "relu", "tiny", steps=20, lr=0.1, rng=1)
    assert he.shape == (150,) and he[-1] < 0.5 * he[0]
    np.testing.assert_allclose(tiny, math.log(2), atol=1e-9)



@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_layer_stats_scale_equals_scaled_weights(activation):
    weights = draw_weights("lecun_normal", 4, 16, rng=5)
    scaled = layer_stats(activation, [1.7 * W for W in weights], n_samples=8, rng=6)
    by_scale = layer_stats(activation, weights, n_samples=8, rng=6, scale=1.7)
    for key in scaled:
        np.testing.assert_allclose(by_scale[key], scaled[key], rtol=1e-12)
