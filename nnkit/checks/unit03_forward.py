"""Unit 03 (the forward pass) exercise specs: cases, known mistakes and their hints."""

from __future__ import annotations

import numpy as np

from nnkit import layers
from nnkit.checks._guard import private_copy, references
from nnkit.checks.core import Case, Dimension, Exercise, Mutant, seeded_cases

# private copies of the references: expected values no learner can monkeypatch
layers_ref = private_copy("nnkit.layers")
mlp_ref = private_copy("nnkit.mlp")
bumps_ref = private_copy("nnkit.approximation")
activations_ref = private_copy("nnkit.activations")
WIDTHS = tuple(range(1, 6))


# --- dense_forward ---------------------------------------------------------------------------

def _ints(rng, shape):
    return rng.integers(-3, 4, size=shape).astype(float)


def _fixed_dense():
    rng = np.random.default_rng(3)
    return [  # square first: a transposed W or a bias on the wrong axis still gives numbers there
        Case("a square layer: batch 3, 3 inputs -> 3 units", (_ints(rng, (3, 3)), _ints(rng, (3, 3)),
                                                             np.array([1.0, -2.0, 0.5]))),
        Case("batch 2, 3 inputs -> 2 units", (_ints(rng, (2, 3)), _ints(rng, (3, 2)), np.array([0.5, -1.0]))),
        Case("one sample (batch 1), 2 inputs -> 4 units",
             (np.array([[1.0, -2.0]]), _ints(rng, (2, 4)), np.array([1.0, 0.0, -1.0, 2.0]))),
        Case("batch 5, 1 input -> 1 unit", (_ints(rng, (5, 1)), np.array([[-2.0]]), np.array([0.5]))),
        Case("batch 4, 5 inputs -> 3 units", (rng.normal(size=(4, 5)), rng.normal(size=(5, 3)), rng.normal(size=3))),
    ]


def _random_dense(rng):
    n, fan_in, fan_out = (int(k) for k in rng.integers(1, 6, size=3))
    return Case(f"batch {n}, {fan_in} inputs -> {fan_out} units",
                (rng.normal(size=(n, fan_in)), rng.normal(size=(fan_in, fan_out)), rng.normal(size=fan_out)))


def _dense_with(Z=None, cache=None):
    def mistake(X, W, b):
        X, W, b = (np.asarray(a, dtype=float) for a in (X, W, b))
        out = X @ W + b if Z is None else Z(X, W, b)
        return out, ((X, W) if cache is None else cache(X, W, b, out))
    return mistake


def _activated(fn):
    return _dense_with(Z=lambda X, W, b: fn(X @ W + b))


dense_forward = Exercise(
    name="dense_forward",
    section="1. Layers, shapes and broadcasting",
    **references("nnkit.layers", "dense_forward"),
    **seeded_cases(_fixed_dense, _random_dense, n_visible=5, n_hidden=30),
    outputs=("Z", "cache"),
    parts={"cache": ("X", "W")},
    varies=(Dimension("batch size", lambda case: case.args[0].shape[0], WIDTHS),
            Dimension("inputs", lambda case: case.args[1].shape[0], WIDTHS),
            Dimension("units", lambda case: case.args[1].shape[1], WIDTHS)),
    mutants=(
        Mutant("transposed_W", _dense_with(Z=lambda X, W, b: X @ W.T + b),
               "you multiplied by W.T, as if W were (fan_out, fan_in) like in the column form z = W x + b: "
               "with one sample per row, W has shape (fan_in, fan_out) and Z = X @ W + b"),
        Mutant("bias_per_sample", _dense_with(Z=lambda X, W, b: X @ W + b[:, None]),
               "your bias is added along the wrong axis (b[:, None] or b.reshape(-1, 1) adds b[i] to sample i): "
               "b holds one number per unit, a column of Z, so X @ W + b broadcasts it over the rows as it is"),
        Mutant("no_bias", _dense_with(Z=lambda X, W, b: X @ W), "the bias is missing: Z = X @ W + b"),
        Mutant("activation_inside", _activated(lambda Z: np.maximum(Z, 0.0)),
               "you applied an activation inside the dense layer: dense_forward is the affine map "
               "Z = X @ W + b only; the activation is a layer of its own",
               variants=(_activated(np.tanh), _activated(activations_ref.sigmoid))),
        Mutant("cache_swapped", _dense_with(cache=lambda X, W, b, Z: (W, X)),
               "your cache is (W, X): nnkit's layers keep (X, W), in that order, so that dense_backward "
               "can unpack it"),
        Mutant("cache_with_b", _dense_with(cache=lambda X, W, b, Z: (X, W, b)),
               "your cache holds (X, W, b): the backward pass needs only X and W, and the cache format "
               "is exactly the pair (X, W)"),
        Mutant("cache_holds_Z", _dense_with(cache=lambda X, W, b, Z: (Z, W)),
               "your cache holds the output Z where the layer's input X belongs: the backward pass "
               "needs X (dW = X.T @ dZ), so the cache is (X, W)"),
    ),
)


