"""Mini-batches, the functional optimizer steps, the training loop and the 2-D loss surfaces."""

import numpy as np
import pytest

from nnkit import data, optim, surfaces, training
from nnkit.gradcheck import numerical_gradient, relative_error


def test_minibatches_cover_every_row_once_with_x_and_y_shuffled_alike():
    X, y = np.arange(20.0).reshape(10, 2), np.arange(10)
    batches = training.minibatches(X, y, 4, np.random.default_rng(3))
    assert [len(b[1]) for b in batches] == [4, 4, 2]
    order = np.concatenate([b[1] for b in batches])
    np.testing.assert_array_equal(order, np.random.default_rng(3).permutation(10))
    for Xb, yb in batches:
        np.testing.assert_array_equal(Xb, X[yb])


def test_momentum_update_two_steps_by_hand_and_inputs_untouched():
    p, v = np.zeros(1), np.zeros(1)
    p1, v1 = optim.momentum_update(p, np.ones(1), v, lr=0.1, beta=0.9)
    p2, v2 = optim.momentum_update(p1, np.ones(1), v1, lr=0.1, beta=0.9)
    np.testing.assert_allclose([p1[0], v1[0], p2[0], v2[0]], [-0.1, 1.0, -0.29, 1.9], atol=1e-15)
    assert p[0] == 0 and v[0] == 0


def test_adam_update_first_step_is_lr_times_sign_and_counts_t():
    g = np.array([3.0, -0.002, 50.0])
    zeros = np.zeros(3)
    p, state = optim.adam_update(zeros, g, {"m": zeros, "s": zeros, "t": 0}, lr=0.01, eps=0.0)
    np.testing.assert_allclose(p, -0.01 * np.sign(g), rtol=1e-12)
    assert state["t"] == 1
    np.testing.assert_allclose(state["m"], 0.1 * g)
    np.testing.assert_allclose(state["s"], 0.001 * g**2)


def test_adam_update_agrees_with_the_adam_class_over_steps():
    rng = np.random.default_rng(0)
    opt, params = optim.Adam(lr=0.05), {"w": rng.normal(size=4)}
    p, state = params["w"].copy(), {"m": np.zeros(4), "s": np.zeros(4), "t": 0}
    for _ in range(5):
        g = rng.normal(size=4)
        opt.step(params, {"w": g})
        p, state = optim.adam_update(p, g, state, lr=0.05)
    np.testing.assert_allclose(p, params["w"], rtol=1e-12)


@pytest.mark.parametrize("bad, match", [({"m": np.zeros(2), "s": np.zeros(2)}, "keys"),
                                        ({"m": np.zeros(3), "s": np.zeros(2), "t": 0}, "shape")])
def test_adam_update_bad_state(bad, match):
    with pytest.raises(ValueError, match=match):
        optim.adam_update(np.zeros(2), np.ones(2), bad, lr=0.1)


def test_train_lowers_the_loss_on_moons_and_is_deterministic():
    X, t = data.moons(120, 0.1, 0)
    y = (t > 0).astype(float)[:, None]
    params, losses = training.train(X, y, [2, 16, 1], 0.02, 30, 16, seed=1)
    again, losses_again = training.train(X, y, [2, 16, 1], 0.02, 30, 16, seed=1)
    assert losses == losses_again and len(losses) == 30
    assert losses[-1] < 0.5 * losses[0]
    np.testing.assert_array_equal(params[0]["W"], again[0]["W"])


@pytest.mark.parametrize("surface", list(surfaces.SURFACES.values()), ids=list(surfaces.SURFACES))
def test_surface_gradients_match_central_differences(surface):
    for point in np.random.default_rng(2).normal(size=(5, 2)):
        numeric = numerical_gradient(lambda q: float(surface(q)[0]), point.copy())
        assert relative_error(surface(point)[1], numeric) < 1e-7


def test_surfaces_vanish_at_their_minimum_and_work_on_grids():
    assert surfaces.ravine(np.zeros(2))[0] == 0 and surfaces.rosenbrock(np.ones(2))[0] == 0
    values, grads = surfaces.rosenbrock(np.zeros((4, 3, 2)))
    assert values.shape == (4, 3) and grads.shape == (4, 3, 2)
    with pytest.raises(ValueError, match="2-D points"):
        surfaces.ravine(np.zeros(3))
