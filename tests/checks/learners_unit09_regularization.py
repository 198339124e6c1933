"""Unit 09 learner corpus: right and wrong answers coded the way learners code them (numpy only).

Wrong answers are written independently of the checker's mutants; each names its mistakes.
"""

import numpy as np

from corpus import Corpus

CORPUS = Corpus()
correct, wrong = CORPUS.correct, CORPUS.wrong


# --- l2_penalty ----------------------------------------------------------------------------------

@correct("l2_penalty")
def l2_loop(params, lam):
    total, grads = 0.0, []
    for layer in params:
        total += np.sum(layer["W"] ** 2)
        grads.append({"W": lam * layer["W"], "b": np.zeros_like(layer["b"])})
    return lam / 2 * total, grads


@correct("l2_penalty")
def l2_comprehension(params, lam):
    penalty = 0.5 * lam * sum((p["W"] * p["W"]).sum() for p in params)
    return float(penalty), [{"W": lam * p["W"], "b": 0 * p["b"]} for p in params]


@wrong("l2_penalty", "biases_penalised")
def l2_every_parameter(params, lam):
    penalty, grads = 0.0, []
    for layer in params:
        g = {}
        for key, value in layer.items():
            penalty += 0.5 * lam * np.sum(value ** 2)
            g[key] = lam * value
        grads.append(g)
    return penalty, grads


@wrong("l2_penalty", "grad_two_lam", "factor:2")
def l2_power_rule(params, lam):
    penalty = lam / 2 * sum(np.sum(p["W"] ** 2) for p in params)
    return penalty, [{"W": 2 * lam * p["W"], "b": np.zeros_like(p["b"])} for p in params]


@wrong("l2_penalty", "no_half", "factor:2")
def l2_no_half(params, lam):
    penalty = lam * sum(np.sum(np.square(p["W"])) for p in params)
    return penalty, [{"W": lam * p["W"], "b": np.zeros(p["b"].shape)} for p in params]


@wrong("l2_penalty", "grad_half", "factor:1/2")
def l2_half_everywhere(params, lam):
    penalty = 0.5 * lam * sum(np.sum(p["W"] ** 2) for p in params)
    return penalty, [{"W": 0.5 * lam * p["W"], "b": np.zeros_like(p["b"])} for p in params]


@wrong("l2_penalty", "l1")
def l2_abs(params, lam):
    penalty = lam / 2 * sum(np.abs(p["W"]).sum() for p in params)
    return penalty, [{"W": lam / 2 * np.sign(p["W"]), "b": np.zeros_like(p["b"])} for p in params]


@wrong("l2_penalty", "biases_penalised", "grad_two_lam")
def l2_all_params_power_rule(params, lam):
    penalty = 0.0
    grads = []
    for p in params:
        penalty += lam / 2 * (np.sum(p["W"] ** 2) + np.sum(p["b"] ** 2))
        grads.append({"W": 2 * lam * p["W"], "b": 2 * lam * p["b"]})
    return penalty, grads


# --- dropout_forward -----------------------------------------------------------------------------

@correct("dropout_forward")
def dropout_keep_first(A, p, rng, train=True):
    if not train:
        return A, np.ones(A.shape)
    keep = 1 - p
    mask = rng.random(A.shape) < keep
    return A * mask / keep, mask * 1.0


@correct("dropout_forward")
def dropout_where(A, p, rng, train=True):
    A = np.array(A, dtype=float)
    if train:
        mask = np.where(rng.random(size=A.shape) < 1.0 - p, 1.0, 0.0)
        return A * mask / (1.0 - p), mask
    return A, np.ones_like(A)


@wrong("dropout_forward", "not_scaled")
def dropout_plain(A, p, rng, train=True):
    if not train:
        return A, np.ones_like(A)
    mask = (rng.random(A.shape) < 1 - p).astype(float)
    return A * mask, mask


@wrong("dropout_forward", "scaled_by_p")
def dropout_divide_p(A, p, rng, train=True):
    if not train:
        return A, np.ones_like(A)
    mask = (rng.random(A.shape) < 1 - p).astype(float)
    scale = 1 / p if p > 0 else 1.0
    return A * mask * scale, mask


