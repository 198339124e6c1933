"""Unit 01 learner corpus: right and wrong answers coded the way learners code them (numpy only).

Wrong answers are written independently of the checker's mutants (loops, other off-by-ones,
other codings of the same slip, and mistakes no mutant encodes); each names its mistakes.
The correct answers must pass in hidden mode, where calling nnkit's references is refused.
"""

import math

import numpy as np

from corpus import Corpus

CORPUS = Corpus()
correct, wrong = CORPUS.correct, CORPUS.wrong


# --- predict ---------------------------------------------------------------------------------

@correct("predict")
def predict(w, b, X):
    scores = X @ w + b
    return np.where(scores >= 0, 1.0, -1.0)


@correct("predict")
def predict_loop(w, b, X):
    labels = []
    for row in X:
        z = sum(wi * xi for wi, xi in zip(w, row)) + b
        labels.append(1 if z >= 0 else -1)
    return np.array(labels)


@correct("predict")
def predict_sign_fixed(w, b, X):
    s = np.sign(np.dot(X, w) + b)
    s[s == 0] = 1
    return s


@wrong("predict", "strict")
def predict_loop_strict(w, b, X):
    out = np.empty(len(X))
    for i in range(len(X)):
        out[i] = 1.0 if np.dot(w, X[i]) + b > 0 else -1.0
    return out


@wrong("predict", "np_sign")
def predict_sign_per_row(w, b, X):
    return np.array([np.sign(x @ w + b) for x in X])


@wrong("predict", "zero_one")
def predict_booleans(w, b, X):
    return X @ w + b >= 0


@wrong("predict", "zero_one")
def predict_int_01(w, b, X):
    return np.where(X.dot(w) + b >= 0, 1, 0)


@wrong("predict", "flipped", "factor:-1")
def predict_flipped(w, b, X):
    return np.where(X @ w + b < 0, 1.0, -1.0)


@wrong("predict", "no_bias")
def predict_loop_no_bias(w, b, X):
    return np.array([1.0 if sum(w[j] * x[j] for j in range(len(w))) >= 0 else -1.0 for x in X])


@wrong("predict", "extra_axis")
def predict_column(w, b, X):
    return np.where(X @ w.reshape(-1, 1) + b >= 0, 1.0, -1.0)


@wrong("predict", "two_features")
def predict_two_features(w, b, X):
    z = X[:, 0] * w[0] + X[:, 1] * w[1] + b
    return np.where(z >= 0, 1.0, -1.0)


@wrong("predict", "strict", "zero_one")
def predict_strict_booleans(w, b, X):
    return (X @ w + b > 0).astype(float)


@wrong("predict", "bias_subtracted")
def predict_minus_bias(w, b, X):
    return np.where(X @ w - b >= 0, 1.0, -1.0)


# --- signed_distance -------------------------------------------------------------------------

@correct("signed_distance")
def signed_distance(w, b, X):
    return (X @ w + b) / np.sqrt(np.sum(w * w))


@correct("signed_distance")
def signed_distance_loop(w, b, X):
    norm = math.sqrt(sum(v * v for v in w))
    return np.array([(np.dot(w, x) + b) / norm for x in X])


@wrong("signed_distance", "norm_squared", "factor:1/norm(w)")
def distance_loop_norm_squared(w, b, X):
    squared = sum(v ** 2 for v in w)
    return np.array([(np.dot(w, x) + b) / squared for x in X])


@wrong("signed_distance", "absolute")
def distance_absolute(w, b, X):
    return abs(X @ w + b) / np.linalg.norm(w)


@wrong("signed_distance", "bias_outside")
def distance_bias_outside(w, b, X):
    return X @ w / np.linalg.norm(w) + b


@wrong("signed_distance", "norm_of_x")
def distance_loop_norm_of_x(w, b, X):
    return np.array([(w @ x + b) / np.sqrt(x @ x) for x in X])


@wrong("signed_distance", "l1_norm")
def distance_l1(w, b, X):
    return (X @ w + b) / np.sum(np.abs(w))


@wrong("signed_distance", "extra_axis")
def distance_column(w, b, X):
    return (X @ w[:, None] + b) / np.linalg.norm(w)