# --- mlp_forward -----------------------------------------------------------------------------

def _params(rng, sizes, ints=False):
    draw = (lambda shape: _ints(rng, shape)) if ints else (lambda shape: rng.normal(size=shape))
    return [{"W": draw((a, b)), "b": draw((b,))} for a, b in zip(sizes[:-1], sizes[1:])]


def _fixed_mlp():
    rng = np.random.default_rng(4)
    tiny = [{"W": np.array([[1.0, -2.0]]), "b": np.array([0.5, 1.0])},
            {"W": np.array([[-1.0], [2.0]]), "b": np.array([-0.5])}]
    return [
        Case("one sample, 1 -> 2 -> 1 with the defaults (ReLU hidden, no output activation)",
             (np.array([[1.0]]), tiny)),
        Case("2 -> 3 -> 1 with the defaults",
             (_ints(rng, (4, 2)), _params(rng, [2, 3, 1], ints=True))),
        Case("2 -> 4 -> 4 -> 2 with tanh hidden units",
             (rng.normal(size=(3, 2)), _params(rng, [2, 4, 4, 2])), {"activation": "tanh"}),
        Case("3 -> 2 -> 1, ReLU hidden and a sigmoid output",
             (rng.normal(size=(5, 3)), _params(rng, [3, 2, 1])), {"output_activation": "sigmoid"}),
        Case("a single layer 3 -> 2: only the output activation (none) applies",
             (rng.normal(size=(2, 3)), _params(rng, [3, 2])), {"activation": "relu"}),
        Case("one sample, 1 -> 5 -> 3, sigmoid hidden and a tanh output",
             (rng.normal(size=(1, 1)), _params(rng, [1, 5, 3])),
             {"activation": "sigmoid", "output_activation": "tanh"}),
    ]


HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS = ("relu", "tanh", "sigmoid"), (None, "sigmoid", "tanh")


def _random_mlp(rng):
    sizes = [int(k) for k in rng.integers(1, 6, size=int(rng.integers(2, 6)))]
    act = str(rng.choice(HIDDEN_ACTIVATIONS))
    out = OUTPUT_ACTIVATIONS[int(rng.integers(3))]
    n = int(rng.integers(1, 6))
    return Case(f"batch {n}, widths {sizes}, {act} hidden, output activation {out}",
                (rng.normal(size=(n, sizes[0])), _params(rng, sizes)),
                {"activation": act, "output_activation": out})


def _mlp_with(hidden=lambda a, o: a, last=lambda a, o: o, act_cache=lambda Z, A, c: c, dense_input=None,
              next_input=lambda Z, A: A, entry=lambda d, a: (d, a), order=lambda caches: caches):
    """A mistaken forward pass: each argument replaces one decision of the reference."""
    def mistake(X, params, activation="relu", output_activation=None):
        A, caches = np.asarray(X, dtype=float), []
        for i, layer in enumerate(params):
            W, b = np.asarray(layer["W"], dtype=float), np.asarray(layer["b"], dtype=float)
            Z = A @ W + b
            dense_cache = (A if dense_input is None else np.asarray(X, dtype=float), W)
            name = (hidden if i < len(params) - 1 else last)(activation, output_activation)
            out, cache = (Z, None) if name is None else layers_ref.activation_forward(Z, name)
            caches.append(entry(dense_cache, None if cache is None else act_cache(Z, out, cache)))
            A = next_input(Z, out)
        return A, order(caches)
    return mistake