@wrong("dropout_forward", "scaled_by_p")
def dropout_times_keep(A, p, rng, train=True):
    if not train:
        return A, np.ones_like(A)
    mask = (rng.random(A.shape) < 1 - p).astype(float)
    return A * mask * (1 - p), mask


@wrong("dropout_forward", "dropout_in_eval")
def dropout_always(A, p, rng, train=True):
    mask = (rng.random(A.shape) < 1 - p).astype(float)
    return A * mask / (1 - p), mask


@wrong("dropout_forward", "keep_is_p")
def dropout_p_is_keep(A, p, rng, train=True):
    if not train:
        return A, np.ones_like(A)
    mask = (rng.random(A.shape) < p).astype(float)
    return A * mask / (1 - p), mask


@wrong("dropout_forward", "other_draw")
def dropout_drop_below(A, p, rng, train=True):
    if not train:
        return A, np.ones_like(A)
    u = rng.random(A.shape)
    mask = (u > p).astype(float)  # drop the units whose draw is below p
    return A * mask / (1 - p), mask


@wrong("dropout_forward", "other_draw")
def dropout_bernoulli(A, p, rng, train=True):
    if train:
        keep = rng.binomial(n=1, p=1 - p, size=A.shape)
        return A * keep / (1 - p), keep * 1.0
    return A, np.ones(A.shape)


@wrong("dropout_forward", "not_scaled", "dropout_in_eval")
def dropout_plain_always(A, p, rng, train=True):
    mask = 1.0 * (rng.random(A.shape) < 1 - p)
    return mask * A, mask


# --- dropout_backward ----------------------------------------------------------------------------

@correct("dropout_backward")
def dropout_back(dout, mask, p):
    return dout * mask / (1 - p)


@correct("dropout_backward")
def dropout_back_where(dout, mask, p):
    return np.where(mask > 0, dout / (1.0 - p), 0.0)


@wrong("dropout_backward", "no_mask")
def dropout_back_scale_only(dout, mask, p):
    return dout / (1 - p)


@wrong("dropout_backward", "no_scale")
def dropout_back_mask_only(dout, mask, p):
    return dout * mask


@wrong("dropout_backward", "scaled_by_p")
def dropout_back_by_p(dout, mask, p):
    return dout * mask / p if p else dout * mask


@wrong("dropout_backward", "scaled_by_p")
def dropout_back_times_keep(dout, mask, p):
    return dout * mask * (1 - p)


@wrong("dropout_backward", "mask_flipped")
def dropout_back_dropped(dout, mask, p):
    dropped = mask == 0
    return dout * dropped / (1 - p)


@wrong("dropout_backward", "no_mask", "no_scale", "returned_input")
def dropout_back_identity(dout, mask, p):
    return dout.copy()


# --- early_stopping ------------------------------------------------------------------------------

@correct("early_stopping")
def early_counter(val_losses, patience):
    best_loss, best_epoch, waited = np.inf, 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best_loss:
            best_loss, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses) - 1


@correct("early_stopping")
def early_while(val_losses, patience):
    best, epoch = 0, 0
    while epoch < len(val_losses) - 1 and epoch - best < patience:
        epoch += 1
        if val_losses[epoch] < val_losses[best]:
            best = epoch
    return best, epoch


@wrong("early_stopping", "returns_last_epoch")
def early_returns_stop(val_losses, patience):
    best_loss, best_epoch, waited = np.inf, 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best_loss:
            best_loss, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited == patience:
                return epoch, epoch
    return len(val_losses) - 1, len(val_losses) - 1


@wrong("early_stopping", "patience_off_by_one")
def early_waits_one_more(val_losses, patience):
    best_loss, best_epoch, waited = np.inf, 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best_loss:
            best_loss, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited > patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses) - 1


@wrong("early_stopping", "ties_improve")
def early_less_equal(val_losses, patience):
    best_loss, best_epoch, waited = np.inf, 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss <= best_loss:
            best_loss, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses) - 1


