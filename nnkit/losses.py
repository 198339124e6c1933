"""Loss functions: each returns ``(loss, grad)`` with ``grad`` the gradient w.r.t. its first argument.

Reduction: MSE averages over every element; the others sum over a sample's outputs and average
over the batch (axis 0), so ``grad`` carries a factor ``1 / batch``. A 1-D input is a batch of
scalars. Everything is float64 and stable for large inputs (logits form, log-sum-exp).
"""

from __future__ import annotations

import numpy as np

from nnkit import _validate as v
from nnkit.activations import sigmoid

#: Probabilities are clipped to ``[EPS, 1 - EPS]`` in :func:`bce` so that a saturated
#: prediction gives a large finite loss instead of ``inf``.
EPS = 1e-12


def _pair(pred, target, pred_name: str, target_name: str) -> tuple[np.ndarray, np.ndarray]:
    """Validate a prediction and its target: same shape, at least 1-D, float64."""
    pred = v.as_float_array(pred, pred_name)
    target = v.as_float_array(target, target_name)
    if pred.ndim == 0:
        raise ValueError(f"{pred_name} must be at least 1-D (a batch); got a scalar")
    v.check_same_shape(pred, pred_name, target, target_name)
    return pred, target


def mse(y_pred, y):
    """Mean squared error over all elements.

    y_pred, y: same shape (batch, ...). Returns (mean((y_pred - y)**2), 2 (y_pred - y) / size).
    """
    y_pred, y = _pair(y_pred, y, "y_pred", "y")
    r = y_pred - y
    return float(np.mean(r**2)), 2.0 * r / r.size


def bce(p, y):
    """Binary cross-entropy of probabilities ``p`` against targets ``y`` in [0, 1].

    p, y: same shape (batch, ...). Loss -[y log p + (1-y) log(1-p)], summed per sample, mean over
    the batch. ``p`` is clipped to [EPS, 1-EPS]; prefer :func:`bce_with_logits` when you have logits.
    """
    p, y = _pair(p, y, "p", "y")
    v.check_in_range(p, "p", 0.0, 1.0)
    v.check_in_range(y, "y", 0.0, 1.0)
    p = np.clip(p, EPS, 1.0 - EPS)
    batch = p.shape[0]
    loss = -np.sum(y * np.log(p) + (1.0 - y) * np.log1p(-p)) / batch
    return float(loss), (p - y) / (p * (1.0 - p)) / batch


def bce_with_logits(z, y):
    """Binary cross-entropy of ``sigmoid(z)`` against ``y`` in [0, 1], computed from the logits.

    z, y: same shape (batch, ...). Uses max(z, 0) - z y + log(1 + exp(-|z|)), which never
    overflows; gradient (sigmoid(z) - y) / batch.
    """
    z, y = _pair(z, y, "z", "y")
    v.check_in_range(y, "y", 0.0, 1.0)
    batch = z.shape[0]
    loss = np.sum(np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))) / batch
    return float(loss), (sigmoid(z) - y) / batch


def log_softmax(logits) -> np.ndarray:
    """Row-wise log-softmax of ``logits: (batch, classes)`` via the log-sum-exp trick."""
    logits = v.as_float_array(logits, "logits", ndim=2)
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))


def softmax_cross_entropy(logits, y):
    """Cross-entropy of softmax(logits) against integer labels.

    logits: (batch, classes); y: (batch,) integers in 0..classes-1.
    Loss mean_i -log softmax(logits_i)[y_i]; gradient (softmax(logits) - onehot(y)) / batch.
    """
    logp = log_softmax(logits)
    labels = v.as_class_labels(y, "y", logp.shape[1])
    v.check_same_length(logp, "logits", labels, "y")
    batch = logp.shape[0]
    rows = np.arange(batch)
    grad = np.exp(logp)
    grad[rows, labels] -= 1.0
    return float(-np.sum(logp[rows, labels]) / batch), grad / batch


def huber(y_pred, y, delta: float = 1.0):
    """Huber loss: r**2 / 2 for |r| <= delta, delta (|r| - delta / 2) beyond, with r = y_pred - y.

    y_pred, y: same shape (batch, ...). Summed per sample, mean over the batch;
    gradient clip(r, -delta, delta) / batch.
    """
    v.check_positive(delta, "delta")
    y_pred, y = _pair(y_pred, y, "y_pred", "y")
    r = y_pred - y
    a = np.abs(r)
    batch = r.shape[0]
    per_element = np.where(a <= delta, 0.5 * r**2, delta * (a - 0.5 * delta))
    return float(np.sum(per_element) / batch), np.clip(r, -delta, delta) / batch
