"""The regularization explorer's update path, called directly (no browser)."""

import numpy as np
import pytest

from nnkit import regularization as reg
from nnkit.viz import RegularizationPlot, RegularizationRuns, regularization_explorer, render_regularization_view
from nnkit.viz.plots import figure_png
from nnkit.viz.unit09_regularization import DROPS, LAMS


@pytest.fixture(scope="module")
def runs():
    return RegularizationRuns()


def test_no_functions_no_note_and_every_pair_is_trained(runs):
    assert runs.note is None
    assert set(runs.runs) == {(lam, p) for lam in LAMS for p in DROPS}


def test_decay_closes_the_gap_and_too_much_underfits(runs):
    gap = {lam: runs.view(lam, 0.0).history.val_loss[-1] - runs.view(lam, 0.0).history.train_loss[-1] for lam in LAMS}
    assert gap[0.1] < gap[0.0]
    assert runs.view(1.0, 0.0).history.train_loss[-1] > runs.view(0.0, 0.0).history.train_loss[-1] + 0.3


def test_the_kept_epoch_is_early_stoppings(runs):
    view = runs.view(0.0, 0.0)
    assert view.best_epoch == reg.early_stopping(view.history.val_loss, 20)[0]


def test_an_unknown_pair_is_refused(runs):
    with pytest.raises(ValueError, match="lam must be one of"):
        runs.view(0.5, 0.0)


def test_the_learners_functions_drive_the_training(runs):
    calls = {"l2": 0, "forward": 0, "backward": 0}

    def l2(params, lam):
        calls["l2"] += 1
        return reg.l2_penalty(params, lam)

    def forward(A, p, rng, train=True):
        calls["forward"] += 1
        return reg.dropout_forward(A, p, rng, train)

    def backward(dout, mask, p):
        calls["backward"] += 1
        return reg.dropout_backward(dout, mask, p)

    mine = RegularizationRuns({"l2_penalty": l2, "dropout_forward": forward, "dropout_backward": backward})
    assert mine.note is None and all(n > 100 for n in calls.values())
    np.testing.assert_allclose(mine.view(0.1, 0.3).history.val_loss, runs.view(0.1, 0.3).history.val_loss)


def test_a_broken_function_falls_back_with_a_note():
    def unfinished(A, p, rng, train=True):
        raise NotImplementedError

    def blows_up(params, lam):
        return 0.0, [{"W": np.full_like(layer["W"], np.inf), "b": layer["b"]} for layer in params]

    runs = RegularizationRuns({"l2_penalty": blows_up, "dropout_forward": unfinished})
    assert "dropout_forward is not finished yet" in runs.note and "training with nnkit's" in runs.note
    assert "l2_penalty returned something unusable" in runs.note
    assert "No function of yours for dropout_backward" in runs.note
    assert np.all(np.isfinite(runs.view(1.0, 0.6).history.val_loss))


def test_render_titles_name_the_pair(runs):
    fig = render_regularization_view(runs.view(0.01, 0.3), runs.split)
    assert "lambda = 0.01, dropout p = 0.3" in fig.axes[0].get_title()
    assert "best epoch" in fig.axes[1].get_title()


def image_of(box):
    return box.children[-1].outputs[0]["data"]["image/png"]


def test_the_explorer_redraws_when_a_slider_moves():
    box = regularization_explorer()
    lam, p = box.children[0].children
    before = image_of(box)
    lam.value = 1.0
    after_lam = image_of(box)
    assert after_lam != before
    p.value = 0.6
    assert image_of(box) != after_lam


def test_a_reused_plot_draws_the_same_picture_as_a_fresh_one(runs):
    reused = RegularizationPlot(runs.split)
    reused.show(runs.view(0.0, 0.6))
    second = runs.view(1.0, 0.0)
    assert figure_png(reused.show(second)) == figure_png(RegularizationPlot(runs.split).show(second))
