"""Broken learner code gets a clear AssertionError, never a traceback from inside nnkit."""

import functools
import re
import time

import numpy as np
import pytest
from learners_unit01_perceptron import perceptron_update as good_update
from learners_unit01_perceptron import predict as good_predict

import nnkit.perceptron
from nnkit import checks as check
from nnkit import data, viz  # noqa: F401  (allowed modules a learner may use)
from nnkit.perceptron import update


def fails(checker, fn, *, hidden=False) -> str:
    with pytest.raises(AssertionError) as info:
        checker(fn, hidden=hidden)
    error = info.value  # no chained traceback from inside nnkit or the learner's code
    assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)
    return str(info.value)


def test_not_implemented_yet():
    def predict(w, b, X):
        raise NotImplementedError

    assert "predict is not implemented yet" in fails(check.predict, predict)


def test_an_exception_shows_its_type_message_case_and_the_learners_line():
    def predict(w, b, X):
        scores = X @ w + b
        return scores[10]

    message = fails(check.predict, predict)
    assert "fails check 1 of" in message and "input:" in message and "w = [1, 2]" in message
    assert "your function raised IndexError: index 10 is out of bounds" in message
    assert "`return scores[10]`" in message


def test_forgotten_return():
    def predict(w, b, X):
        np.where(X @ w + b >= 0, 1.0, -1.0)

    assert "returned None" in fails(check.predict, predict)
    assert "did you forget a `return`" in fails(check.predict, predict)


def test_wrong_shape():
    message = fails(check.predict, lambda w, b, X: good_predict(w, b, X)[:, None])
    assert re.search(r"expected shape \((\d+),\), got shape \(\1, 1\)", message)
    assert "has an extra axis of length 1" in message


@pytest.mark.parametrize(
    ("result", "says"),
    [
        (lambda w, b, X: X @ w + b >= 0, "holds booleans"),
        (lambda w, b, X: np.array(["+1"] * len(X), dtype=object), "dtype object"),
        (lambda w, b, X: good_predict(w, b, X).astype(complex), "dtype complex128"),
    ],
)
def test_wrong_dtype(result, says):
    assert says in fails(check.predict, result)


def test_a_list_of_numbers_is_accepted(capsys):
    check.predict(lambda w, b, X: good_predict(w, b, X).tolist())
    assert capsys.readouterr().out.startswith("✓ predict passes")


def test_nan():
    message = fails(check.signed_distance, lambda w, b, X: np.full(len(X), np.nan))
    assert re.search(r"distances\[0\] is NaN \(expected -?[\d.]+\)", message)


def test_tuple_of_the_wrong_length():
    message = fails(check.perceptron_update, lambda w, b, x, t, lr: (*good_update(w, b, x, t, lr), 0))
    assert "expected 2 values (w_new, b_new), got 3 values" in message


def test_not_a_tuple():
    message = fails(check.collapse_linear, lambda W1, b1, W2, b2: W1 @ W2)
    assert "expected a tuple (W, b), got ndarray" in message


def test_an_array_where_a_number_is_expected():
    def perceptron_update(w, b, x, t, lr):
        w_new, b_new = good_update(w, b, x, t, lr)
        return w_new, np.array([b_new])

    message = fails(check.perceptron_update, perceptron_update)
    assert "b_new: expected a single number, got an array of shape (1,)" in message


def test_a_network_with_a_1d_output_weight():
    def xor_network():
        W1, b1, W2, b2 = check.EXERCISES["xor_network"].reference()
        return W1, b1, W2[:, 0], b2

    assert "W2: expected shape (2, 1), got shape (2,)" in fails(check.xor_network, xor_network)


def test_modifying_an_input_in_place():
    def perceptron_update(w, b, x, t, lr):
        if t * (1.0 if w @ x + b >= 0 else -1.0) <= 0:
            w += lr * t * x
            b += lr * t
        return w, b

    message = fails(check.perceptron_update, perceptron_update)
    assert "changed its input `w` in place (before: [1, -2], after: [2, 0])" in message