@wrong("early_stopping", "looks_ahead")
def early_argmin(val_losses, patience):
    return int(np.argmin(val_losses)), len(val_losses) - 1


@wrong("early_stopping", "one_based", "off_by_one")
def early_epochs_from_one(val_losses, patience):
    best, best_loss, waited = 1, val_losses[0], 0
    for epoch in range(2, len(val_losses) + 1):
        if val_losses[epoch - 1] < best_loss:
            best, best_loss, waited = epoch, val_losses[epoch - 1], 0
        else:
            waited += 1
            if waited >= patience:
                return best, epoch
    return best, len(val_losses)


# --- batchnorm_forward ---------------------------------------------------------------------------

@correct("batchnorm_forward")
def bn_textbook(X, gamma, beta, running_mean, running_var, train=True, momentum=0.1, eps=1e-5):
    if train:
        mu = np.mean(X, axis=0)
        var = np.mean((X - mu) ** 2, axis=0)
        x_hat = (X - mu) / np.sqrt(var + eps)
        new_mean = momentum * mu + (1 - momentum) * running_mean
        new_var = momentum * var + (1 - momentum) * running_var
        return gamma * x_hat + beta, new_mean, new_var
    x_hat = (X - running_mean) / np.sqrt(running_var + eps)
    return gamma * x_hat + beta, running_mean.copy(), running_var.copy()


@wrong("batchnorm_forward", "wrong_axis")
def bn_rows(X, gamma, beta, running_mean, running_var, train=True, momentum=0.1, eps=1e-5):
    if train:
        mu = X.mean(axis=1, keepdims=True)
        var = X.var(axis=1, keepdims=True)
        Y = gamma * (X - mu) / np.sqrt(var + eps) + beta
        return Y, running_mean * (1 - momentum) + momentum * mu.mean(), running_var * (1 - momentum) + momentum * var.mean()
    Y = gamma * (X - running_mean) / np.sqrt(running_var + eps) + beta
    return Y, running_mean, running_var


@wrong("batchnorm_forward", "unbiased_variance")
def bn_ddof(X, gamma, beta, running_mean, running_var, train=True, momentum=0.1, eps=1e-5):
    if not train:
        return gamma * (X - running_mean) / np.sqrt(running_var + eps) + beta, running_mean, running_var
    mu, var = X.mean(0), X.var(0, ddof=1)
    Y = gamma * (X - mu) / np.sqrt(var + eps) + beta
    return Y, (1 - momentum) * running_mean + momentum * mu, (1 - momentum) * running_var + momentum * var


@wrong("batchnorm_forward", "eps_outside")
def bn_std_plus_eps(X, gamma, beta, running_mean, running_var, train=True, momentum=0.1, eps=1e-5):
    if not train:
        return gamma * (X - running_mean) / (np.sqrt(running_var) + eps) + beta, running_mean, running_var
    mu, sd = X.mean(0), X.std(0)
    Y = gamma * (X - mu) / (sd + eps) + beta
    return Y, (1 - momentum) * running_mean + momentum * mu, (1 - momentum) * running_var + momentum * sd ** 2


@wrong("batchnorm_forward", "momentum_backwards")
def bn_momentum_on_old(X, gamma, beta, running_mean, running_var, train=True, momentum=0.1, eps=1e-5):
    if not train:
        return gamma * (X - running_mean) / np.sqrt(running_var + eps) + beta, running_mean, running_var
    mu, var = X.mean(0), X.var(0)
    Y = gamma * (X - mu) / np.sqrt(var + eps) + beta
    return Y, momentum * running_mean + (1 - momentum) * mu, momentum * running_var + (1 - momentum) * var


@wrong("batchnorm_forward", "eval_uses_batch")
def bn_ignores_train(X, gamma, beta, running_mean, running_var, train=True, momentum=0.1, eps=1e-5):
    mu, var = X.mean(0), X.var(0)
    Y = gamma * (X - mu) / np.sqrt(var + eps) + beta
    return Y, (1 - momentum) * running_mean + momentum * mu, (1 - momentum) * running_var + momentum * var


