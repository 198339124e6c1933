"""Unit 07 learner corpus: right and wrong answers coded the way learners code them (numpy only).

Wrong answers are written independently of the checker's mutants; each names its mistakes.
The whole loop (``train``) uses nnkit's forward and backward passes, as the notebook hands them out.
"""

import numpy as np

from corpus import Corpus
from nnkit.mlp import init_mlp, mlp_backward, mlp_forward

CORPUS = Corpus()
correct, wrong = CORPUS.correct, CORPUS.wrong


# --- huber ---------------------------------------------------------------------------------------

@correct("huber")
def huber_with_where(y_pred, y, delta=1.0):
    r = y_pred - y
    n = r.shape[0]
    small = np.abs(r) <= delta
    loss = np.where(small, 0.5 * r**2, delta * (np.abs(r) - 0.5 * delta))
    return loss.sum() / n, np.clip(r, -delta, delta) / n


@correct("huber")
def huber_with_masks(y_pred, y, delta=1.0):
    r = np.asarray(y_pred - y, dtype=float)
    big = np.abs(r) > delta
    per = 0.5 * r * r
    per[big] = delta * np.abs(r[big]) - delta**2 / 2
    grad = r.copy()
    grad[big] = delta * np.sign(r[big])
    return float(per.sum() / len(r)), grad / len(r)


@wrong("huber", "branches_swapped")
def huber_line_inside(y_pred, y, delta=1.0):
    r = y_pred - y
    a = np.abs(r)
    loss = np.where(a > delta, 0.5 * r**2, delta * (a - delta / 2))
    grad = np.where(a > delta, r, delta * np.sign(r))
    return loss.sum() / len(r), grad / len(r)


@wrong("huber", "delta_missing_outside")
def huber_forgets_delta(y_pred, y, delta=1.0):
    r = y_pred - y
    a = np.abs(r)
    loss = np.where(a <= delta, r**2 / 2, a - delta / 2)
    grad = np.where(a <= delta, r, np.sign(r))
    return loss.sum() / len(r), grad / len(r)


@wrong("huber", "no_offset")
def huber_plain_line(y_pred, y, delta=1.0):
    r = y_pred - y
    loss = np.where(np.abs(r) <= delta, 0.5 * r**2, delta * np.abs(r))
    return np.sum(loss) / r.shape[0], np.clip(r, -delta, delta) / r.shape[0]


@wrong("huber", "grad_unclipped")
def huber_mse_gradient(y_pred, y, delta=1.0):
    r = y_pred - y
    loss = np.where(np.abs(r) <= delta, 0.5 * r**2, delta * (np.abs(r) - 0.5 * delta))
    return loss.sum() / len(r), r / len(r)


@wrong("huber", "mean_over_elements")
def huber_np_mean(y_pred, y, delta=1.0):
    r = y_pred - y
    loss = np.where(np.abs(r) <= delta, 0.5 * r**2, delta * (np.abs(r) - 0.5 * delta))
    return float(np.mean(loss)), np.clip(r, -delta, delta) / r.size


@wrong("huber", "grad_no_batch")
def huber_forgets_batch_in_grad(y_pred, y, delta=1.0):
    r = y_pred - y
    loss = np.where(np.abs(r) <= delta, 0.5 * r**2, delta * (np.abs(r) - 0.5 * delta))
    return loss.sum() / len(r), np.clip(r, -delta, delta)


@wrong("huber", "no_half")
def huber_full_square(y_pred, y, delta=1.0):
    r = y_pred - y
    loss = np.where(np.abs(r) <= delta, r**2, delta * (np.abs(r) - delta / 2))
    grad = np.where(np.abs(r) <= delta, 2 * r, delta * np.sign(r))
    return loss.sum() / len(r), grad / len(r)


# --- bce_with_logits -----------------------------------------------------------------------------

@correct("bce_with_logits")
def bce_stable_formula(z, y):
    n = z.shape[0]
    loss = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    sig = np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))
    return loss.sum() / n, (sig - y) / n


@correct("bce_with_logits")
def bce_with_logaddexp(z, y):
    loss = np.logaddexp(0.0, z) - y * z          # log(1 + e^z) - y z, computed stably by numpy
    p = np.exp(-np.logaddexp(0.0, -z))           # sigmoid(z) without overflow
    return float(np.sum(loss) / len(z)), (p - y) / len(z)


@wrong("bce_with_logits", "naive_log_sigmoid")
def bce_through_probabilities(z, y):
    p = 1 / (1 + np.exp(-z))
    loss = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    return loss.sum() / len(z), (p - y) / len(z)