def test_a_change_in_place_too_small_to_show_is_measured():
    def numerical_gradient(f, x, h=1e-5):
        grad = np.zeros_like(x)
        for idx in np.ndindex(x.shape):
            x[idx] += h          # never put back exactly
            f_plus = f(x)
            x[idx] -= 2 * h
            grad[idx] = (f_plus - f(x)) / (2 * h)
        return grad

    message = fails(check.numerical_gradient, numerical_gradient)
    assert "changed its input `x` in place (before: [1, -2, 0.5], after: [1, -2, 0.5]; largest change 1e-05)" in message


def test_modifying_the_history_in_place():
    def find_cycle(history):
        history.reverse()
        return None

    assert "changed its input `history` in place" in fails(check.find_cycle, find_cycle)


def test_not_a_function():
    assert "needs your function `predict`" in fails(check.predict, np.zeros(3))


def _direct(w, b, x, t, lr):
    return update(w, b, x, t, lr)


def _via_module(w, b, x, t, lr):
    return nnkit.perceptron.update(w, b, x, t, lr)


def _via_default(w, b, x, t, lr, rule=update):
    return rule(w, b, x, t, lr)


def _helper(*args):
    return update(*args)


def _via_helper(w, b, x, t, lr):
    return _helper(w, b, x, t, lr)


def _import_inside(w, b, x, t, lr):
    from nnkit.perceptron import update as rule

    return rule(w, b, x, t, lr)


def _via_checks_private_copy(w, b, x, t, lr):
    return check.unit01_perceptron.perceptron_ref.update(w, b, x, t, lr)


def _closure():
    rule = nnkit.perceptron.update
    return lambda w, b, x, t, lr: rule(w, b, x, t, lr)


@pytest.mark.parametrize(
    "fn",
    [update, _direct, _via_module, _via_default, _via_helper, _import_inside, _via_checks_private_copy,
     _closure(), functools.partial(update), lambda *a: [_direct][0](*a)],
)
def test_hidden_mode_refuses_a_function_that_calls_the_reference(fn):
    message = fails(check.perceptron_update, fn, hidden=True)
    assert "your function calls nnkit's reference implementation" in message


def test_the_visible_check_does_not_police_reference_calls(capsys):
    check.perceptron_update(_direct)
    assert capsys.readouterr().out.startswith("✓")


def test_an_allowed_module_is_fine_but_not_the_exercise_own_reference(capsys):
    def train_perceptron(X, t, lr=1.0, max_epochs=100):
        data.xor_table  # touching nnkit.data (allowed) is fine
        viz.__name__
        return check_solutions.train_perceptron(X, t, lr, max_epochs)

    import learners_unit01_perceptron as check_solutions

    train_perceptron.__globals__["check_solutions"] = check_solutions
    check.train_perceptron(train_perceptron, hidden=True)
    assert capsys.readouterr().out.startswith("✓ train_perceptron passes")
    message = fails(check.xor_dataset, lambda: data.xor_table(), hidden=True)
    assert "nnkit.data.xor_table" in message


def test_monkeypatching_the_public_reference_does_not_change_expected_values(monkeypatch):
    def wrong(w, b, x, t, lr):
        return w + lr * t * x, b + lr * t  # updates on correct samples too

    monkeypatch.setattr(nnkit.perceptron, "update", wrong)
    monkeypatch.setattr(nnkit.perceptron, "_step", lambda w, b, x, t, lr: (w + lr * t * x, b + lr * t, True))
    message = fails(check.perceptron_update, wrong)
    assert "you update on correctly classified points too" in message


