"""nnkit.viz._blit: a widget's stream of pictures drawn on a reused frame looks like full drawings.

Each stream is a run of one widget's own figures (its render function with changing inputs);
every picture is compared pixel by pixel with ``figure_png`` of the same figure (a full draw).
"""

import io

import matplotlib
import numpy as np
import pytest
from PIL import Image

from nnkit import perceptron, xor
from nnkit.viz import (ActivationPlot, ForwardPlot, GraphPlot, HiddenSpacePlot, RegularizationPlot,
                       RegularizationRuns, StepperPlot, activation_view, forward_state, graph_state, hidden_space,
                       render_hidden_space, render_stepper, render_xor_line, stepper_start, stepper_step,
                       XorLinePlot)
from nnkit.viz._blit import FrameCache, frame_signature
from nnkit.viz.plots import figure_png, new_figure


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA")).astype(int)


def assert_same_picture(fast: bytes, full: bytes) -> None:
    a, b = pixels(fast), pixels(full)
    assert a.shape == b.shape
    off = np.abs(a - b).max(axis=2) > 40  # anti-aliased edges may differ by a shade, nothing more
    assert off.mean() < 1e-3, f"{off.sum()} pixels differ"


def stepper_figures(plot=None):
    """New figures, or with ``plot`` the widget's one figure moved from picture to picture."""
    render = render_stepper if plot is None else plot.show
    state = stepper_start(margin=0.05, seed=3)
    for _ in range(5):
        state = stepper_step(state, perceptron.update)
        yield lambda s=state: render(s)


def line_figures(plot=None):
    render = render_xor_line if plot is None else plot.show
    for w1, w2, b in [*np.random.default_rng(0).uniform(-3, 3, (5, 3)), (0.0, 0.0, 1.0), (1.0, 1.0, -0.5)]:
        yield lambda p=(w1, w2, b): render(*p)


def hidden_figures(steepness, plot=None):
    """New figures, or with ``plot`` the widget's one figure moved from picture to picture."""
    W1, _, W2, b2 = xor.xor_network()
    render = render_hidden_space if plot is None else plot.show
    for b1 in np.random.default_rng(1).uniform(-1, 2, (5, 2)):
        yield lambda b1=b1: render(hidden_space((W1, b1, W2, b2), steepness=steepness))


def forward_figures():
    """Axes switched off (no spines may be drawn) and limits that change with the data set."""
    plot = ForwardPlot()
    for width, dataset in ((3, "moons"), (8, "xor"), (1, "circles"), (5, "moons")):
        yield lambda w=width, d=dataset: plot.show(forward_state(width=w, dataset=d))


def graph_figures():
    """Artists kept in the frame (arrows, node boxes) whose box colour changes with the step, and back."""
    plot, state = GraphPlot(), graph_state(None, 3.0, 2.0, -1.0, 2.0)
    for step in (0, 1, 2, 4, 1, 0):
        yield lambda step=step: plot.show(state, step)


def activation_figures():
    """Three axes whose frames change one at a time, and back: a legend over curves that pass under it."""
    plot = ActivationPlot()
    for name, mean, depth in (("sigmoid", 0.0, 10), ("sigmoid", 1.5, 10), ("sigmoid", 1.5, 30), ("relu", 1.5, 30),
                              ("sigmoid", 0.0, 10)):
        yield lambda v=(name, mean, 1.0, depth): plot.show(activation_view(*v))


def regularization_figures():
    """A legend over an image that changes under it."""
    runs = RegularizationRuns()
    plot = RegularizationPlot(runs.split)
    for lam in (0.0, 1.0, 0.01):
        yield lambda lam=lam: plot.show(runs.view(lam, 0.0))


STREAMS = {"stepper": stepper_figures, "stepper, one figure": lambda: stepper_figures(StepperPlot()),
           "xor line": line_figures, "xor line, one figure": lambda: line_figures(XorLinePlot()),
           "threshold": lambda: hidden_figures(None), "sigmoid": lambda: hidden_figures(5.0),
           "sigmoid, one figure": lambda: hidden_figures(5.0, HiddenSpacePlot()), "forward": forward_figures,
           "graph": graph_figures, "activation": activation_figures, "regularization": regularization_figures}


@pytest.mark.parametrize("figures", STREAMS.values(), ids=STREAMS.keys())
def test_every_picture_of_a_stream_matches_a_full_drawing(figures):
    cache = FrameCache()
    for make in figures():
        assert_same_picture(cache.png(make()), figure_png(make()))


def test_the_content_really_changes_between_pictures():
    cache = FrameCache()
    first, second = (cache.png(render_xor_line(*p)) for p in ((1.0, 1.0, -0.5), (-1.0, 2.0, 0.3)))
    assert (np.abs(pixels(first) - pixels(second)).max(axis=2) > 40).mean() > 0.01


def test_a_new_frame_is_drawn_in_full():
    cache = FrameCache()
    cache.png(render_xor_line(1.0, 1.0, -0.5))
    fig, ax = new_figure(6.2, 4.4)
    ax.plot([0, 5], [0, 5])  # other limits, ticks and no legend
    assert frame_signature(fig) != cache.signature
    assert_same_picture(cache.png(fig), figure_png(fig))


def test_the_presenters_dpi_is_respected():
    with matplotlib.rc_context({"savefig.dpi": 120}):
        fast, full = FrameCache().png(render_xor_line(1.0, 1.0, -0.5)), figure_png(render_xor_line(1.0, 1.0, -0.5))
    assert_same_picture(fast, full)
    assert pixels(fast).shape[1] == round(6.2 * 120)
