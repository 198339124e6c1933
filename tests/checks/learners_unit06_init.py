"""Unit 06 learner corpus: right and wrong answers coded the way learners code them (numpy only).

Wrong answers are written independently of the checker's mutants; each names its mistakes.
"""

import math

import numpy as np

from corpus import Corpus
from nnkit.layers import activation_backward, activation_forward

CORPUS = Corpus()
correct, wrong = CORPUS.correct, CORPUS.wrong


# --- the normal initializers -----------------------------------------------------------------

@correct("lecun_normal")
def lecun_normal_scaled(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) / np.sqrt(fan_in)


@correct("lecun_normal")
def lecun_normal_loc_scale(fan_in, fan_out, rng):
    return rng.normal(loc=0, scale=(1 / fan_in) ** 0.5, size=(fan_in, fan_out))


@wrong("lecun_normal", "fan_out_for_fan_in")
def lecun_normal_outputs(fan_in, fan_out, rng):
    return rng.normal(0, np.sqrt(1 / fan_out), size=(fan_in, fan_out))


@wrong("lecun_normal", "variance_as_std")
def lecun_normal_var(fan_in, fan_out, rng):
    var = 1 / fan_in
    return rng.normal(0, var, (fan_in, fan_out))


@wrong("lecun_normal", "global_rng")
def lecun_normal_global(fan_in, fan_out, rng):
    np.random.seed(0)
    return np.random.randn(fan_in, fan_out) * np.sqrt(1.0 / fan_in)


@correct("xavier_normal")
def xavier_normal_std(fan_in, fan_out, rng):
    std = math.sqrt(2.0 / (fan_in + fan_out))
    return std * rng.standard_normal(size=(fan_in, fan_out))


@wrong("xavier_normal", "variance_as_std")
def xavier_normal_var(fan_in, fan_out, rng):
    return rng.normal(0.0, 2.0 / (fan_in + fan_out), size=(fan_in, fan_out))


@wrong("xavier_normal", "transposed")
def xavier_normal_rows_out(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_out, fan_in))


@wrong("xavier_normal", "no_two")
def xavier_normal_avg(fan_in, fan_out, rng):
    n = fan_in + fan_out
    return rng.normal(0.0, np.sqrt(1 / n), size=(fan_in, fan_out))


@wrong("xavier_normal", "global_rng")
def xavier_normal_seeded(fan_in, fan_out, rng):
    g = np.random.default_rng(0)
    return g.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))


@correct("he_normal")
def he_normal_plain(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))


@wrong("he_normal", "fan_out_for_fan_in")
def he_normal_fan_out(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / fan_out), size=(fan_in, fan_out))


@wrong("he_normal", "variance_as_std")
def he_normal_var(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) * (2 / fan_in)


@wrong("he_normal", "no_two")
def he_normal_lecun(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) / math.sqrt(fan_in)


@wrong("he_normal", "uniform_drawn")
def he_normal_uniform(fan_in, fan_out, rng):
    a = np.sqrt(6 / fan_in)
    return rng.uniform(-a, a, (fan_in, fan_out))


@wrong("he_normal", "global_rng")
def he_normal_np_random(fan_in, fan_out, rng):
    np.random.seed(fan_in)
    return np.random.normal(0, np.sqrt(2 / fan_in), (fan_in, fan_out))


# --- the uniform initializers ----------------------------------------------------------------

