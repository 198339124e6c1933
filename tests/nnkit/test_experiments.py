"""Statistics through depth reproduce the theory of He et al. (2015) and Glorot & Bengio (2010).

For ReLU with zero-mean weights and zero bias, E[A_l^2] = fan_in Var(w) E[A_{l-1}^2] / 2 exactly,
so the per-layer gain of the second moment is fan_in Var(w) / 2: 1 for He (Var = 2/n), 1/2 for
Xavier with fan_in = fan_out (Var = 1/n). The same factor holds backward for E[dA^2].
A single deep net wanders around the mean (a product of 50 random gains), so the tests use the
per-layer gain averaged over layers and seeds: unbiased, with a standard deviation
of 0.006 (He) and 0.003 (Xavier), measured over 12 repetitions; the tolerances are 5 of those.
"""

import numpy as np
import pytest

from nnkit import activations
from nnkit.experiments import STATS, dead_fraction, draw_weights, gradient_through_depth, layer_stats

DEPTH, WIDTH, SAMPLES, SEEDS = 50, 256, 32, 4


def mean_gains(init):
    forward, backward = [], []
    for seed in range(SEEDS):
        s = layer_stats("relu", draw_weights(init, DEPTH, WIDTH, seed), SAMPLES, rng=100 + seed)
        m = s["second_moment"]
        g = s["grad_norm"] ** 2
        forward.append(m[1:] / m[:-1])
        backward.append(g[:-1] / g[1:])  # grad_norm[l] belongs to A_l; gradients flow downwards
    return np.mean(forward), np.mean(backward), s


@pytest.fixture(scope="module")
def he():
    return mean_gains("he_normal")


@pytest.fixture(scope="module")
def xavier():
    return mean_gains("xavier_normal")


def test_he_relu_keeps_second_moment_constant(he):
    forward, backward, _ = he
    assert forward == pytest.approx(1.0, abs=0.03)
    assert backward == pytest.approx(1.0, abs=0.03)


def test_xavier_relu_halves_second_moment_per_layer(xavier):
    forward, backward, last = xavier
    assert forward == pytest.approx(0.5, abs=0.015)
    assert backward == pytest.approx(0.5, abs=0.015)
    assert last["second_moment"][-1] < 1e-10  # 0.5^50 ~ 1e-15: vanished


def test_relu_zeroes_about_half(he):
    zero_fraction = he[2]["zero_fraction"]
    assert zero_fraction.mean() == pytest.approx(0.5, abs=0.01)


def test_shapes_and_keys(he):
    stats = he[2]
    assert set(stats) == set(STATS)
    assert all(stats[k].shape == (DEPTH,) for k in STATS)
    np.testing.assert_allclose(stats["std"] ** 2, stats["second_moment"] - stats["mean"] ** 2,
                               rtol=1e-9)


def test_identity_weights_by_hand():
    # W = I: A_1 = relu(X) and every later layer repeats it; the top gradient passes unchanged
    # through W = I and is masked by X > 0 at every layer below the top.
    stats = layer_stats("relu", [np.eye(64)] * 5, n_samples=400, rng=0)
    assert np.ptp(stats["second_moment"]) == 0 and np.ptp(stats["zero_fraction"]) == 0
    assert stats["second_moment"][0] == pytest.approx(0.5, abs=0.03)  # E[relu(x)^2], x ~ N(0,1)
    assert stats["mean"][0] == pytest.approx(1 / np.sqrt(2 * np.pi), abs=0.02)  # E[relu(x)]
    assert stats["zero_fraction"][0] == pytest.approx(0.5, abs=0.02)
    g = stats["grad_norm"]
    assert g[-1] ** 2 / (400 * 64) == pytest.approx(1.0, abs=0.03)
    assert g[-2] ** 2 / g[-1] ** 2 == pytest.approx(0.5, abs=0.03)
    np.testing.assert_allclose(g[:-1], g[-2])