@wrong("bce_with_logits", "softplus_overflow")
def bce_softplus_unguarded(z, y):
    loss = np.log(1 + np.exp(z)) - y * z
    p = np.exp(-np.logaddexp(0.0, -z))
    return loss.sum() / len(z), (p - y) / len(z)


@wrong("bce_with_logits", "grad_sign", "factor:-1")
def bce_gradient_upside_down(z, y):
    loss = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    p = np.exp(-np.logaddexp(0.0, -z))
    return loss.sum() / len(z), (y - p) / len(z)


@wrong("bce_with_logits", "grad_no_batch", "factor:batch")
def bce_gradient_not_averaged(z, y):
    loss = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    p = np.exp(-np.logaddexp(0.0, -z))
    return np.mean(loss.sum(axis=1)), p - y


@wrong("bce_with_logits", "loss_sum", "factor:batch")
def bce_total_loss(z, y):
    loss = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    p = np.exp(-np.logaddexp(0.0, -z))
    return float(loss.sum()), (p - y) / z.shape[0]


@wrong("bce_with_logits", "no_max_term")
def bce_forgets_the_max(z, y):
    loss = np.log1p(np.exp(-np.abs(z))) - z * y
    p = np.exp(-np.logaddexp(0.0, -z))
    return loss.sum() / len(z), (p - y) / len(z)


@wrong("bce_with_logits", "mean_over_elements", "factor:1/2")
def bce_mean_of_everything(z, y):
    loss = np.logaddexp(0.0, z) - y * z
    p = np.exp(-np.logaddexp(0.0, -z))
    return float(loss.mean()), (p - y) / z.size


# --- minibatches ---------------------------------------------------------------------------------

