"""Unit 03 learner corpus: right and wrong answers coded the way learners code them (numpy only).

Wrong answers are written independently of the checker's mutants; each names its mistakes.
"""

import numpy as np

from corpus import Corpus
from nnkit.layers import activation_forward

CORPUS = Corpus()
correct, wrong = CORPUS.correct, CORPUS.wrong


# --- dense_forward ---------------------------------------------------------------------------

@correct("dense_forward")
def dense_forward(X, W, b):
    Z = X @ W + b
    return Z, (X, W)


@correct("dense_forward")
def dense_forward_einsum(X, W, b):
    Z = np.einsum("ni,ij->nj", X, W) + b[None, :]
    cache = (X, W)
    return Z, cache


@correct("dense_forward")
def dense_forward_loops(X, W, b):
    Z = np.zeros((X.shape[0], W.shape[1]))
    for n in range(X.shape[0]):
        for j in range(W.shape[1]):
            Z[n, j] = np.dot(X[n], W[:, j]) + b[j]
    return Z, (X, W)


@wrong("dense_forward", "transposed_W")
def dense_forward_column_habit(X, W, b):
    # z = W x + b, one sample per column
    Z = (W @ X.T).T + b
    return Z, (X, W)


@wrong("dense_forward", "bias_per_sample")
def dense_forward_bias_column(X, W, b):
    return np.dot(X, W) + b.reshape(-1, 1), (X, W)


@wrong("dense_forward", "no_bias")
def dense_forward_forgot_b(X, W, b):
    Z = np.matmul(X, W)
    return Z, (X, W)


@wrong("dense_forward", "activation_inside")
def dense_forward_with_relu(X, W, b):
    Z = X @ W + b
    Z[Z < 0] = 0
    return Z, (X, W)


@wrong("dense_forward", "cache_swapped", "swapped", "returned_input")
def dense_forward_weights_first(X, W, b):
    cache = (W, X)
    return X @ W + b, cache


@wrong("dense_forward", "cache_with_b")
def dense_forward_cache_everything(X, W, b):
    return X @ W + b, (X, W, b)


@wrong("dense_forward", "cache_holds_Z")
def dense_forward_cache_output(X, W, b):
    Z = X @ W + b
    return Z, (Z, W)


@wrong("dense_forward", "missing_parts")
def dense_forward_no_cache(X, W, b):
    return X @ W + b


@wrong("dense_forward", "transposed")
def dense_forward_units_as_rows(X, W, b):
    Z = W.T @ X.T + b[:, None]  # one row per unit
    return Z, (X, W)


# --- mlp_forward -----------------------------------------------------------------------------

@correct("mlp_forward")
def mlp_forward(X, params, activation="relu", output_activation=None):
    A, caches = X, []
    for i, layer in enumerate(params):
        Z = A @ layer["W"] + layer["b"]
        name = activation if i < len(params) - 1 else output_activation
        if name is None:
            caches.append(((A, layer["W"]), None))
            A = Z
        else:
            A_next, act_cache = activation_forward(Z, name)
            caches.append(((A, layer["W"]), act_cache))
            A = A_next
    return A, caches


@correct("mlp_forward")
def mlp_forward_split_last(X, params, activation="relu", output_activation=None):
    caches = []
    A = X
    for layer in params[:-1]:
        Z = np.dot(A, layer["W"]) + layer["b"]
        dense = (A, layer["W"])
        A, act = activation_forward(Z, activation)
        caches.append((dense, act))
    last = params[-1]
    Z = A @ last["W"] + last["b"]
    dense = (A, last["W"])
    if output_activation:
        out, act = activation_forward(Z, output_activation)
    else:
        out, act = Z, None
    caches.append((dense, act))
    return out, caches


