"""Unit 04 (backpropagation) exercise specs: cases, known mistakes and their hints."""

from __future__ import annotations

import numpy as np

from nnkit.checks._guard import private_copy, references
from nnkit.checks.core import Case, Dimension, Exercise, Mutant, seeded_cases

# private copies of the references: expected values no learner can monkeypatch
graph_ref = private_copy("nnkit.graph")
layers_ref = private_copy("nnkit.layers")
losses_ref = private_copy("nnkit.losses")
mlp_ref = private_copy("nnkit.mlp")


# --- 1. the scalar graph f = (x·y + max(y, z)) · w -----------------------------------------------

def _graph_case(x, y, z, w, label=None):
    return Case(label or f"x, y, z, w = {x:g}, {y:g}, {z:g}, {w:g}", (float(x), float(y), float(z), float(w)))


def _fixed_graphs():
    return [
        _graph_case(3, 2, -1, 2, "y > z: the max passes its gradient to y"),
        _graph_case(1, -2, 4, 3, "z > y: the max passes its gradient to z"),
        _graph_case(2, 3, 3, -1, "a tie y = z: the gradient goes to y"),
        _graph_case(0, 5, 1, 2, "x = 0"),
        _graph_case(-1.5, 0.5, 2.5, 0.5),
    ]


def _random_graph(rng):
    x, y, z, w = np.round(rng.normal(scale=2.0, size=4), 2)
    return _graph_case(x, y, z, w)


def _graph_mistake(dx=None, dy=None, dz=None, dw=None):
    """The reference with some gradients computed by the given ``(x, y, z, w) -> value`` rules."""
    def mistake(x, y, z, w):
        right = graph_ref.scalar_graph_backward(x, y, z, w)
        rules = (dx, dy, dz, dw)
        return (right[0], *(right[k + 1] if rule is None else float(rule(x, y, z, w))
                            for k, rule in enumerate(rules)))
    return mistake


def _max_winner(y, z):
    return "tie" if y == z else ("y" if y > z else "z")


def _y_wins(y, z):
    return 1.0 if y >= z else 0.0


scalar_graph_backward = Exercise(
    name="scalar_graph_backward",
    section="1. Computational graphs and the chain rule",
    **references("nnkit.graph", "scalar_graph_backward"),
    **seeded_cases(_fixed_graphs, _random_graph, n_visible=3, n_hidden=30),
    outputs=("f", "dx", "dy", "dz", "dw"),
    varies=(Dimension("the input the max picks", lambda case: _max_winner(*case.args[1:3]), ("y", "tie", "z")),),
    mutants=(
        Mutant("fork_only_mul", _graph_mistake(dy=lambda x, y, z, w: w * x),
               "your df/dy misses the path through the max gate: y feeds two gates, so its gradient "
               "is the sum of both contributions, w·x + w·[y ≥ z]"),
        Mutant("fork_only_max", _graph_mistake(dy=lambda x, y, z, w: w if y >= z else w * x),
               "your df/dy misses the path through the multiply gate (did the second contribution "
               "overwrite the first? use +=): df/dy = w·x + w·[y ≥ z]"),
        Mutant("max_to_both", _graph_mistake(dy=lambda x, y, z, w: w * x + w, dz=lambda x, y, z, w: w),
               "your max gate passes the gradient to both inputs: it routes it to the larger input "
               "only (y on a tie); the other gets 0"),
        Mutant("max_to_smaller", _graph_mistake(dy=lambda x, y, z, w: w * x + w * (1 - _y_wins(y, z)),
                                                dz=lambda x, y, z, w: w * _y_wins(y, z)),
               "your max gate sends the gradient to the smaller input: it goes to the input that won the max"),
        Mutant("tie_to_z", _graph_mistake(dy=lambda x, y, z, w: w * x + w * (y > z),
                                          dz=lambda x, y, z, w: w * (z >= y)),
               "on a tie y = z your max gate sends the gradient to z: the exercise sends it to y (y >= z)"),
        Mutant("mul_own_input", _graph_mistake(dx=lambda x, y, z, w: w * x,
                                               dy=lambda x, y, z, w: w * y + w * _y_wins(y, z)),
               "your multiply gate gives each input its own value: d(x·y)/dx is the OTHER input, y"),
        Mutant("no_upstream", _graph_mistake(dx=lambda x, y, z, w: y, dy=lambda x, y, z, w: x + _y_wins(y, z),
                                             dz=lambda x, y, z, w: 1 - _y_wins(y, z)),
               "your dx, dy, dz are the local gradients only: multiply each by the gradient arriving "
               "from above, df/ds = w (chain rule)"),
        Mutant("dw_without_max", _graph_mistake(dw=lambda x, y, z, w: x * y),
               "your df/dw is x·y: it is the whole other input of the last multiply, s = x·y + max(y, z)"),
    ),
)


