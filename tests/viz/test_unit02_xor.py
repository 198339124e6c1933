"""The XOR widgets' update paths, called directly (no browser)."""

import itertools

import numpy as np
import pytest

from nnkit import xor
from nnkit.viz import hidden_space, render_hidden_space, render_xor_line, xor_hidden_space, xor_line_explorer
from nnkit.viz.unit02_xor import xor_line_mistakes, xor_line_status

CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR01 = np.array([0.0, 1.0, 1.0, 0.0])


@pytest.mark.parametrize("w1, w2, b, wrong", [
    (1.0, 1.0, -0.5, [3]),         # OR: only (1,1) is wrong
    (1.0, 1.0, -1.5, [1, 2, 3]),   # AND: (0,1), (1,0) below the line, (1,1) above
    (0.0, 0.0, 0.0, [0, 3]),       # no line: sign(0) = +1 for every corner
    (-1.0, -1.0, 0.5, [0, 1, 2]),  # (0,0) on the + side; (0,1), (1,0) on the - side
    (1.0, 1.0, -1.0, [3]),         # (0,1), (1,0) exactly on the line count as +1
])
def test_line_mistakes_hand_picked(w1, w2, b, wrong):
    assert xor_line_mistakes(w1, w2, b).tolist() == wrong
    assert f"misclassified: {len(wrong)} of 4" in xor_line_status(w1, w2, b)


def test_no_line_gets_xor_right_and_the_best_is_one():
    grid = np.linspace(-3, 3, 25)
    counts = [xor_line_mistakes(*p).size for p in itertools.product(grid, grid, grid)]
    assert min(counts) == 1
    assert "best" in xor_line_status(1, 1, -0.5)


def test_line_render_titles_the_count():
    (ax,) = render_xor_line(1.0, 1.0, -1.5).axes
    assert ax.get_title().startswith("3 of 4 misclassified")


def test_default_hidden_space_is_the_threshold_network_and_separable():
    state = hidden_space()
    assert state.steepness is None and state.note is None
    W1, b1, W2, b2 = xor.xor_network()
    np.testing.assert_array_equal(state.H, (CORNERS @ W1 + b1 >= 0).astype(float))
    scores = state.H @ W2[:, 0] + b2[0]
    assert np.all((scores >= 0) == (XOR01 == 1))  # the output unit's line separates XOR
    assert state.mistakes.size == 0


def test_hidden_space_agrees_with_the_threshold_network_for_any_weights():
    rng = np.random.default_rng(0)
    for _ in range(20):
        W1, b1, W2, b2 = rng.normal(size=(2, 2)), rng.normal(size=2), rng.normal(size=(2, 1)), rng.normal(size=1)
        state = hidden_space((W1, b1, W2, b2))
        net = xor.threshold_network(CORNERS, W1, b1, W2, b2)
        np.testing.assert_array_equal(state.output(state.H), net)
        assert state.mistakes.tolist() == np.flatnonzero(net != XOR01).tolist()


def test_steep_sigmoid_approaches_the_threshold_units():
    steep = hidden_space(steepness=200.0)
    np.testing.assert_allclose(steep.H, hidden_space().H, atol=1e-6)
    soft = hidden_space(steepness=1.0)
    assert np.all((soft.H > 0) & (soft.H < 1))


def test_hidden_space_accepts_the_learners_weights():
    calls = []

    def learner_network():
        calls.append(1)
        return ([[1, -1], [1, -1]], [-0.5, 1.5], [[1], [1]], [-1.5])

    state = hidden_space(learner_network)
    assert calls and state.note is None and state.mistakes.size == 0


@pytest.mark.parametrize("weights, words", [
    (lambda: (_ for _ in ()).throw(NotImplementedError), "not finished yet"),
    ((np.ones((2, 2)), np.ones(2), np.ones(2), np.ones(1)), "unusable"),
])
def test_hidden_space_falls_back_to_the_reference(weights, words):
    state = hidden_space(weights)
    assert words in state.note and "showing the reference" in state.note
    np.testing.assert_array_equal(state.W1, xor.xor_network()[0])


def test_hidden_render_has_both_spaces():
    left, right = render_hidden_space(hidden_space()).axes
    assert left.get_title().startswith("input space") and "separates" in right.get_title()


def test_the_widgets_one_figure_shows_what_a_new_figure_would():
    """One HiddenSpacePlot moved through states with and without mistakes, lines and sheet matches a
    fresh figure of each state (the legend's entries come and go with the mistakes and lines)."""
    from test_blit import assert_same_picture

    from nnkit.viz import HiddenSpacePlot
    from nnkit.viz.plots import figure_png

    W1, b1, W2, b2 = (np.array(a, dtype=float) for a in xor.xor_network())
    plot = HiddenSpacePlot()
    for weights, steepness in [((W1, b1, W2, b2), None), ((W1, b1 + [1.0, 0.0], W2, b2), 5.0),
                               ((np.zeros((2, 2)), b1, W2, b2), None), ((W1, b1, np.zeros((2, 1)), b2), 2.0),
                               ((W1, b1, W2, b2), 20.0)]:
        state = hidden_space(weights, steepness)
        assert_same_picture(figure_png(plot.show(state)), figure_png(render_hidden_space(state)))


def image_of(box):
    return box.children[-1].outputs[0]["data"]["image/png"]


def test_line_explorer_slider_updates_picture_and_count():
    box = xor_line_explorer(1.0, 1.0, -0.5)
    w1, w2, b = box.children[0].children
    before = image_of(box)
    b.value = -1.5
    assert image_of(box) != before and "3 of 4" in box.children[1].value


def test_hidden_widget_moves_a_hidden_unit_and_switches_to_sigmoid():
    box = xor_hidden_space()
    note, columns, modes, status, _ = box.children
    assert note.value == "" and "0 of 4" in status.value
    units, steepness = modes.children
    assert steepness.disabled
    before = image_of(box)
    columns.children[0].children[3].value = 0.5  # b1[0], unit 1's bias: OR becomes "always on"
    assert image_of(box) != before and "0 of 4" not in status.value
    units.value = "sigmoid"
    assert not steepness.disabled and f"sigmoid({steepness.value:.3g} ·" in status.value
    steepness.value = 20
    assert "sigmoid(20 ·" in status.value  # the status line names the steepness it shows


def test_corners_that_land_close_together_share_one_readable_label():
    from nnkit.viz.unit02_xor import LABEL_SPACING

    W1, b1, W2, b2 = (np.array(a, dtype=float) for a in xor.xor_network())
    W1[0, 0] += 0.3  # (0,1) and (1,0) no longer meet, but land 0.1 apart under sigmoid units
    state = hidden_space((W1, b1, W2, b2), steepness=3.0)
    assert 0 < np.max(np.abs(state.H[1] - state.H[2])) < LABEL_SPACING
    labels = {t.get_text(): t.xy for t in render_hidden_space(state).axes[1].texts}
    assert set(labels) == {"(0,0)", "(0,1) & (1,0)", "(1,1)"}
    anchors = np.array(list(labels.values()))
    assert min(np.max(np.abs(a - b)) for i, a in enumerate(anchors) for b in anchors[i + 1:]) >= LABEL_SPACING