@wrong("mlp_forward", "activation_on_output")
def mlp_forward_relu_everywhere(X, params, activation="relu", output_activation=None):
    A = X
    caches = []
    for p in params:
        Z = A @ p["W"] + p["b"]
        cache = (A, p["W"])
        A, act_cache = activation_forward(Z, activation)
        caches.append((cache, act_cache))
    return A, caches


@wrong("mlp_forward", "activation_on_output", "output_activation_ignored")
def mlp_forward_same_everywhere(X, params, activation="relu", output_activation=None):
    A, caches = X, []
    for layer in params:
        Z = A @ layer["W"] + layer["b"]
        dense = (A, layer["W"])
        A, act = activation_forward(Z, output_activation or activation)
        caches.append((dense, act))
    return A, caches


@wrong("mlp_forward", "no_hidden_activation")
def mlp_forward_output_only(X, params, activation="relu", output_activation=None):
    A, caches = X, []
    for i, layer in enumerate(params):
        Z = A @ layer["W"] + layer["b"]
        act = None
        if i == len(params) - 1 and output_activation is not None:
            Z, act = activation_forward(Z, output_activation)
        caches.append(((A, layer["W"]), act))
        A = Z
    return A, caches


@wrong("mlp_forward", "output_activation_ignored")
def mlp_forward_logits_always(X, params, activation="relu", output_activation=None):
    A, caches = X, []
    for i, layer in enumerate(params):
        Z = A @ layer["W"] + layer["b"]
        dense = (A, layer["W"])
        if i < len(params) - 1:
            A, act = activation_forward(Z, activation)
        else:
            A, act = Z, None  # the output layer gives logits
        caches.append((dense, act))
    return A, caches


@wrong("mlp_forward", "network_input_cached")
def mlp_forward_caches_x(X, params, activation="relu", output_activation=None):
    out, caches = X, []
    for i, layer in enumerate(params):
        Z = out @ layer["W"] + layer["b"]
        name = activation if i < len(params) - 1 else output_activation
        act = None
        if name is not None:
            out, act = activation_forward(Z, name)
        else:
            out = Z
        caches.append(((X, layer["W"]), act))
    return out, caches


@wrong("mlp_forward", "activation_cache_holds_A")
def mlp_forward_keeps_outputs(X, params, activation="relu", output_activation=None):
    A, caches = X, []
    for i, layer in enumerate(params):
        Z = A @ layer["W"] + layer["b"]
        name = activation if i < len(params) - 1 else output_activation
        if name is None:
            caches.append(((A, layer["W"]), None))
            A = Z
        else:
            A_new, (_, act) = activation_forward(Z, name)
            caches.append(((A, layer["W"]), (A_new, act)))
            A = A_new
    return A, caches


@wrong("mlp_forward", "caches_reversed")
def mlp_forward_stack(X, params, activation="relu", output_activation=None):
    A, caches = X, []
    for i, layer in enumerate(params):
        Z = A @ layer["W"] + layer["b"]
        name = activation if i < len(params) - 1 else output_activation
        A_in = A
        A, act = (Z, None) if name is None else activation_forward(Z, name)
        caches.insert(0, ((A_in, layer["W"]), act))  # the backward pass starts at the end
    return A, caches


@wrong("mlp_forward", "dense_caches_only")
def mlp_forward_flat(X, params, activation="relu", output_activation=None):
    A, caches = X, []
    for i, layer in enumerate(params):
        caches.append((A, layer["W"]))
        Z = A @ layer["W"] + layer["b"]
        name = activation if i < len(params) - 1 else output_activation
        A = Z if name is None else activation_forward(Z, name)[0]
    return A, caches


@wrong("mlp_forward", "swapped")
def mlp_forward_activation_first(X, params, activation="relu", output_activation=None):
    A, caches = X, []
    for i, layer in enumerate(params):
        Z = A @ layer["W"] + layer["b"]
        name = activation if i < len(params) - 1 else output_activation
        act = None
        A_next = Z
        if name is not None:
            A_next, act = activation_forward(Z, name)
        caches.append((act, (A, layer["W"])))
        A = A_next
    return A, caches


