"""The training loop: shuffled mini-batches and mini-batch Adam on binary cross-entropy.

``train`` takes its building blocks as arguments (``minibatches``, ``adam_step``,
``bce_with_logits``), so that other implementations of them, such as a learner's, drop in;
the forward and backward passes are ``nnkit.mlp``'s.
"""

from __future__ import annotations

import numpy as np

from nnkit import _validate as v
from nnkit.losses import bce_with_logits as _bce_with_logits
from nnkit.mlp import init_mlp, mlp_backward, mlp_forward
from nnkit.optim import adam_update


def minibatches(X, y, batch_size: int, rng) -> list[tuple[np.ndarray, np.ndarray]]:
    """One epoch's mini-batches: rows shuffled by ``rng.permutation(len(X))``, then cut in order.

    X: (n, ...), y: (n, ...); the same permutation reorders both. The last batch holds the
    n % batch_size rows left over, when there are any. Returns [(X_batch, y_batch), ...].
    """
    X, y = np.asarray(X), np.asarray(y)
    v.check_same_length(X, "X", y, "y")
    v.check_positive_int(batch_size, "batch_size")
    order = v.as_rng(rng).permutation(len(X))
    return [(X[order[i:i + batch_size]], y[order[i:i + batch_size]]) for i in range(0, len(X), batch_size)]


def train(X, y, sizes, lr: float, epochs: int, batch_size: int, seed,
          minibatches=minibatches, adam_step=adam_update, bce_with_logits=_bce_with_logits):
    """Mini-batch Adam on a ReLU network ``sizes`` (He init) with binary cross-entropy from the logits.

    X: (n, sizes[0]); y: (n, 1) in {0, 1}; sizes[-1] == 1. One Generator, ``default_rng(seed)``,
    first draws the weights (``init_mlp``), then shuffles every epoch (``minibatches``). Each
    parameter array has its own Adam state {"m", "s", "t": 0}. Returns (params, losses), where
    losses[e] is epoch e's mean loss per sample (batch losses weighted by their sizes).
    """
    v.check_positive_int(epochs, "epochs")
    rng = np.random.default_rng(seed)
    params = init_mlp(sizes, rng, "he_normal")
    states = [{k: {"m": np.zeros_like(a), "s": np.zeros_like(a), "t": 0} for k, a in layer.items()}
              for layer in params]
    losses = []
    for _ in range(epochs):
        total = 0.0
        for X_batch, y_batch in minibatches(X, y, batch_size, rng):
            logits, caches = mlp_forward(X_batch, params, "relu")
            loss, dlogits = bce_with_logits(logits, y_batch)
            grads = mlp_backward(dlogits, caches)
            for layer, grad, state in zip(params, grads, states):
                for k in layer:
                    layer[k], state[k] = adam_step(layer[k], grad[k], state[k], lr)
            total += loss * len(X_batch)
        losses.append(total / len(X))
    return params, losses