@correct("xavier_uniform")
def xavier_uniform_plain(fan_in, fan_out, rng):
    limit = np.sqrt(6 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


@correct("xavier_uniform")
def xavier_uniform_from_random(fan_in, fan_out, rng):
    a = math.sqrt(6.0 / (fan_in + fan_out))
    return (2 * rng.random((fan_in, fan_out)) - 1) * a


@wrong("xavier_uniform", "sqrt3_for_sqrt6")
def xavier_uniform_three(fan_in, fan_out, rng):
    limit = np.sqrt(3 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


@wrong("xavier_uniform", "bound_without_sqrt")
def xavier_uniform_no_root(fan_in, fan_out, rng):
    limit = 6 / (fan_in + fan_out)
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


@wrong("xavier_uniform", "one_sided")
def xavier_uniform_positive(fan_in, fan_out, rng):
    return rng.uniform(0, np.sqrt(6 / (fan_in + fan_out)), size=(fan_in, fan_out))


@wrong("xavier_uniform", "transposed")
def xavier_uniform_transposed(fan_in, fan_out, rng):
    limit = np.sqrt(6 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_out, fan_in))


@correct("he_uniform")
def he_uniform_plain(fan_in, fan_out, rng):
    bound = np.sqrt(6.0 / fan_in)
    return rng.uniform(-bound, bound, (fan_in, fan_out))


@wrong("he_uniform", "sqrt3_for_sqrt6")
def he_uniform_three(fan_in, fan_out, rng):
    bound = np.sqrt(3.0 / fan_in)
    return rng.uniform(-bound, bound, (fan_in, fan_out))


@wrong("he_uniform", "std_as_bound")
def he_uniform_std(fan_in, fan_out, rng):
    std = np.sqrt(2.0 / fan_in)
    return rng.uniform(-std, std, (fan_in, fan_out))


@wrong("he_uniform", "fan_out_for_fan_in")
def he_uniform_outputs(fan_in, fan_out, rng):
    bound = np.sqrt(6.0 / fan_out)
    return rng.uniform(-bound, bound, (fan_in, fan_out))


@wrong("he_uniform", "global_rng")
def he_uniform_global(fan_in, fan_out, rng):
    bound = np.sqrt(6.0 / fan_in)
    np.random.seed(1234)
    return np.random.uniform(-bound, bound, (fan_in, fan_out))


# --- predicted_gain ----------------------------------------------------------------------------

VARIANCE = {"tiny": lambda n: 1e-4, "lecun": lambda n: 1 / n, "xavier": lambda n: 2 / (2 * n),
            "he": lambda n: 2 / n, "large": lambda n: 1.0}


@correct("predicted_gain")
def predicted_gain_table(activation, init, width):
    c = 0.5 if activation == "relu" else 1.0
    return width * VARIANCE[init](width) * c


@correct("predicted_gain")
def predicted_gain_ifs(activation, init, width):
    if init == "tiny":
        var = 0.01 ** 2
    elif init == "lecun" or init == "xavier":
        var = 1 / width
    elif init == "he":
        var = 2 / width
    else:
        var = 1.0
    gain = width * var
    if activation == "relu":
        gain /= 2
    return gain


@wrong("predicted_gain", "relu_keeps_all", "factor:2")
def predicted_gain_no_half(activation, init, width):
    return width * VARIANCE[init](width)


@wrong("predicted_gain", "std_gain")
def predicted_gain_std(activation, init, width):
    c = 0.5 if activation == "relu" else 1.0
    return math.sqrt(width * VARIANCE[init](width) * c)


@wrong("predicted_gain", "no_width", "factor:1/width")
def predicted_gain_var_only(activation, init, width):
    c = 0.5 if activation == "relu" else 1.0
    return VARIANCE[init](width) * c


# --- layer_stats_through_depth -------------------------------------------------------------------

@correct("layer_stats_through_depth")
def layer_stats_loops(activation, weights, X, dA):
    A, caches, stds = X, [], []
    for W in weights:
        A, cache = activation_forward(A @ W, activation)
        caches.append((W, cache))
        stds.append(A.std())
    norms = []
    for W, cache in reversed(caches):
        norms.append(np.linalg.norm(dA))
        dA = activation_backward(dA, cache) @ W.T
    return {"std": np.array(stds), "grad_norm": np.array(norms[::-1])}


@wrong("layer_stats_through_depth", "norm_one_layer_down")
def layer_stats_norm_after(activation, weights, X, dA):
    A, caches, stds = X, [], []
    for W in weights:
        A, cache = activation_forward(A @ W, activation)
        caches.append((W, cache))
        stds.append(np.std(A))
    norms = []
    for W, cache in reversed(caches):
        dA = activation_backward(dA, cache) @ W.T
        norms.append(np.linalg.norm(dA))
    return {"std": np.array(stds), "grad_norm": np.array(norms[::-1])}


@wrong("layer_stats_through_depth", "std_of_z")
def layer_stats_z(activation, weights, X, dA):
    A, caches, stds = X, [], []
    for W in weights:
        Z = A @ W
        stds.append(Z.std())
        A, cache = activation_forward(Z, activation)
        caches.append((W, cache))
    norms = []
    for W, cache in reversed(caches):
        norms.insert(0, np.sqrt((dA ** 2).sum()))
        dA = activation_backward(dA, cache) @ W.T
    return {"std": np.array(stds), "grad_norm": np.array(norms)}


@wrong("layer_stats_through_depth", "untransposed")
def layer_stats_w(activation, weights, X, dA):
    A, caches, stds = X, [], []
    for W in weights:
        A, cache = activation_forward(A @ W, activation)
        caches.append((W, cache))
        stds.append(A.std())
    norms = []
    for W, cache in reversed(caches):
        norms.insert(0, np.linalg.norm(dA))
        dA = activation_backward(dA, cache) @ W
    return {"std": np.array(stds), "grad_norm": np.array(norms)}


# --- symmetric_units -----------------------------------------------------------------------------

@correct("symmetric_units")
def symmetric_units_loop(W):
    kept = []
    for j in range(W.shape[1]):
        if all(np.abs(W[:, j] - k).max() > 1e-9 for k in kept):
            kept.append(W[:, j])
    return len(kept)


@correct("symmetric_units")
def symmetric_units_allclose(W):
    count = 0
    for j in range(W.shape[1]):
        if not any(np.allclose(W[:, j], W[:, k], rtol=0, atol=1e-9) for k in range(j)):
            count += 1
    return count


@wrong("symmetric_units", "exact")
def symmetric_units_unique(W):
    return np.unique(W, axis=1).shape[1]


@wrong("symmetric_units", "rows")
def symmetric_units_rows(W):
    kept = []
    for row in W:
        if all(np.abs(row - k).max() > 1e-9 for k in kept):
            kept.append(row)
    return len(kept)


@wrong("symmetric_units", "copies")
def symmetric_units_duplicates(W):
    dup = 0
    for j in range(W.shape[1]):
        if any(np.abs(W[:, j] - W[:, k]).max() <= 1e-9 for k in range(j)):
            dup += 1
    return dup


# --- more wrong answers --------------------------------------------------------------------------

@wrong("lecun_normal", "transposed")
def lecun_normal_out_in(fan_in, fan_out, rng):
    return rng.normal(0, 1 / np.sqrt(fan_in), (fan_out, fan_in))


@wrong("lecun_normal", "he_for_lecun")
def lecun_normal_two(fan_in, fan_out, rng):
    return rng.normal(0, np.sqrt(2 / fan_in), (fan_in, fan_out))


@wrong("xavier_normal", "fan_in_only")
def xavier_normal_fan_in(fan_in, fan_out, rng):
    return rng.normal(0, np.sqrt(1 / fan_in), (fan_in, fan_out))


@wrong("xavier_uniform", "std_as_bound")
def xavier_uniform_std_limit(fan_in, fan_out, rng):
    std = np.sqrt(2 / (fan_in + fan_out))
    return rng.uniform(-std, std, size=(fan_in, fan_out))


@wrong("he_uniform", "bound_without_sqrt")
def he_uniform_no_root(fan_in, fan_out, rng):
    return rng.uniform(-6 / fan_in, 6 / fan_in, (fan_in, fan_out))


@wrong("predicted_gain", "half_everywhere", "factor:1/2")
def predicted_gain_always_half(activation, init, width):
    return width * VARIANCE[init](width) / 2


@wrong("predicted_gain", "std_for_variance")
def predicted_gain_std_weights(activation, init, width):
    c = 0.5 if activation == "relu" else 1.0
    return width * math.sqrt(VARIANCE[init](width)) * c


@wrong("layer_stats_through_depth", "no_activation_slope")
def layer_stats_no_slope(activation, weights, X, dA):
    A, stds = X, []
    for W in weights:
        A, _ = activation_forward(A @ W, activation)
        stds.append(A.std())
    norms = []
    for W in reversed(weights):
        norms.insert(0, np.linalg.norm(dA))
        dA = dA @ W.T
    return {"std": np.array(stds), "grad_norm": np.array(norms)}


@wrong("layer_stats_through_depth", "l1_norm")
def layer_stats_abs_sum(activation, weights, X, dA):
    A, caches, stds = X, [], []
    for W in weights:
        A, cache = activation_forward(A @ W, activation)
        caches.append((W, cache))
        stds.append(A.std())
    norms = np.zeros(len(weights))
    for i in range(len(weights) - 1, -1, -1):
        norms[i] = np.abs(dA).sum()
        W, cache = caches[i]
        dA = activation_backward(dA, cache) @ W.T
    return {"std": np.array(stds), "grad_norm": norms}


@wrong("symmetric_units", "copies")
def symmetric_units_repeats(W):
    n = W.shape[1]
    repeated = [j for j in range(n) if any(np.allclose(W[:, j], W[:, k], atol=1e-9, rtol=0) for k in range(j))]
    return len(repeated)


@wrong("symmetric_units", "exact")
def symmetric_units_set(W):
    return len(set(map(tuple, W.T.tolist())))