ACTIVATIONS_BY_HAND = {"relu": lambda z: np.maximum(z, 0), "tanh": np.tanh,
                       "sigmoid": lambda z: 1 / (1 + np.exp(-z))}


@wrong("mlp_forward", "activation_name_cached", "missing_parts")
def mlp_forward_own_activations(X, params, activation="relu", output_activation=None):
    A, caches = X, []
    for i, layer in enumerate(params):
        Z = A @ layer["W"] + layer["b"]
        name = activation if i < len(params) - 1 else output_activation
        caches.append(((A, layer["W"]), None if name is None else (Z, name)))
        A = Z if name is None else ACTIVATIONS_BY_HAND[name](Z)
    return A, caches


# --- count_parameters ------------------------------------------------------------------------

@correct("count_parameters")
def count_parameters(sizes):
    total = 0
    for i in range(len(sizes) - 1):
        total += sizes[i] * sizes[i + 1] + sizes[i + 1]
    return total


@correct("count_parameters")
def count_parameters_numpy(sizes):
    s = np.array(sizes)
    return int(np.sum((s[:-1] + 1) * s[1:]))


@wrong("count_parameters", "no_biases")
def count_parameters_weights(sizes):
    return sum(sizes[i] * sizes[i + 1] for i in range(len(sizes) - 1))


@wrong("count_parameters", "bias_per_input")
def count_parameters_bias_in(sizes):
    total = 0
    for n_in, n_out in zip(sizes, sizes[1:]):
        total += n_in * n_out + n_in
    return total


@wrong("count_parameters", "one_bias_per_layer")
def count_parameters_one_bias(sizes):
    return sum(a * b + 1 for a, b in zip(sizes[:-1], sizes[1:]))


@wrong("count_parameters", "units")
def count_parameters_neurons(sizes):
    return sum(sizes)


@wrong("count_parameters", "last_layer_missing")
def count_parameters_range_bug(sizes):
    total = 0
    for i in range(len(sizes) - 2):
        total += (sizes[i] + 1) * sizes[i + 1]
    return total


@wrong("count_parameters", "input_biases")
def count_parameters_every_unit_biased(sizes):
    weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    return weights + sum(sizes)


@wrong("count_parameters", "product")
def count_parameters_product(sizes):
    return int(np.prod(sizes))


# --- relu_bumps ------------------------------------------------------------------------------

@correct("relu_bumps")
def relu_bumps(knots, values):
    slopes = np.diff(values) / np.diff(knots)
    c = np.concatenate([[slopes[0]], np.diff(slopes)])
    return np.ones((1, len(knots) - 1)), -knots[:-1], c.reshape(-1, 1), np.array([values[0]])


@correct("relu_bumps")
def relu_bumps_loop(knots, values):
    K = len(knots)
    W1 = np.ones((1, K - 1))
    b1 = np.zeros(K - 1)
    W2 = np.zeros((K - 1, 1))
    previous = 0.0
    for i in range(K - 1):
        slope = (values[i + 1] - values[i]) / (knots[i + 1] - knots[i])
        b1[i] = -knots[i]
        W2[i, 0] = slope - previous
        previous = slope
    return W1, b1, W2, np.array([values[0]])


@correct("relu_bumps")
def relu_bumps_scaled_hinges(knots, values):
    # relu(2 (x - k)) / 2 is the same hinge: another parametrisation of the same function
    slopes = np.diff(values) / np.diff(knots)
    c = np.diff(slopes, prepend=0)
    return 2 * np.ones((1, len(knots) - 1)), -2 * knots[:-1], (c / 2)[:, None], values[:1]


@wrong("relu_bumps", "slopes_not_changes")
def relu_bumps_slopes(knots, values):
    slopes = (values[1:] - values[:-1]) / (knots[1:] - knots[:-1])
    return np.ones((1, len(slopes))), -knots[:-1], slopes[:, None], np.array([values[0]])


