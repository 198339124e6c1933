"""Unit-02 references: checked against the truth table, sequential application and hand-built runs."""

import numpy as np
import pytest

from nnkit.xor import collapse_linear, find_cycle, step, threshold_network, xor_features, xor_network

CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def test_step_is_one_at_zero_and_above():
    np.testing.assert_array_equal(step([-2.0, -1e-12, 0.0, 1e-12, 3.0]), [0, 0, 1, 1, 1])


def test_xor_network_reproduces_the_truth_table():
    out = threshold_network(CORNERS, *xor_network())
    np.testing.assert_array_equal(out, [0.0, 1.0, 1.0, 0.0])


def test_xor_network_hidden_units_are_or_and_nand():
    W1, b1, _, _ = xor_network()
    hidden = step(CORNERS @ W1 + b1)
    np.testing.assert_array_equal(hidden[:, 0], [0, 1, 1, 1])  # OR
    np.testing.assert_array_equal(hidden[:, 1], [1, 1, 1, 0])  # NAND


def test_threshold_network_refuses_a_1d_output_weight():
    W1, b1, W2, b2 = xor_network()
    with pytest.raises(ValueError, match="W2"):
        threshold_network(CORNERS, W1, b1, W2[:, 0], b2)


@pytest.mark.parametrize("seed", range(5))
def test_collapse_linear_equals_the_two_layers_applied_in_turn(seed):
    rng = np.random.default_rng(seed)
    n_in, h, n_out = rng.integers(1, 6, size=3)
    W1, b1 = rng.normal(size=(n_in, h)), rng.normal(size=h)
    W2, b2 = rng.normal(size=(h, n_out)), rng.normal(size=n_out)
    X = rng.normal(size=(7, n_in))
    W, b = collapse_linear(W1, b1, W2, b2)
    assert W.shape == (n_in, n_out) and b.shape == (n_out,)
    np.testing.assert_allclose(X @ W + b, (X @ W1 + b1) @ W2 + b2, rtol=1e-12, atol=1e-12)


def test_collapse_linear_by_hand():
    W, b = collapse_linear([[1.0, 2.0]], [1.0, -1.0], [[3.0], [4.0]], [0.5])
    np.testing.assert_array_equal(W, [[11.0]])  # 1*3 + 2*4
    np.testing.assert_array_equal(b, [-0.5])  # 1*3 - 1*4 + 0.5


def test_collapse_linear_names_the_mismatched_argument():
    with pytest.raises(ValueError, match="W1 has 3 columns but W2 has 2 rows"):
        collapse_linear(np.ones((2, 3)), np.ones(3), np.ones((2, 1)), np.ones(1))
    with pytest.raises(ValueError, match="b2"):
        collapse_linear(np.ones((2, 3)), np.ones(3), np.ones((3, 1)), np.ones(2))


def test_xor_features_by_hand():
    got = xor_features([[0, 0], [0, 1], [1, 0], [1, 1], [-2, 3]])
    np.testing.assert_array_equal(got, [[0, 0, 0], [0, 1, 0], [1, 0, 0], [1, 1, 1], [-2, 3, -6]])


def test_xor_is_linearly_separable_in_feature_space():
    # w = (1, 1, -2), b = -0.5: x1 + x2 - 2 x1 x2 is exactly XOR on the corners
    z = xor_features(CORNERS) @ np.array([1.0, 1.0, -2.0]) - 0.5
    np.testing.assert_array_equal(np.where(z >= 0, 1, -1), [-1, 1, 1, -1])


def _h(*states):
    """A hand-built history: states are (w, b) pairs, the sample index is the position mod 4."""
    return [(k % 4, np.array(w, dtype=float), float(b)) for k, (w, b) in enumerate(states)]


def test_find_cycle_on_hand_built_histories():
    A, B, C = ([1, 0], 1), ([0, 1], -1), ([1, 1], 0)
    assert find_cycle(_h(A, B, C, B, A)) == (1, 2)  # the first repeat in time is B at 3
    assert find_cycle(_h(A, B, A)) == (0, 2)
    assert find_cycle(_h(A, A)) == (0, 1)
    assert find_cycle(_h(A, B, C)) is None
    assert find_cycle([]) is None


def test_find_cycle_compares_the_bias_too():
    assert find_cycle(_h(([1, 0], 1), ([1, 0], 2), ([0, 0], 0))) is None


def test_find_cycle_treats_minus_zero_as_zero():
    assert find_cycle(_h(([0.0, 1], 0.0), ([-0.0, 1], -0.0))) == (0, 1)


def test_find_cycle_refuses_a_malformed_entry():
    with pytest.raises(ValueError, match=r"history\[1\]"):
        find_cycle([(0, np.zeros(2), 0.0), (np.zeros(2), 0.0)])


def test_perceptron_on_xor_cycles():
    # the perceptron rule (sign(0) = +1), replayed by hand on XOR with labels -1, +1, +1, -1
    t = np.array([-1.0, 1.0, 1.0, -1.0])
    w, b, history = np.zeros(2), 0.0, []
    for _ in range(6):
        for i, (x, ti) in enumerate(zip(CORNERS, t)):
            if ti * (1.0 if w @ x + b >= 0 else -1.0) <= 0:
                w, b = w + ti * x, b + ti
                history.append((i, w, b))
    found = find_cycle(history)
    assert found is not None
    start, period = found
    assert period > 0
    np.testing.assert_array_equal(history[start][1], history[start + period][1])
    assert history[start][2] == history[start + period][2]
    assert all(
        not (np.array_equal(history[i][1], history[j][1]) and history[i][2] == history[j][2])
        for j in range(start + period)
        for i in range(j)
    )
