"""Activations: every registry entry is checked by the generic tests (minitorch style), plus
hand values, identities and stability. A new entry in ACTIVATIONS is tested automatically."""

import inspect
import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnkit import activations as act
from nnkit.activations import ACTIVATIONS

ENTRIES = pytest.mark.parametrize("a", list(ACTIVATIONS.values()), ids=list(ACTIVATIONS))
H = 1e-5  # central-difference step: truncation ~H^2, rounding ~1e-16/H, both << 1e-7
moderate = st.floats(-30.0, 30.0, allow_nan=False)


def central_difference(f, z, h=H):
    return (f(z + h) - f(z - h)) / (2 * h)


def relative_error(num, ana, floor=1e-3):
    """|num - ana| / max(|num|, |ana|); the floor keeps the zeros of f' (e.g. GELU's minimum
    near z = -0.75) from turning a 1e-12 absolute error into a meaningless relative one."""
    return np.abs(num - ana) / np.maximum(np.maximum(np.abs(num), np.abs(ana)), floor)


def away_from_kinks(z):
    return z[np.abs(z) >= 1e-3]


@ENTRIES
def test_grad_matches_central_differences(a):
    z = away_from_kinks(np.linspace(-6.0, 6.0, 2_401))
    assert relative_error(central_difference(a.fn, z), a.grad(z)).max() <= 1e-7


@pytest.mark.parametrize("name", ["leaky_relu", "elu"])
@pytest.mark.parametrize("alpha", [0.1, 0.3, 2.0])
def test_grad_with_alpha_matches_central_differences(name, alpha):
    a = act.get(name)
    z = away_from_kinks(np.linspace(-6.0, 6.0, 1_201))
    num = central_difference(lambda u: a.fn(u, alpha=alpha), z)
    assert relative_error(num, a.grad(z, alpha=alpha)).max() <= 1e-7


EXTREMES = np.array([-1e4, -1e3, -800.0, -746.0, -710.0, -50.0, -20.0, 0.0,
                     20.0, 50.0, 710.0, 746.0, 800.0, 1e3, 1e4])


@ENTRIES
def test_stable_for_large_inputs(a):
    """No overflow, invalid or divide-by-zero anywhere up to |z| = 1e4 (underflow to 0 is exact)."""
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            values, grads = a.fn(EXTREMES), a.grad(EXTREMES)
    assert np.all(np.isfinite(values)) and np.all(np.isfinite(grads))


# (f(-1e4), f(1e4), f'(-1e4), f'(1e4)), worked out by hand from each definition.
LIMITS = {
    "sigmoid": (0.0, 1.0, 0.0, 0.0),
    "tanh": (-1.0, 1.0, 0.0, 0.0),
    "relu": (0.0, 1e4, 0.0, 1.0),
    "leaky_relu": (-100.0, 1e4, 0.01, 1.0),
    "elu": (-1.0, 1e4, 0.0, 1.0),
    "gelu": (0.0, 1e4, 0.0, 1.0),
    "gelu_tanh": (0.0, 1e4, 0.0, 1.0),
    "silu": (0.0, 1e4, 0.0, 1.0),
}


def test_every_activation_has_hand_limits():
    assert set(LIMITS) == set(ACTIVATIONS), "add the new activation's limits to LIMITS"


@pytest.mark.parametrize("name", sorted(LIMITS))
def test_limits_at_plus_minus_1e4(name):
    a = act.get(name)
    z = np.array([-1e4, 1e4])
    assert np.allclose(a.fn(z), LIMITS[name][:2], rtol=1e-15, atol=0)
    assert np.allclose(a.grad(z), LIMITS[name][2:], rtol=1e-15, atol=0)


@ENTRIES
def test_elementwise_float64_same_shape_no_mutation(a):
    z = np.arange(-6, 6).reshape(3, 4)  # integers in, float64 out
    before = z.copy()
    for f in (a.fn, a.grad):
        out = f(z)
        assert out.shape == z.shape and out.dtype == np.float64
        assert np.array_equal(out.ravel(), [f(float(v)) for v in z.ravel()])
    assert np.array_equal(z, before)


@ENTRIES
def test_rejects_non_numeric_input(a):
    with pytest.raises(TypeError, match="z must hold numbers"):
        a.fn(["a", "b"])
    with pytest.raises(TypeError, match="z must hold numbers"):
        a.grad(np.array(["1.0"]))


# ---- hand values -------------------------------------------------------------------------

def test_sigmoid_hand_values():
    z = [0.0, math.log(3.0), -math.log(3.0)]  # 1 / (1 + 1/3) = 3/4
    assert np.allclose(act.sigmoid(z), [0.5, 0.75, 0.25], rtol=1e-15, atol=0)
    assert act.sigmoid_grad(0.0) == 0.25


def test_sigmoid_grad_is_at_most_a_quarter():
    assert act.sigmoid_grad(np.linspace(-50, 50, 10_001)).max() == 0.25


def test_tanh_hand_values():
    # tanh(log a) = (a - 1/a) / (a + 1/a): 0.6 for a = 2, 0.8 for a = 3
    assert np.allclose(act.tanh([math.log(2.0), math.log(3.0), 0.0]), [0.6, 0.8, 0.0],
                       rtol=1e-15, atol=0)
    assert act.tanh_grad(0.0) == 1.0


