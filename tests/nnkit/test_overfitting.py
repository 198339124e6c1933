"""Unit 09's experiment: the data split, the training loop with dropout, and its gradients."""

import numpy as np

from nnkit import overfitting
from nnkit.gradcheck import check_gradients
from nnkit.losses import bce_with_logits


def test_the_split_has_the_requested_sizes_and_labels_in_0_1():
    split = overfitting.noisy_moons(n_train=10, n_val=30, seed=1)
    assert split.X_train.shape == (10, 2) and split.y_val.shape == (30, 1)
    assert set(np.unique(split.y_train)) <= {0.0, 1.0}


def test_the_backward_pass_through_dropout_matches_central_differences():
    split = overfitting.noisy_moons(n_train=8, seed=2)
    params = overfitting.mlp.init_mlp([2, 5, 4, 1], 3)
    for layer in params:  # biases away from 0: no pre-activation sits on ReLU's kink
        layer["b"] += np.random.default_rng(4).uniform(0.1, 0.3, layer["b"].shape)
    masks = {width: (np.random.default_rng(width).random((8, width)) < 0.5).astype(float) for width in (5, 4)}

    def fixed_masks(H, p, rng):  # one mask per layer, the same on every call: the loss is a function
        mask = masks[H.shape[1]]
        return H * mask / (1 - p), mask

    def loss():
        z, _ = overfitting._forward_dropout(params, split.X_train, 0.5, None, fixed_masks)
        return bce_with_logits(z, split.y_train)[0]

    z, saved = overfitting._forward_dropout(params, split.X_train, 0.5, None, fixed_masks)
    grads = overfitting._backward_dropout(params, bce_with_logits(z, split.y_train)[1], saved, 0.5,
                                          overfitting.reg.dropout_backward)
    for layer, grad in zip(params, grads):
        report = check_gradients(loss, layer, grad, tol=1e-6)
        assert report.ok, str(report)


def test_l2_lowers_the_weights_and_closes_the_gap():
    split = overfitting.noisy_moons(seed=0)
    free = overfitting.train_regularized(split, (32, 32), epochs=150)
    decayed = overfitting.train_regularized(split, (32, 32), lam=0.1, epochs=150)
    norm = lambda h: sum(float(np.sum(layer["W"] ** 2)) for layer in h.params)  # noqa: E731
    assert norm(decayed) < norm(free)
    assert decayed.val_loss[-1] - decayed.train_loss[-1] < free.val_loss[-1] - free.train_loss[-1]


def test_training_is_deterministic_for_a_seed():
    split = overfitting.noisy_moons(seed=0)
    a = overfitting.train_regularized(split, (8,), p=0.3, epochs=20, seed=4)
    b = overfitting.train_regularized(split, (8,), p=0.3, epochs=20, seed=4)
    np.testing.assert_array_equal(a.val_loss, b.val_loss)
