"""nnkit.stability: hand-computed values, backward passes against central differences, counted memory."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnkit import stability as s
from nnkit.gradcheck import check_gradients


def test_spectral_radius_of_a_non_normal_matrix_is_its_diagonal_not_its_norm():
    A = np.array([[0.5, 10.0], [0.0, 0.5]])  # triangular: eigenvalues 0.5, 0.5
    assert s.spectral_radius(A) == pytest.approx(0.5)
    assert np.linalg.norm(A, 2) > 10
    assert s.spectral_radius(np.array([[0.0, -2.0], [2.0, 0.0]])) == pytest.approx(2.0)  # eigenvalues ±2i


def test_jacobian_norms_are_the_norms_of_the_running_products_in_order():
    A, B, C = np.random.default_rng(3).standard_normal((3, 3, 3))
    np.testing.assert_allclose(s.jacobian_norms([A, B, C]),
                               [np.linalg.svd(P)[1][0] for P in (A, B @ A, C @ B @ A)])
    assert not np.isclose(np.linalg.norm(C @ B @ A, 2), np.linalg.norm(A @ B @ C, 2))  # the order matters


def test_lyapunov_exponent_of_scaled_rotations_is_the_log_of_the_scale():
    rng = np.random.default_rng(0)
    Qs = [1.5 * np.linalg.qr(rng.standard_normal((4, 4)))[0] for _ in range(30)]
    assert s.lyapunov_exponent(Qs) == pytest.approx(np.log(1.5))


def test_random_gaussian_layers_have_a_negative_exponent_near_the_known_value():
    n, rng = 64, np.random.default_rng(1)
    mats = [rng.standard_normal((n, n)) / np.sqrt(n) for _ in range(400)]
    # for n x n Gaussian matrices of variance 1/n: lambda = (log 2 + digamma(n/2)) / 2 ≈ -1/(2n)
    assert s.lyapunov_exponent(mats) == pytest.approx(-1 / (2 * n), abs=0.01)


def test_clip_by_global_norm_scales_all_gradients_by_one_factor():
    grads = [np.array([3.0, 0.0]), np.array([[0.0], [4.0]])]  # global norm 5
    clipped, norm = s.clip_by_global_norm(grads, 1.0)
    assert norm == pytest.approx(5.0)
    np.testing.assert_allclose(clipped[0], [0.6, 0.0])
    np.testing.assert_allclose(clipped[1], [[0.0], [0.8]])
    same, _ = s.clip_by_global_norm(grads, 10.0)
    np.testing.assert_array_equal(same[1], grads[1])
    assert same[0] is not grads[0]  # new arrays


def test_clip_by_value_changes_the_direction():
    (g,) = s.clip_by_value([np.array([10.0, 1.0])], 1.0)
    np.testing.assert_array_equal(g, [1.0, 1.0])


def test_residual_forward_by_hand():
    X = np.array([[1.0, -2.0]])
    W = np.array([[1.0, 0.0], [1.0, 1.0]])
    np.testing.assert_allclose(s.residual_forward(X, W, np.array([0.0, 1.0])), [[1.0 + 0.0, -2.0 + 0.0]])
    np.testing.assert_allclose(s.residual_forward(X, W, np.array([2.0, 3.0])), [[2.0, -1.0]])


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6), batch=st.integers(1, 4), width=st.integers(1, 4))
def test_residual_backward_matches_central_differences(seed, batch, width):
    rng = np.random.default_rng(seed)
    p = {"X": rng.standard_normal((batch, width)), "W": rng.standard_normal((width, width)),
         "b": rng.standard_normal(width)}
    Z = p["X"] @ p["W"] + p["b"]
    p["b"] += np.where(np.abs(Z) < 1e-3, 0.1, 0.0).max(axis=0)  # away from the ReLU kink
    G = rng.standard_normal((batch, width))
    grads = dict(zip("XWb", s.residual_backward(G, p["X"], p["W"], p["b"])))
    report = check_gradients(lambda: np.sum(s.residual_forward(p["X"], p["W"], p["b"]) * G), p, grads)
    assert report.ok, str(report)


@pytest.mark.parametrize("depth", [1, 5, 12, 50])
def test_checkpointing_gives_plain_gradients_and_the_counted_memory_matches_the_formula(depth):
    rng = np.random.default_rng(depth)
    batch, width = 3, 4
    weights = [rng.standard_normal((width, width)) * np.sqrt(2 / width) for _ in range(depth)]
    X, dout = rng.standard_normal((batch, width)), rng.standard_normal((batch, width))
    plain, plain_peak, plain_extra = s.checkpointed_grad(X, weights, dout, 1)
    assert plain_peak == depth * batch * width * 8 and plain_extra == 0
    for every in range(1, depth + 3):
        grad, peak, extra = s.checkpointed_grad(X, weights, dout, every)
        np.testing.assert_allclose(grad, plain, rtol=1e-12, atol=1e-300)
        assert (peak, extra) == s.checkpoint_memory(depth, every, batch, width)


def test_sqrt_checkpointing_holds_about_two_sqrt_depth_activations():
    peak, extra = s.checkpoint_memory(100, 10, 1, 1, itemsize=1)
    assert peak == 9 + 10 and extra == 90


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(ValueError, match="square"):
        s.spectral_radius(np.ones((2, 3)))
    with pytest.raises(TypeError, match="non-empty list"):
        s.clip_by_global_norm([], 1.0)
    with pytest.raises(ValueError, match="max_norm"):
        s.clip_by_global_norm([np.ones(2)], -1.0)
    with pytest.raises(ValueError, match="every"):
        s.checkpoint_memory(10, 0, 1, 1)
