"""Unit 09's experiment: a small ReLU network on a small noisy 2-D set, with L2 and dropout.

``noisy_moons`` draws the train and validation sets; ``train_regularized`` trains full-batch
with Adam and records both curves. The regularizers are arguments, so that a learner's
``l2_penalty``, ``dropout_forward`` and ``dropout_backward`` can drive the training.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnkit import data, losses, mlp, optim
from nnkit import regularization as reg


@dataclass(frozen=True)
class Split:
    """Train and validation points, X: (n, 2), y: (n, 1) labels in {0, 1}."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray


@dataclass(frozen=True)
class History:
    """One training run: the final params and, per epoch, the losses (data term only) and accuracies."""

    params: list
    train_loss: np.ndarray
    val_loss: np.ndarray
    train_acc: np.ndarray
    val_acc: np.ndarray


def noisy_moons(n_train: int = 40, n_val: int = 400, noise: float = 0.3, seed: int = 0) -> Split:
    """Two moons with N(0, noise^2) noise: few training points, many validation points."""
    X, t = data.moons(n_train + n_val, noise, np.random.default_rng(seed))
    y = (t > 0).astype(float)[:, None]
    return Split(X[:n_train], y[:n_train], X[n_train:], y[n_train:])


def logits(params, X) -> np.ndarray:
    """The network's output without dropout (evaluation mode). X: (n, 2) -> (n, 1)."""
    A = X
    for layer in params[:-1]:
        A = np.maximum(A @ layer["W"] + layer["b"], 0.0)
    return A @ params[-1]["W"] + params[-1]["b"]


def _forward_dropout(params, X, p, rng, dropout_forward):
    """Forward pass with dropout after every hidden ReLU; returns the logits and, per hidden layer,
    (its input, Z, the dropout mask or None, its output)."""
    A, saved = X, []
    for layer in params[:-1]:
        Z = A @ layer["W"] + layer["b"]
        H = np.maximum(Z, 0.0)
        out, mask = dropout_forward(H, p, rng) if p > 0 else (H, None)
        saved.append((A, Z, mask, out))
        A = out
    return A @ params[-1]["W"] + params[-1]["b"], saved


def _backward_dropout(params, dlogits, saved, p, dropout_backward):
    """Gradients of the data loss, layer by layer, through dropout's masks."""
    grads = [None] * len(params)
    grads[-1] = {"W": saved[-1][3].T @ dlogits, "b": dlogits.sum(axis=0)}
    dA = dlogits @ params[-1]["W"].T
    for i in reversed(range(len(saved))):
        A_in, Z, mask, _ = saved[i]
        dH = dropout_backward(dA, mask, p) if mask is not None else dA
        dZ = dH * (Z > 0)
        grads[i] = {"W": A_in.T @ dZ, "b": dZ.sum(axis=0)}
        dA = dZ @ params[i]["W"].T
    return grads


def _accuracy(z, y) -> float:
    return float(np.mean((z > 0) == (y > 0.5)))


def train_regularized(split: Split, hidden=(32, 32), lam: float = 0.0, p: float = 0.0, epochs: int = 200,
                      lr: float = 0.005, seed: int = 0, l2_penalty=reg.l2_penalty,
                      dropout_forward=reg.dropout_forward, dropout_backward=reg.dropout_backward) -> History:
    """Full-batch Adam on the binary cross-entropy plus the L2 penalty, dropout rate ``p`` on the hidden layers."""
    rng = np.random.default_rng(seed)
    params = mlp.init_mlp([2, *hidden, 1], rng)
    adam = optim.Adam(lr)
    curves = np.zeros((4, epochs))
    for epoch in range(epochs):
        z, saved = _forward_dropout(params, split.X_train, p, rng, dropout_forward)
        _, dz = losses.bce_with_logits(z, split.y_train)
        grads = _backward_dropout(params, dz, saved, p, dropout_backward)
        if lam > 0:
            _, penalty_grads = l2_penalty(params, lam)
            grads = [{k: g[k] + pg[k] for k in g} for g, pg in zip(grads, penalty_grads)]
        z_train = z if p == 0 else logits(params, split.X_train)  # without dropout the step's forward pass is it
        z_val = logits(params, split.X_val)
        curves[:, epoch] = (losses.bce_with_logits(z_train, split.y_train)[0],
                            losses.bce_with_logits(z_val, split.y_val)[0],
                            _accuracy(z_train, split.y_train), _accuracy(z_val, split.y_val))
        adam.step(params, grads)
    return History(params, *curves)
