"""Optimizers: hand-computed steps, Adam's sign property, and descent on a quadratic."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnkit import optim


def quadratic(rng, n=5):
    """f(p) = 1/2 p^T A p - c^T p with A symmetric positive definite; its minimizer is A^-1 c."""
    Q = rng.standard_normal((n, n))
    A = Q @ Q.T + n * np.eye(n)
    c = rng.standard_normal(n)
    return A, c, np.linalg.solve(A, c)


def test_sgd_step_by_hand():
    p = {"w": np.array([1.0, 2.0])}
    optim.SGD(lr=0.1).step(p, {"w": np.array([0.5, -1.0])})
    np.testing.assert_allclose(p["w"], [0.95, 2.1], rtol=0, atol=1e-15)


def test_momentum_two_steps_by_hand():
    # constant gradient 1: u1 = 1 -> p = -0.1; u2 = 0.9 + 1 = 1.9 -> p = -0.1 - 0.19 = -0.29
    p = {"w": np.zeros(1)}
    opt = optim.Momentum(lr=0.1, beta=0.9)
    opt.step(p, {"w": np.ones(1)})
    np.testing.assert_allclose(p["w"], [-0.1], atol=1e-15)
    opt.step(p, {"w": np.ones(1)})
    np.testing.assert_allclose(p["w"], [-0.29], atol=1e-15)


@settings(max_examples=50, deadline=None)
@given(g=arrays(np.float64, (3, 4), elements=st.floats(1e-3, 1e3) | st.floats(-1e3, -1e-3)),
       lr=st.floats(1e-4, 1.0))
def test_adam_first_step_is_lr_times_sign(g, lr):
    # with m = (1-b1) g and s = (1-b2) g^2, bias correction gives m_hat = g, s_hat = g^2
    p = {"W": np.zeros_like(g)}
    optim.Adam(lr=lr, eps=1e-12).step(p, {"W": g})
    np.testing.assert_allclose(p["W"], -lr * np.sign(g), rtol=1e-8)


@pytest.mark.parametrize("make", [lambda: optim.SGD(lr=0.05), lambda: optim.Momentum(lr=0.02),
                                  lambda: optim.Adam(lr=0.05)])
def test_reduces_a_quadratic(make):
    A, c, p_star = quadratic(np.random.default_rng(0))
    f = lambda p: 0.5 * p @ A @ p - c @ p  # noqa: E731
    params = [{"p": np.ones(5)}]
    opt = make()
    start = f(params[0]["p"])
    for _ in range(500):
        opt.step(params, [{"p": A @ params[0]["p"] - c}])
    assert f(params[0]["p"]) < start
    np.testing.assert_allclose(params[0]["p"], p_star, atol=1e-3)


def test_updates_in_place_and_list_of_layers():
    W, b = np.ones((2, 2)), np.ones(2)
    params = [{"W": W, "b": b}]
    optim.sgd_step(params, [{"W": np.ones((2, 2)), "b": np.ones(2)}], lr=0.5)
    assert params[0]["W"] is W and params[0]["b"] is b
    np.testing.assert_allclose(W, 0.5)
    np.testing.assert_allclose(b, 0.5)


def test_state_is_per_parameter():
    params = [{"W": np.zeros(1)}, {"W": np.zeros(1)}]
    opt = optim.Momentum(lr=1.0, beta=0.5)
    for _ in range(2):
        opt.step(params, [{"W": np.ones(1)}, {"W": -np.ones(1)}])
    # u: 1 then 1.5 -> p = -2.5 ; the other layer mirrors it
    np.testing.assert_allclose([params[0]["W"][0], params[1]["W"][0]], [-2.5, 2.5])


@pytest.mark.parametrize("bad, match", [
    (lambda: optim.SGD(lr=0), "lr"),
    (lambda: optim.Momentum(beta=1.0), "beta"),
    (lambda: optim.Adam(beta2=-0.1), "beta2"),
    (lambda: optim.Adam(eps=0), "eps"),
])
def test_bad_hyperparameters(bad, match):
    with pytest.raises(ValueError, match=match):
        bad()


def test_bad_containers():
    opt = optim.SGD(lr=0.1)
    with pytest.raises(ValueError, match="same keys"):
        opt.step({"W": np.zeros(2)}, {"V": np.zeros(2)})
    with pytest.raises(ValueError, match="same shape"):
        opt.step({"W": np.zeros(2)}, {"W": np.zeros(3)})
    with pytest.raises(ValueError, match="number of layers"):
        opt.step([{"W": np.zeros(2)}], [])
    with pytest.raises(TypeError, match="float64"):
        opt.step({"W": [0.0, 1.0]}, {"W": np.zeros(2)})


def test_sgd_update_returns_new_arrays_and_leaves_params_alone():
    params = [{"W": np.array([[1.0, 2.0]]), "b": np.array([0.5])}]
    grads = [{"W": np.array([[0.5, -1.0]]), "b": np.array([2.0])}]
    new = optim.sgd_update(params, grads, lr=0.1)
    np.testing.assert_allclose(new[0]["W"], [[0.95, 2.1]], atol=1e-15)
    np.testing.assert_allclose(new[0]["b"], [0.3], atol=1e-15)
    np.testing.assert_array_equal(params[0]["W"], [[1.0, 2.0]])
    single = optim.sgd_update({"w": np.array([1.0])}, {"w": np.array([1.0])}, lr=0.5)
    assert isinstance(single, dict) and single["w"][0] == 0.5
    with pytest.raises(ValueError, match="lr"):
        optim.sgd_update(params, grads, lr=-1.0)
