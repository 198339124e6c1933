"""Unit 05 learner corpus: right and wrong answers coded the way learners code them (numpy only).

Wrong answers are written independently of the checker's mutants; each names its mistakes.
"""

import math

import numpy as np

from corpus import Corpus
from nnkit._special import erf

CORPUS = Corpus()
correct, wrong = CORPUS.correct, CORPUS.wrong


# --- sigmoid ---------------------------------------------------------------------------------

@correct("sigmoid")
def sigmoid_where(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    s = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return s, s * (1 - s)


@correct("sigmoid")
def sigmoid_clipped(z):
    s = 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))
    return s, s * (1 - s)


@correct("sigmoid")
def sigmoid_via_tanh(z):
    s = 0.5 * (1 + np.tanh(0.5 * np.asarray(z, float)))
    return s, s - s**2


@wrong("sigmoid", "naive_overflow")
def sigmoid_textbook(z):
    s = 1 / (1 + np.exp(-z))
    return s, s * (1 - s)


@wrong("sigmoid", "naive_overflow")
def sigmoid_exp_ratio(z):
    ez = np.exp(z)
    sig = ez / (1 + ez)
    return sig, sig * (1 - sig)


@wrong("sigmoid", "grad_is_value")
def sigmoid_grad_same(z):
    z = np.asarray(z, float)
    e = np.exp(-np.abs(z))
    s = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return s, s


@wrong("sigmoid", "grad_of_z")
def sigmoid_grad_on_input(z):
    z = np.asarray(z, float)
    e = np.exp(-np.abs(z))
    s = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return s, z * (1 - z)


@wrong("sigmoid", "grad_sign", "factor:-1")
def sigmoid_grad_flipped(z):
    z = np.asarray(z, float)
    e = np.exp(-np.abs(z))
    s = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return s, s * (s - 1)


@wrong("sigmoid", "naive_overflow", "grad_is_value")
def sigmoid_naive_and_grad_same(z):
    s = 1 / (1 + np.exp(-z))
    return s, s


# --- tanh ------------------------------------------------------------------------------------

def _stable_sigmoid(z):
    z = np.asarray(z, float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


@correct("tanh")
def tanh_via_sigmoid(z):
    t = 2 * _stable_sigmoid(2 * z) - 1
    return t, 1 - t * t


@correct("tanh")
def tanh_numpy(z):
    return np.tanh(z), 1 / np.cosh(np.clip(z, -300, 300)) ** 2


@wrong("tanh", "grad_one_minus_tanh")
def tanh_grad_not_squared(z):
    t = 2 * _stable_sigmoid(2 * z) - 1
    return t, 1 - t


@wrong("tanh", "no_inner_two")
def tanh_forgot_double(z):
    s = _stable_sigmoid(z)
    return 2 * s - 1, 2 * s * (1 - s)


@wrong("tanh", "no_minus_one", "offset")
def tanh_no_shift(z):
    t = 2 * _stable_sigmoid(2 * z)
    return t, 1 - (t - 1) ** 2


@wrong("tanh", "chain_factor", "factor:1/2")
def tanh_grad_from_sigmoid(z):
    s = _stable_sigmoid(2 * z)
    return 2 * s - 1, 2 * s * (1 - s)


@wrong("tanh", "grad_of_z")
def tanh_grad_of_input(z):
    return np.tanh(z), 1 - z**2


# --- relu ------------------------------------------------------------------------------------

@correct("relu")
def relu_maximum(z):
    return np.maximum(0, z), (z > 0).astype(float)


@correct("relu")
def relu_mask(z):
    z = np.asarray(z, float)
    mask = z > 0
    return z * mask, mask * 1.0


@wrong("relu", "grad_one_at_zero")
def relu_ge(z):
    return np.maximum(z, 0), np.where(z >= 0, 1.0, 0.0)


@wrong("relu", "grad_is_value")
def relu_grad_is_relu(z):
    r = np.maximum(z, 0.0)
    return r, r


@wrong("relu", "value_is_step")
def relu_step_value(z):
    d = np.where(z > 0, 1.0, 0.0)
    return d, d


@wrong("relu", "negative_part")
def relu_minimum(z):
    return np.minimum(z, 0.0), (z < 0).astype(float)


@wrong("relu", "grad_half_at_zero")
def relu_half(z):
    return np.maximum(z, 0.0), np.heaviside(z, 0.5)


# --- leaky_relu ------------------------------------------------------------------------------

@correct("leaky_relu")
def leaky_where(z, alpha=0.01):
    return np.where(z > 0, z, alpha * z), np.where(z > 0, 1.0, alpha)


@correct("leaky_relu")
def leaky_maximum(z, alpha=0.01):
    z = np.asarray(z, float)
    return np.maximum(z, alpha * z), np.where(z > 0, 1, alpha).astype(float)


@wrong("leaky_relu", "wrong_side")
def leaky_swapped(z, alpha=0.01):
    return np.where(z < 0, z, alpha * z), np.where(z < 0, 1.0, alpha)


@wrong("leaky_relu", "wrong_side")
def leaky_swapped_negative_test(z, alpha=0.01):
    neg = z < 0
    return np.where(neg, z, alpha * z), np.where(neg, 1.0, alpha)


@wrong("leaky_relu", "grad_one_at_zero")
def leaky_ge(z, alpha=0.01):
    return np.where(z > 0, z, alpha * z), np.where(z >= 0, 1.0, alpha)


@wrong("leaky_relu", "fixed_alpha")
def leaky_constant(z, alpha=0.01):
    return np.where(z > 0, z, 0.01 * z), np.where(z > 0, 1.0, 0.01)


@wrong("leaky_relu", "grad_alpha_z")
def leaky_grad_value(z, alpha=0.01):
    leak = alpha * z
    return np.where(z > 0, z, leak), np.where(z > 0, 1.0, leak)


@wrong("leaky_relu", "grad_zero_left", "integers")
def leaky_grad_relu(z, alpha=0.01):
    return np.where(z > 0, z, alpha * z), (z > 0) * 1.0


# --- elu -------------------------------------------------------------------------------------

@correct("elu")
def elu_minimum(z, alpha=1.0):
    z = np.asarray(z, float)
    neg = np.minimum(z, 0)
    return np.where(z > 0, z, alpha * np.expm1(neg)), np.where(z > 0, 1.0, alpha * np.exp(neg))


@correct("elu")
def elu_masked(z, alpha=1.0):
    z = np.array(z, dtype=float)
    value, grad = z.copy(), np.ones_like(z)
    neg = z <= 0
    value[neg] = alpha * (np.exp(z[neg]) - 1)
    grad[neg] = alpha * np.exp(z[neg])
    return value, grad


@wrong("elu", "where_overflow")
def elu_where(z, alpha=1.0):
    return np.where(z > 0, z, alpha * (np.exp(z) - 1)), np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0)))


