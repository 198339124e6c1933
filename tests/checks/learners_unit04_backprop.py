"""Unit 04 learner corpus: right and wrong answers coded the way learners code them (numpy only).

Wrong answers are written independently of the checker's mutants; each names its mistakes.
"""

import numpy as np

from corpus import Corpus

CORPUS = Corpus()
correct, wrong = CORPUS.correct, CORPUS.wrong


# --- scalar_graph_backward -----------------------------------------------------------------------

@correct("scalar_graph_backward")
def graph_gate_by_gate(x, y, z, w):
    a, m = x * y, max(y, z)
    s = a + m
    f = s * w
    ds = w
    dy_from_max = ds if y >= z else 0.0
    dz = 0.0 if y >= z else ds
    return f, ds * y, ds * x + dy_from_max, dz, s


@correct("scalar_graph_backward")
def graph_with_numpy_where(x, y, z, w):
    s = x * y + np.maximum(y, z)
    y_wins = float(np.where(y >= z, 1.0, 0.0))
    return float(s * w), w * y, w * x + w * y_wins, w * (1.0 - y_wins), float(s)


@wrong("scalar_graph_backward", "fork_only_mul")
def graph_forgets_the_fork(x, y, z, w):
    s = x * y + max(y, z)
    dx, dy = w * y, w * x
    dz = w if z > y else 0.0
    return s * w, dx, dy, dz, s


@wrong("scalar_graph_backward", "fork_only_max")
def graph_overwrites_dy(x, y, z, w):
    s = x * y + max(y, z)
    ds = w
    dx = ds * y
    dy = ds * x
    if y >= z:
        dy = ds          # should be +=
        dz = 0.0
    else:
        dz = ds
    return s * w, dx, dy, dz, s


@wrong("scalar_graph_backward", "max_to_both")
def graph_max_like_add(x, y, z, w):
    s = x * y + max(y, z)
    return s * w, w * y, w * x + w, w, s


@wrong("scalar_graph_backward", "mul_own_input")
def graph_multiply_keeps_own(x, y, z, w):
    a, m = x * y, max(y, z)
    ds = w
    dx, dy = ds * x, ds * y
    if y >= z:
        dy += ds
        dz = 0.0
    else:
        dz = ds
    return (a + m) * w, dx, dy, dz, a + m


@wrong("scalar_graph_backward", "no_upstream")
def graph_local_only(x, y, z, w):
    s = x * y + max(y, z)
    dx, dy = y, x
    if y >= z:
        dy += 1
        dz = 0
    else:
        dz = 1
    return s * w, dx, dy, dz, s


@wrong("scalar_graph_backward", "tie_to_z")
def graph_strict_max(x, y, z, w):
    s = x * y + max(y, z)
    if y > z:
        return s * w, w * y, w * x + w, 0.0, s
    return s * w, w * y, w * x, w, s


@wrong("scalar_graph_backward", "factor:-1")
def graph_descent_signs(x, y, z, w):
    s = x * y + max(y, z)
    g = -w                                  # "gradients point downhill"
    return s * w, g * y, g * x + (g if y >= z else 0.0), 0.0 if y >= z else g, -s


@wrong("scalar_graph_backward", "dw_without_max")
def graph_dw_only_product(x, y, z, w):
    s = x * y + max(y, z)
    return s * w, w * y, w * x + (w if y >= z else 0.0), 0.0 if y >= z else w, x * y


# --- dense_backward ------------------------------------------------------------------------------

@correct("dense_backward")
def dense_backward_plain(dZ, cache):
    X, W = cache
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)


@correct("dense_backward")
def dense_backward_einsum(dZ, cache):
    X, W = cache
    return np.einsum("ij,kj->ik", dZ, W), np.einsum("ik,ij->kj", X, dZ), np.sum(dZ, 0)


@wrong("dense_backward", "dX_no_transpose")
def dense_backward_forgets_transpose(dZ, cache):
    X, W = cache
    return np.dot(dZ, W), np.dot(X.T, dZ), np.sum(dZ, axis=0)


@wrong("dense_backward", "dW_transposed", "transposed")
def dense_backward_dW_wrong_order(dZ, cache):
    X, W = cache
    return dZ @ W.T, dZ.T @ X, dZ.sum(axis=0)


@wrong("dense_backward", "db_mean", "factor:1/batch")
def dense_backward_mean_bias(dZ, cache):
    X, W = cache
    return dZ @ W.T, X.T @ dZ, np.mean(dZ, axis=0)