mlp_forward = Exercise(
    name="mlp_forward",
    section="3. The forward pass keeps its caches",
    **references("nnkit.mlp", "mlp_forward"),
    **seeded_cases(_fixed_mlp, _random_mlp, n_visible=5, n_hidden=30),
    outputs=("out", "caches"),
    parts={"caches": ("dense", "activation")},
    allowed=(layers.activation_forward,),
    varies=(Dimension("layers", lambda case: len(case.args[1]), (1, 2, 3, 4)),
            Dimension("batch size", lambda case: case.args[0].shape[0], WIDTHS),
            Dimension("output activation", lambda case: case.kwargs.get("output_activation"),
                      OUTPUT_ACTIVATIONS)),
    mutants=(
        Mutant("activation_on_output", _mlp_with(last=lambda a, o: a),
               "you applied the hidden activation to the output layer too: the last layer applies "
               "output_activation (None: no activation, its output is Z itself)"),
        Mutant("no_hidden_activation", _mlp_with(hidden=lambda a, o: None),
               "your hidden layers have no activation: every layer but the last applies `activation`; "
               "without it the layers collapse into one linear map (unit 02)"),
        Mutant("output_activation_ignored", _mlp_with(last=lambda a, o: None),
               "output_activation is ignored: when it is given (e.g. 'sigmoid'), the last layer applies it"),
        Mutant("next_gets_Z", _mlp_with(next_input=lambda Z, A: Z),
               "the next layer gets Z, the value before the activation: feed it A = activation(Z)"),
        Mutant("network_input_cached", _mlp_with(dense_input="X"),
               "every dense cache holds the network's input X: the cache of layer i holds that layer's own "
               "input, the previous layer's output A"),
        Mutant("activation_cache_holds_A", _mlp_with(act_cache=lambda Z, A, c: (A, c[1])),
               "your activation cache holds the activation's output A: it must hold its input Z "
               "(activation_forward returns that cache for you: A, act_cache = activation_forward(Z, name))"),
        Mutant("activation_name_cached", _mlp_with(act_cache=lambda Z, A, c: (Z, c[1].name)),
               "your activation cache holds the activation's name: it is (Z, act), with act the registry "
               "entry that knows the derivative, exactly as activation_forward returns it "
               "(A, act_cache = activation_forward(Z, name))"),
        Mutant("dense_caches_only", _mlp_with(entry=lambda d, a: d),
               "each entry of caches must be the pair (dense cache, activation cache): ((A_prev, W), (Z, act)), "
               "or ((A_prev, W), None) for a layer without activation"),
        Mutant("caches_reversed", _mlp_with(order=lambda caches: caches[::-1]),
               "your caches are in reverse order: caches[i] belongs to layer i, the first layer first "
               "(the backward pass walks them backwards itself)"),
    ),
)


# --- count_parameters ------------------------------------------------------------------------

def _fixed_sizes():
    return [
        Case("widths [2, 3, 1]", ([2, 3, 1],)),
        Case("a single layer [5, 5]", ([5, 5],)),
        Case("the smallest network [1, 1]", ([1, 1],)),
        Case("an MNIST classifier [784, 128, 10]", ([784, 128, 10],)),
        Case("four layers [3, 4, 4, 4, 2]", ([3, 4, 4, 4, 2],)),
        Case("five layers [2, 8, 8, 8, 8, 1] (unit 02's deep linear net)", ([2, 8, 8, 8, 8, 1],)),
    ]


def _random_sizes(rng):
    sizes = [int(k) for k in rng.integers(1, 100, size=int(rng.integers(2, 7)))]
    return Case(f"widths {sizes}", (sizes,))


def _pairs(sizes):
    return list(zip(sizes[:-1], sizes[1:]))


count_parameters = Exercise(
    name="count_parameters",
    section="5. Counting parameters",
    **references("nnkit.mlp", "count_parameters"),
    **seeded_cases(_fixed_sizes, _random_sizes, n_visible=3, n_hidden=30),
    outputs=("count",),
    varies=(Dimension("layers", lambda case: len(case.args[0]) - 1, (1, 2, 3, 4, 5)),),
    mutants=(
        Mutant("no_biases", lambda sizes: sum(a * b for a, b in _pairs(sizes)),
               "you counted the weights only: each layer also has one bias per unit, (n_in + 1) * n_out"),
        Mutant("bias_per_input", lambda sizes: sum(a * b + a for a, b in _pairs(sizes)),
               "you counted one bias per input of a layer: a bias belongs to a unit, so a layer has "
               "n_in * n_out weights and n_out biases"),
        Mutant("one_bias_per_layer", lambda sizes: sum(a * b + 1 for a, b in _pairs(sizes)),
               "you counted one bias per layer: every unit has its own bias, n_out of them per layer"),
        Mutant("units", lambda sizes: sum(sizes),
               "you counted the units (neurons): the parameters are the weights between consecutive "
               "layers and the biases, (n_in + 1) * n_out per layer"),
        Mutant("product", lambda sizes: int(np.prod(sizes)),
               "you multiplied all the widths together: parameters add up layer by layer, a sum over "
               "consecutive pairs (sizes[i], sizes[i+1])"),
        Mutant("last_layer_missing", lambda sizes: sum((a + 1) * b for a, b in _pairs(sizes)[:-1]),
               "the last layer is missing: widths [n0, ..., nL] make L layers, the pairs "
               "(sizes[i], sizes[i+1]) for i = 0 .. L-1"),
        Mutant("input_biases", lambda sizes: sum(a * b for a, b in _pairs(sizes)) + sum(sizes),
               "you gave the input units biases too: the input layer holds data, not parameters; "
               "biases belong to the n_out units of each layer"),
    ),
)


