"""relu_bumps: the hinge network interpolates its knots, and its error shrinks like 1/H² on a smooth curve."""

import numpy as np
import pytest

from nnkit import approximation, mlp


def network(weights, x):
    W1, b1, W2, b2 = weights
    params = [{"W": W1, "b": b1}, {"W": W2, "b": b2}]
    return mlp.mlp_forward(np.asarray(x, float)[:, None], params, "relu")[0][:, 0]


def test_passes_through_every_knot_and_is_linear_between():
    rng = np.random.default_rng(0)
    for _ in range(20):
        knots = np.sort(rng.choice(np.linspace(-3, 3, 61), size=int(rng.integers(2, 10)), replace=False))
        values = rng.normal(size=len(knots))
        weights = approximation.relu_bumps(knots, values)
        np.testing.assert_allclose(network(weights, knots), values, atol=1e-12)
        mids = (knots[:-1] + knots[1:]) / 2
        np.testing.assert_allclose(network(weights, mids), (values[:-1] + values[1:]) / 2, atol=1e-12)
        assert np.allclose(network(weights, [knots[0] - 1.0]), values[0])  # flat to the left


def test_shapes_follow_the_number_of_knots():
    W1, b1, W2, b2 = approximation.relu_bumps([0.0, 1.0, 3.0], [1.0, 2.0, 0.0])
    assert (W1.shape, b1.shape, W2.shape, b2.shape) == ((1, 2), (2,), (2, 1), (1,))


def test_error_on_a_smooth_curve_falls_about_fourfold_per_doubling():
    x = np.linspace(-2, 2, 2001)
    errors = []
    for k in (9, 17, 33, 65):
        knots = np.linspace(-2, 2, k)
        errors.append(np.max(np.abs(network(approximation.relu_bumps(knots, np.sin(2 * knots)), x) - np.sin(2 * x))))
    ratios = np.array(errors[:-1]) / np.array(errors[1:])
    assert np.all((ratios > 3.5) & (ratios < 4.5)), ratios


@pytest.mark.parametrize("knots, values", [([0.0], [1.0]), ([0.0, 0.0], [1.0, 2.0]), ([1.0, 0.0], [1.0, 2.0]),
                                           ([0.0, 1.0], [1.0])])
def test_bad_knots_are_refused(knots, values):
    with pytest.raises(ValueError):
        approximation.relu_bumps(knots, values)