@wrong("dense_backward", "db_wrong_axis", "wrong_axis")
def dense_backward_bias_per_sample(dZ, cache):
    X, W = cache
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=1)


@wrong("dense_backward", "db_total")
def dense_backward_bias_scalar(dZ, cache):
    X, W = cache
    return dZ @ W.T, X.T @ dZ, np.sum(dZ)


@wrong("dense_backward", "dW_mean", "factor:1/batch")
def dense_backward_averages_weights(dZ, cache):
    X, W = cache
    n = X.shape[0]
    return dZ @ W.T, X.T @ dZ / n, dZ.sum(axis=0)


@wrong("dense_backward", "swapped")
def dense_backward_order(dZ, cache):
    X, W = cache
    return X.T @ dZ, dZ @ W.T, dZ.sum(axis=0)


# --- relu_backward -------------------------------------------------------------------------------

@correct("relu_backward")
def relu_backward_mask(dA, cache):
    Z, _ = cache
    return dA * (Z > 0)


@correct("relu_backward")
def relu_backward_where(dA, cache):
    Z = cache[0]
    return np.where(Z > 0, dA, 0.0)


@correct("relu_backward")
def relu_backward_copy(dA, cache):
    dZ = np.array(dA, dtype=float)
    dZ[cache[0] <= 0] = 0
    return dZ


@wrong("relu_backward", "kink_one")
def relu_backward_ge(dA, cache):
    Z, _ = cache
    return dA * (Z >= 0)


@wrong("relu_backward", "relu_of_dA")
def relu_backward_on_gradient(dA, cache):
    return np.maximum(0, dA)


@wrong("relu_backward", "mask_only")
def relu_backward_just_derivative(dA, cache):
    Z, _ = cache
    return (Z > 0).astype(float)


@wrong("relu_backward", "times_Z")
def relu_backward_times_output(dA, cache):
    Z, act = cache
    return dA * act.fn(Z)


@wrong("relu_backward", "returned_input")
def relu_backward_pass_through(dA, cache):
    return dA


@wrong("relu_backward", "in_place")
def relu_backward_in_place(dA, cache):
    Z, _ = cache
    dA[Z <= 0] = 0
    return dA


# --- softmax_cross_entropy -----------------------------------------------------------------------

@correct("softmax_cross_entropy")
def softmax_ce_stable(logits, y):
    n = logits.shape[0]
    z = logits - np.max(logits, axis=1, keepdims=True)
    p = np.exp(z) / np.sum(np.exp(z), axis=1, keepdims=True)
    loss = -np.mean(z[np.arange(n), y] - np.log(np.sum(np.exp(z), axis=1)))
    onehot = np.zeros_like(p)
    onehot[np.arange(n), y] = 1
    return loss, (p - onehot) / n


@wrong("softmax_cross_entropy", "log_of_underflow")
def softmax_ce_loop(logits, y):
    n, k = logits.shape
    loss, grad = 0.0, np.zeros((n, k))
    for i in range(n):
        z = logits[i] - logits[i].max()
        p = np.exp(z) / np.exp(z).sum()
        loss -= np.log(p[y[i]])
        grad[i] = p
        grad[i, y[i]] -= 1
    return loss / n, grad / n


@correct("softmax_cross_entropy")
def softmax_ce_rows_logsumexp(logits, y):
    n, k = logits.shape
    loss, grad = 0.0, np.zeros((n, k))
    for i in range(n):
        c = logits[i].max()
        log_norm = c + np.log(np.sum(np.exp(logits[i] - c)))
        loss += log_norm - logits[i, y[i]]
        grad[i] = np.exp(logits[i] - log_norm)
        grad[i, y[i]] -= 1
    return loss / n, grad / n


@wrong("softmax_cross_entropy", "no_max_shift")
def softmax_ce_naive(logits, y):
    n = len(y)
    e = np.exp(logits)
    p = e / e.sum(axis=1, keepdims=True)
    loss = -np.log(p[range(n), y]).mean()
    p[range(n), y] -= 1
    return loss, p / n


def log_softmax(logits):
    z = logits - logits.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


@wrong("softmax_cross_entropy", "grad_no_batch", "factor:batch")
def softmax_ce_forgets_mean_in_grad(logits, y):
    rows = np.arange(len(y))
    log_p = log_softmax(logits)
    p = np.exp(log_p)
    p[rows, y] -= 1
    return -log_p[rows, y].mean(), p


@wrong("softmax_cross_entropy", "grad_batch_twice", "factor:1/batch")
def softmax_ce_divides_twice(logits, y):
    n = len(y)
    log_p = log_softmax(logits)
    loss = -np.sum(log_p[np.arange(n), y]) / n
    dlogits = (np.exp(log_p) - np.eye(logits.shape[1])[y]) / n
    return loss, dlogits / n