# --- 2. the dense layer --------------------------------------------------------------------------

def _dense_case(rng, batch, fan_in, fan_out, label=None):
    X, W, dZ = rng.normal(size=(batch, fan_in)), rng.normal(size=(fan_in, fan_out)), rng.normal(size=(batch, fan_out))
    return Case(label or f"batch {batch}, {fan_in} -> {fan_out}", (dZ, (X, W)))


def _fixed_dense():
    rng = np.random.default_rng(41)
    X = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]])
    W = np.array([[1.0, -1.0], [2.0, 0.5]])
    dZ = np.array([[1.0, 0.0], [-1.0, 2.0], [0.5, 1.0]])
    return [
        Case("batch 3, a square layer 2 -> 2", (dZ, (X, W))),
        _dense_case(rng, 4, 3, 2, "batch 4, 3 -> 2"),
        _dense_case(rng, 1, 1, 1, "one sample, one input, one output"),
        _dense_case(rng, 5, 4, 4, "batch 5, 4 -> 4"),
        _dense_case(rng, 2, 1, 3, "batch 2, 1 -> 3"),
    ]


def _random_dense(rng):
    return _dense_case(rng, *(int(n) for n in rng.integers(1, [6, 5, 5])))


def _dense_mistake(dX=None, dW=None, db=None):
    """The reference with some of ``dX, dW, db`` computed by the given ``(dZ, X, W) -> array`` rules."""
    def mistake(dZ, cache):
        right = layers_ref.dense_backward(dZ, cache)
        return tuple(r if rule is None else rule(dZ, *cache) for r, rule in zip(right, (dX, dW, db)))
    return mistake


dense_backward = Exercise(
    name="dense_backward",
    section="2. The dense layer, backwards",
    **references("nnkit.layers", "dense_backward"),
    **seeded_cases(_fixed_dense, _random_dense, n_visible=3, n_hidden=30),
    outputs=("dX", "dW", "db"),
    varies=(Dimension("batch size", lambda case: case.args[0].shape[0], tuple(range(1, 6))),
            Dimension("fan_in", lambda case: case.args[1][1].shape[0], tuple(range(1, 5))),
            Dimension("fan_out", lambda case: case.args[1][1].shape[1], tuple(range(1, 5)))),
    mutants=(
        Mutant("dX_no_transpose", _dense_mistake(dX=lambda dZ, X, W: dZ @ W),
               "your dX is dZ @ W: the transpose is missing, dX = dZ @ W.T (shape (batch, fan_in))"),
        Mutant("dW_transposed", _dense_mistake(dW=lambda dZ, X, W: dZ.T @ X),
               "your dW is dZ.T @ X, shape (fan_out, fan_in): dW = X.T @ dZ has the shape of W"),
        Mutant("db_mean", _dense_mistake(db=lambda dZ, X, W: dZ.mean(axis=0)),
               "your db is the mean of dZ over the batch: b is added to every row, so its gradient is "
               "the SUM over the rows, dZ.sum(axis=0) (the 1/batch is already inside dZ)"),
        Mutant("db_wrong_axis", _dense_mistake(db=lambda dZ, X, W: dZ.sum(axis=1)),
               "your db sums over axis 1 (one value per sample): sum over the batch, axis=0, "
               "one value per output unit"),
        Mutant("db_total", _dense_mistake(db=lambda dZ, X, W: dZ.sum()),
               "your db is one number, the sum of all of dZ: keep one value per output unit, dZ.sum(axis=0)"),
        Mutant("dW_mean", _dense_mistake(dW=lambda dZ, X, W: X.T @ dZ / len(dZ)),
               "you divided dW by the batch size: X.T @ dZ already sums over the batch, and the 1/batch "
               "of the mean loss is already inside dZ"),
    ),
)


