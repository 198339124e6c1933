"""The activation explorer's update path, called directly (no browser)."""

import numpy as np
import pytest

from nnkit import activations
from nnkit.viz import ActivationPlot, activation_explorer, activation_view, render_activation_view
from nnkit.viz.unit05_activations import GRID


def test_the_view_holds_the_reference_curves_by_default():
    view = activation_view("tanh", 0.0, 1.0, 5)
    assert view.note is None
    np.testing.assert_allclose(view.value, np.tanh(GRID))
    np.testing.assert_allclose(view.slope, 1 - np.tanh(GRID) ** 2)
    assert view.grad.shape == (5,)


def test_sigmoid_chain_stays_below_the_quarter_power_bound():
    view = activation_view("sigmoid", 0.0, 2.0, 20)
    assert np.all(view.grad <= 0.25 ** np.arange(1, 21) * (1 + 1e-12))
    assert view.grad[-1] > 0


def test_relu_outputs_are_exactly_zero_for_negative_inputs():
    view = activation_view("relu", -1.0, 1.0, 3)
    zero_share = np.mean(view.outputs == 0)
    assert 0.8 < zero_share < 0.88  # P(N(-1, 1) <= 0) = 0.841
    assert set(np.unique(view.slope)) == {0.0, 1.0}


def test_the_learners_function_is_used_when_it_works():
    calls = []

    def learner_relu(z):
        calls.append(z.shape)
        return np.maximum(z, 0) * 2, (z > 0) * 2.0  # deliberately not ReLU: must be what is drawn

    view = activation_view("relu", 0.0, 1.0, 4, {"relu": learner_relu})
    assert calls and view.note is None
    np.testing.assert_allclose(view.value, 2 * np.maximum(GRID, 0))


@pytest.mark.parametrize("fn, words", [
    (lambda z: (_ for _ in ()).throw(NotImplementedError), "not finished yet"),
    (lambda z: (np.exp(1000 * z), z), "unusable"),
    (lambda z: z, "raised"),
])
def test_a_broken_function_falls_back_to_the_reference_with_a_note(fn, words):
    view = activation_view("sigmoid", 0.0, 1.0, 3, {"sigmoid": fn})
    assert words in view.note and "showing the reference" in view.note
    np.testing.assert_allclose(view.value, activations.sigmoid(GRID))


def test_render_titles_name_the_activation_and_the_distribution():
    fig = render_activation_view(activation_view("gelu", 0.5, 2.0, 7))
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0].startswith("gelu") and "N(0.5, 2²)" in titles[1] and "after 7 layers" in titles[2]


def image_of(box):
    return box.children[-1].outputs[0]["data"]["image/png"]


def test_the_explorer_redraws_when_a_control_changes():
    box = activation_explorer({"sigmoid": lambda z: (_ for _ in ()).throw(NotImplementedError)})
    pick, depth = box.children[0].children
    mean, std = box.children[1].children
    note = box.children[2]
    assert "not finished yet" in note.value
    before = image_of(box)
    std.value = 3.0
    after_std = image_of(box)
    assert after_std != before
    pick.value = "relu"
    assert image_of(box) != after_std and "No function of yours for relu" in note.value
    before = image_of(box)
    depth.value = 40
    assert image_of(box) != before
    mean.value = -2.0
    assert image_of(box) != before


def test_a_reused_plot_draws_the_same_picture_as_a_fresh_one():
    from nnkit.viz.plots import figure_png

    reused = ActivationPlot()
    reused.show(activation_view("relu", -2.0, 0.5, 45))  # leaves other limits, lengths and labels behind
    second = activation_view("silu", 1.0, 3.0, 6)
    assert figure_png(reused.show(second)) == figure_png(ActivationPlot().show(second))