@wrong("softmax_cross_entropy", "loss_sum", "factor:batch")
def softmax_ce_total_loss(logits, y):
    n = len(y)
    z = logits - logits.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    grad = np.exp(logp)
    grad[np.arange(n), y] -= 1
    return -logp[np.arange(n), y].sum(), grad / n


@wrong("softmax_cross_entropy", "grad_sign", "factor:-1")
def softmax_ce_y_minus_p(logits, y):
    n = len(y)
    z = logits - logits.max(axis=1, keepdims=True)
    log_p = z - np.log(np.sum(np.exp(z), axis=1))[:, None]
    Y = np.eye(logits.shape[1])[y]
    return -np.mean(log_p[np.arange(n), y]), (Y - np.exp(log_p)) / n


@wrong("softmax_cross_entropy", "grad_no_onehot")
def softmax_ce_grad_is_p(logits, y):
    n = len(y)
    z = logits - logits.max(axis=1, keepdims=True)
    log_p = z - np.log(np.sum(np.exp(z), axis=1, keepdims=True))
    return -np.sum(log_p * np.eye(logits.shape[1])[y]) / n, np.exp(log_p) / n


# --- mlp_backward --------------------------------------------------------------------------------

def dense_backward(dZ, cache):
    X, W = cache
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)


def relu_backward(dA, cache):
    return dA * (cache[0] > 0)


@correct("mlp_backward")
def mlp_backward_loop(dout, caches, dense_backward=dense_backward, relu_backward=relu_backward):
    grads = []
    dA = dout
    for dense_cache, act_cache in caches[::-1]:
        if act_cache is not None:
            Z, act = act_cache
            dA = dA * act.grad(Z)
        dA, dW, db = dense_backward(dA, dense_cache)
        grads.insert(0, {"W": dW, "b": db})
    return grads


@correct("mlp_backward")
def mlp_backward_with_relu(dout, caches, dense_backward=dense_backward, relu_backward=relu_backward):
    grads = [None] * len(caches)
    dA = dout
    for i in range(len(caches) - 1, -1, -1):
        dense_cache, act_cache = caches[i]
        if act_cache is None:
            dZ = dA
        elif act_cache[1].name == "relu":
            dZ = relu_backward(dA, act_cache)
        else:
            dZ = dA * act_cache[1].grad(act_cache[0])
        dA, dW, db = dense_backward(dZ, dense_cache)
        grads[i] = {"W": dW, "b": db}
    return grads


@wrong("mlp_backward", "phi_at_A")
def mlp_backward_grad_of_output(dout, caches, dense_backward=dense_backward, relu_backward=relu_backward):
    grads, dA = [], dout
    for dense_cache, act_cache in reversed(caches):
        if act_cache:
            Z, act = act_cache
            A = act.fn(Z)
            dA = dA * act.grad(A)
        dA, dW, db = dense_backward(dA, dense_cache)
        grads.append({"W": dW, "b": db})
    return grads[::-1]


@wrong("mlp_backward", "no_activation")
def mlp_backward_linear_only(dout, caches, dense_backward=dense_backward, relu_backward=relu_backward):
    grads, dA = [], dout
    for dense_cache, _ in reversed(caches):
        dA, dW, db = dense_backward(dA, dense_cache)
        grads.append({"W": dW, "b": db})
    return list(reversed(grads))


@wrong("mlp_backward", "grads_reversed")
def mlp_backward_append_order(dout, caches, dense_backward=dense_backward, relu_backward=relu_backward):
    grads, dA = [], dout
    for dense_cache, act_cache in reversed(caches):
        if act_cache is not None:
            dA = dA * act_cache[1].grad(act_cache[0])
        dA, dW, db = dense_backward(dA, dense_cache)
        grads.append({"W": dW, "b": db})
    return grads


@wrong("mlp_backward", "dW_transposed", "transposed")
def mlp_backward_dW_upside_down(dout, caches, dense_backward=dense_backward, relu_backward=relu_backward):
    grads, dA = [None] * len(caches), dout
    for i in range(len(caches) - 1, -1, -1):
        (X, W), act_cache = caches[i]
        dZ = dA if act_cache is None else dA * act_cache[1].grad(act_cache[0])
        grads[i] = {"W": dZ.T @ X, "b": dZ.sum(0)}
        dA = dZ @ W.T
    return grads


