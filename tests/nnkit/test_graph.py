"""The unit-04 scalar graph: hand-computed gradients, central differences, the max gate's routing."""

import numpy as np
import pytest

from nnkit import graph
from nnkit.gradcheck import numerical_gradient


def test_by_hand_when_y_wins_the_max():
    # a = 6, m = 2, s = 8, f = 16; df/dy = w·x + w = 8
    assert graph.scalar_graph_backward(3.0, 2.0, -1.0, 2.0) == (16.0, 4.0, 8.0, 0.0, 8.0)


def test_by_hand_when_z_wins_and_on_a_tie():
    assert graph.scalar_graph_backward(1.0, -2.0, 4.0, 3.0) == (6.0, -6.0, 3.0, 3.0, 2.0)
    assert graph.scalar_graph_backward(2.0, 3.0, 3.0, -1.0)[2:4] == (-1.0 * 2.0 - 1.0, 0.0)  # tie: y


@pytest.mark.parametrize("seed", range(5))
def test_matches_central_differences_away_from_ties(seed):
    v = np.random.default_rng(seed).normal(scale=2.0, size=4)
    _, *grads = graph.scalar_graph_backward(*v)
    numeric = numerical_gradient(lambda u: graph.graph_forward(*u)["f"], v.copy())
    np.testing.assert_allclose(grads, numeric, rtol=1e-7, atol=1e-9)


def test_each_step_completes_one_gate_in_reverse_order():
    steps = graph.backward_steps(graph.graph_forward(3.0, 2.0, -1.0, 2.0))
    gates = [n.name for n in graph.GRAPH if n.op != "input"]
    assert [name for name, _ in steps] == gates[::-1]
    for (name, before), (_, after) in zip(steps, steps[1:]):
        assert set(before) <= set(after)  # gradients once known stay known


def test_rejects_arrays_and_strings():
    with pytest.raises(TypeError, match="x must be a real number"):
        graph.scalar_graph_backward(np.ones(2), 1.0, 1.0, 1.0)
    with pytest.raises(TypeError, match="w must be a real number"):
        graph.scalar_graph_backward(1.0, 1.0, 1.0, "2")
