"""Perceptron: hand cases, the update rule's contract, training history, Novikoff's bound."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnkit import data
from nnkit import perceptron as P
from nnkit._geometry import min_norm_point

finite = st.floats(-10.0, 10.0, allow_nan=False)
vec3 = st.lists(finite, min_size=3, max_size=3).map(np.array)
label = st.sampled_from([-1.0, 1.0])
positive_lr = st.floats(1e-3, 1e3)


# ---- predict and signed_distance ---------------------------------------------------------

def test_predict_by_hand_and_sign_of_zero_is_plus_one():
    X = np.array([[1.0, 1.0], [0.0, 2.0], [2.0, 1.5]])
    # w . x + b = 1 - 1 + 0 = 0, 0 - 2 + 0 = -2, 2 - 1.5 + 0 = 0.5
    assert np.array_equal(P.predict([1.0, -1.0], 0.0, X), [1.0, -1.0, 1.0])
    assert np.array_equal(P.predict([0.0, 0.0], 0.0, X), [1.0, 1.0, 1.0])
    assert P.predict([1.0, -1.0], 0.0, X).dtype == np.float64


def test_signed_distance_by_hand():
    X = np.array([[0.0, 0.0], [3.0, 4.0], [1.0, 1.0]])
    # line 3x + 4y - 5 = 0, ||w|| = 5: (0 - 5)/5, (9 + 16 - 5)/5, (3 + 4 - 5)/5
    assert np.allclose(P.signed_distance([3.0, 4.0], -5.0, X), [-1.0, 4.0, 0.4], rtol=1e-15)


@given(vec3, finite, st.floats(1e-3, 1e3))
def test_signed_distance_ignores_the_scale_of_w_and_b(w, b, c):
    X = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]])
    if np.linalg.norm(w) < 1e-3:
        return
    assert np.allclose(P.signed_distance(c * w, c * b, X), P.signed_distance(w, b, X),
                       rtol=1e-12, atol=1e-12)


def test_signed_distance_rejects_zero_w():
    with pytest.raises(ValueError, match="w must be nonzero"):
        P.signed_distance([0.0, 0.0], 1.0, [[1.0, 2.0]])


# ---- update ------------------------------------------------------------------------------

def test_update_on_a_mistake_by_hand():
    w, b = P.update([1.0, -1.0], 0.5, [0.0, 2.0], 1.0, 0.1)  # activation -1.5: a mistake
    assert np.allclose(w, [1.0, -0.8]) and b == pytest.approx(0.6)


def test_update_at_activation_zero_follows_sign_zero_is_plus_one():
    w0, x = np.array([1.0, -1.0]), np.array([1.0, 1.0])  # w . x + 0 = 0: predicted +1
    w, b = P.update(w0, 0.0, x, 1.0, 1.0)
    assert np.array_equal(w, w0) and b == 0.0
    w, b = P.update(w0, 0.0, x, -1.0, 1.0)
    assert np.array_equal(w, [0.0, -2.0]) and b == -1.0


@given(vec3, finite, vec3, label, positive_lr)
def test_update_contract(w, b, x, t, lr):
    w_in, x_in = w.copy(), x.copy()
    w_new, b_new = P.update(w, b, x, t, lr)
    assert np.array_equal(w, w_in) and np.array_equal(x, x_in)  # inputs untouched
    assert w_new is not w and not np.shares_memory(w_new, w)
    correct = t * (1.0 if w @ x + b >= 0 else -1.0) > 0
    if correct:
        assert np.array_equal(w_new, w) and b_new == b
    else:
        assert np.allclose(w_new, w + lr * t * x) and b_new == pytest.approx(b + lr * t)


# ---- train -------------------------------------------------------------------------------

def replay(X, t, lr, history):
    """Rebuild every state from the indices alone: w += lr t_i x_i, b += lr t_i."""
    w, b, states = np.zeros(X.shape[1]), 0.0, []
    for i, _, _ in history:
        w, b = w + lr * t[i] * X[i], b + lr * t[i]
        states.append((w, b))
    return w, b, states


def visiting_order_mistakes(X, t, lr, max_epochs):
    """The spec, written out plainly: the indices at which a mistake happens, epochs run."""
    w, b, indices = np.zeros(X.shape[1]), 0.0, []
    for epoch in range(1, max_epochs + 1):
        clean = True
        for i in range(len(t)):
            if (1.0 if X[i] @ w + b >= 0 else -1.0) != t[i]:
                w, b, clean = w + lr * t[i] * X[i], b + lr * t[i], False
                indices.append(i)
        if clean:
            break
    return indices, epoch


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("margin", [0.05, 0.2, 1.0])
def test_train_converges_within_novikoff_bound(seed, margin):
    X, t = data.blobs(100, margin, seed)
    w, b, history = P.train(X, t, max_epochs=10_000)
    assert np.array_equal(P.predict(w, b, X), t)
    assert 0 < len(history) <= P.novikoff_bound(X, t)


@pytest.mark.parametrize("seed", range(3))
def test_history_replays_to_the_final_weights(seed):
    X, t = data.blobs(60, 0.1, seed)
    w, b, history = P.train(X, t, lr=0.5)
    w_r, b_r, states = replay(X, t, 0.5, history)
    assert np.allclose(w_r, w) and b_r == pytest.approx(b)
    for (i, w_after, b_after), (w_s, b_s) in zip(history, states):
        assert isinstance(i, int) and np.allclose(w_after, w_s) and b_after == pytest.approx(b_s)
    assert [i for i, _, _ in history] == visiting_order_mistakes(X, t, 0.5, 100)[0]


@pytest.mark.parametrize("seed", range(3))
def test_train_stops_after_the_first_clean_epoch(seed, monkeypatch):
    X, t = data.blobs(30, 0.1, seed)
    _, epochs = visiting_order_mistakes(X, t, 1.0, 100)
    visits = []
    real_step = P._step
    monkeypatch.setattr(P, "_step", lambda *args: visits.append(1) or real_step(*args))
    P.train(X, t)
    assert 1 < epochs < 100 and len(visits) == epochs * len(t)


def test_history_entries_are_snapshots():
    X, t = data.blobs(40, 0.2, 0)
    _, _, history = P.train(X, t)
    assert len({id(w) for _, w, _ in history}) == len(history)
    assert not np.array_equal(history[0][1], history[-1][1])
    X, t = data.xor_table()
    w, b, history = P.train(X, t, max_epochs=1)  # by hand: the epoch ends with a mistake at 3
    assert history[-1][0] == 3 and np.array_equal(history[-1][1], [-1.0, 0.0])
    w += 1.0  # changing the returned weights leaves the record alone
    assert np.array_equal(history[-1][1], [-1.0, 0.0])


def test_train_stops_at_max_epochs_on_xor():
    X, t = data.xor_table()
    for epochs in (1, 3, 7):
        _, _, history = P.train(X, t, max_epochs=epochs)
        indices = [i for i, _, _ in history]
        epochs_seen = 1 + sum(b <= a for a, b in zip(indices, indices[1:]))
        assert epochs_seen == epochs  # XOR: a mistake in every epoch, so no early stop


def test_train_on_clean_data_needs_one_epoch_only():
    X = np.array([[1.0, 2.0], [2.0, 0.5]])
    w, b, history = P.train(X, [1.0, 1.0])
    assert history == [] and np.array_equal(w, [0.0, 0.0]) and b == 0.0  # sign(0) = +1


@settings(max_examples=30, deadline=None)
@given(lr=positive_lr, seed=st.integers(0, 10_000))
def test_learning_rate_does_not_change_predictions_from_zero(lr, seed):
    X, t = data.blobs(30, 0.1, seed)
    w1, b1, h1 = P.train(X, t, lr=1.0)
    w2, b2, h2 = P.train(X, t, lr=lr)
    assert [i for i, _, _ in h1] == [i for i, _, _ in h2]  # same mistakes, same order
    assert np.allclose(w2, lr * w1) and b2 == pytest.approx(lr * b1)
    grid = np.random.default_rng(seed).normal(0, 3, size=(200, 2))
    assert np.array_equal(P.predict(w1, b1, grid), P.predict(w2, b2, grid))


# ---- perceptron_loss ---------------------------------------------------------------------

def test_perceptron_loss_by_hand():
    X = np.array([[2.0, 0.0], [-1.0, 0.0], [0.0, 5.0], [3.0, 3.0]])
    t = np.array([-1.0, -1.0, 1.0, 1.0])
    # activations 2, -1, 0, 3: only row 0 is a mistake, contributing -(-1)(2) = 2
    assert P.perceptron_loss([1.0, 0.0], 0.0, X, t) == 2.0
    assert P.perceptron_loss([-1.0, 0.0], 0.0, X, t) == 4.0  # activations -2, 1, 0, -3: 1 + 3


def test_perceptron_loss_is_zero_after_training():
    X, t = data.blobs(50, 0.2, 1)
    w, b, _ = P.train(X, t)
    assert P.perceptron_loss(w, b, X, t) == 0.0
    assert P.perceptron_loss(-w, -b, X, t) > 0.0


# ---- Novikoff's bound --------------------------------------------------------------------

def test_novikoff_bound_by_hand():
    # z = (1, 0, 1), (-1, 0, 1); t z = (1, 0, 1), (1, 0, -1): nearest hull point (1, 0, 0),
    # gamma = 1, R = sqrt 2, bound 2
    assert P.novikoff_bound([[1.0, 0.0], [-1.0, 0.0]], [1.0, -1.0]) == pytest.approx(2.0)
    # t z = (2, 0, 1), (0, 0, -1): nearest point at weight 1/4: (0.5, 0, -0.5), gamma^2 = 1/2;
    # R^2 = 5: bound 10
    assert P.novikoff_bound([[2.0, 0.0], [0.0, 0.0]], [1.0, -1.0]) == pytest.approx(10.0)


@pytest.mark.parametrize("seed", range(3))
def test_novikoff_gamma_beats_the_generating_line_and_every_direction_on_a_grid(seed):
    X, t, (w, b) = data.blobs(80, 0.3, seed, return_line=True)
    Z = np.column_stack([X, np.ones(len(X))])
    R = np.linalg.norm(Z, axis=1).max()
    gamma = R / np.sqrt(P.novikoff_bound(X, t))
    line = np.append(w, b)
    assert gamma >= np.min(t * (Z @ line)) / np.linalg.norm(line) - 1e-12
    theta, phi = np.meshgrid(np.linspace(0, np.pi, 181), np.linspace(0, 2 * np.pi, 361))
    U = np.stack([np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)], -1)
    grid_best = np.min((t[:, None] * Z) @ U.reshape(-1, 3).T, axis=0).max()
    assert grid_best <= gamma + 1e-12  # no direction on the grid does better
    assert gamma - grid_best <= R * np.radians(1.0)  # and the grid's spacing is 1 degree


def brute_force_min_norm(A):
    """Try every face of at most three vertices: the nearest point of each affine hull,
    kept when its weights are >= 0 (then it lies on the face)."""
    best = np.inf
    for k in (1, 2, 3):
        for idx in itertools.combinations(range(len(A)), k):
            Q = A[list(idx)]
            M = np.block([[Q @ Q.T, np.ones((k, 1))], [np.ones((1, k)), np.zeros((1, 1))]])
            sol = np.linalg.lstsq(M, np.r_[np.zeros(k), 1.0], rcond=None)[0][:k]
            if np.all(sol >= -1e-12):
                best = min(best, np.linalg.norm(sol @ Q))
    return best


@pytest.mark.parametrize("seed", range(5))
def test_min_norm_point_against_every_face(seed):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(9, 3)) + rng.normal(size=3) * 2  # shifted so 0 is often outside
    p = min_norm_point(A)
    assert np.linalg.norm(p) == pytest.approx(brute_force_min_norm(A), rel=1e-9, abs=1e-12)
    assert np.min(A @ p) >= p @ p - 1e-9  # p separates: every point lies beyond it


def test_novikoff_bound_refuses_non_separable_data():
    for X, t in (data.xor_table(), data.moons(60, 0.1, 0)):
        with pytest.raises(ValueError, match="not linearly separable"):
            P.novikoff_bound(X, t)


# ---- bad input ---------------------------------------------------------------------------

X2, T2, W2 = np.ones((3, 2)), np.array([1.0, -1.0, 1.0]), np.zeros(2)


@pytest.mark.parametrize("call, error, match", [
    (lambda: P.train(X2, [1.0, 0.0, 1.0]), ValueError, r"t must contain only -1 and \+1; found \[0.0\]"),
    (lambda: P.update(W2, 0.0, [1.0, 2.0], 2, 1.0), ValueError, r"t must contain only -1 and \+1"),
    (lambda: P.perceptron_loss(W2, 0.0, X2, [1, 1, 3]), ValueError, r"t must contain only -1 and \+1"),
    (lambda: P.predict(W2, 0.0, np.ones(2)), ValueError, r"X must be 2-D; got shape \(2,\)"),
    (lambda: P.predict(np.zeros(3), 0.0, X2), ValueError,
     r"w must have shape \(2,\) \(one weight per column of X\); got \(3,\)"),
    (lambda: P.update(np.zeros(3), 0.0, [1.0, 2.0], 1, 1.0), ValueError,
     r"w must have shape \(2,\) \(one weight per entry of x\); got \(3,\)"),
    (lambda: P.update(W2, 0.0, np.ones((1, 2)), 1, 1.0), ValueError, r"x must be 1-D; got shape \(1, 2\)"),
    (lambda: P.predict(W2, [0.0, 1.0], X2), ValueError, r"b must be 0-D; got shape \(2,\)"),
    (lambda: P.train(np.array([["a", "b"]]), [1.0]), TypeError, "X must hold numbers; got dtype <U1"),
    (lambda: P.predict(["x", "y"], 0.0, X2), TypeError, "w must hold numbers"),
    (lambda: P.update(W2, 0.0, [1.0, 2.0], 1, 0.0), ValueError, "lr must be a positive number; got 0.0"),
    (lambda: P.train(X2, T2, lr=-1.0), ValueError, "lr must be a positive number; got -1.0"),
    (lambda: P.train(X2, T2, max_epochs=0), ValueError, "max_epochs must be a positive integer; got 0"),
    (lambda: P.train(X2, T2[:2]), ValueError, "X and t must have the same number of rows; got 3 and 2"),
    (lambda: P.novikoff_bound(X2, [[1.0, -1.0, 1.0]]), ValueError, r"t must be 1-D"),
])
def test_bad_input_is_named(call, error, match):
    with pytest.raises(error, match=match):
        call()