@wrong("mlp_backward", "db_mean", "factor:1/batch")
def mlp_backward_mean_bias(dout, caches, dense_backward=dense_backward, relu_backward=relu_backward):
    grads = {}
    upstream = dout
    for layer in reversed(range(len(caches))):
        (X, W), act_cache = caches[layer]
        if act_cache:
            upstream = upstream * act_cache[1].grad(act_cache[0])
        grads[layer] = {"W": X.T @ upstream, "b": np.mean(upstream, axis=0)}
        upstream = upstream @ W.T
    return [grads[layer] for layer in range(len(caches))]


@wrong("mlp_backward", "relu_everywhere")
def mlp_backward_assumes_relu(dout, caches, dense_backward=dense_backward, relu_backward=relu_backward):
    grads, dA = [None] * len(caches), dout
    for i in reversed(range(len(caches))):
        (X, W), act_cache = caches[i]
        dZ = dA if act_cache is None else dA * (act_cache[0] > 0)
        grads[i] = {"W": X.T @ dZ, "b": dZ.sum(axis=0)}
        dA = dZ @ W.T
    return grads


# --- numerical_gradient --------------------------------------------------------------------------

@correct("numerical_gradient")
def numgrad_in_place(f, x, h=1e-5):
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    while not it.finished:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        fm = f(x)
        x[i] = old
        grad[i] = (fp - fm) / (2 * h)
        it.iternext()
    return grad


@correct("numerical_gradient")
def numgrad_with_copies(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = h
        e = e.reshape(x.shape)
        grad.flat[i] = (f(x + e) - f(x - e)) / (2 * h)
    return grad


@wrong("numerical_gradient", "forward_difference")
def numgrad_forward(f, x, h=1e-5):
    grad = np.zeros_like(x)
    f0 = f(x)
    for idx in np.ndindex(x.shape):
        xp = x.copy()
        xp[idx] += h
        grad[idx] = (f(xp) - f0) / h
    return grad


@wrong("numerical_gradient", "divide_by_h", "factor:2")
def numgrad_one_h(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[idx] += h
        xm[idx] -= h
        grad[idx] = (f(xp) - f(xm)) / h
    return grad


@wrong("numerical_gradient", "precedence")
def numgrad_precedence(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        fp = f(x)
        x[idx] = old - h
        fm = f(x)
        x[idx] = old
        grad[idx] = fp - fm / (2 * h)
    return grad


@wrong("numerical_gradient", "rows_at_once")
def numgrad_rows(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in range(len(x)):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        grad[i] = (f(xp) - f(xm)) / (2 * h)
    return grad


@wrong("numerical_gradient", "in_place")
def numgrad_never_restores(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        x[idx] += h
        fp = f(x)
        x[idx] -= 2 * h
        fm = f(x)
        grad[idx] = (fp - fm) / (2 * h)
    return grad


# --- sgd_step ------------------------------------------------------------------------------------

@correct("sgd_step")
def sgd_step_comprehension(params, grads, lr):
    return [{k: p[k] - lr * g[k] for k in p} for p, g in zip(params, grads)]


@correct("sgd_step")
def sgd_step_copy_then_update(params, grads, lr):
    new = []
    for layer, grad in zip(params, grads):
        W = layer["W"].copy()
        W -= lr * grad["W"]
        new.append({"W": W, "b": layer["b"] - lr * grad["b"]})
    return new


@wrong("sgd_step", "ascent")
def sgd_step_plus(params, grads, lr):
    return [{"W": p["W"] + lr * g["W"], "b": p["b"] + lr * g["b"]} for p, g in zip(params, grads)]


@wrong("sgd_step", "no_lr")
def sgd_step_full_gradient(params, grads, lr):
    return [{k: p[k] - g[k] for k in p} for p, g in zip(params, grads)]


@wrong("sgd_step", "divide_by_lr")
def sgd_step_over_lr(params, grads, lr):
    return [{k: p[k] - g[k] / lr for k in p} for p, g in zip(params, grads)]


@wrong("sgd_step", "weights_only")
def sgd_step_forgets_bias(params, grads, lr):
    return [{"W": p["W"] - lr * g["W"], "b": p["b"]} for p, g in zip(params, grads)]


@wrong("sgd_step", "returns_step")
def sgd_step_returns_delta(params, grads, lr):
    return [{k: -lr * g[k] for k in g} for g in grads]


@wrong("sgd_step", "in_place")
def sgd_step_in_place(params, grads, lr):
    for p, g in zip(params, grads):
        p["W"] -= lr * g["W"]
        p["b"] -= lr * g["b"]
    return params
