"""The backpropagation widgets' update paths, called directly (no browser)."""

import numpy as np
import pytest

from nnkit import graph, mlp
from nnkit.gradcheck import numerical_gradient
from nnkit.viz import graph_state, graph_stepper, render_graph, render_training, training_explorer, training_run

INPUTS = (3.0, 2.0, -1.0, 2.0)


def test_graph_steps_end_with_the_finite_difference_gradient():
    rng = np.random.default_rng(0)
    for _ in range(10):
        v = rng.normal(scale=2.0, size=4)
        state = graph_state(None, *v)
        final = state.steps[-1][1]
        numeric = numerical_gradient(lambda u: graph.graph_forward(*u)["f"], v.copy())
        np.testing.assert_allclose([final[n] for n in graph.INPUTS], numeric, rtol=1e-6, atol=1e-8)


def test_graph_steps_go_gate_by_gate_from_f_back():
    state = graph_state(None, *INPUTS)
    assert [gate for gate, _ in state.steps] == ["f", "s", "m", "a"]
    assert state.steps[0][1] == {"f": 1.0, "s": 2.0, "w": 8.0}   # f = s·w with s = 8, w = 2
    after_max, after_mul = state.steps[2][1], state.steps[3][1]
    assert after_max["y"] == 2.0 and after_max["z"] == 0.0          # the max routes w to y (2 > -1)
    assert after_mul["y"] == 2.0 + 2.0 * 3.0                         # plus w·x through the multiply


def test_graph_uses_the_learners_function_and_says_when_it_disagrees():
    assert graph_state(graph.scalar_graph_backward, *INPUTS).note is None
    wrong = graph_state(lambda x, y, z, w: (16.0, 4.0, 6.0, 0.0, 8.0), *INPUTS)
    assert wrong.learner[2] == 6.0 and not wrong.agrees and "disagrees" in wrong.note


@pytest.mark.parametrize("fn, words", [
    (lambda *a: (_ for _ in ()).throw(NotImplementedError), "not finished yet"),
    (lambda *a: (1.0, 2.0), "unusable"),
    (lambda *a: 1 / 0, "raised ZeroDivisionError"),
])
def test_graph_falls_back_to_the_reference(fn, words):
    state = graph_state(fn, *INPUTS)
    assert words in state.note and "showing the reference" in state.note
    assert state.learner == graph.scalar_graph_backward(*INPUTS) and state.agrees


def test_graph_render_shows_the_gradients_known_after_each_step():
    state = graph_state(None, *INPUTS)
    forward = [t.get_text() for t in render_graph(state, 0).axes[0].texts]
    assert not any(t.startswith("∂f/∂") for t in forward) and "16" in forward
    done = [t.get_text() for t in render_graph(state, 4).axes[0].texts]
    assert {"∂f/∂y = 8", "∂f/∂x = 4", "∂f/∂z = 0", "∂f/∂w = 8"} <= set(done)
    assert "step 4 of 4" in render_graph(state, 4).axes[0].get_title()


def image_of(box):
    return box.children[-1].outputs[0]["data"]["image/png"]


def test_graph_stepper_slider_steps_and_inputs_recompute():
    box = graph_stepper(graph.scalar_graph_backward)
    note, row1, row2, step, status, _ = box.children
    assert note.value == "" and "step 0 of 4" in status.value
    before = image_of(box)
    step.value = 4
    assert image_of(box) != before and "matches the graph" in status.value
    row2.children[0].value = 3.0           # z above y: the max gate switches to z
    assert "(4, 6, 2, 9)" in status.value  # dx = w·y, dy = w·x, dz = w, dw = s = 6 + 3


def test_training_run_with_the_reference_learns_the_moons():
    run = training_run(mlp.mlp_backward, epochs=300, every=50)
    assert run.note is None and list(run.epochs) == [0, 50, 100, 150, 200, 250, 300]
    assert len(run.losses) == 301 and run.losses[-1] < 0.5 * run.losses[0]
    assert run.accuracy(-1) >= 0.95 and run.accuracy(-1) > run.accuracy(0)


def test_training_run_falls_back_when_the_backward_pass_is_wrong():
    def halved(dout, caches):
        return [{"W": g["W"] / 2, "b": g["b"] / 2} for g in mlp.mlp_backward(dout, caches)]

    run = training_run(halved, epochs=20, every=10)
    assert "differ from the reference" in run.note and "showing the reference" in run.note
    same = training_run(mlp.mlp_backward, epochs=20, every=10)
    np.testing.assert_allclose(run.losses, same.losses)


def test_training_render_marks_the_epoch_on_the_loss_curve():
    run = training_run(None, epochs=40, every=20)
    left, right = render_training(run, 2).axes
    assert left.get_title().startswith("epoch 40: training accuracy")
    (marker,) = right.collections
    np.testing.assert_allclose(marker.get_offsets()[0], [40, run.losses[40]])


def test_training_explorer_slider_changes_the_picture():
    box = training_explorer(mlp.mlp_backward, epochs=40, every=20)
    note, slider, status, _ = box.children
    assert note.value == "" and "after <b>0</b> epochs" in status.value
    before = image_of(box)
    slider.value = 2
    assert image_of(box) != before and "after <b>40</b> epochs" in status.value