@correct("minibatches")
def batches_by_permutation(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    X, y = X[order], y[order]
    return [(X[i:i + batch_size], y[i:i + batch_size]) for i in range(0, len(X), batch_size)]


@correct("minibatches")
def batches_by_shuffled_index(X, y, batch_size, rng):
    idx = np.arange(X.shape[0])
    rng.shuffle(idx)
    out = []
    start = 0
    while start < len(idx):
        take = idx[start:start + batch_size]
        out.append((X[take], y[take]))
        start += batch_size
    return out


@wrong("minibatches", "drop_last", "off_by_one")
def batches_full_only(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    n_batches = len(X) // batch_size
    return [(X[order[k * batch_size:(k + 1) * batch_size]], y[order[k * batch_size:(k + 1) * batch_size]])
            for k in range(n_batches)]


@wrong("minibatches", "no_shuffle")
def batches_in_order(X, y, batch_size, rng):
    return [(X[i:i + batch_size], y[i:i + batch_size]) for i in range(0, len(X), batch_size)]


@wrong("minibatches", "own_generator")
def batches_with_fixed_seed(X, y, batch_size, rng):
    order = np.random.default_rng(42).permutation(len(X))
    return [(X[order][i:i + batch_size], y[order][i:i + batch_size]) for i in range(0, len(X), batch_size)]


@wrong("minibatches", "shuffled_apart")
def batches_shuffle_each(X, y, batch_size, rng):
    Xs = rng.permutation(X)
    ys = rng.permutation(y)
    return [(Xs[i:i + batch_size], ys[i:i + batch_size]) for i in range(0, len(X), batch_size)]


@wrong("minibatches", "drop_last", "no_shuffle")
def batches_reshape(X, y, batch_size, rng):
    n = len(X) // batch_size
    return [(X[k * batch_size:(k + 1) * batch_size], y[k * batch_size:(k + 1) * batch_size]) for k in range(n)]


@wrong("minibatches", "batch_count")
def batches_array_split(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    return [(X[part], y[part]) for part in np.array_split(order, batch_size) if len(part)]


# --- momentum_step -------------------------------------------------------------------------------

@correct("momentum_step")
def momentum_two_lines(p, g, velocity, lr, beta=0.9):
    velocity = beta * velocity + g
    return p - lr * velocity, velocity


@wrong("momentum_step", "ascent", "step_factor:-1")
def momentum_plus(p, g, velocity, lr, beta=0.9):
    v = beta * velocity + g
    return p + lr * v, v


@wrong("momentum_step", "old_velocity")
def momentum_step_then_update(p, g, velocity, lr, beta=0.9):
    p_new = p - lr * velocity
    velocity = beta * velocity + g
    return p_new, velocity


@wrong("momentum_step", "ema_velocity")
def momentum_as_average(p, g, velocity, lr, beta=0.9):
    v = beta * velocity + (1 - beta) * g
    return p - lr * v, v


@wrong("momentum_step", "lr_in_velocity")
def momentum_sutskever_style(p, g, velocity, lr, beta=0.9):
    v = beta * velocity - lr * g
    return p + v, v


@wrong("momentum_step", "beta_missing")
def momentum_running_sum(p, g, velocity, lr, beta=0.9):
    v = velocity + g
    return p - lr * v, v


@wrong("momentum_step", "beta_on_gradient")
def momentum_beta_wrong_place(p, g, velocity, lr, beta=0.9):
    v = velocity + beta * g
    return p - lr * v, v


@wrong("momentum_step", "in_place")
def momentum_in_place(p, g, velocity, lr, beta=0.9):
    velocity *= beta
    velocity += g
    p -= lr * velocity
    return p, velocity


# --- adam_step -----------------------------------------------------------------------------------

@correct("adam_step")
def adam_textbook(p, g, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    t = state["t"] + 1
    m = beta1 * state["m"] + (1 - beta1) * g
    s = beta2 * state["s"] + (1 - beta2) * g**2
    m_hat = m / (1 - beta1**t)
    s_hat = s / (1 - beta2**t)
    return p - lr * m_hat / (np.sqrt(s_hat) + eps), {"m": m, "s": s, "t": t}


@wrong("adam_step", "no_bias_correction")
def adam_uncorrected(p, g, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * state["m"] + (1 - beta1) * g
    s = beta2 * state["s"] + (1 - beta2) * g * g
    return p - lr * m / (np.sqrt(s) + eps), {"m": m, "s": s, "t": state["t"] + 1}


@wrong("adam_step", "t_from_zero")
def adam_counts_too_late(p, g, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    t = state["t"]
    m = beta1 * state["m"] + (1 - beta1) * g
    s = beta2 * state["s"] + (1 - beta2) * g * g
    m_hat, s_hat = m / (1 - beta1**t), s / (1 - beta2**t)
    p = p - lr * m_hat / (np.sqrt(s_hat) + eps)
    return p, {"m": m, "s": s, "t": t + 1}


@wrong("adam_step", "eps_inside_sqrt")
def adam_eps_under_root(p, g, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    t = state["t"] + 1
    m = beta1 * state["m"] + (1 - beta1) * g
    s = beta2 * state["s"] + (1 - beta2) * g**2
    step = (m / (1 - beta1**t)) / np.sqrt(s / (1 - beta2**t) + eps)
    return p - lr * step, {"m": m, "s": s, "t": t}


@wrong("adam_step", "betas_swapped")
def adam_betas_crossed(p, g, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    t = state["t"] + 1
    m = beta2 * state["m"] + (1 - beta2) * g
    s = beta1 * state["s"] + (1 - beta1) * g**2
    m_hat, s_hat = m / (1 - beta2**t), s / (1 - beta1**t)
    return p - lr * m_hat / (np.sqrt(s_hat) + eps), {"m": m, "s": s, "t": t}


@wrong("adam_step", "corrected_moments_stored")
def adam_overwrites_moments(p, g, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    t = state["t"] + 1
    m = (beta1 * state["m"] + (1 - beta1) * g) / (1 - beta1**t)
    s = (beta2 * state["s"] + (1 - beta2) * g**2) / (1 - beta2**t)
    return p - lr * m / (np.sqrt(s) + eps), {"m": m, "s": s, "t": t}


@wrong("adam_step", "no_sqrt")
def adam_divides_by_variance(p, g, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    t = state["t"] + 1
    m = beta1 * state["m"] + (1 - beta1) * g
    s = beta2 * state["s"] + (1 - beta2) * g**2
    return p - lr * (m / (1 - beta1**t)) / (s / (1 - beta2**t) + eps), {"m": m, "s": s, "t": t}


# --- train ---------------------------------------------------------------------------------------

def _zero_states(params):
    return [{k: {"m": np.zeros_like(a), "s": np.zeros_like(a), "t": 0} for k, a in layer.items()} for layer in params]


@correct("train")
def train_as_specified(X, y, sizes, lr, epochs, batch_size, seed, minibatches=None, adam_step=None,
                       bce_with_logits=None):
    rng = np.random.default_rng(seed)
    params = init_mlp(sizes, rng, "he_normal")
    states = _zero_states(params)
    losses = []
    for epoch in range(epochs):
        total = 0.0
        for Xb, yb in minibatches(X, y, batch_size, rng):
            out, caches = mlp_forward(Xb, params, "relu")
            loss, dout = bce_with_logits(out, yb)
            grads = mlp_backward(dout, caches)
            for i in range(len(params)):
                for key in ("W", "b"):
                    params[i][key], states[i][key] = adam_step(params[i][key], grads[i][key], states[i][key], lr)
            total += loss * len(Xb)
        losses.append(total / len(X))
    return params, losses


def _loop(X, y, sizes, lr, epochs, batch_size, seed, parts, *, shuffle_rng=None, record=None, reset=False):
    """A learner's loop with one knob per slip (the corpus answers below call it)."""
    minibatches, adam_step, bce_with_logits = parts
    rng = np.random.default_rng(seed)
    params = init_mlp(sizes, rng, "he_normal")
    shuffle_rng = rng if shuffle_rng is None else shuffle_rng
    states, losses = _zero_states(params), []
    for _ in range(epochs):
        if reset:
            states = _zero_states(params)
        batch_losses, sizes_seen = [], []
        for Xb, yb in minibatches(X, y, batch_size, shuffle_rng):
            out, caches = mlp_forward(Xb, params, "relu")
            loss, dout = bce_with_logits(out, yb)
            for layer, grad, state in zip(params, mlp_backward(dout, caches), states):
                for key in layer:
                    layer[key], state[key] = adam_step(layer[key], grad[key], state[key], lr)
            batch_losses.append(loss)
            sizes_seen.append(len(Xb))
        losses.append(record(batch_losses, sizes_seen) if record else np.dot(batch_losses, sizes_seen) / len(X))
    return params, losses


@wrong("train", "second_generator")
def train_new_rng_for_batches(X, y, sizes, lr, epochs, batch_size, seed, minibatches=None, adam_step=None,
                              bce_with_logits=None):
    return _loop(X, y, sizes, lr, epochs, batch_size, seed, (minibatches, adam_step, bce_with_logits),
                 shuffle_rng=np.random.default_rng(seed))


@wrong("train", "state_reset_each_epoch")
def train_fresh_adam_every_epoch(X, y, sizes, lr, epochs, batch_size, seed, minibatches=None, adam_step=None,
                                 bce_with_logits=None):
    return _loop(X, y, sizes, lr, epochs, batch_size, seed, (minibatches, adam_step, bce_with_logits), reset=True)


@wrong("train", "last_batch_loss")
def train_records_last_loss(X, y, sizes, lr, epochs, batch_size, seed, minibatches=None, adam_step=None,
                            bce_with_logits=None):
    return _loop(X, y, sizes, lr, epochs, batch_size, seed, (minibatches, adam_step, bce_with_logits),
                 record=lambda losses, counts: losses[-1])


@wrong("train", "unweighted_mean")
def train_plain_mean(X, y, sizes, lr, epochs, batch_size, seed, minibatches=None, adam_step=None,
                     bce_with_logits=None):
    return _loop(X, y, sizes, lr, epochs, batch_size, seed, (minibatches, adam_step, bce_with_logits),
                 record=lambda losses, counts: sum(losses) / len(losses))


@wrong("train", "summed_losses")
def train_sums_losses(X, y, sizes, lr, epochs, batch_size, seed, minibatches=None, adam_step=None,
                      bce_with_logits=None):
    return _loop(X, y, sizes, lr, epochs, batch_size, seed, (minibatches, adam_step, bce_with_logits),
                 record=lambda losses, counts: sum(losses))


@wrong("train", "second_generator")
def train_init_with_int_seed(X, y, sizes, lr, epochs, batch_size, seed, minibatches=None, adam_step=None,
                             bce_with_logits=None):
    params = init_mlp(sizes, seed, "he_normal")           # a Generator of its own, seeded alike
    rng = np.random.default_rng(seed)
    states, losses = _zero_states(params), []
    for _ in range(epochs):
        total = 0.0
        for Xb, yb in minibatches(X, y, batch_size, rng):
            out, caches = mlp_forward(Xb, params, "relu")
            loss, dout = bce_with_logits(out, yb)
            grads = mlp_backward(dout, caches)
            for i, layer in enumerate(params):
                for key in layer:
                    layer[key], states[i][key] = adam_step(layer[key], grads[i][key], states[i][key], lr)
            total += loss * len(Xb)
        losses.append(total / len(X))
    return params, losses
