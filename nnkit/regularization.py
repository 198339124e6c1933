"""Regularizers: the L2 penalty, inverted dropout and early stopping on a validation curve.

Conventions of unit 09: the L2 penalty is (lam / 2) * sum of the squared weights (biases are
not penalised), so its gradient is lam * W; ``p`` is the probability to DROP a unit, and the
kept units are scaled by 1 / (1 - p) during training (inverted dropout), so that evaluation
uses the layer unchanged.
"""

from __future__ import annotations

import numpy as np

from nnkit import _validate as v


def l2_penalty(params, lam: float):
    """(lam / 2) * sum over layers of ||W||^2, and its gradient.

    params: list of dicts {"W": (fan_in, fan_out), "b": (fan_out,)} (as ``nnkit.mlp.init_mlp``).
    Returns (penalty: float, grads) with grads a list of dicts {"W": lam * W, "b": zeros}.
    """
    v.check_nonnegative(lam, "lam")
    weights = [v.as_float_array(layer["W"], f"params[{i}]['W']") for i, layer in enumerate(params)]
    penalty = 0.5 * lam * sum(float(np.sum(W * W)) for W in weights)
    grads = [{"W": lam * W, "b": np.zeros_like(v.as_float_array(layer["b"], f"params[{i}]['b']"))}
             for i, (W, layer) in enumerate(zip(weights, params))]
    return penalty, grads


def _check_drop(p) -> None:
    if not 0.0 <= p < 1.0:
        raise ValueError(f"p, the probability to drop a unit, must be in [0, 1); got {p}")


def dropout_forward(A, p: float, rng, train: bool = True):
    """Inverted dropout. A: any shape; p: drop probability; rng: numpy Generator.

    Training: draws u = rng.random(A.shape) once, keeps the units where u < 1 - p, and
    returns (A * mask / (1 - p), mask) with mask the 0/1 floats of the kept units.
    Evaluation (train=False): returns (A, ones), drawing nothing.
    """
    A = v.as_float_array(A, "A")
    _check_drop(p)
    if not train:
        return A.copy(), np.ones_like(A)
    keep = 1.0 - p
    mask = (v.as_rng(rng).random(A.shape) < keep).astype(float)
    return A * mask / keep, mask


def dropout_backward(dout, mask, p: float):
    """Gradient through inverted dropout: dout * mask / (1 - p), with the forward pass's mask."""
    dout, mask = v.as_float_array(dout, "dout"), v.as_float_array(mask, "mask")
    v.check_same_shape(dout, "dout", mask, "mask")
    _check_drop(p)
    return dout * mask / (1.0 - p)


def early_stopping(val_losses, patience: int):
    """Where training stops on a validation curve, and the epoch whose weights to keep.

    val_losses: (epochs,). An epoch improves when its loss is strictly below every earlier one;
    training stops at the first epoch that is ``patience`` epochs after the last improvement
    (or at the last epoch). Returns (best_epoch, stop_epoch), 0-based ints.
    """
    losses = v.as_float_array(val_losses, "val_losses", ndim=1)
    v.check_positive_int(patience, "patience")
    if losses.size == 0:
        raise ValueError("val_losses must hold at least one epoch")
    best = 0
    for epoch in range(1, losses.size):
        if losses[epoch] < losses[best]:
            best = epoch
        elif epoch - best >= patience:
            return best, epoch
    return best, int(losses.size - 1)
