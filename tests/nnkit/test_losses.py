"""Losses: hand-computed small cases, stability, and gradients against central differences."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnkit import losses
from nnkit.gradcheck import numerical_gradient, relative_error

TOL = 1e-7


# ---- hand-computed values ------------------------------------------------------------------

def test_mse_by_hand():
    loss, grad = losses.mse([1.0, 2.0], [0.0, 0.0])
    assert loss == pytest.approx((1 + 4) / 2)
    np.testing.assert_allclose(grad, [2 * 1 / 2, 2 * 2 / 2])
    loss, grad = losses.mse([[1.0, 2.0], [3.0, 4.0]], np.zeros((2, 2)))
    assert loss == pytest.approx((1 + 4 + 9 + 16) / 4)  # mean over all elements
    np.testing.assert_allclose(grad, [[0.5, 1.0], [1.5, 2.0]])


def test_bce_by_hand():
    loss, grad = losses.bce([0.8], [1.0])
    assert loss == pytest.approx(-math.log(0.8))
    np.testing.assert_allclose(grad, [-1 / 0.8])
    loss, grad = losses.bce([0.8, 0.4], [1.0, 0.0])
    assert loss == pytest.approx((-math.log(0.8) - math.log(0.6)) / 2)
    np.testing.assert_allclose(grad, [-1 / 0.8 / 2, 1 / 0.6 / 2])


def test_bce_saturated_prediction_is_finite():
    loss, grad = losses.bce([0.0, 1.0], [1.0, 0.0])
    assert np.isfinite(loss) and loss > 20
    assert np.all(np.isfinite(grad))


def test_bce_with_logits_by_hand():
    loss, grad = losses.bce_with_logits([0.0], [1.0])
    assert loss == pytest.approx(math.log(2))
    np.testing.assert_allclose(grad, [-0.5])
    # z = ln 4 -> sigmoid = 0.8; y = 1 -> -log 0.8
    loss, grad = losses.bce_with_logits([math.log(4.0)], [1.0])
    assert loss == pytest.approx(-math.log(0.8))
    np.testing.assert_allclose(grad, [0.8 - 1.0])


def test_bce_with_logits_extreme_logits():
    loss, grad = losses.bce_with_logits([1000.0, -1000.0, 1000.0], [0.0, 0.0, 1.0])
    assert loss == pytest.approx(1000.0 / 3)  # only the first term costs: log(1 + e^1000) ~ 1000
    np.testing.assert_allclose(grad, [1 / 3, 0.0, 0.0], atol=1e-300)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-20, 20), min_size=1, max_size=6), st.data())
def test_bce_with_logits_equals_bce_of_sigmoid(z, data):
    z = np.array(z)
    y = np.array(data.draw(st.lists(st.floats(0, 1), min_size=len(z), max_size=len(z))))
    p = 1.0 / (1.0 + np.exp(-z))
    assert losses.bce_with_logits(z, y)[0] == pytest.approx(losses.bce(p, y)[0], rel=1e-6)


def test_softmax_cross_entropy_by_hand():
    loss, grad = losses.softmax_cross_entropy([[0.0, 0.0]], [0])
    assert loss == pytest.approx(math.log(2))
    np.testing.assert_allclose(grad, [[-0.5, 0.5]])
    # logits (1, 2, 3), label 2: -log(e^3 / (e + e^2 + e^3)) = log(1 + e^-1 + e^-2)
    loss, grad = losses.softmax_cross_entropy([[1.0, 2.0, 3.0]], [2])
    assert loss == pytest.approx(math.log(1 + math.exp(-1) + math.exp(-2)))
    total = math.e + math.e**2 + math.e**3
    np.testing.assert_allclose(grad, [[math.e / total, math.e**2 / total, math.e**3 / total - 1]])


def test_softmax_cross_entropy_is_shift_invariant_and_stable():
    logits = np.array([[1.0, -2.0, 0.5], [3.0, 3.0, -1.0]])
    y = [0, 2]
    base = losses.softmax_cross_entropy(logits, y)
    shifted = losses.softmax_cross_entropy(logits + 1e4, y)
    assert shifted[0] == pytest.approx(base[0])
    np.testing.assert_allclose(shifted[1], base[1], atol=1e-12)
    loss, grad = losses.softmax_cross_entropy([[1e4, -1e4]], [1])
    assert loss == pytest.approx(2e4) and np.all(np.isfinite(grad))


def test_huber_by_hand():
    loss, grad = losses.huber([0.5, 3.0, -3.0], [0.0, 0.0, 0.0])
    assert loss == pytest.approx((0.125 + 2.5 + 2.5) / 3)  # 0.5^2/2; 1*(3 - 0.5) twice
    np.testing.assert_allclose(grad, [0.5 / 3, 1 / 3, -1 / 3])
    loss, grad = losses.huber([3.0], [0.0], delta=2.0)
    assert loss == pytest.approx(2.0 * (3.0 - 1.0))
    np.testing.assert_allclose(grad, [2.0])


def test_mean_over_batch_not_over_outputs():
    # two samples with two outputs each: per-sample sums, then mean over the 2 samples
    p = np.full((2, 2), 0.5)
    loss, _ = losses.bce(p, np.ones((2, 2)))
    assert loss == pytest.approx(2 * math.log(2))


# ---- gradients against central differences --------------------------------------------------

def _grad_error(fn, x, *rest):
    _, analytic = fn(x, *rest)
    numeric = numerical_gradient(lambda a: fn(a, *rest)[0], x)
    return relative_error(analytic, numeric)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10**6), batch=st.integers(1, 5), k=st.integers(1, 4))
def test_gradients_match_central_differences(seed, batch, k):
    rng = np.random.default_rng(seed)
    target = rng.standard_normal((batch, k))
    assert _grad_error(losses.mse, rng.standard_normal((batch, k)), target) <= TOL
    y01 = rng.uniform(0, 1, (batch, k))
    assert _grad_error(losses.bce, rng.uniform(0.05, 0.95, (batch, k)), y01) <= TOL
    assert _grad_error(losses.bce_with_logits, 3 * rng.standard_normal((batch, k)), y01) <= TOL
    labels = rng.integers(0, k + 1, batch)
    assert _grad_error(losses.softmax_cross_entropy, rng.standard_normal((batch, k + 1)),
                       labels) <= TOL
    # Huber is C1 only: keep residuals 1e-3 away from |r| = delta where f'' jumps
    r = rng.uniform(0.0, 3.0, (batch, k))
    r = np.where(np.abs(r - 1.0) < 1e-3, r + 0.01, r) * rng.choice([-1.0, 1.0], (batch, k))
    assert _grad_error(losses.huber, target + r, target) <= TOL


# ---- bad input ------------------------------------------------------------------------------

@pytest.mark.parametrize("call, exc, match", [
    (lambda: losses.mse([1.0, 2.0], [1.0]), ValueError, "same shape"),
    (lambda: losses.mse(1.0, 1.0), ValueError, "at least 1-D"),
    (lambda: losses.mse(["a"], ["b"]), TypeError, "numbers"),
    (lambda: losses.bce([1.2], [1.0]), ValueError, r"p must lie in \[0.0, 1.0\]"),
    (lambda: losses.bce([0.5], [2.0]), ValueError, "y must lie"),
    (lambda: losses.bce_with_logits([0.5], [-1.0]), ValueError, "y must lie"),
    (lambda: losses.softmax_cross_entropy([[0.0, 1.0]], [2]), ValueError, r"0\.\.1"),
    (lambda: losses.softmax_cross_entropy([[0.0, 1.0]], [0.5]), TypeError, "integer"),
    (lambda: losses.softmax_cross_entropy([0.0, 1.0], [0]), ValueError, "logits must be 2-D"),
    (lambda: losses.softmax_cross_entropy([[0.0, 1.0]], [0, 1]), ValueError, "same number of rows"),
    (lambda: losses.softmax_cross_entropy([[0.0, 1.0]], [[0]]), ValueError, "1-D"),
    (lambda: losses.huber([1.0], [0.0], delta=0.0), ValueError, "delta"),
])
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