@wrong("signed_distance", "multiplied", "factor:norm(w)^2")
def distance_multiplied(w, b, X):
    return (X @ w + b) * np.linalg.norm(w)


@wrong("signed_distance", "sign_flipped", "factor:-1")
def distance_other_side(w, b, X):
    return -(X @ w + b) / np.linalg.norm(w)


@wrong("signed_distance", "no_division", "factor:norm(w)")
def distance_loop_score(w, b, X):
    return np.array([sum(wi * xi for wi, xi in zip(w, x)) + b for x in X])


# --- perceptron_update -----------------------------------------------------------------------

@correct("perceptron_update")
def perceptron_update(w, b, x, t, lr):
    prediction = 1.0 if np.dot(w, x) + b >= 0 else -1.0
    if prediction == t:
        return w.copy(), b
    return w + lr * t * x, b + lr * t


@correct("perceptron_update")
def update_with_sign_of_product(w, b, x, t, lr):
    y = 1 if w @ x + b >= 0 else -1
    if t * y < 0:
        return [wi + lr * t * xi for wi, xi in zip(w, x)], b + lr * t
    return list(w), b


@wrong("perceptron_update", "zero_is_mistake", "changed_when_unchanged")
def update_margin_test(w, b, x, t, lr):
    if t * (w @ x + b) <= 0:
        return w + lr * t * x, b + lr * t
    return w, b


@wrong("perceptron_update", "zero_is_mistake", "changed_when_unchanged")
def update_with_np_sign(w, b, x, t, lr):
    if np.sign(np.dot(w, x) + b) != t:
        w, b = w + lr * t * x, b + lr * t
    return w, b


@wrong("perceptron_update", "updates_when_correct", "changed_when_unchanged")
def update_always(w, b, x, t, lr):
    return w + lr * t * x, b + lr * t


@wrong("perceptron_update", "no_lr", "step_factor:1/lr")
def update_loop_without_lr(w, b, x, t, lr):
    if (1 if w @ x + b >= 0 else -1) == t:
        return w.copy(), b
    return np.array([w[i] + t * x[i] for i in range(len(w))]), b + t


@wrong("perceptron_update", "bias_not_updated", "unchanged_when_changed")
def update_weights_only(w, b, x, t, lr):
    if (1 if w @ x + b >= 0 else -1) != t:
        return w + lr * t * x, b
    return w.copy(), b


@wrong("perceptron_update", "in_place")
def update_in_place(w, b, x, t, lr):
    if (1.0 if w @ x + b >= 0 else -1.0) != t:
        w += lr * t * x
        b += lr * t
    return w, b


@wrong("perceptron_update", "no_t", "step_factor:-1")
def update_towards_x(w, b, x, t, lr):
    if (1.0 if w @ x + b >= 0 else -1.0) != t:
        return w + lr * x, b + lr
    return w.copy(), b


@wrong("perceptron_update", "t_flipped", "step_factor:-1")
def update_minus(w, b, x, t, lr):
    if (1.0 if w @ x + b >= 0 else -1.0) != t:
        return w - lr * t * x, b - lr * t
    return w.copy(), b


@wrong("perceptron_update", "bias_without_lr", "step_factor:1/lr")
def update_bias_plus_t(w, b, x, t, lr):
    if (1.0 if w @ x + b >= 0 else -1.0) != t:
        return w + lr * t * x, b + t
    return w.copy(), b


@wrong("perceptron_update", "swapped")
def update_b_first(w, b, x, t, lr):
    if (1.0 if w @ x + b >= 0 else -1.0) != t:
        return b + lr * t, w + lr * t * x
    return b, w.copy()


@wrong("perceptron_update", "double_step", "step_factor:2")
def update_twice(w, b, x, t, lr):
    if (1.0 if w @ x + b >= 0 else -1.0) != t:
        return w + 2 * lr * t * x, b + 2 * lr * t
    return w.copy(), b


# --- train_perceptron ------------------------------------------------------------------------

