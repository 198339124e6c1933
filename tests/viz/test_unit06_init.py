"""The initialization explorer's update path, called directly (no browser)."""

import numpy as np
import pytest

from nnkit import experiments, init
from nnkit.viz import InitPlot, init_explorer, init_view, render_init_view
from nnkit.viz.unit06_init import MAX_DEPTH, N_SAMPLES


def layer_log_slope(std, first=10):
    """Per-layer factor of std**2 fitted from layer `first` on."""
    layers = np.arange(first, std.size + 1)
    return np.exp(2 * np.polyfit(layers, np.log(std[first - 1:]), 1)[0])


def test_he_relu_keeps_the_second_moment_and_xavier_relu_halves_it():
    he, xavier = init_view("relu", "he", 50, 256), init_view("relu", "xavier", 50, 256)
    assert he.note is None and he.std.shape == (50,) and he.grad_norm.shape == (50,)
    assert 0.95 < layer_log_slope(he.std) < 1.05
    assert 0.45 < layer_log_slope(xavier.std) < 0.55
    assert he.gain == 1.0 and xavier.gain == 0.5


def test_he_tanh_saturates_below_the_theory():
    view = init_view("tanh", "he", 50, 256)
    assert view.gain == 2.0 and 0.3 < view.std[-1] < 0.9  # bounded by 1, far below sqrt(2)**49


def test_the_widgets_small_batch_matches_a_512_input_run_within_sampling_error():
    rng = np.random.default_rng(0)  # the widget's draw: MAX_DEPTH matrices from one seeded Generator
    weights = [init.he_normal(256, 256, rng) for _ in range(MAX_DEPTH)]
    view = init_view("relu", "he", MAX_DEPTH, 256)
    big = experiments.layer_stats("relu", weights, n_samples=512, rng=9)
    assert np.all(np.abs(np.log(view.std / big["std"])) < 0.15)
    per_row = view.grad_norm / np.sqrt(N_SAMPLES), big["grad_norm"] / np.sqrt(512)
    assert np.all(np.abs(np.log(per_row[0] / per_row[1])) < 0.2)


def test_histograms_are_shares_of_the_quarter_layers():
    view = init_view("relu", "he", 20, 64)
    assert view.hist_layers == (5, 10, 15, 20)
    for shares in view.shares:
        assert 0.45 < shares.sum() <= 1.0 + 1e-12 and shares.max() > 0.4  # ReLU: half the mass at exactly 0


def test_the_learners_initializer_draws_the_weights_when_it_works():
    calls = []

    def learner_he(fan_in, fan_out, rng):
        calls.append((fan_in, fan_out))
        return rng.normal(0, 3 * np.sqrt(2 / fan_in), (fan_in, fan_out))  # 3x too large: must show

    view = init_view("relu", "he", 10, 32, {"he": learner_he})
    assert calls and view.note is None
    assert layer_log_slope(view.std, first=2) > 5


@pytest.mark.parametrize("fn, words", [
    (lambda i, o, rng: (_ for _ in ()).throw(NotImplementedError), "not finished yet"),
    (lambda i, o, rng: np.zeros((o + 1, i)), "unusable"),
    (lambda i, o: 0, "raised"),
])
def test_a_broken_initializer_falls_back_to_nnkit_with_a_note(fn, words):
    view = init_view("tanh", "xavier", 5, 32, {"xavier": fn})
    assert words in view.note and "showing the reference" in view.note
    assert np.all(np.isfinite(view.std))


def test_gelu_and_silu_are_offered_and_titles_name_the_setting():
    for activation in ("gelu", "silu"):
        fig = render_init_view(init_view(activation, "he", 12, 64))
        assert fig.axes[0].get_title().startswith(f"{activation} + he, width 64")


def image_of(box):
    return box.children[-1].outputs[0]["data"]["image/png"]


def test_the_explorer_redraws_when_a_control_changes():
    box = init_explorer({"he": lambda i, o, rng: (_ for _ in ()).throw(NotImplementedError)})
    activation, scheme = box.children[0].children
    depth, width = box.children[1].children
    note = box.children[2]
    assert "not finished yet" in note.value
    for control, value in ((activation, "tanh"), (scheme, "xavier"), (depth, 20), (width, 64)):
        before = image_of(box)
        control.value = value
        assert image_of(box) != before
    assert "No initializer of yours for xavier" in note.value


def test_a_reused_plot_draws_the_same_picture_as_a_fresh_one():
    from nnkit.viz.plots import figure_png

    reused = InitPlot()
    reused.show(init_view("relu", "large", 50, 256))
    second = init_view("silu", "tiny", 6, 32)
    assert figure_png(reused.show(second)) == figure_png(InitPlot().show(second))