@wrong("relu_bumps", "no_start_value", "offset")
def relu_bumps_from_zero(knots, values):
    slopes = np.diff(values) / np.diff(knots)
    c = np.diff(slopes, prepend=0.0)
    return np.ones((1, len(c))), -knots[:-1], c[:, None], np.zeros(1)


@wrong("relu_bumps", "differences_not_slopes")
def relu_bumps_rise_only(knots, values):
    rises = np.diff(values)
    c = np.diff(rises, prepend=0.0)
    return np.ones((1, len(c))), -knots[:-1], c[:, None], np.array([values[0]])


@wrong("relu_bumps", "hinge_sign")
def relu_bumps_plus_knot(knots, values):
    slopes = np.diff(values) / np.diff(knots)
    c = np.diff(slopes, prepend=0.0)
    return np.ones((1, len(c))), knots[:-1].copy(), c[:, None], np.array([values[0]])


@wrong("relu_bumps", "hinges_at_right_ends")
def relu_bumps_right_knots(knots, values):
    slopes = np.diff(values) / np.diff(knots)
    c = np.diff(slopes, prepend=0.0)
    return np.ones((1, len(c))), -knots[1:], c[:, None], np.array([values[0]])


@wrong("relu_bumps", "transposed")
def relu_bumps_column_w1(knots, values):
    slopes = np.diff(values) / np.diff(knots)
    c = np.diff(slopes, prepend=0.0)
    return np.ones((len(c), 1)), -knots[:-1], c[:, None], np.array([values[0]])


# --- inference_memory ------------------------------------------------------------------------

def _params(sizes):
    return sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))


@correct("inference_memory")
def inference_memory(sizes, batch, itemsize=8):
    P = _params(sizes)
    biggest = max(sizes[i] + sizes[i + 1] for i in range(len(sizes) - 1))
    return (P + batch * biggest) * itemsize


@correct("inference_memory")
def inference_memory_numpy(sizes, batch, itemsize=8):
    s = np.array(sizes)
    return int(itemsize * (np.sum((s[:-1] + 1) * s[1:]) + batch * np.max(s[:-1] + s[1:])))


@wrong("inference_memory", "numbers_not_bytes")
def inference_memory_count(sizes, batch, itemsize=8):
    return _params(sizes) + batch * max(a + b for a, b in zip(sizes, sizes[1:]))


@wrong("inference_memory", "fixed_itemsize", "factor:1/2")
def inference_memory_float32(sizes, batch, itemsize=8):
    numbers = _params(sizes) + batch * max(a + b for a, b in zip(sizes, sizes[1:]))
    return numbers * 4  # float32


@wrong("inference_memory", "bits", "factor:8")
def inference_memory_bits(sizes, batch, itemsize=8):
    numbers = _params(sizes) + batch * max(a + b for a, b in zip(sizes, sizes[1:]))
    return numbers * itemsize * 8


@wrong("inference_memory", "every_activation_kept")
def inference_memory_all_layers(sizes, batch, itemsize=8):
    return itemsize * (_params(sizes) + batch * sum(sizes))


@wrong("inference_memory", "one_buffer")
def inference_memory_widest(sizes, batch, itemsize=8):
    return itemsize * (_params(sizes) + batch * max(sizes))


@wrong("inference_memory", "no_parameters")
def inference_memory_activations(sizes, batch, itemsize=8):
    return itemsize * batch * max(a + b for a, b in zip(sizes, sizes[1:]))


@wrong("inference_memory", "weights_only")
def inference_memory_no_biases(sizes, batch, itemsize=8):
    weights = sum(a * b for a, b in zip(sizes, sizes[1:]))
    return itemsize * (weights + batch * max(a + b for a, b in zip(sizes, sizes[1:])))