@correct("train_perceptron")
def train_perceptron(X, t, lr=1.0, max_epochs=100):
    w, b = np.zeros(X.shape[1]), 0.0
    history = []
    for _ in range(max_epochs):
        mistakes = 0
        for i in range(len(X)):
            w_new, b_new = perceptron_update(w, b, X[i], t[i], lr)
            if not (np.array_equal(w_new, w) and b_new == b):
                w, b = w_new, b_new
                history.append((i, w, b))
                mistakes += 1
        if mistakes == 0:
            break
    return w, b, history


@correct("train_perceptron")
def train_while(X, t, lr=1.0, max_epochs=100):
    n, d = X.shape
    w, b, history, epoch = np.zeros(d), 0.0, [], 0
    converged = False
    while not converged and epoch < max_epochs:
        converged = True
        for i in range(n):
            if t[i] * (1.0 if X[i] @ w + b >= 0 else -1.0) < 0:
                w = w + lr * t[i] * X[i]
                b = b + lr * t[i]
                history.append((i, w.copy(), b))
                converged = False
        epoch += 1
    return w, b, history


def _train(X, t, lr=1.0, max_epochs=100, dims=None, epochs=None, rows=None, record=None, step_lr=None,
           mistake=None, index=None):
    """The shape of a learner's loop, with one slot per place a slip goes."""
    w, b, history = np.zeros(dims or X.shape[1]), 0.0, []
    for epoch in range(epochs(max_epochs) if epochs else max_epochs):
        changed = False
        for i in range(rows(len(X)) if rows else len(X)):
            z = X[i] @ w + b
            if (mistake or (lambda z, t: (1.0 if z >= 0 else -1.0) != t))(z, t[i]):
                before = (w.copy(), b)
                w = w + (step_lr if step_lr is not None else lr) * t[i] * X[i]
                b = b + (step_lr if step_lr is not None else lr) * t[i]
                kept = record(before, (w.copy(), b)) if record else (w.copy(), b)
                history.append(((index or (lambda e, i, h: i))(epoch, i, len(history)), *kept))
                changed = True
        if not changed:
            break
    return w, b, history


@wrong("train_perceptron", "hard_coded_features")
def train_two_features(X, t, lr=1.0, max_epochs=100):
    return _train(X, t, lr, max_epochs, dims=2)


@wrong("train_perceptron", "record_before")
def train_records_old_state(X, t, lr=1.0, max_epochs=100):
    return _train(X, t, lr, max_epochs, record=lambda before, after: before)


@wrong("train_perceptron", "one_epoch")
def train_single_pass(X, t, lr=1.0, max_epochs=100):
    return _train(X, t, lr, max_epochs, epochs=lambda m: 1)


@wrong("train_perceptron", "running_index")
def train_global_index(X, t, lr=1.0, max_epochs=100):
    return _train(X, t, lr, max_epochs, index=lambda epoch, i, h: epoch * len(X) + i)


@wrong("train_perceptron", "count_index")
def train_update_number(X, t, lr=1.0, max_epochs=100):
    return _train(X, t, lr, max_epochs, index=lambda epoch, i, h: h)


@wrong("train_perceptron", "ignores_lr")
def train_unit_steps(X, t, lr=1.0, max_epochs=100):
    return _train(X, t, lr, max_epochs, step_lr=1.0)


@wrong("train_perceptron", "zero_is_mistake")
def train_margin_test(X, t, lr=1.0, max_epochs=100):
    return _train(X, t, lr, max_epochs, mistake=lambda z, t: t * z <= 0)


@wrong("train_perceptron", "index_from_one", "off_by_one")
def train_index_from_one(X, t, lr=1.0, max_epochs=100):
    return _train(X, t, lr, max_epochs, index=lambda epoch, i, h: i + 1)


@wrong("train_perceptron", "skips_last_sample")
def train_skips_last(X, t, lr=1.0, max_epochs=100):
    return _train(X, t, lr, max_epochs, rows=lambda n: n - 1)


@wrong("train_perceptron", "epochs_off_by_one")
def train_one_epoch_more(X, t, lr=1.0, max_epochs=100):
    return _train(X, t, lr, max_epochs, epochs=lambda m: m + 1)