@pytest.mark.parametrize(
    ("fn", "where"),
    [(_direct, "nnkit.perceptron.update, as `update` in `_direct`"),
     (_via_module, "nnkit.perceptron, as `nnkit` in `_via_module`"),
     (_via_helper, "nnkit.perceptron.update, as `update` in `_helper`"),
     (_via_default, "nnkit.perceptron.update, as a default argument of `_via_default`")],
)
def test_the_message_says_where_the_reference_is_used(fn, where):
    assert where in fails(check.perceptron_update, fn, hidden=True)


def _by_name(w, b, x, t, lr):
    import importlib

    return importlib.import_module("nnkit.perceptron").update(w, b, x, t, lr)


def test_hidden_mode_refuses_a_module_imported_by_name():
    assert "the name 'nnkit.perceptron' in `_by_name`" in fails(check.perceptron_update, _by_name, hidden=True)


def test_a_docstring_that_mentions_the_reference_is_fine(capsys):
    def predict(w, b, X):
        """Same contract as nnkit.perceptron.predict: labels in {-1, +1}."""
        return good_predict(w, b, X)

    check.predict(predict, hidden=True)
    assert capsys.readouterr().out.startswith("✓ predict passes")


def test_a_helper_reached_through_a_module_seen_before_is_still_inspected():
    def helper(w, b, x, t, lr):
        return nnkit.perceptron.update(w, b, x, t, lr)

    def perceptron_update(w, b, x, t, lr):
        nnkit.__name__  # the package is first seen here, with other attribute names
        return helper(w, b, x, t, lr)

    assert "nnkit.perceptron" in fails(check.perceptron_update, perceptron_update, hidden=True)


def test_a_loop_that_never_ends_is_stopped_with_a_hint(monkeypatch):
    monkeypatch.setattr(check.runner, "TIME_LIMIT", 0.3)

    def train_perceptron(X, t, lr=1.0, max_epochs=100):
        w, b, history = np.zeros(X.shape[1]), 0.0, []
        while True:  # ignores max_epochs: never ends on XOR
            mistakes = 0
            for i in range(len(X)):
                w_new, b_new = good_update(w, b, X[i], t[i], lr)
                if b_new != b or not np.array_equal(w_new, w):
                    w, b, mistakes = w_new, b_new, mistakes + 1
                    history.append((i, w, b))
            if mistakes == 0:
                return w, b, history

    message = fails(check.train_perceptron, train_perceptron)
    assert "XOR never converges" in message and "did not finish within 0.3 s" in message
    assert "stop after max_epochs" in message


def test_after_a_wrong_value_a_slow_case_only_costs_the_extra_budget(monkeypatch):
    monkeypatch.setattr(check.runner, "MORE_CASES_BUDGET", 0.3)

    def predict(w, b, X):
        if len(X) != 4:
            while True:  # never ends on the other cases
                pass
        return -good_predict(w, b, X)

    start = time.perf_counter()
    message = fails(check.predict, predict)
    assert time.perf_counter() - start < 2.0
    assert "fails check 1 of" in message and "−1 times" in message  # only the answered case is diagnosed


def test_after_a_wrong_value_a_crash_elsewhere_is_left_out_of_the_diagnosis():
    def predict(w, b, X):
        if X.shape[1] != 2:
            raise ValueError("only two features")
        return good_predict(w, 0.0, X)  # the bias is missing

    message = fails(check.predict, predict)
    assert "the bias b is missing" in message and "ValueError" not in message


def test_a_building_block_the_notebook_hands_out_is_allowed_but_nothing_else_of_its_module():
    from nnkit.checks._guard import reference_use
    from nnkit.layers import activation_forward, dense_forward

    def uses_block(Z):
        return activation_forward(Z, "relu")

    def uses_block_and_more(X, W, b):
        return activation_forward(dense_forward(X, W, b)[0], "relu")

    assert reference_use(uses_block) == "nnkit.layers.activation_forward, as `activation_forward` in `uses_block`"
    assert reference_use(uses_block, allowed=(activation_forward,)) is None
    assert "nnkit.layers.dense_forward" in reference_use(uses_block_and_more, allowed=(activation_forward,))
