"""The perceptron stepper's update path, called directly (no browser)."""

import numpy as np
import pytest

from nnkit import perceptron
from nnkit.viz import perceptron_stepper, render_stepper, stepper_run, stepper_start, stepper_step
from nnkit.viz.unit01_perceptron import StepperState, stepper_status


def tiny_state(**kw):
    """Two points; from w = 0 only sample 1 is wrong (sign(0) = +1), one update fixes it."""
    X = np.array([[2.0, 1.0], [-1.0, -1.0]])
    return StepperState(X=X, t=np.array([1.0, -1.0]), w=np.zeros(2), b=0.0, lr=1.0, **kw)


def test_one_hand_computed_update():
    state = stepper_step(tiny_state())
    # w = 0 + 1 * (-1) * (-1, -1) = (1, 1), b = 0 + 1 * (-1) = -1, worked out by hand
    np.testing.assert_array_equal(state.w, [1.0, 1.0])
    assert state.b == -1.0
    assert state.last[0] == 1 and state.updates == 1
    assert state.mistakes.size == 0 and state.done
    assert stepper_step(state) is state  # nothing left to do


def test_steps_make_progress_and_converge_on_separable_data():
    state = stepper_start(n=30, margin=0.3, seed=1)
    assert state.mistakes.size > 0
    first = stepper_step(state)
    assert first.updates == 1 and np.any(first.w != 0)
    final = stepper_run(first)
    assert final.mistakes.size == 0 and final.updates < final.max_updates
    assert "converged" in stepper_status(final)


def test_updates_follow_the_order_of_train():
    start = stepper_start(n=25, margin=0.2, seed=3, lr=0.5)
    _, _, history = perceptron.train(start.X, start.t, lr=0.5)
    state, seen = start, []
    while not state.done:
        state = stepper_step(state)
        seen.append((state.last[0], state.w, state.b))
    assert [i for i, _, _ in seen] == [i for i, _, _ in history]
    for (_, w, b), (_, w_ref, b_ref) in zip(seen, history):
        np.testing.assert_allclose(w, w_ref)
        assert b == pytest.approx(b_ref)


def test_uses_the_learners_function_when_it_works():
    calls = []

    def spy(w, b, x, t, lr):
        calls.append((w.copy(), b, x.copy(), t, lr))
        w_new, b_new = w + lr * t * x, b + lr * t
        w[:] = 99.0  # scribbling on the inputs must not corrupt the widget's state
        return w_new, b_new

    state = stepper_start(n=20, margin=0.3, seed=2)
    after = stepper_run(state, spy)
    assert len(calls) == after.updates > 0
    assert after.note is None and after.mistakes.size == 0
    w0, b0, x0, t0, lr0 = calls[0]
    np.testing.assert_array_equal(w0, [0.0, 0.0])
    assert b0 == 0.0 and lr0 == 1.0 and t0 in (-1.0, 1.0)


def test_falls_back_to_the_reference_with_a_note_when_unfinished():
    def unfinished(w, b, x, t, lr):
        raise NotImplementedError

    state = stepper_step(tiny_state(), unfinished)
    assert "your perceptron_update is not finished yet" in state.note.lower()
    assert "showing the reference" in state.note
    np.testing.assert_array_equal(state.w, [1.0, 1.0])  # the reference's update
    assert state.b == -1.0


@pytest.mark.parametrize("bad", [None, (np.zeros(3), 0.0), ("a", "b"), (np.array([np.nan, 0.0]), 0.0),
                                 (np.zeros(2), np.zeros(2))])
def test_falls_back_when_the_result_is_unusable(bad):
    state = stepper_step(tiny_state(), lambda w, b, x, t, lr: bad)
    assert "unusable" in state.note
    np.testing.assert_array_equal(state.w, [1.0, 1.0])


def test_a_bias_of_shape_1_is_accepted():
    state = stepper_step(tiny_state(), lambda w, b, x, t, lr: (w + lr * t * x, np.array([b + lr * t])))
    assert state.note is None and state.b == -1.0


def test_falls_back_when_the_learners_function_crashes():
    state = stepper_step(tiny_state(), lambda w, b, x, t, lr: w @ np.ones(5))
    assert "raised ValueError" in state.note and "showing the reference" in state.note


def test_a_wrong_but_usable_update_is_animated_with_a_note():
    def bias_forgotten(w, b, x, t, lr):
        return w + lr * t * x, b

    state = stepper_step(tiny_state(), bias_forgotten)
    np.testing.assert_array_equal(state.w, [1.0, 1.0])
    assert state.b == 0.0  # the learner's result is what the widget shows
    assert "gave w = (1.00, 1.00), b = 0.00; the rule gives w = (1.00, 1.00), b = -1.00" in state.note


def test_a_learner_that_never_converges_is_capped():
    def stuck(w, b, x, t, lr):
        return w, b  # never moves: the same mistake forever

    state = stepper_run(stepper_start(n=20, margin=0.3, seed=0, max_updates=50), stuck)
    assert state.done and state.updates == 50 and state.mistakes.size > 0
    assert "your perceptron_update gave w = (0.00, 0.00), b = 0.00; the rule gives" in state.note
    assert "cap of 50" in stepper_status(state)


def test_render_shows_update_count_and_mistakes():
    state = stepper_step(stepper_start(n=20, margin=0.3, seed=0))
    fig = render_stepper(state)
    (ax,) = fig.axes
    assert ax.get_title() == f"update 1 · mistakes left: {state.mistakes.size}"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"boundary now", "sample used now"} <= set(labels)


def image_of(widget):
    return widget.children[-1].outputs[0]["data"]["image/png"]


def test_widget_step_button_changes_the_picture_and_status():
    box = perceptron_stepper(margin=0.3, seed=0)
    step, run, reset = box.children[1].children
    status = box.children[2]
    before, text = image_of(box), status.value
    step.click()
    assert image_of(box) != before and status.value != text and "updates: 1" in status.value
    run.click()
    assert "converged" in status.value and step.disabled
    reset.click()
    assert "updates: 0" in status.value and image_of(box) == before


def test_widget_shows_the_fallback_note():
    def unfinished(*args):
        raise NotImplementedError

    box = perceptron_stepper(unfinished)
    box.children[1].children[0].click()
    assert "not finished yet" in box.children[3].value