@wrong("batchnorm_forward", "eval_updates_running")
def bn_updates_always(X, gamma, beta, running_mean, running_var, train=True, momentum=0.1, eps=1e-5):
    mu, var = X.mean(0), X.var(0)
    new_mean = (1 - momentum) * running_mean + momentum * mu
    new_var = (1 - momentum) * running_var + momentum * var
    if train:
        return gamma * (X - mu) / np.sqrt(var + eps) + beta, new_mean, new_var
    return gamma * (X - running_mean) / np.sqrt(running_var + eps) + beta, new_mean, new_var


# --- batchnorm_backward --------------------------------------------------------------------------

@correct("batchnorm_backward")
def bn_back_staged(dY, X, gamma, eps=1e-5):
    n = X.shape[0]
    mu = X.mean(axis=0)
    var = X.var(axis=0)
    xc = X - mu
    std = np.sqrt(var + eps)
    x_hat = xc / std
    dx_hat = dY * gamma
    dvar = np.sum(dx_hat * xc, axis=0) * -0.5 * std ** -3
    dmu = -np.sum(dx_hat, axis=0) / std + dvar * -2 * np.mean(xc, axis=0)
    dX = dx_hat / std + dvar * 2 * xc / n + dmu / n
    return dX, np.sum(dY * x_hat, axis=0), np.sum(dY, axis=0)


@correct("batchnorm_backward")
def bn_back_compact(dY, X, gamma, eps=1e-5):
    n = len(X)
    inv = 1 / np.sqrt(X.var(0) + eps)
    xh = (X - X.mean(0)) * inv
    dX = gamma * inv / n * (n * dY - dY.sum(0) - xh * (dY * xh).sum(0))
    return dX, (dY * xh).sum(0), dY.sum(0)


@wrong("batchnorm_backward", "constant_statistics")
def bn_back_like_scale(dY, X, gamma, eps=1e-5):
    std = np.sqrt(X.var(0) + eps)
    x_hat = (X - X.mean(0)) / std
    return dY * gamma / std, (dY * x_hat).sum(0), dY.sum(0)


@wrong("batchnorm_backward", "no_variance_term")
def bn_back_mean_only(dY, X, gamma, eps=1e-5):
    std = np.sqrt(X.var(0) + eps)
    x_hat = (X - X.mean(0)) / std
    dxh = dY * gamma
    return (dxh - dxh.mean(0)) / std, (dY * x_hat).sum(0), dY.sum(0)


@wrong("batchnorm_backward", "no_mean_term")
def bn_back_forgot_dmu(dY, X, gamma, eps=1e-5):
    n = X.shape[0]
    xc = X - X.mean(0)
    std = np.sqrt(X.var(0) + eps)
    dx_hat = dY * gamma
    dvar = np.sum(dx_hat * xc, axis=0) * -0.5 / std ** 3
    dX = dx_hat / std + dvar * 2 * xc / n
    return dX, np.sum(dY * xc / std, axis=0), np.sum(dY, axis=0)


@wrong("batchnorm_backward", "dX_no_gamma")
def bn_back_no_gamma(dY, X, gamma, eps=1e-5):
    std = np.sqrt(X.var(0) + eps)
    x_hat = (X - X.mean(0)) / std
    dX = (dY - dY.mean(0) - x_hat * (dY * x_hat).mean(0)) / std
    return dX, (dY * x_hat).sum(0), dY.sum(0)


@wrong("batchnorm_backward", "dgamma_no_xhat")
def bn_back_dgamma_sum(dY, X, gamma, eps=1e-5):
    std = np.sqrt(X.var(0) + eps)
    x_hat = (X - X.mean(0)) / std
    g = dY * gamma
    dX = (g - g.mean(0) - x_hat * (g * x_hat).mean(0)) / std
    return dX, dY.sum(0), dY.sum(0)


