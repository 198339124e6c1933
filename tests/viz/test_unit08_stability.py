"""The stability explorer's update path, called directly (no browser)."""

import numpy as np
import pytest

from nnkit import stability
from nnkit.viz import StabilityPlot, render_stability_view, stability_explorer, stability_view
from nnkit.viz.unit08_stability import STEPS


def test_a_plain_net_with_unit_gain_loses_its_gradient_towards_the_input():
    view = stability_view(50, 1.0, residual=False)
    assert view.note is None and view.signal.shape == (50,) and view.loss.shape == (STEPS + 1,)
    assert view.signal[0] < 1e-6 * view.signal[-1]  # vanishing
    assert abs(view.loss[-1] - view.loss[0]) < 0.05 * view.loss[0]  # it stalls


def test_a_residual_net_with_small_weights_passes_the_gradient_and_trains():
    view = stability_view(50, 0.1, residual=True)
    assert view.signal[0] > view.signal[-1]  # the skips carry it through
    assert view.loss[-1] < 0.5 * view.loss[0]


def test_clipping_keeps_an_exploding_run_from_blowing_up():
    wild = stability_view(50, 2.0, residual=False, clip=False)
    tamed = stability_view(50, 2.0, residual=False, clip=True)
    assert wild.signal[0] > 1e3 * wild.signal[-1]  # exploding
    assert wild.loss.max() > 1e3 * wild.loss[0]  # one unclipped step blows the loss up
    assert np.isfinite(tamed.loss).all() and tamed.loss.max() == tamed.loss[0] and tamed.loss[-1] < tamed.loss[0]


def test_the_learners_functions_are_used_when_they_work():
    calls = []

    def learner_forward(X, W, b):
        calls.append(X.shape)
        return stability.residual_forward(X, W, b)

    view = stability_view(5, 0.5, residual=True, functions={"residual_forward": learner_forward,
                                                            "residual_backward": stability.residual_backward})
    assert calls and view.note is None


def test_a_learner_clip_that_does_not_clip_changes_the_picture():
    honest = stability_view(30, 2.0, clip=True)
    lazy = stability_view(30, 2.0, clip=True, functions={"clip_by_global_norm": lambda g, c: (g, 0.0)})
    assert lazy.note is None and not np.array_equal(honest.loss, lazy.loss)


@pytest.mark.parametrize("fn, words", [
    (lambda dY, X, W, b: (_ for _ in ()).throw(NotImplementedError), "not finished yet"),
    (lambda dY, X, W, b: 1 / 0, "raised ZeroDivisionError"),
    (lambda dY, X, W, b: (dY * np.nan, X.T @ dY, dY.sum(0)), "unusable"),
])
def test_a_broken_function_falls_back_to_the_reference_with_a_note(fn, words):
    view = stability_view(10, 0.5, residual=True, functions={"residual_backward": fn})
    assert words in view.note and "showing the reference" in view.note
    np.testing.assert_allclose(view.signal, stability_view(10, 0.5, residual=True).signal)


def test_a_missing_function_is_named_in_the_note():
    view = stability_view(10, 0.5, residual=True, functions={"clip_by_global_norm": stability.clip_by_global_norm})
    assert "residual_forward / residual_backward" in view.note


def test_the_note_names_the_function_that_raised_not_its_working_partner():
    def unfinished(dY, X, W, b):
        raise NotImplementedError

    view = stability_view(10, 0.5, residual=True, functions={"residual_forward": stability.residual_forward,
                                                             "residual_backward": unfinished})
    assert view.note.startswith("Your residual_backward is not finished yet")


def test_render_titles_name_the_net_and_the_clipping():
    fig = render_stability_view(stability_view(12, 0.5, residual=True, clip=True))
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0].startswith("residual, gain 0.5") and "with clipping" in titles[1]


def image_of(box):
    return box.children[-1].outputs[0]["data"]["image/png"]


def test_the_explorer_redraws_when_a_control_changes():
    box = stability_explorer({"residual_forward": lambda X, W, b: (_ for _ in ()).throw(NotImplementedError)})
    depth, gain = box.children[0].children
    kind, clip = box.children[1].children
    note = box.children[2]
    before = image_of(box)
    kind.value = "residual"
    assert image_of(box) != before and "not finished yet" in note.value
    for control, value in ((depth, 12), (gain, 2.0), (clip, True)):
        before = image_of(box)
        control.value = value
        assert image_of(box) != before


def test_a_reused_plot_draws_the_same_picture_as_a_fresh_one():
    from nnkit.viz.plots import figure_png

    reused = StabilityPlot()
    reused.show(stability_view(50, 2.0))
    second = stability_view(7, 0.1, residual=True, clip=True)
    assert figure_png(reused.show(second)) == figure_png(StabilityPlot().show(second))