@wrong("elu", "grad_alpha")
def elu_grad_constant(z, alpha=1.0):
    z = np.asarray(z, float)
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0))), np.where(z > 0, 1.0, alpha)


@wrong("elu", "grad_is_value")
def elu_grad_value(z, alpha=1.0):
    z = np.asarray(z, float)
    v = np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0)))
    return v, np.where(z > 0, 1.0, v)


@wrong("elu", "no_alpha")
def elu_no_alpha(z, alpha=1.0):
    z = np.asarray(z, float)
    e = np.exp(np.minimum(z, 0))
    return np.where(z > 0, z, e - 1), np.where(z > 0, 1.0, e)


@wrong("elu", "no_minus_one")
def elu_no_minus_one(z, alpha=1.0):
    z = np.asarray(z, float)
    e = np.exp(np.minimum(z, 0))
    return np.where(z > 0, z, alpha * e), np.where(z > 0, 1.0, alpha * e)


# --- gelu ------------------------------------------------------------------------------------

@correct("gelu")
def gelu_erf(z):
    cdf = 0.5 * (1 + erf(z / np.sqrt(2)))
    return z * cdf, cdf + z * np.exp(-z**2 / 2) / np.sqrt(2 * np.pi)


@correct("gelu")
def gelu_math_erf(z):
    z = np.asarray(z, float)
    cdf = 0.5 * (1 + np.vectorize(math.erf)(z / math.sqrt(2)))
    pdf = np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
    return z * cdf, cdf + z * pdf


@wrong("gelu", "sigmoid_for_phi")
def gelu_with_sigmoid(z):
    s = _stable_sigmoid(z)
    return z * s, s + z * s * (1 - s)


@wrong("gelu", "tanh_approximation")
def gelu_tanh_instead(z):
    u = np.sqrt(2 / np.pi) * (z + 0.044715 * z**3)
    th = np.tanh(u)
    du = np.sqrt(2 / np.pi) * (1 + 3 * 0.044715 * z**2)
    return 0.5 * z * (1 + th), 0.5 * (1 + th) + 0.5 * z * (1 - th**2) * du


@wrong("gelu", "erf_no_sqrt2")
def gelu_forgot_sqrt2(z):
    cdf = 0.5 * (1 + erf(z))
    return z * cdf, cdf + z * np.exp(-z**2) / np.sqrt(np.pi)


