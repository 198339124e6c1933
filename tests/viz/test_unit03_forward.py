"""The forward-pass widget's update path, called directly (no browser)."""

import numpy as np
import pytest

from nnkit import activations, mlp
from nnkit.viz import forward_explorer, forward_state, render_forward
from nnkit.viz.unit03_forward import ACTIVATIONS, DATASETS


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_hidden_maps_are_the_activation_of_each_units_score(activation):
    state = forward_state(width=3, activation=activation, seed=2, grid=20)
    x0, x1, y0, y1 = state.view
    G1, G2 = np.meshgrid(np.linspace(x0, x1, 20), np.linspace(y0, y1, 20))
    scores = np.stack([G1, G2], axis=-1) @ state.W1 + state.b1          # computed here, not by the widget
    np.testing.assert_allclose(state.hidden, activations.get(activation).fn(scores), atol=1e-12)
    np.testing.assert_allclose(state.output, state.hidden @ state.W2[:, 0] + state.b2[0], atol=1e-9)
    assert state.note is None


def test_each_hidden_units_line_passes_through_a_data_point():
    state = forward_state(width=5, seed=3)
    scores = state.X @ state.W1 + state.b1
    assert np.all(np.min(np.abs(scores), axis=0) < 1e-9)


def test_the_output_layer_is_the_least_squares_fit_and_more_units_fit_better():
    X, t = DATASETS["circles"][0]()
    accuracies = [forward_state(width=w, activation="relu", seed=0, dataset="circles").accuracy for w in (1, 8)]
    assert accuracies[1] > accuracies[0]
    state = forward_state(width=4, activation="tanh", seed=1, dataset="circles")
    H = np.tanh(X @ state.W1 + state.b1)
    design = np.column_stack([H, np.ones(len(X))])
    coef = np.linalg.lstsq(design, t, rcond=None)[0]
    np.testing.assert_allclose(np.r_[state.W2[:, 0], state.b2], coef, atol=1e-4)
    assert state.accuracy == np.mean(np.sign(design @ coef) == t)


def test_the_learners_forward_pass_is_used_and_its_caches_are_read():
    calls = []

    def learner(X, params, activation="relu", output_activation=None):
        calls.append(len(X))
        return mlp.mlp_forward(X, params, activation, output_activation)

    state = forward_state(learner, width=2, grid=10)
    assert calls == [120, 100] and state.note is None


def test_a_wrong_but_usable_forward_pass_is_drawn_with_a_note():
    def linear_everywhere(X, params, activation="relu", output_activation=None):
        return mlp.mlp_forward(X, params, "tanh", output_activation)  # ignores `activation`

    state = forward_state(linear_everywhere, width=3, activation="relu")
    assert "differs from nnkit's" in state.note and "shows yours" in state.note
    assert np.any(state.hidden < 0)  # tanh's negative values: the learner's maps, not ReLU's


def _unfinished(X, params, activation="relu", output_activation=None):
    raise NotImplementedError


def _flat_caches(X, params, activation="relu", output_activation=None):
    out, caches = mlp.mlp_forward(X, params, activation, output_activation)
    return out, [dense for dense, _ in caches][::-1]


@pytest.mark.parametrize("fn, words", [(_unfinished, "not finished yet"), (_flat_caches, "unusable")])
def test_a_broken_forward_pass_falls_back_to_the_reference(fn, words):
    state = forward_state(fn, width=3)
    assert words in state.note and "showing the reference" in state.note
    np.testing.assert_allclose(state.output, forward_state(width=3).output)


def test_the_render_has_a_tile_per_unit_and_titles_the_accuracy():
    state = forward_state(width=6, activation="sigmoid", dataset="xor")
    fig = render_forward(state)
    tiles, output = fig.axes
    assert len([t for t in tiles.texts if t.get_text().startswith("h") and ":" in t.get_text()]) == 6
    assert [t.get_text() for t in output.texts] == [f"output ({state.accuracy:.0%} right)"]


def image_of(box):
    return box.children[-1].outputs[0]["data"]["image/png"]


def test_the_explorer_redraws_on_each_control():
    box = forward_explorer(_unfinished)
    note, row, data_set, status, _ = box.children
    width, activation, seed = row.children
    assert "showing the reference" in note.value and "2-4-1 network" in status.value
    for control, value in ((width, 7), (activation, "tanh"), (seed, 5), (data_set, "circles")):
        before = image_of(box)
        control.value = value
        assert image_of(box) != before
    assert "2-7-1 network, tanh" in status.value


@pytest.mark.parametrize("kwargs, words", [({"width": 0}, "width must be"), ({"width": 9}, "from 1 to 8"),
                                           ({"dataset": "spirals"}, "unknown data set 'spirals'")])
def test_bad_settings_are_refused_in_words(kwargs, words):
    with pytest.raises(ValueError, match=words):
        forward_state(**kwargs)