@wrong("train_perceptron", "in_place_history")
def train_shared_array(X, t, lr=1.0, max_epochs=100):
    w, b, history = np.zeros(X.shape[1]), 0.0, []
    for _ in range(max_epochs):
        clean = True
        for i, (x, label) in enumerate(zip(X, t)):
            if label * (1 if w @ x + b >= 0 else -1) < 0:
                w += lr * label * x
                b += lr * label
                history.append((i, w, b))
                clean = False
        if clean:
            break
    return w, b, history


# --- more styles and slips, written after the diagnosis (none of them shaped to fit it) -----

@correct("predict")
def predict_as_list(w, b, X):
    return [1.0 if score >= 0 else -1.0 for score in (X @ w + b).tolist()]


@wrong("predict", "wrong_axis")
def predict_sum_over_rows(w, b, X):
    return np.where(np.sum(X * w, axis=0) + b >= 0, 1.0, -1.0)


@wrong("predict", "transposed_input")
def predict_transposed_product(w, b, X):
    return np.where(X.T @ w + b >= 0, 1.0, -1.0)


@wrong("signed_distance", "wrong_axis")
def distance_sum_over_rows(w, b, X):
    return (np.sum(X * w, axis=0) + b) / np.linalg.norm(w)


@wrong("signed_distance", "forgot_square_root")
def distance_no_sqrt(w, b, X):
    return (X @ w + b) / np.sum(w**2) ** 2


@wrong("perceptron_update", "boundary_never_a_mistake", "unchanged_when_changed")
def update_strict_product(w, b, x, t, lr):
    if t * (np.dot(w, x) + b) < 0:
        return w + lr * t * x, b + lr * t
    return w.copy(), b


@wrong("perceptron_update", "delta_rule", "step_factor:2")
def update_delta_rule(w, b, x, t, lr):
    y = 1.0 if w @ x + b >= 0 else -1.0
    return w + lr * (t - y) * x, b + lr * (t - y)


@wrong("perceptron_update", "returns_w_only", "missing_parts")
def update_returns_weights(w, b, x, t, lr):
    if (1.0 if w @ x + b >= 0 else -1.0) != t:
        return w + lr * t * x
    return w.copy()


@correct("train_perceptron")
def train_new_arrays(X, t, lr=1.0, max_epochs=100):
    w, b, history = np.zeros_like(X[0], dtype=float), 0.0, []
    for _ in range(max_epochs):
        before = len(history)
        for i, x in enumerate(X):
            if (1 if np.dot(w, x) + b >= 0 else -1) != t[i]:
                w = w + lr * t[i] * x  # a new array each time: history entries stay as they were
                b = b + lr * t[i]
                history.append((i, w, b))
        if len(history) == before:
            return w, b, history
    return w, b, history


@wrong("train_perceptron", "zeros_of_batch_size")
def train_weights_per_sample(X, t, lr=1.0, max_epochs=100):
    return _train(X, t, lr, max_epochs, dims=len(X))


@wrong("train_perceptron", "stops_at_first_correct_sample")
def train_stops_early(X, t, lr=1.0, max_epochs=100):
    w, b, history = np.zeros(X.shape[1]), 0.0, []
    for _ in range(max_epochs):
        for i in range(len(X)):
            if (1.0 if X[i] @ w + b >= 0 else -1.0) == t[i]:
                return w, b, history
            w, b = w + lr * t[i] * X[i], b + lr * t[i]
            history.append((i, w.copy(), b))
    return w, b, history


@wrong("train_perceptron", "epoch_as_index")
def train_epoch_index(X, t, lr=1.0, max_epochs=100):
    return _train(X, t, lr, max_epochs, index=lambda epoch, i, h: epoch)


@wrong("perceptron_update", "no_lr")
def update_fixed_rate(w, b, x, t, lr):
    if (1.0 if w @ x + b >= 0 else -1.0) != t:
        return w + 0.1 * t * x, b + 0.1 * t  # the notebook's example rate, hard-coded
    return w.copy(), b


@wrong("train_perceptron", "ignores_lr")
def train_fixed_rate(X, t, lr=1.0, max_epochs=100):
    return _train(X, t, lr, max_epochs, step_lr=0.1)
