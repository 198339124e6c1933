"""Normalization layers: BatchNorm (forward with running statistics, backward), LayerNorm, RMSNorm.

Batches are rows, X: (batch, features). BatchNorm normalises each feature over the batch
(axis 0), LayerNorm and RMSNorm each row over its features (axis 1). Variances are the
biased ones (divide by n), and eps goes inside the square root.
"""

from __future__ import annotations

import numpy as np

from nnkit import _validate as v


def _features(X, gamma, beta=None):
    X = v.as_float_array(X, "X", ndim=2)
    gamma = v.as_float_array(gamma, "gamma", ndim=1)
    v.check_shape(gamma, "gamma", (X.shape[1],), "one scale per feature")
    if beta is not None:
        beta = v.as_float_array(beta, "beta", ndim=1)
        v.check_shape(beta, "beta", (X.shape[1],), "one shift per feature")
    return X, gamma, beta


def batchnorm_forward(X, gamma, beta, running_mean, running_var, train: bool = True,
                      momentum: float = 0.1, eps: float = 1e-5):
    """BatchNorm. X: (batch, features); gamma, beta, running_mean, running_var: (features,).

    Training: normalise with the batch's mean and (biased) variance and move the running
    statistics towards them, new = (1 - momentum) * old + momentum * batch.
    Evaluation: normalise with the running statistics, which stay as they are.
    Returns (Y: (batch, features), new running_mean, new running_var).
    """
    X, gamma, beta = _features(X, gamma, beta)
    running_mean = v.as_float_array(running_mean, "running_mean", ndim=1)
    running_var = v.as_float_array(running_var, "running_var", ndim=1)
    if train:
        mean, var = X.mean(axis=0), X.var(axis=0)
        running_mean = (1.0 - momentum) * running_mean + momentum * mean
        running_var = (1.0 - momentum) * running_var + momentum * var
    else:
        mean, var = running_mean, running_var
    Y = gamma * (X - mean) / np.sqrt(var + eps) + beta
    return Y, running_mean.copy(), running_var.copy()


def batchnorm_backward(dY, X, gamma, eps: float = 1e-5):
    """Gradients of training-mode BatchNorm. dY, X: (batch, features); gamma: (features,).

    With x_hat = (X - mean) / sqrt(var + eps):
    dX = gamma / sqrt(var + eps) * (dY - mean(dY) - x_hat * mean(dY * x_hat)) (means over the batch),
    dgamma = sum(dY * x_hat), dbeta = sum(dY). Returns (dX, dgamma, dbeta).
    """
    X, gamma, _ = _features(X, gamma)
    dY = v.as_float_array(dY, "dY", ndim=2)
    v.check_same_shape(dY, "dY", X, "X")
    inv_std = 1.0 / np.sqrt(X.var(axis=0) + eps)
    x_hat = (X - X.mean(axis=0)) * inv_std
    dX = gamma * inv_std * (dY - dY.mean(axis=0) - x_hat * (dY * x_hat).mean(axis=0))
    return dX, np.sum(dY * x_hat, axis=0), np.sum(dY, axis=0)


def layernorm_forward(X, gamma, beta, eps: float = 1e-5):
    """LayerNorm: each row normalised over its features. X: (batch, features) -> (batch, features)."""
    X, gamma, beta = _features(X, gamma, beta)
    mean, var = X.mean(axis=1, keepdims=True), X.var(axis=1, keepdims=True)
    return gamma * (X - mean) / np.sqrt(var + eps) + beta


def rmsnorm_forward(X, gamma, eps: float = 1e-6):
    """RMSNorm: each row divided by its root mean square, no mean removed. X: (batch, features)."""
    X, gamma, _ = _features(X, gamma)
    return gamma * X / np.sqrt(np.mean(X * X, axis=1, keepdims=True) + eps)
