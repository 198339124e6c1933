"""Regularizers: hand-computed values, the L2 gradient against central differences, dropout's expectation."""

import numpy as np
import pytest

from nnkit.gradcheck import check_gradients
from nnkit.regularization import dropout_backward, dropout_forward, early_stopping, l2_penalty


def test_l2_penalty_by_hand_leaves_the_biases_alone():
    params = [{"W": np.array([[1.0, -2.0]]), "b": np.array([5.0, 5.0])}, {"W": np.array([[3.0], [0.0]]), "b": np.ones(1)}]
    penalty, grads = l2_penalty(params, 0.5)
    assert penalty == pytest.approx(0.25 * (1 + 4 + 9))
    np.testing.assert_allclose(grads[0]["W"], [[0.5, -1.0]])
    np.testing.assert_array_equal(grads[1]["b"], [0.0])


def test_l2_gradient_matches_central_differences():
    rng = np.random.default_rng(1)
    params = [{"W": rng.normal(size=(3, 2)), "b": rng.normal(size=2)}]
    _, grads = l2_penalty(params, 0.3)
    report = check_gradients(lambda: l2_penalty(params, 0.3)[0], params[0], grads[0])
    assert report.ok, str(report)


def test_inverted_dropout_keeps_the_expectation_and_scales_the_kept_units():
    A = np.full((2000, 50), 2.0)
    out, mask = dropout_forward(A, 0.3, np.random.default_rng(0))
    assert set(np.unique(out)) == {0.0, 2.0 / 0.7}
    assert abs(mask.mean() - 0.7) < 0.01 and abs(out.mean() - 2.0) < 0.02
    np.testing.assert_array_equal(out == 0, mask == 0)


def test_dropout_draws_one_uniform_per_unit_and_keeps_where_it_is_below_the_keep_probability():
    u = np.random.default_rng(5).random((3, 4))
    _, mask = dropout_forward(np.ones((3, 4)), 0.25, np.random.default_rng(5))
    np.testing.assert_array_equal(mask, (u < 0.75).astype(float))


def test_evaluation_mode_changes_nothing_and_draws_nothing():
    rng = np.random.default_rng(3)
    state = rng.bit_generator.state
    A = np.arange(6.0).reshape(2, 3)
    out, mask = dropout_forward(A, 0.5, rng, train=False)
    np.testing.assert_array_equal(out, A)
    np.testing.assert_array_equal(mask, np.ones_like(A))
    assert rng.bit_generator.state == state


def test_dropout_backward_matches_central_differences_for_a_fixed_mask():
    rng = np.random.default_rng(2)
    p = {"A": rng.normal(size=(4, 3))}
    G = rng.normal(size=(4, 3))
    _, mask = dropout_forward(p["A"], 0.4, np.random.default_rng(7))
    loss = lambda: float(np.sum(p["A"] * mask / 0.6 * G))  # noqa: E731 (the forward pass with that mask)
    report = check_gradients(loss, p, {"A": dropout_backward(G, mask, 0.4)})
    assert report.ok, str(report)


@pytest.mark.parametrize("losses, patience, expected", [
    ([1.0, 0.8, 0.6, 0.55, 0.6, 0.7, 0.8], 2, (3, 5)),
    ([1.0, 0.5, 0.5, 0.5, 0.6], 3, (1, 4)),   # ties do not improve
    ([1.0, 0.9, 0.8], 5, (2, 2)),             # never runs out of patience
    ([0.3, 0.4, 0.2, 0.5], 1, (0, 1)),        # stops before the later, lower loss
])
def test_early_stopping_by_hand(losses, patience, expected):
    assert early_stopping(losses, patience) == expected


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match="probability to drop"):
        dropout_forward(np.ones(3), 1.0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="lam must be a number >= 0"):
        l2_penalty([{"W": np.ones((1, 1)), "b": np.ones(1)}], -1.0)
    with pytest.raises(ValueError, match="patience"):
        early_stopping([1.0, 2.0], 0)
    with pytest.raises(TypeError, match="rng must be"):
        dropout_forward(np.ones(3), 0.5, None)