def test_relu_family_hand_values():
    z = np.array([-2.0, 0.0, 3.0])
    assert np.array_equal(act.relu(z), [0.0, 0.0, 3.0])
    assert np.array_equal(act.relu_grad(z), [0.0, 0.0, 1.0])  # relu_grad(0) == 0
    assert np.allclose(act.leaky_relu(z), [-0.02, 0.0, 3.0], rtol=1e-15, atol=0)
    assert np.array_equal(act.leaky_relu_grad(z, alpha=0.2), [0.2, 0.2, 1.0])
    assert np.allclose(act.elu([-math.log(2.0), 1.5]), [-0.5, 1.5], rtol=1e-15, atol=0)
    assert np.allclose(act.elu_grad([-math.log(2.0)], alpha=3.0), [1.5], rtol=1e-15, atol=0)


def test_gelu_is_x_phi_x_with_math_erf():
    z = np.linspace(-8.0, 8.0, 3_201)
    want = np.array([v * 0.5 * math.erfc(-v / math.sqrt(2.0)) for v in z])
    assert np.allclose(act.gelu(z), want, rtol=1e-13, atol=1e-300)
    assert act.gelu(1.0) == pytest.approx(0.5 * (1 + math.erf(1 / math.sqrt(2))), rel=1e-15)


def test_gelu_tanh_is_close_to_gelu():
    z = np.linspace(-10.0, 10.0, 20_001)
    diff = np.abs(act.gelu_tanh(z) - act.gelu(z)).max()
    assert 0 < diff < 1e-3  # close, but a different function


# ---- identities --------------------------------------------------------------------------

@given(st.floats(-1e4, 1e4, allow_nan=False))
def test_tanh_is_rescaled_sigmoid(z):
    assert act.tanh(z) == pytest.approx(2 * act.sigmoid(2 * z) - 1, rel=0, abs=1e-15)


@given(st.floats(-1e4, 1e4, allow_nan=False))
def test_silu_is_z_times_sigmoid(z):
    assert act.silu(z) == pytest.approx(z * act.sigmoid(z), rel=1e-15, abs=0)


@given(moderate)
def test_silu_and_sigmoid_against_math_exp(z):
    s = 1.0 / (1.0 + math.exp(-z))
    assert act.sigmoid(z) == pytest.approx(s, rel=1e-14)
    assert act.silu(z) == pytest.approx(z * s, rel=1e-14, abs=1e-300)


# ---- swiglu ------------------------------------------------------------------------------

def test_swiglu_by_hand_loops():
    rng = np.random.default_rng(0)
    X, W, V = rng.normal(size=(3, 4)), rng.normal(size=(4, 5)), rng.normal(size=(4, 5))
    want = np.empty((3, 5))
    for i in range(3):
        for j in range(5):
            g = sum(X[i, k] * W[k, j] for k in range(4))
            u = sum(X[i, k] * V[k, j] for k in range(4))
            want[i, j] = g / (1 + math.exp(-g)) * u
    assert np.allclose(act.swiglu(X, W, V), want, rtol=1e-13, atol=1e-15)


def test_swiglu_rejects_mismatched_shapes():
    X, W = np.ones((2, 3)), np.ones((3, 4))
    with pytest.raises(ValueError, match="X has 3 columns but W has 2 rows"):
        act.swiglu(X, np.ones((2, 4)), W)
    with pytest.raises(ValueError, match=r"V must have shape \(3, 4\)"):
        act.swiglu(X, W, np.ones((3, 5)))
    with pytest.raises(ValueError, match="X must be 2-D"):
        act.swiglu(np.ones(3), W, W)


# ---- registry ----------------------------------------------------------------------------

@ENTRIES
def test_registry_entry_is_named_by_its_key(a):
    assert act.get(a.name) is a and ACTIVATIONS[a.name].name == a.name


def test_get_unknown_lists_the_known_names():
    with pytest.raises(ValueError, match="unknown activation 'softsign'; known: .*relu.*sigmoid"):
        act.get("softsign")


@pytest.mark.parametrize("alpha", [0.0, -0.1])
def test_alpha_must_be_positive(alpha):
    with pytest.raises(ValueError, match="alpha must be a positive number"):
        act.leaky_relu(1.0, alpha=alpha)
    with pytest.raises(ValueError, match="alpha must be a positive number"):
        act.elu_grad(1.0, alpha=alpha)


@ENTRIES
def test_value_and_grad_pairs_the_entry_and_keeps_its_signature(a):
    z = np.linspace(-4.0, 4.0, 81).reshape(9, 9)
    value, grad = act.value_and_grad(a.name)(z)
    np.testing.assert_array_equal(value, a.fn(z))
    np.testing.assert_array_equal(grad, a.grad(z))
    assert list(inspect.signature(act.value_and_grad(a.name)).parameters) == list(inspect.signature(a.fn).parameters)


@pytest.mark.parametrize("name", ["leaky_relu", "elu"])
def test_value_and_grad_passes_alpha(name):
    z = np.array([-2.0, -0.5, 0.0, 1.0])
    value, grad = act.value_and_grad(name)(z, alpha=0.3)
    np.testing.assert_array_equal(value, act.get(name).fn(z, alpha=0.3))
    np.testing.assert_array_equal(grad, act.get(name).grad(z, alpha=0.3))
