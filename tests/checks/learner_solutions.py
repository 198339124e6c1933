"""Correct solutions written the way a learner would (numpy only, no nnkit), one per exercise.

They must pass every checker in hidden mode, where calling nnkit's references is refused.
"""

import numpy as np


def predict(w, b, X):
    scores = X @ w + b
    return np.where(scores >= 0, 1.0, -1.0)


def signed_distance(w, b, X):
    return (X @ w + b) / np.sqrt(np.sum(w * w))


def perceptron_update(w, b, x, t, lr):
    prediction = 1.0 if np.dot(w, x) + b >= 0 else -1.0
    if prediction == t:
        return w.copy(), b
    return w + lr * t * x, b + lr * t


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


def xor_dataset():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    t = np.array([-1, 1, 1, -1], dtype=float)
    return X, t


def collapse_linear(W1, b1, W2, b2):
    return np.dot(W1, W2), np.dot(b1, W2) + b2


def xor_features(X):
    return np.hstack([X, X[:, :1] * X[:, 1:]])


def xor_network():
    W1 = np.array([[2.0, -2.0], [2.0, -2.0]])  # OR and NAND, scaled
    b1 = np.array([-1.0, 3.0])
    W2 = np.array([[1.0], [1.0]])  # AND
    b2 = np.array([-2.0])
    return W1, b1, W2, b2


def find_cycle(history):
    seen = []
    for j, (_, w, b) in enumerate(history):
        for i, (w_old, b_old) in enumerate(seen):
            if np.array_equal(w, w_old) and b == b_old:
                return i, j - i
        seen.append((w, b))
    return None


SOLUTIONS = {name: value for name, value in globals().items() if callable(value) and not name.startswith("_")}