# --- relu_bumps ------------------------------------------------------------------------------

GRID = np.linspace(-3.0, 3.0, 121)


def _network_output(weights) -> np.ndarray:
    """The 1-H-1 ReLU network ``weights = (W1, b1, W2, b2)`` on ``GRID``: (121,)."""
    W1, b1, W2, b2 = (np.asarray(w, dtype=float) for w in weights)
    return (np.maximum(GRID[:, None] @ W1 + b1, 0.0) @ W2 + b2).reshape(len(GRID))


def _fixed_knots():
    k4 = np.array([-2.0, -0.5, 0.0, 1.5])
    k5 = np.linspace(-2.0, 2.0, 5)
    return [
        Case("4 unevenly spaced knots on sin(x)", (k4, np.sin(k4))),
        Case("|x| at the knots -1, 0, 1", (np.array([-1.0, 0.0, 1.0]), np.array([1.0, 0.0, 1.0]))),
        Case("two knots: a straight line", (np.array([-1.0, 2.0]), np.array([3.0, -3.0]))),
        Case("x^2 at 5 evenly spaced knots", (k5, k5**2)),
        Case("8 knots on a zigzag", (np.linspace(-2.5, 2.5, 8), np.array([0.0, 1, -1, 2, 0, 0.5, -2, 1]))),
    ]


def _random_knots(rng):
    k = int(rng.integers(2, 9))
    knots = np.sort(rng.choice(np.linspace(-2.5, 2.5, 26), size=k, replace=False))
    return Case(f"{k} random knots", (knots, rng.normal(size=k)))


def _bumps_with(W1=None, b1=None, W2=None, b2=None):
    """The hinge network with the given parts computed another way: ``part(knots, values, slopes)``."""
    def mistake(knots, values):
        knots, values = np.asarray(knots, dtype=float), np.asarray(values, dtype=float)
        slopes = np.diff(values) / np.diff(knots)
        right = (np.ones((1, len(knots) - 1)), -knots[:-1], np.diff(slopes, prepend=0.0)[:, None], values[:1])
        wrong = (W1, b1, W2, b2)
        return tuple(r if w is None else np.asarray(w(knots, values, slopes), dtype=float)
                     for r, w in zip(right, wrong))
    return mistake


relu_bumps = Exercise(
    name="relu_bumps",
    section="6. Universal approximation, built by hand",
    **references("nnkit.approximation", "relu_bumps"),
    **seeded_cases(_fixed_knots, _random_knots, n_visible=3, n_hidden=30),
    outputs=("W1", "b1", "W2", "b2"),
    observe=_network_output,
    observe_label="network output at 121 points x = -3, -2.95, ..., 3",
    varies=(Dimension("knots", lambda case: len(case.args[0]), tuple(range(2, 9))),),
    mutants=(
        Mutant("slopes_not_changes", _bumps_with(W2=lambda k, v, s: s[:, None]),
               "your output weights are the slopes of the segments: a hinge adds its weight to the slope "
               "of everything left of it, so its weight is the change of slope at its knot, "
               "slope[k] - slope[k-1] (and slope[0] for the first)"),
        Mutant("no_start_value", _bumps_with(b2=lambda k, v, s: [0.0]),
               "your network starts from 0: left of the first knot every hinge is 0, so the output "
               "bias b2 must be values[0]"),
        Mutant("differences_not_slopes", _bumps_with(W2=lambda k, v, s: np.diff(np.diff(v), prepend=0.0)[:, None]),
               "you used the differences of the values, not slopes: divide by the spacing of the knots, "
               "slope[k] = (values[k+1] - values[k]) / (knots[k+1] - knots[k])"),
        Mutant("hinge_sign", _bumps_with(b1=lambda k, v, s: k[:-1]),
               "your hinges bend at -knots: relu(x - knots[k]) needs the hidden bias b1[k] = -knots[k]"),
        Mutant("hinges_at_right_ends", _bumps_with(b1=lambda k, v, s: -k[1:]),
               "your hinges sit at the right end of each segment: the hinge that starts segment k "
               "sits at its left end, knots[k] for k = 0 .. K-2"),
    ),
)