@wrong("gelu", "grad_no_product_rule")
def gelu_grad_cdf_only(z):
    cdf = 0.5 * (1 + erf(z / np.sqrt(2)))
    return z * cdf, cdf


@wrong("gelu", "pdf_unnormalised")
def gelu_pdf_no_constant(z):
    cdf = 0.5 * (1 + erf(z / np.sqrt(2)))
    return z * cdf, cdf + z * np.exp(-z**2 / 2)


@wrong("gelu", "phi_is_erf")
def gelu_erf_as_cdf(z):
    cdf = erf(z / np.sqrt(2))
    return z * cdf, cdf + z * np.sqrt(2 / np.pi) * np.exp(-z**2 / 2)


# --- gelu_tanh -------------------------------------------------------------------------------

@correct("gelu_tanh")
def gelu_tanh_chain(z):
    k = math.sqrt(2 / math.pi)
    u = k * (z + 0.044715 * z**3)
    t = np.tanh(u)
    return 0.5 * z * (1 + t), 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * k * (1 + 0.134145 * z**2)


@wrong("gelu_tanh", "no_cubic")
def gelu_tanh_linear(z):
    k = np.sqrt(2 / np.pi)
    t = np.tanh(k * z)
    return 0.5 * z * (1 + t), 0.5 * (1 + t) + 0.5 * z * (1 - t**2) * k


@wrong("gelu_tanh", "grad_no_product_rule")
def gelu_tanh_grad_gate(z):
    t = np.tanh(np.sqrt(2 / np.pi) * (z + 0.044715 * z**3))
    return 0.5 * z * (1 + t), 0.5 * (1 + t)


@wrong("gelu_tanh", "grad_cubic_factor")
def gelu_tanh_forgot_three(z):
    k = np.sqrt(2 / np.pi)
    t = np.tanh(k * (z + 0.044715 * z**3))
    return 0.5 * z * (1 + t), 0.5 * (1 + t) + 0.5 * z * (1 - t**2) * k * (1 + 0.044715 * z**2)


@wrong("gelu_tanh", "no_sqrt")
def gelu_tanh_two_over_pi(z):
    k = 2 / np.pi
    t = np.tanh(k * (z + 0.044715 * z**3))
    return 0.5 * z * (1 + t), 0.5 * (1 + t) + 0.5 * z * (1 - t**2) * k * (1 + 3 * 0.044715 * z**2)


@wrong("gelu_tanh", "exact_gelu")
def gelu_tanh_exact(z):
    cdf = 0.5 * (1 + erf(z / np.sqrt(2)))
    return z * cdf, cdf + z * np.exp(-z**2 / 2) / np.sqrt(2 * np.pi)


# --- silu ------------------------------------------------------------------------------------

@correct("silu")
def silu_product(z):
    s = _stable_sigmoid(z)
    return z * s, s + z * s * (1 - s)


@wrong("silu", "grad_sigma_only")
def silu_grad_sigmoid(z):
    s = _stable_sigmoid(z)
    return z * s, s


@wrong("silu", "grad_z_sigma_prime")
def silu_grad_no_sigma(z):
    s = _stable_sigmoid(z)
    return z * s, z * s * (1 - s)


@wrong("silu", "value_is_sigmoid")
def silu_just_sigmoid(z):
    s = _stable_sigmoid(z)
    return s, s * (1 - s)


@wrong("silu", "sigma_squared")
def silu_sigma_squared(z):
    s = _stable_sigmoid(z)
    return z * s, s + z * s**2


@wrong("silu", "grad_one_minus")
def silu_sign(z):
    s = _stable_sigmoid(z)
    return z * s, s * (1 - z * (1 - s))


# --- swiglu ----------------------------------------------------------------------------------

@correct("swiglu")
def swiglu_two_branches(X, W, V):
    gate = X @ W
    return gate * _stable_sigmoid(gate) * (X @ V)


@correct("swiglu")
def swiglu_einsum(X, W, V):
    a, b = np.einsum("nd,dh->nh", X, W), np.einsum("nd,dh->nh", X, V)
    return a / (1 + np.exp(-np.clip(a, -500, 500))) * b


@wrong("swiglu", "gate_swapped")
def swiglu_gate_on_v(X, W, V):
    g = X @ V
    return g * _stable_sigmoid(g) * (X @ W)


@wrong("swiglu", "sigmoid_gate")
def swiglu_glu(X, W, V):
    return _stable_sigmoid(X @ W) * (X @ V)


@wrong("swiglu", "relu_gate")
def swiglu_reglu(X, W, V):
    return np.maximum(X @ W, 0) * (X @ V)


@wrong("swiglu", "silu_of_product")
def swiglu_product_first(X, W, V):
    p = (X @ W) * (X @ V)
    return p * _stable_sigmoid(p)