# --- 3. ReLU -------------------------------------------------------------------------------------

def _relu_case(Z, dA, label):
    return Case(label, (dA, layers_ref.activation_forward(Z, "relu")[1]))


def _fixed_relu():
    rng = np.random.default_rng(43)
    return [
        _relu_case(np.array([[1.0, -2.0, 0.0], [-0.5, 3.0, 0.0]]), np.array([[2.0, 1.0, -1.0], [4.0, -3.0, 5.0]]),
                   "Z with exact zeros (the kink: ReLU'(0) = 0)"),
        _relu_case(np.array([[0.5, -1.0]]), np.array([[-2.0, 3.0]]), "one sample, negative upstream gradient"),
        _relu_case(rng.normal(size=(5, 4)), rng.normal(size=(5, 4)), "batch 5, 4 units"),
        _relu_case(np.array([[-1.0], [-2.0], [0.0]]), np.array([[1.0], [2.0], [3.0]]), "every unit off"),
    ]


def _random_relu(rng):
    shape = tuple(int(n) for n in rng.integers(1, [6, 5]))
    Z = np.round(rng.normal(size=shape), 1)  # rounding puts some entries exactly at 0
    return _relu_case(Z, rng.normal(size=shape), f"batch {shape[0]}, {shape[1]} units")


def _relu_mistake(rule):
    def mistake(dA, cache):
        return rule(np.asarray(dA, float), cache[0])
    return mistake


relu_backward = Exercise(
    name="relu_backward",
    section="3. Activations, backwards",
    **references("nnkit.layers", "relu_backward"),
    **seeded_cases(_fixed_relu, _random_relu, n_visible=3, n_hidden=30),
    outputs=("dZ",),
    varies=(Dimension("batch size", lambda case: case.args[0].shape[0], tuple(range(1, 6))),
            Dimension("an entry of Z at 0", lambda case: bool((case.args[1][0] == 0).any()), (False, True))),
    mutants=(
        Mutant("kink_one", _relu_mistake(lambda dA, Z: dA * (Z >= 0)),
               "you let the gradient through where Z = 0 (Z >= 0): use Z > 0, since ReLU'(0) is taken as 0 here"),
        Mutant("relu_of_dA", _relu_mistake(lambda dA, Z: np.maximum(dA, 0.0)),
               "you applied ReLU to the upstream gradient dA: the mask comes from the forward input Z, "
               "dZ = dA * (Z > 0), and negative gradients pass where Z > 0",
               variants=(_relu_mistake(lambda dA, Z: dA * (dA > 0)),)),
        Mutant("mask_only", _relu_mistake(lambda dA, Z: (Z > 0).astype(float)),
               "you returned the mask ReLU'(Z) alone: multiply it by the upstream gradient, dZ = dA * (Z > 0)"),
        Mutant("times_Z", _relu_mistake(lambda dA, Z: dA * np.maximum(Z, 0.0)),
               "you multiplied dA by ReLU(Z), the forward value: the derivative of ReLU is 0 or 1, "
               "dZ = dA * (Z > 0)",
               variants=(_relu_mistake(lambda dA, Z: dA * Z),)),
    ),
)


# --- 4. softmax cross-entropy --------------------------------------------------------------------

def _softmax_case(logits, y, label):
    return Case(label, (np.asarray(logits, float), np.asarray(y, dtype=np.int64)))


