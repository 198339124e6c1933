"""nnkit.deepnet: its gradients against central differences, and what training with clipping does."""

import numpy as np
import pytest

from nnkit import deepnet
from nnkit.gradcheck import check_gradients


@pytest.mark.parametrize("residual", [False, True], ids=["plain", "residual"])
def test_loss_and_grads_match_central_differences(residual):
    X, T = deepnet.task(3, 5, rng=2)
    params = deepnet.draw(4, 3, 1.2, rng=3)
    for layer in params:
        layer["b"] += 0.05  # keep the ReLUs off their kink
    loss, grads, signal = deepnet.loss_and_grads(params, X, T, residual)
    flat = {f"{k}{l}": layer[k] for l, layer in enumerate(params) for k in ("W", "b")}
    analytic = {f"{k}{l}": g[k] for l, g in enumerate(grads) for k in ("W", "b")}
    report = check_gradients(lambda: deepnet.loss_and_grads(params, X, T, residual)[0], flat, analytic)
    assert report.ok, str(report)
    assert signal.shape == (4,) and np.all(signal >= 0) and loss > 0


def test_the_target_is_near_the_identity():
    X, T = deepnet.task(8, 32, rng=0)
    assert 0 < np.abs(T - X).max() <= 0.5


def test_clipping_bounds_every_step_and_an_unclipped_explosion_ends_in_inf():
    X, T = deepnet.task(8, 32, rng=0)
    params = deepnet.draw(50, 8, 0.3, rng=1)
    wild = deepnet.train(params, X, T, True, steps=12, lr=0.5)
    tamed = deepnet.train(params, X, T, True, steps=12, lr=0.5, max_norm=1.0)
    assert wild["loss"][-1] == np.inf and wild["loss"].size < 13
    assert tamed["loss"].size == 13 and np.isfinite(tamed["loss"]).all() and tamed["loss"][-1] < tamed["loss"][0]
    np.testing.assert_array_equal(params[0]["W"], deepnet.draw(50, 8, 0.3, rng=1)[0]["W"])  # copies trained


def test_training_uses_the_given_residual_block():
    X, T = deepnet.task(4, 6, rng=0)
    calls = []

    def forward(X_, W, b):
        calls.append("f")
        return X_ + np.maximum(X_ @ W + b, 0.0)

    deepnet.train(deepnet.draw(3, 4, 0.1, rng=0), X, T, True, steps=2, lr=0.1, forward=forward)
    assert len(calls) == 3 * 3  # three layers, two steps and the final loss