# --- inference_memory ------------------------------------------------------------------------

def _fixed_memory():
    return [
        Case("widths [2, 3, 1], batch 4, float64", ([2, 3, 1], 4)),
        Case("[784, 128, 10], batch 64, float32 (itemsize 4)", ([784, 128, 10], 64), {"itemsize": 4}),
        Case("one layer [10, 10], batch 1", ([10, 10], 1)),
        Case("the widest pair in the middle: [3, 50, 2, 40, 1], batch 16", ([3, 50, 2, 40, 1], 16)),
        Case("[1, 1], batch 1, float16 (itemsize 2)", ([1, 1], 1), {"itemsize": 2}),
    ]


def _random_memory(rng):
    sizes = [int(k) for k in rng.integers(1, 200, size=int(rng.integers(2, 7)))]
    batch, itemsize = int(rng.integers(1, 513)), int(rng.choice([2, 4, 8]))
    return Case(f"widths {sizes}, batch {batch}, itemsize {itemsize}", (sizes, batch), {"itemsize": itemsize})


def _memory_with(params=lambda sizes: mlp_ref.count_parameters(sizes), alive=None, bytes_per=lambda i: i):
    """A mistaken formula: ``params(sizes)`` numbers of parameters, ``alive(sizes, batch)`` of activations."""
    def widest(sizes, batch):
        return batch * max(a + b for a, b in _pairs(sizes))

    def mistake(sizes, batch, itemsize=8):
        return bytes_per(itemsize) * (params(sizes) + (alive or widest)(sizes, batch))
    return mistake


inference_memory = Exercise(
    name="inference_memory",
    section="7. Inference memory",
    **references("nnkit.memory", "inference_memory"),
    **seeded_cases(_fixed_memory, _random_memory, n_visible=3, n_hidden=30),
    outputs=("bytes",),
    varies=(Dimension("itemsize", lambda case: case.kwargs.get("itemsize", 8), (2, 4, 8)),
            Dimension("batch of one", lambda case: case.args[1] == 1, (False, True))),
    mutants=(
        Mutant("numbers_not_bytes", _memory_with(bytes_per=lambda i: 1),
               "you counted numbers, not bytes: multiply by itemsize, the bytes per number "
               "(8 for float64, 4 for float32)"),
        Mutant("fixed_itemsize", _memory_with(bytes_per=lambda i: 4),
               "your result does not follow itemsize: bytes = itemsize * numbers, with itemsize = 8 for "
               "float64 (the default) and 4 for float32",
               variants=(_memory_with(bytes_per=lambda i: 8),)),
        Mutant("bits", _memory_with(bytes_per=lambda i: 8 * i),
               "you counted bits: itemsize is already in bytes, so bytes = itemsize * numbers"),
        Mutant("no_parameters", _memory_with(params=lambda sizes: 0),
               "the parameters are missing: the weights and biases (P numbers) stay in memory "
               "during the whole pass"),
        Mutant("weights_only", _memory_with(params=lambda sizes: sum(a * b for a, b in _pairs(sizes))),
               "you counted the weights but not the biases among the parameters"),
        Mutant("every_activation_kept", _memory_with(alive=lambda sizes, batch: batch * sum(sizes)),
               "you kept every layer's activations, which training needs: inference frees a layer's input "
               "once its output exists, so only max_i (n_i + n_(i+1)) numbers per row are alive at once"),
        Mutant("one_buffer", _memory_with(alive=lambda sizes, batch: batch * max(sizes)),
               "you counted one activation buffer: while layer i runs, its input (n_i numbers per row) "
               "and its output (n_(i+1)) are both alive"),
        Mutant("no_batch", _memory_with(alive=lambda sizes, batch: max(a + b for a, b in _pairs(sizes))),
               "the activations do not grow with the batch in your formula: each of the B rows has its own "
               "input and output numbers"),
    ),
)

EXERCISES = {ex.name: ex for ex in (dense_forward, mlp_forward, count_parameters, relu_bumps, inference_memory)}