@wrong("swiglu", "sum")
def swiglu_added(X, W, V):
    g = X @ W
    return g * _stable_sigmoid(g) + X @ V


@wrong("swiglu", "no_linear_branch")
def swiglu_no_value(X, W, V):
    g = X @ W
    return g * _stable_sigmoid(g)


@wrong("swiglu", "transposed")
def swiglu_columns(X, W, V):
    g = X @ W
    return (g * _stable_sigmoid(g) * (X @ V)).T


# --- dead_fraction ---------------------------------------------------------------------------

@correct("dead_fraction")
def dead_all_columns(Z):
    return float(np.mean(np.all(Z <= 0, axis=0)))


@correct("dead_fraction")
def dead_max_per_unit(Z):
    return (Z.max(axis=0) <= 0).sum() / Z.shape[1]


@correct("dead_fraction")
def dead_loop(Z):
    dead = 0
    for j in range(Z.shape[1]):
        if not np.any(Z[:, j] > 0):
            dead += 1
    return dead / Z.shape[1]


@wrong("dead_fraction", "zero_entries")
def dead_sparsity(Z):
    return float((Z <= 0).mean())


@wrong("dead_fraction", "strict")
def dead_strictly_negative(Z):
    return float(np.mean((Z < 0).all(axis=0)))


@wrong("dead_fraction", "dead_samples")
def dead_rows(Z):
    return float(np.mean((Z <= 0).all(axis=1)))


@wrong("dead_fraction", "count")
def dead_count(Z):
    return int(np.sum(np.all(Z <= 0, axis=0)))


@wrong("dead_fraction", "any_off")
def dead_any(Z):
    return float(np.mean(np.any(Z <= 0, axis=0)))


@wrong("dead_fraction", "percent")
def dead_percent(Z):
    return 100 * np.all(Z <= 0, axis=0).mean()


# --- gradient_through_depth ------------------------------------------------------------------

@correct("gradient_through_depth")
def chain_loop(activation, x, w, b):
    a, g, cols = np.array(x, float), np.ones(len(x)), []
    for l in range(len(w)):
        a, d = activation(w[l] * a + b[l])
        g = g * w[l] * d
        cols.append(g)
    return np.stack(cols, axis=1)


@correct("gradient_through_depth")
def chain_cumprod(activation, x, w, b):
    a, factors = np.asarray(x, float), []
    for w_l, b_l in zip(w, b):
        a, d = activation(w_l * a + b_l)
        factors.append(w_l * d)
    return np.cumprod(np.array(factors).T, axis=1)


@wrong("gradient_through_depth", "no_weight")
def chain_no_w(activation, x, w, b):
    a, factors = np.asarray(x, float), []
    for w_l, b_l in zip(w, b):
        a, d = activation(w_l * a + b_l)
        factors.append(d)
    return np.cumprod(np.array(factors).T, axis=1)


@wrong("gradient_through_depth", "value_for_slope")
def chain_values(activation, x, w, b):
    a, g, cols = np.asarray(x, float), 1.0, []
    for w_l, b_l in zip(w, b):
        a, _ = activation(w_l * a + b_l)
        g = g * w_l * a
        cols.append(g)
    return np.array(cols).T


@wrong("gradient_through_depth", "slope_at_output")
def chain_slope_after(activation, x, w, b):
    a, g, cols = np.asarray(x, float), np.ones(len(x)), []
    for w_l, b_l in zip(w, b):
        a, _ = activation(w_l * a + b_l)
        g = g * w_l * activation(a)[1]
        cols.append(g)
    return np.column_stack(cols)


@wrong("gradient_through_depth", "no_bias")
def chain_without_bias(activation, x, w, b):
    a, g, cols = np.asarray(x, float), np.ones(len(x)), []
    for w_l in w:
        a, d = activation(w_l * a)
        g = g * w_l * d
        cols.append(g)
    return np.column_stack(cols)


@wrong("gradient_through_depth", "summed")
def chain_sum(activation, x, w, b):
    a, factors = np.asarray(x, float), []
    for w_l, b_l in zip(w, b):
        a, d = activation(w_l * a + b_l)
        factors.append(w_l * d)
    return 1 + np.cumsum(np.array(factors).T, axis=1)


@wrong("gradient_through_depth", "transposed")
def chain_layers_as_rows(activation, x, w, b):
    a, g, rows = np.asarray(x, float), np.ones(len(x)), []
    for w_l, b_l in zip(w, b):
        a, d = activation(w_l * a + b_l)
        g = g * w_l * d
        rows.append(g)
    return np.array(rows)
