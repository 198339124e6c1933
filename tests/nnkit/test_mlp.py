"""The MLP: shapes, a hand-computed forward pass, and the whole backward pass against central
differences for several activations, output activations and losses."""

import numpy as np
import pytest

from nnkit import layers, losses
from nnkit.gradcheck import check_gradients
from nnkit.mlp import init_mlp, mlp_backward, mlp_forward
from nnkit.optim import Adam

TOL = 1e-7


def test_init_shapes_and_zero_bias():
    params = init_mlp([2, 5, 3, 1], rng=0)
    assert [p["W"].shape for p in params] == [(2, 5), (5, 3), (3, 1)]
    assert [p["b"].shape for p in params] == [(5,), (3,), (1,)]
    assert all(np.all(p["b"] == 0) for p in params)
    again = init_mlp([2, 5, 3, 1], rng=0)
    assert all(np.array_equal(a["W"], b["W"]) for a, b in zip(params, again))


def test_forward_by_hand():
    params = [{"W": np.array([[1.0, -1.0]]), "b": np.zeros(2)},
              {"W": np.array([[1.0], [1.0]]), "b": np.array([0.5])}]
    out, caches = mlp_forward(np.array([[2.0]]), params, activation="relu")
    # hidden = relu([2, -2]) = [2, 0]; out = 2 + 0 + 0.5
    np.testing.assert_allclose(out, [[2.5]])
    assert len(caches) == 2
    out, _ = mlp_forward(np.array([[2.0]]), params, activation="relu", output_activation="tanh")
    np.testing.assert_allclose(out, [[np.tanh(2.5)]])


def _flat(params):
    return {f"{k}{i + 1}": layer[k] for i, layer in enumerate(params) for k in ("W", "b")}


CASES = [  # (hidden activation, output activation, loss, output width, init)
    ("tanh", None, "mse", 2, "xavier_normal"),
    ("sigmoid", "sigmoid", "bce", 1, "xavier_uniform"),
    ("gelu", None, "bce_with_logits", 1, "he_normal"),
    ("silu", None, "softmax_cross_entropy", 3, "he_uniform"),
    ("elu", "tanh", "huber", 2, "lecun_normal"),
    ("relu", None, "softmax_cross_entropy", 3, "he_normal"),
    ("leaky_relu", "sigmoid", "mse", 1, "he_normal"),
    ("gelu_tanh", None, "mse", 1, "he_normal"),
]


def _targets(loss, rng, batch, k):
    if loss == "softmax_cross_entropy":
        return rng.integers(0, k, batch)
    if loss in ("bce", "bce_with_logits"):
        return rng.uniform(0, 1, (batch, k))
    return rng.standard_normal((batch, k))


@pytest.mark.parametrize("activation, output_activation, loss_name, k, init", CASES)
def test_whole_mlp_backward_matches_central_differences(activation, output_activation, loss_name,
                                                        k, init):
    rng = np.random.default_rng(7)
    X = rng.standard_normal((6, 3))
    y = _targets(loss_name, rng, 6, k)
    loss_fn = getattr(losses, loss_name)
    params = init_mlp([3, 5, 4, k], rng, init=init)
    for layer in params:
        layer["b"] += 0.1 * rng.standard_normal(layer["b"].shape)  # nonzero biases get tested too

    def loss():
        return loss_fn(mlp_forward(X, params, activation, output_activation)[0], y)[0]

    out, caches = mlp_forward(X, params, activation, output_activation)
    grads = mlp_backward(loss_fn(out, y)[1], caches)
    assert [set(g) for g in grads] == [{"W", "b"}] * 3
    assert all(g[key].shape == p[key].shape for g, p in zip(grads, params) for key in ("W", "b"))
    report = check_gradients(loss, _flat(params), _flat(grads))
    assert report.kinks == []  # seeds chosen away from kinks; a crossed kink would be reported
    assert report.ok and report.worst.rel_error <= TOL, str(report)


def test_a_wrong_layer_gradient_is_named():
    rng = np.random.default_rng(3)
    X, y = rng.standard_normal((4, 2)), rng.standard_normal((4, 1))
    params = init_mlp([2, 3, 1], rng, init="xavier_normal")
    out, caches = mlp_forward(X, params, "tanh")
    grads = mlp_backward(losses.mse(out, y)[1], caches)
    grads[0]["W"] = grads[0]["W"] * 1.01
    report = check_gradients(lambda: losses.mse(mlp_forward(X, params, "tanh")[0], y)[0],
                             _flat(params), _flat(grads))
    assert not report.ok and report.worst.name == "W1"


def test_layer_functions_passed_in_are_the_ones_used():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((3, 2))
    params = init_mlp([2, 3, 2], rng, init="he_normal")
    out, caches = mlp_forward(X, params, "relu")
    dout = rng.standard_normal(out.shape)
    calls = []

    def dense(dZ, cache):
        calls.append("dense")
        return layers.dense_backward(dZ, cache)

    def relu(dA, cache):
        calls.append("relu")
        return 2.0 * layers.relu_backward(dA, cache)   # a visibly different ReLU backward

    grads = mlp_backward(dout, caches, dense_backward=dense, relu_backward=relu)
    assert calls == ["dense", "relu", "dense"]
    plain = mlp_backward(dout, caches)
    np.testing.assert_allclose(grads[1]["W"], plain[1]["W"])
    np.testing.assert_allclose(grads[0]["W"], 2.0 * plain[0]["W"])


def test_learns_xor_with_its_own_backward_pass():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    params = init_mlp([2, 8, 1], rng=1, init="xavier_normal")
    opt = Adam(lr=0.05)
    for _ in range(400):
        out, caches = mlp_forward(X, params, "tanh")
        opt.step(params, mlp_backward(losses.bce_with_logits(out, y)[1], caches))
    out, _ = mlp_forward(X, params, "tanh")
    np.testing.assert_array_equal(out > 0, y > 0.5)


@pytest.mark.parametrize("call, exc, match", [
    (lambda: init_mlp([3], 0), ValueError, "at least two"),
    (lambda: init_mlp([3, 0, 1], 0), ValueError, r"sizes\[1\] must be a positive integer"),
    (lambda: init_mlp([3, 2.5, 1], 0), ValueError, r"sizes\[1\]"),
    (lambda: init_mlp([3, 1], 0, init="glorot"), ValueError, "xavier_normal"),
    (lambda: init_mlp([3, 1], rng=np.random), TypeError, "rng"),
    (lambda: mlp_forward(np.zeros((2, 3)), {"W": 1}), TypeError, "list of layer dicts"),
    (lambda: mlp_forward(np.zeros((2, 3)), [{"W": np.zeros((3, 1))}]), ValueError, "'W' and 'b'"),
    (lambda: mlp_forward(np.zeros((2, 4)), init_mlp([3, 1], 0)), ValueError, "X has 4 columns"),
    (lambda: mlp_forward(np.zeros((2, 3)), init_mlp([3, 2, 1], 0), activation="step"),
     ValueError, "relu"),
])
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