@wrong("batchnorm_backward", "dbeta_mean")
def bn_back_dbeta_mean(dY, X, gamma, eps=1e-5):
    std = np.sqrt(X.var(0) + eps)
    x_hat = (X - X.mean(0)) / std
    g = dY * gamma
    dX = (g - g.mean(0) - x_hat * (g * x_hat).mean(0)) / std
    return dX, (dY * x_hat).sum(0), dY.mean(0)


# --- layernorm_forward ---------------------------------------------------------------------------

@correct("layernorm_forward")
def ln_keepdims(X, gamma, beta, eps=1e-5):
    mu = X.mean(axis=-1, keepdims=True)
    var = ((X - mu) ** 2).mean(axis=-1, keepdims=True)
    return (X - mu) / np.sqrt(var + eps) * gamma + beta


@correct("layernorm_forward")
def ln_transpose(X, gamma, beta, eps=1e-5):
    Xt = X.T
    x_hat = (Xt - Xt.mean(0)) / np.sqrt(Xt.var(0) + eps)
    return x_hat.T * gamma + beta


@wrong("layernorm_forward", "batch_axis")
def ln_over_batch(X, gamma, beta, eps=1e-5):
    mu, var = X.mean(axis=0), X.var(axis=0)
    return gamma * (X - mu) / np.sqrt(var + eps) + beta


@wrong("layernorm_forward", "unbiased_variance")
def ln_std_ddof(X, gamma, beta, eps=1e-5):
    mu = X.mean(1, keepdims=True)
    var = X.var(1, ddof=1, keepdims=True)
    return gamma * (X - mu) / np.sqrt(var + eps) + beta


@wrong("layernorm_forward", "eps_outside")
def ln_std_eps(X, gamma, beta, eps=1e-5):
    mu = X.mean(1, keepdims=True)
    return gamma * (X - mu) / (X.std(1, keepdims=True) + eps) + beta


@wrong("layernorm_forward", "gamma_beta_swapped")
def ln_swapped(X, gamma, beta, eps=1e-5):
    mu = X.mean(1, keepdims=True)
    x_hat = (X - mu) / np.sqrt(X.var(1, keepdims=True) + eps)
    return beta * x_hat + gamma


@wrong("layernorm_forward", "batch_axis", "eps_outside")
def ln_batch_std(X, gamma, beta, eps=1e-5):
    return gamma * (X - X.mean(0)) / (X.std(0) + eps) + beta


# --- rmsnorm_forward -----------------------------------------------------------------------------

@correct("rmsnorm_forward")
def rms_keepdims(X, gamma, eps=1e-6):
    rms = np.sqrt((X ** 2).mean(axis=1, keepdims=True) + eps)
    return X / rms * gamma


@correct("rmsnorm_forward")
def rms_norm_based(X, gamma, eps=1e-6):
    d = X.shape[1]
    ms = np.linalg.norm(X, axis=1) ** 2 / d
    return gamma * X / np.sqrt(ms + eps)[:, None]


@wrong("rmsnorm_forward", "subtracts_mean")
def rms_centred(X, gamma, eps=1e-6):
    Xc = X - X.mean(axis=1, keepdims=True)
    return gamma * Xc / np.sqrt(np.mean(Xc ** 2, axis=1, keepdims=True) + eps)


@wrong("rmsnorm_forward", "no_sqrt")
def rms_mean_square(X, gamma, eps=1e-6):
    return gamma * X / (np.mean(X ** 2, axis=1, keepdims=True) + eps)


@wrong("rmsnorm_forward", "batch_axis")
def rms_over_batch(X, gamma, eps=1e-6):
    return gamma * X / np.sqrt(np.mean(X ** 2, axis=0) + eps)


@wrong("rmsnorm_forward", "eps_outside")
def rms_eps_after(X, gamma, eps=1e-6):
    return gamma * X / (np.sqrt(np.mean(X * X, axis=1, keepdims=True)) + eps)


@wrong("rmsnorm_forward", "sum_not_mean")
def rms_summed(X, gamma, eps=1e-6):
    return gamma * X / np.sqrt(np.sum(X ** 2, axis=1, keepdims=True) + eps)