def _fixed_softmax():
    rng = np.random.default_rng(44)
    return [
        _softmax_case([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]], [0, 2], "batch 2, 3 classes"),
        _softmax_case([[1000.0, 999.0, 998.0], [-1000.0, 0.0, 1000.0]], [1, 0],
                      "logits of size 1000 (exp overflows without the max subtracted)"),
        _softmax_case([[0.0, 0.0]], [1], "one sample, equal logits"),
        _softmax_case(rng.normal(size=(5, 5)), rng.integers(0, 5, 5), "batch 5, 5 classes"),
        _softmax_case([[3.0, -1.0], [0.0, 2.0], [1.0, 1.0], [-2.0, 0.5]], [0, 0, 1, 1], "batch 4, 2 classes"),
    ]


def _random_softmax(rng):
    batch, classes = int(rng.integers(1, 6)), int(rng.integers(2, 6))
    scale = 800.0 if rng.random() < 0.2 else 2.0
    return _softmax_case(rng.normal(scale=scale, size=(batch, classes)), rng.integers(0, classes, batch),
                         f"batch {batch}, {classes} classes" + (", large logits" if scale > 100 else ""))


def _onehot(y, classes):
    return np.eye(classes)[y]


def _naive_probs(logits):
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


def _softmax_mistake(summed_loss=False, grad=None):
    """The reference with the loss summed over the batch, or the gradient from ``grad(P, Y, batch)``."""
    def mistake(logits, y):
        loss, dlogits = losses_ref.softmax_cross_entropy(logits, y)
        n, Y = len(y), _onehot(y, logits.shape[1])
        P = dlogits * n + Y  # the softmax probabilities
        return loss * (n if summed_loss else 1.0), (dlogits if grad is None else grad(P, Y, n))
    return mistake


def _no_max_shift(logits, y):
    with np.errstate(all="ignore"):
        p = _naive_probs(logits)
        n = len(y)
        return float(-np.sum(np.log(p[np.arange(n), y])) / n), (p - _onehot(y, logits.shape[1])) / n


def _log_of_shifted_softmax(logits, y):
    with np.errstate(all="ignore"):
        p = _naive_probs(logits - logits.max(axis=1, keepdims=True))
        n = len(y)
        return float(-np.sum(np.log(p[np.arange(n), y])) / n), (p - _onehot(y, logits.shape[1])) / n


softmax_cross_entropy = Exercise(
    name="softmax_cross_entropy",
    section="4. The loss: softmax cross-entropy",
    **references("nnkit.losses", "softmax_cross_entropy"),
    **seeded_cases(_fixed_softmax, _random_softmax, n_visible=3, n_hidden=30),
    outputs=("loss", "dlogits"),
    varies=(Dimension("batch size", lambda case: case.args[0].shape[0], tuple(range(1, 6))),
            Dimension("classes", lambda case: case.args[0].shape[1], tuple(range(2, 6))),
            Dimension("large logits", lambda case: bool(np.abs(case.args[0]).max() > 100), (False, True))),
    mutants=(
        Mutant("no_max_shift", _no_max_shift,
               "exp overflows for large logits (inf / inf = NaN): subtract each row's maximum from the "
               "logits before np.exp; softmax does not change when a constant is subtracted"),
        Mutant("log_of_underflow", _log_of_shifted_softmax,
               "your loss is inf: a probability underflowed to 0 and log(0) = −inf. Take the log "
               "before exponentiating: log p = (z − max) − log Σ exp(z − max), the log-sum-exp trick"),
        Mutant("grad_no_batch", _softmax_mistake(grad=lambda p, Y, n: p - Y),
               "your gradient is p − y without the 1/batch: the loss is a mean over the batch, so "
               "dlogits = (p − y) / batch"),
        Mutant("grad_batch_twice", _softmax_mistake(grad=lambda p, Y, n: (p - Y) / n**2),
               "you divided the gradient by the batch size twice: dlogits = (p − y) / batch"),
        Mutant("loss_sum", _softmax_mistake(summed_loss=True),
               "your loss is the sum over the batch: the loss is the mean of −log p[correct class]"),
        Mutant("grad_sign", _softmax_mistake(grad=lambda p, Y, n: (Y - p) / n),
               "your gradient has the wrong sign, (y − p) / batch: the loss falls when the correct "
               "class's logit rises, so dlogits = (p − y) / batch"),
        Mutant("grad_no_onehot", _softmax_mistake(grad=lambda p, Y, n: p / n),
               "your gradient is p / batch: subtract the one-hot labels, dlogits = (p − y) / batch"),
    ),
)


