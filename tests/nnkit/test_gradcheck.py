"""Gradient checking: numerical gradients, relative error, the report, and kink warnings."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnkit import gradcheck
from nnkit.gradcheck import KinkWarning, check_gradients, numerical_gradient, relative_error


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, (2, 3), elements=st.floats(-3, 3)))
def test_numerical_gradient_of_x2_sin_x(x):
    # d/dx [x^2 sin x] = 2x sin x + x^2 cos x, derived by hand
    expected = 2 * x * np.sin(x) + x**2 * np.cos(x)
    before = x.copy()
    got = numerical_gradient(lambda a: np.sum(a**2 * np.sin(a)), x)
    np.testing.assert_allclose(got, expected, rtol=1e-7, atol=1e-9)
    np.testing.assert_array_equal(x, before)  # restored


def test_numerical_gradient_through_closure():
    W = np.array([[1.0, 2.0], [3.0, 4.0]])
    v = np.array([1.0, -1.0])
    # f = v^T W v  ->  grad_W = v v^T
    got = numerical_gradient(lambda _: v @ W @ v, W)
    np.testing.assert_allclose(got, np.outer(v, v), atol=1e-9)


def test_relative_error_hand_cases():
    assert relative_error([1.0, 0.0], [0.0, 1.0]) == pytest.approx(np.sqrt(2) / 2)
    assert relative_error([2.0, 2.0], [2.0, 2.0]) == 0.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error([1.0], [1.1]) == pytest.approx(0.1 / 2.1)


def quadratic_model(rng):
    """loss = 1/2 ||X W + b - Y||^2 with hand-derived gradients (X^T R, sum_rows R)."""
    X, Y = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    params = {"W": rng.standard_normal((3, 2)), "b": rng.standard_normal(2)}

    def loss():
        return 0.5 * np.sum((X @ params["W"] + params["b"] - Y) ** 2)

    R = X @ params["W"] + params["b"] - Y
    return loss, params, {"W": X.T @ R, "b": R.sum(axis=0)}


def test_report_passes_correct_gradients():
    loss, params, grads = quadratic_model(np.random.default_rng(1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = check_gradients(loss, params, grads)
    assert report.ok, str(report)
    assert report.worst.rel_error < 1e-8
    assert report.kinks == []


def test_report_names_a_wrong_gradient():
    loss, params, grads = quadratic_model(np.random.default_rng(2))
    grads["W"][2, 1] += 0.5  # one wrong entry
    report = check_gradients(loss, params, grads)
    assert not report.ok
    assert report.worst.name == "W"
    assert report.worst.worst_index == (2, 1)
    assert report.worst.analytic - report.worst.numeric == pytest.approx(0.5, abs=1e-6)
    assert "FAILED" in str(report) and "W" in str(report)
    b_check = next(c for c in report.checks if c.name == "b")
    assert b_check.rel_error < 1e-8


def test_report_catches_transposed_gradient():
    rng = np.random.default_rng(3)
    A = rng.standard_normal((3, 3))
    params = {"M": rng.standard_normal((3, 3))}
    # loss = sum(A * M) -> grad = A; A.T is a classic mistake
    report = check_gradients(lambda: np.sum(A * params["M"]), params, {"M": A.T})
    assert not report.ok and report.worst.name == "M"


def test_warns_at_a_kink():
    # a ReLU pre-activation z = w x at 3e-6 from 0: +-h (1e-5) crosses the kink
    x = np.array([1.0, 1.0])
    params = {"w": np.array([3e-6, 0.7])}
    loss = lambda: np.sum(np.maximum(params["w"] * x, 0.0))  # noqa: E731
    with pytest.warns(KinkWarning):
        report = check_gradients(loss, params, {"w": np.array([1.0, 1.0])})
    assert report.kinks == [("w", (0,))]
    assert "kink" in str(report)


@pytest.mark.parametrize("offset", [0.0, 1e-6, 3.3e-6, 6e-6, 9e-6, -5e-6])
def test_kink_found_anywhere_within_h(offset):
    params = {"x": np.array([offset, 2.0])}
    with pytest.warns(KinkWarning):
        report = check_gradients(lambda: 2.0 * np.sum(np.abs(params["x"])), params,
                                 {"x": 2.0 * np.sign(params["x"])})
    assert ("x", (0,)) in report.kinks


def _abs_kink_report(offset):
    params = {"x": np.array([offset])}
    return check_gradients(lambda: np.abs(params["x"][0]), params, {"x": np.sign(params["x"])})


@settings(max_examples=60, deadline=None)
@given(st.floats(-0.99e-5, 0.99e-5))
def test_every_kink_position_inside_h_is_flagged(offset):
    with pytest.warns(KinkWarning):
        assert _abs_kink_report(offset).kinks == [("x", (0,))]


@settings(max_examples=60, deadline=None)
@given(st.floats(1.01e-5, 10.0), st.sampled_from([-1.0, 1.0]))
def test_no_kink_flagged_beyond_h(distance, sign):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _abs_kink_report(sign * distance).kinks == []


def test_no_kink_at_a_smooth_minimum_or_away_from_the_kink():
    # zero gradient with curvature (smooth) and |x| far from 0: neither is a kink
    params = {"x": np.array([0.0, 0.0]), "y": np.array([0.5, -2.0])}
    loss = lambda: np.sum(params["x"] ** 2) + np.sum(np.abs(params["y"]))  # noqa: E731
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = check_gradients(loss, params, {"x": np.zeros(2), "y": np.sign(params["y"])})
    assert report.ok and report.kinks == []


def test_bad_input():
    with pytest.raises(TypeError, match="float64"):
        numerical_gradient(lambda a: 0.0, [1.0, 2.0])
    with pytest.raises(TypeError, match="float64"):
        numerical_gradient(lambda a: 0.0, np.array([1, 2]))
    with pytest.raises(ValueError, match="h must be a positive"):
        numerical_gradient(lambda a: 0.0, np.zeros(2), h=0)
    with pytest.raises(ValueError, match="same shape"):
        relative_error(np.zeros(2), np.zeros(3))
    params = {"W": np.zeros((2, 2))}
    with pytest.raises(ValueError, match="missing \\['W'\\]"):
        check_gradients(lambda: 0.0, params, {})
    with pytest.raises(ValueError, match="same shape"):
        check_gradients(lambda: 0.0, params, {"W": np.zeros(4)})
    with pytest.raises(ValueError, match="at least one"):
        check_gradients(lambda: 0.0, {}, {})


def test_module_exposes_only_documented_names():
    public = {n for n in dir(gradcheck) if not n.startswith("_")}
    assert {"numerical_gradient", "relative_error", "check_gradients", "KinkWarning"} <= public
