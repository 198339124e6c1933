"""The optimizer race's update path, called directly (no browser)."""

import numpy as np
import pytest

from nnkit import optim, surfaces
from nnkit.viz import RacePlot, optimizer_race, race, render_race
from nnkit.viz.unit07_training import MAX_STEPS, SURFACES


def test_gradient_descent_path_follows_p_minus_lr_g_by_hand():
    start = np.array(SURFACES["ravine"].start)
    path = race("ravine", lr=0.01, steps=2).paths["gradient descent"]
    first = start - 0.01 * np.array([start[0], surfaces.KAPPA * start[1]])
    np.testing.assert_allclose(path[1], first)
    assert path.shape == (3, 2)


def test_momentum_beats_plain_descent_along_the_ravine():
    result = race("ravine", lr=0.02, beta=0.9)
    assert result.notes == ()
    assert result.losses["momentum"][-1] < 1e-3 * result.losses["gradient descent"][-1]


def test_a_diverging_racer_stops_where_it_leaves():
    result = race("ravine", lr=0.1, beta=0.0)  # |1 - 0.1 * KAPPA| = 1.5 > 1: descent diverges along y
    assert len(result.paths["gradient descent"]) < MAX_STEPS + 1


def test_the_learners_functions_move_their_racers():
    calls = []

    def slow_momentum(p, g, velocity, lr, beta):
        calls.append(beta)
        return p - 0.5 * lr * g, velocity      # deliberately not momentum: must be what is drawn

    result = race("ravine", lr=0.02, beta=0.7, steps=5, momentum_step=slow_momentum, adam_step=optim.adam_update)
    assert calls == [0.7] * 5 and result.notes == ()
    np.testing.assert_allclose(result.paths["momentum"], race("ravine", lr=0.01, steps=5).paths["gradient descent"])


@pytest.mark.parametrize("fn, words", [
    (lambda *args: (_ for _ in ()).throw(NotImplementedError), "not finished yet"),
    (lambda p, g, state, lr, beta1: p, "raised"),                      # returns an array, not a pair
    (lambda p, g, state, lr, beta1: (np.zeros(3), state), "shape (2,)"),
])
def test_a_broken_adam_falls_back_to_the_reference_with_a_note(fn, words):
    result = race("rosenbrock", steps=10, adam_step=fn)
    assert len(result.notes) == 2  # momentum_step was not given either
    assert words in result.notes[1] and "showing the reference" in result.notes[1]
    np.testing.assert_allclose(result.paths["Adam"], race("rosenbrock", steps=10).paths["Adam"])


def test_the_plot_shows_the_paths_up_to_the_step_and_names_the_surface():
    plot = RacePlot()
    fig = plot.show(race("rosenbrock"), 30)
    assert plot.lines["Adam"].get_xdata().size == 31
    assert fig.axes[0].get_title() == "rosenbrock: step 30"
    render_race(race("ravine"), 0)


def test_the_widget_builds_and_its_step_slider_redraws():
    box = optimizer_race()
    sliders = [w for row in box.children[:3] for w in getattr(row, "children", ())]
    step = next(w for w in sliders if getattr(w, "description", "") == "step")
    out = box.children[-1]
    before = out.outputs[0]["data"]["image/png"]
    step.value = 10
    assert out.outputs[0]["data"]["image/png"] != before


def test_picking_a_surface_resets_its_learning_rates_and_redraws_once():
    box = optimizer_race()
    pick = box.children[0].children[0]
    lr = box.children[1].children[0]
    out = box.children[-1]
    before = out.outputs[0]["data"]["image/png"]
    pick.value = "rosenbrock"
    assert lr.value == pytest.approx(SURFACES["rosenbrock"].lr, rel=0.15)  # a log slider rounds to its step
    assert out.outputs[0]["data"]["image/png"] != before