def test_depth_prefix_reuses_draws():
    # drawing for 10 layers and keeping 4 gives the same network as drawing 4
    full, short = draw_weights("he_uniform", 10, 8, 3), draw_weights("he_uniform", 4, 8, 3)
    for a, b in zip(full[:4], short):
        np.testing.assert_array_equal(a, b)
    s_full = layer_stats("tanh", full[:4], 16, rng=1)
    s_short = layer_stats("tanh", short, 16, rng=1)
    for key in STATS:
        np.testing.assert_array_equal(s_full[key], s_short[key])


@pytest.mark.parametrize("call, exc, match", [
    (lambda: draw_weights("he_normal", 0, 8, 0), ValueError, "depth"),
    (lambda: draw_weights("he_normal", 2, 0, 0), ValueError, "fan_in"),
    (lambda: draw_weights("kaiming", 2, 8, 0), ValueError, "he_normal"),
    (lambda: layer_stats("relu", [], 8), TypeError, "weights"),
    (lambda: layer_stats("relu", [np.eye(3), np.ones((3, 2))], 8), ValueError, r"weights\[1\]"),
    (lambda: layer_stats("relu", [np.eye(3)], 0), ValueError, "n_samples"),
    (lambda: layer_stats("step", [np.eye(3)], 8), ValueError, "relu"),
])
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# --- unit 05: dead units and the gradient through a chain of scalar units ----------------------

def test_dead_fraction_by_hand():
    Z = np.array([[-1.0, 2.0, 0.0, -0.5], [-2.0, -1.0, 0.0, 3.0], [-0.1, -3.0, 0.0, -1.0]])
    assert dead_fraction(Z) == 0.5  # columns 0 (always < 0) and 2 (always 0) are dead
    assert dead_fraction(np.ones((2, 3))) == 0.0 and dead_fraction(-np.ones((1, 4))) == 1.0


def test_dead_fraction_ignores_the_row_order_and_counts_columns_whose_max_is_not_positive():
    rng = np.random.default_rng(2)
    Z = rng.normal(size=(20, 50)) + rng.normal(scale=2.0, size=50)
    assert dead_fraction(Z) == dead_fraction(Z[rng.permutation(20)])
    assert dead_fraction(Z) == sum(max(Z[:, j]) <= 0 for j in range(50)) / 50


def _chain_output(name, x, w, b):
    a = x
    for w_l, b_l in zip(w, b):
        a = activations.get(name).fn(w_l * a + b_l)
    return a


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "gelu", "silu", "elu"])
def test_gradient_through_depth_matches_central_differences_of_the_chain(name):
    rng = np.random.default_rng(4)
    x, w, b = rng.normal(size=6), rng.normal(scale=1.5, size=5), rng.normal(size=5)
    grads = gradient_through_depth(activations.value_and_grad(name), x, w, b)
    assert grads.shape == (6, 5)
    h = 1e-6
    for depth in range(1, 6):
        numeric = (_chain_output(name, x + h, w[:depth], b[:depth])
                   - _chain_output(name, x - h, w[:depth], b[:depth])) / (2 * h)
        np.testing.assert_allclose(grads[:, depth - 1], numeric, rtol=1e-6, atol=1e-10)


def test_sigmoid_chain_with_small_weights_stays_under_the_quarter_power_bound():
    rng = np.random.default_rng(5)
    x, w, b = rng.normal(scale=3.0, size=500), rng.uniform(-1, 1, size=12), rng.normal(size=12)
    grads = np.abs(gradient_through_depth(activations.value_and_grad("sigmoid"), x, w, b))
    assert np.all(grads <= 0.25 ** np.arange(1, 13) * np.cumprod(np.abs(w)) * (1 + 1e-12))


@pytest.mark.parametrize("call, match", [
    (lambda: dead_fraction(np.ones(3)), "Z"),
    (lambda: gradient_through_depth(activations.value_and_grad("relu"), np.ones(2), np.ones(3), np.ones(2)), "b"),
    (lambda: gradient_through_depth(activations.value_and_grad("relu"), np.ones((2, 2)), np.ones(3), np.ones(3)), "x"),
])
def test_unit05_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