# --- 5. the whole network ------------------------------------------------------------------------

# mlp_backward is checked with nnkit's layer functions passed in, so that a slip in the learner's
# dense_backward or relu_backward fails their own checks only
LAYER_FUNCTIONS = {"dense_backward": layers_ref.dense_backward, "relu_backward": layers_ref.relu_backward}


def _network_case(rng, sizes, activation, batch, label=None):
    params = mlp_ref.init_mlp(sizes, rng, "xavier_normal")
    for layer in params:
        layer["b"] = rng.normal(scale=0.5, size=layer["b"].shape)
    X = rng.normal(size=(batch, sizes[0]))
    out, caches = mlp_ref.mlp_forward(X, params, activation)
    label = label or f"{activation} network {' -> '.join(map(str, sizes))}, batch {batch}"
    return Case(label, (rng.normal(size=out.shape), caches), dict(LAYER_FUNCTIONS))


def _fixed_networks():
    rng = np.random.default_rng(45)
    return [
        _network_case(rng, [2, 3, 2], "tanh", 3),
        _network_case(rng, [3, 4, 2, 1], "relu", 4),
        _network_case(rng, [2, 1], "relu", 2, "a single dense layer 2 -> 1 (no activation), batch 2"),
        _network_case(rng, [3, 2, 2], "sigmoid", 1),
        _network_case(rng, [1, 4, 3, 2], "tanh", 5),
    ]


def _random_network(rng):
    depth = int(rng.integers(1, 4))
    sizes = [int(n) for n in rng.integers(1, 5, size=depth + 1)]
    activation = ("relu", "tanh", "sigmoid")[int(rng.integers(3))]
    return _network_case(rng, sizes, activation, int(rng.integers(1, 6)))


def _mlp_mistake(activation_step=None, dense=None, reverse=False):
    """A backward pass with another activation step ``(dA, Z, act) -> dZ`` or dense backward."""
    activation_step = activation_step or (lambda dA, Z, act: dA * act.grad(Z))
    dense = dense or layers_ref.dense_backward

    def mistake(dout, caches, dense_backward=None, relu_backward=None):
        grads, dA = [], dout
        for dense_cache, act_cache in reversed(caches):
            dZ = dA if act_cache is None else activation_step(dA, *act_cache)
            dA, dW, db = dense(dZ, dense_cache)
            grads.append({"W": dW, "b": db})
        return grads if reverse else grads[::-1]
    return mistake


mlp_backward = Exercise(
    name="mlp_backward",
    section="5. Backpropagation through the whole network",
    **references("nnkit.mlp", "mlp_backward"),
    **seeded_cases(_fixed_networks, _random_network, n_visible=3, n_hidden=30),
    outputs=("grads",),
    varies=(Dimension("layers", lambda case: len(case.args[1]), (1, 2, 3)),
            Dimension("hidden activation", lambda case: case.args[1][0][1][1].name if case.args[1][0][1] else None,
                      (None, "relu", "sigmoid", "tanh"))),
    mutants=(
        Mutant("phi_at_A", _mlp_mistake(activation_step=lambda dA, Z, act: dA * act.grad(act.fn(Z))),
               "you took the activation's derivative at its output A = φ(Z): it belongs at the input, "
               "dZ = dA * φ'(Z) (for ReLU both give the same, for tanh and sigmoid they differ)"),
        Mutant("no_activation", _mlp_mistake(activation_step=lambda dA, Z, act: dA),
               "you skipped the activations on the way back: after each hidden layer's dense backward, "
               "multiply by φ'(Z) before going down to the layer below"),
        Mutant("grads_reversed", _mlp_mistake(reverse=True),
               "your list of gradients runs from the last layer to the first: grads[i] must belong to "
               "layer i, as params[i] does"),
        Mutant("dW_transposed", _mlp_mistake(dense=lambda dZ, cache: (dZ @ cache[1].T, dZ.T @ cache[0], dZ.sum(0))),
               "your dW are transposed (dZ.T @ X): dW = X.T @ dZ has the shape of W"),
        Mutant("db_mean", _mlp_mistake(dense=lambda dZ, cache: (dZ @ cache[1].T, cache[0].T @ dZ, dZ.mean(0))),
               "your db are means over the batch: db = dZ.sum(axis=0)"),
        Mutant("relu_everywhere", _mlp_mistake(activation_step=lambda dA, Z, act: dA * (Z > 0)),
               "you used ReLU's derivative (Z > 0) for every activation: for tanh and sigmoid layers "
               "use the layer's own derivative, dA * activation.grad(Z)"),
    ),
)


# --- 6. numerical gradients ----------------------------------------------------------------------

def cubes(x):
    """sum of x**3."""
    return float(np.sum(x**3))


def wavy(x):
    """sum of x * sin(3x)."""
    return float(np.sum(x * np.sin(3.0 * x)))


def soft_max_value(x):
    """log(sum(exp(x))) over every entry."""
    return float(np.log(np.sum(np.exp(x))))


def squared_product(x):
    """sum of (x @ B)**2 for a fixed B with as many rows as x has columns."""
    B = np.arange(1.0, 1.0 + x.shape[-1] * 2).reshape(x.shape[-1], 2) / 4.0
    return float(np.sum((x @ B) ** 2))


def _numgrad_case(f, x, label, **kwargs):
    return Case(label, (f, np.asarray(x, dtype=float)), kwargs)


def _fixed_numgrad():
    return [
        _numgrad_case(cubes, [1.0, -2.0, 0.5], "f = sum(x**3), x of 3 entries"),
        _numgrad_case(squared_product, [[1.0, 2.0], [-1.0, 0.5], [0.0, 3.0]], "f = sum((x @ B)**2), x of shape (3, 2)"),
        _numgrad_case(wavy, [0.3], "f = sum(x sin 3x), one entry"),
        _numgrad_case(soft_max_value, [[0.5, -1.0, 2.0], [1.0, 0.0, -0.5]], "f = log sum exp(x), x of shape (2, 3)"),
        _numgrad_case(cubes, [[2.0], [-1.0]], "f = sum(x**3), x of shape (2, 1), h = 1e-4", h=1e-4),
    ]


def _random_numgrad(rng):
    shape = tuple(int(n) for n in rng.integers(1, 4, size=int(rng.integers(1, 3))))
    f = (cubes, wavy, soft_max_value, squared_product)[int(rng.integers(4))]
    return _numgrad_case(f, rng.normal(size=shape), f"f = {f.__name__}, x of shape {shape}")


def _numgrad_mistake(formula, rows_at_once=False):
    """Central-difference variants: ``formula(f_plus, f_minus, f_zero, h)`` per entry."""
    def mistake(f, x, h=1e-5):
        x = np.array(x, dtype=float)
        grad = np.zeros_like(x)
        f_zero = f(x)
        for idx in (range(len(x)) if rows_at_once else np.ndindex(x.shape)):
            old = x[idx].copy() if rows_at_once else x[idx]
            x[idx] = old + h
            f_plus = f(x)
            x[idx] = old - h
            f_minus = f(x)
            x[idx] = old
            grad[idx] = formula(f_plus, f_minus, f_zero, h)
        return grad
    return mistake


numerical_gradient = Exercise(
    name="numerical_gradient",
    section="6. Gradient checking",
    **references("nnkit.gradcheck", "numerical_gradient"),
    **seeded_cases(_fixed_numgrad, _random_numgrad, n_visible=3, n_hidden=30),
    outputs=("grad",),
    rtol=1e-6,
    atol=1e-8,
    varies=(Dimension("dimensions of x", lambda case: case.args[1].ndim, (1, 2)),),
    mutants=(
        Mutant("forward_difference", _numgrad_mistake(lambda fp, fm, f0, h: (fp - f0) / h),
               "you used the forward difference (f(x + h) − f(x)) / h: its error shrinks only like h; "
               "the central difference (f(x + h) − f(x − h)) / 2h is far more accurate"),
        Mutant("divide_by_h", _numgrad_mistake(lambda fp, fm, f0, h: (fp - fm) / h),
               "you divided by h: the two points are 2h apart, divide by 2h"),
        Mutant("precedence", _numgrad_mistake(lambda fp, fm, f0, h: fp - fm / (2 * h)),
               "operator precedence: f_plus - f_minus / (2 * h) divides only f_minus; write "
               "(f_plus - f_minus) / (2 * h)"),
        Mutant("rows_at_once", _numgrad_mistake(lambda fp, fm, f0, h: (fp - fm) / (2 * h), rows_at_once=True),
               "on a 2-D x you moved a whole row at once (x[i] for i in range(len(x))): perturb one "
               "entry at a time, e.g. for idx in np.ndindex(x.shape)"),
    ),
)


# --- 7. the update -------------------------------------------------------------------------------

def _sgd_case(rng, sizes, lr, label=None):
    params = [{"W": rng.normal(size=(a, b)), "b": rng.normal(size=b)} for a, b in zip(sizes, sizes[1:])]
    grads = [{"W": rng.normal(size=(a, b)), "b": rng.normal(size=b)} for a, b in zip(sizes, sizes[1:])]
    return Case(label or f"{len(params)} layer(s) {' -> '.join(map(str, sizes))}, lr = {lr:g}", (params, grads, lr))


def _fixed_sgd():
    rng = np.random.default_rng(47)
    params = [{"W": np.array([[1.0, -1.0], [0.5, 2.0]]), "b": np.array([0.0, 1.0])}]
    grads = [{"W": np.array([[2.0, 0.0], [-1.0, 4.0]]), "b": np.array([1.0, -2.0])}]
    return [
        Case("one 2 -> 2 layer, lr = 0.5", (params, grads, 0.5)),
        _sgd_case(rng, [2, 3, 1], 0.1),
        _sgd_case(rng, [3, 2, 2, 1], 0.01),
        _sgd_case(rng, [1, 1], 2.0),
    ]


def _random_sgd(rng):
    sizes = [int(n) for n in rng.integers(1, 5, size=int(rng.integers(2, 5)))]
    return _sgd_case(rng, sizes, float((0.05, 0.1, 0.3, 0.01, 1.5)[int(rng.integers(5))]))


def _sgd_mistake(rule):
    def mistake(params, grads, lr):
        return [{name: rule(name, p, g[name], lr) for name, p in layer.items()} for layer, g in zip(params, grads)]
    return mistake


sgd_step = Exercise(
    name="sgd_step",
    section="7. The training loop",
    **references("nnkit.optim", "sgd_update"),
    **seeded_cases(_fixed_sgd, _random_sgd, n_visible=3, n_hidden=30),
    outputs=("params_new",),
    varies=(Dimension("layers", lambda case: len(case.args[0]), (1, 2, 3)),),
    mutants=(
        Mutant("ascent", _sgd_mistake(lambda name, p, g, lr: p + lr * g),
               "you moved along the gradient (p + lr·g): that climbs the loss; descent goes against it, "
               "p − lr·g"),
        Mutant("no_lr", _sgd_mistake(lambda name, p, g, lr: p - g),
               "your step ignores the learning rate: p − lr·g"),
        Mutant("divide_by_lr", _sgd_mistake(lambda name, p, g, lr: p - g / lr),
               "you divided the gradient by the learning rate: multiply, p − lr·g"),
        Mutant("weights_only", _sgd_mistake(lambda name, p, g, lr: p - lr * g if name == "W" else p),
               "your biases do not move: update every parameter of every layer, W and b"),
        Mutant("returns_step", _sgd_mistake(lambda name, p, g, lr: -lr * g),
               "you returned the step −lr·g instead of the new parameters p − lr·g"),
    ),
)
