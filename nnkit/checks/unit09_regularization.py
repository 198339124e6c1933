"""Unit 09 (regularization and normalization) exercise specs: cases, known mistakes and their hints.

Conventions (those of ``nnkit.regularization`` and ``nnkit.normalization``): the L2 penalty is
(lam / 2) sum W**2 over the weights only; ``p`` is the probability to drop a unit; variances are
biased (divide by n) and eps sits inside the square root.
"""

from __future__ import annotations

import numpy as np

from nnkit.checks._guard import private_copy, references
from nnkit.checks.core import Case, Dimension, Exercise, Mutant, seeded_cases

# private copies of the references: expected values no learner can monkeypatch
reg_ref = private_copy("nnkit.regularization")
norm_ref = private_copy("nnkit.normalization")

L2_SECTION = "3. Weight decay: the L2 penalty"
DROPOUT_SECTION = "5. Dropout"
EARLY_SECTION = "4. Early stopping"
BN_SECTION = "6. Batch normalization"
BN_BACK_SECTION = "7. Batch normalization, backwards"
LN_SECTION = "8. LayerNorm and RMSNorm"


# --- l2_penalty ----------------------------------------------------------------------------------

def _net(rng, sizes):
    return [{"W": rng.normal(size=(a, b)), "b": rng.normal(size=b)} for a, b in zip(sizes[:-1], sizes[1:])]


def _l2_case(rng, sizes, lam):
    return Case(f"layers {'-'.join(map(str, sizes))}, lam = {lam:g}", (_net(rng, sizes), float(lam)))


def _fixed_l2():
    rng = np.random.default_rng(91)
    return [
        Case("one 2 -> 1 layer by hand, lam = 0.5",
             ([{"W": np.array([[1.0], [-2.0]]), "b": np.array([3.0])}], 0.5)),
        _l2_case(rng, (2, 3, 1), 0.1),
        _l2_case(rng, (3, 4, 4, 2), 0.01),
        _l2_case(rng, (1, 1), 2.0),
        Case("lam = 0: no penalty", (_net(rng, (2, 2)), 0.0)),
    ]


def _random_l2(rng):
    depth = int(rng.integers(1, 4))
    return _l2_case(rng, tuple(int(n) for n in rng.integers(1, 5, size=depth + 1)), float(rng.choice([0.01, 0.1, 1.0])))


def _l2_with(penalty_factor=0.5, grad_factor=1.0, biases=False, squared=True):
    def mistake(params, lam):
        keys = ("W", "b") if biases else ("W",)
        term = (lambda a: a * a) if squared else np.abs
        penalty = penalty_factor * lam * sum(float(np.sum(term(layer[k]))) for layer in params for k in keys)
        grads = [{"W": grad_factor * lam * (layer["W"] if squared else np.sign(layer["W"])),
                  "b": grad_factor * lam * layer["b"] if biases else np.zeros_like(layer["b"])} for layer in params]
        return penalty, grads
    return mistake


l2_penalty = Exercise(
    name="l2_penalty",
    section=L2_SECTION,
    **references("nnkit.regularization", "l2_penalty"),
    **seeded_cases(_fixed_l2, _random_l2, n_visible=3, n_hidden=30),
    outputs=("penalty", "grads"),
    varies=(Dimension("layers", lambda case: len(case.args[0]), (1, 2, 3)),),
    mutants=(
        Mutant("biases_penalised", _l2_with(biases=True),
               "you penalised the biases too: weight decay shrinks the weights W only (a bias does not "
               "make the function any more wiggly), so the gradient for b is zero"),
        Mutant("grad_two_lam", _l2_with(grad_factor=2.0),
               "your gradient is 2 lam W: with the penalty (lam / 2) sum W**2 the 2 of the square cancels "
               "the 1/2, d/dW = lam W"),
        Mutant("no_half", _l2_with(penalty_factor=1.0),
               "your penalty lacks the 1/2: this course's convention is (lam / 2) sum W**2, whose gradient is lam W"),
        Mutant("grad_half", _l2_with(grad_factor=0.5),
               "your gradient is lam W / 2: differentiate (lam / 2) W**2 and the 2 of the square cancels the 1/2"),
        Mutant("l1", _l2_with(squared=False, grad_factor=0.5),
               "you computed an L1 penalty (sum |W|, gradient sign(W)): L2 squares the weights, (lam / 2) sum W**2",
               variants=(_l2_with(squared=False, penalty_factor=1.0),)),
    ),
)


# --- dropout -------------------------------------------------------------------------------------

def _dropout_case(label, A, p, seed, train=True):
    kwargs = {} if train else {"train": False}
    return Case(f"{label}, p = {p:g}{'' if train else ', train=False'}",
                (np.asarray(A, float), float(p), np.random.default_rng(seed)), kwargs)


def _fixed_dropout():
    rng = np.random.default_rng(92)
    return [
        _dropout_case("a (2, 4) batch", [[1.0, 2.0, 3.0, 4.0], [-1.0, 0.5, 2.0, -3.0]], 0.5, 0),
        _dropout_case("a (3, 5) batch", rng.normal(size=(3, 5)), 0.2, 1),
        _dropout_case("a (4, 3) batch in evaluation", rng.normal(size=(4, 3)), 0.5, 2, train=False),
        _dropout_case("a (6, 6) batch", rng.normal(size=(6, 6)), 0.8, 3),
        _dropout_case("a (2, 3) batch", rng.normal(size=(2, 3)), 0.0, 4),
    ]


def _random_dropout(rng):
    shape = tuple(int(n) for n in rng.integers(1, 7, size=2))
    train = bool(rng.random() < 0.8)
    return _dropout_case(f"a random {shape} batch", rng.normal(size=shape), float(rng.choice([0.1, 0.3, 0.5, 0.7])),
                         int(rng.integers(1000)), train)


def _dropout_with(keep_of=lambda p: 1.0 - p, scale_of=lambda p: 1.0 / (1.0 - p), other_side=False, in_eval=False):
    def mistake(A, p, rng, train=True):
        A = np.asarray(A, float)
        if not train and not in_eval:
            return A.copy(), np.ones_like(A)
        u = rng.random(A.shape)
        mask = (u >= p if other_side else u < keep_of(p)).astype(float)
        return A * mask * scale_of(p), mask
    return mistake


def _binomial_dropout(A, p, rng, train=True):
    A = np.asarray(A, float)
    if not train:
        return A.copy(), np.ones_like(A)
    mask = rng.binomial(1, 1.0 - p, size=A.shape).astype(float)
    return A * mask / (1.0 - p), mask


dropout_forward = Exercise(
    name="dropout_forward",
    section=DROPOUT_SECTION,
    **references("nnkit.regularization", "dropout_forward"),
    **seeded_cases(_fixed_dropout, _random_dropout, n_visible=3, n_hidden=30),
    outputs=("out", "mask"),
    varies=(Dimension("train", lambda case: case.kwargs.get("train", True), (True, False)),),
    mutants=(
        Mutant("not_scaled", _dropout_with(scale_of=lambda p: 1.0),
               "the kept units are not scaled: inverted dropout divides them by keep = 1 - p, so that the "
               "expected output equals A and evaluation can use the layer unchanged"),
        Mutant("scaled_by_p", _dropout_with(scale_of=lambda p: 1.0 / p if p else 1.0),
               "you divided by p, the DROP probability: divide by the keep probability 1 - p",
               variants=(_dropout_with(scale_of=lambda p: 1.0 - p), _dropout_with(scale_of=lambda p: p))),
        Mutant("dropout_in_eval", _dropout_with(in_eval=True),
               "with train=False nothing is dropped: return A unchanged and a mask of ones (draw nothing)"),
        Mutant("keep_is_p", _dropout_with(keep_of=lambda p: p, scale_of=lambda p: 1.0 / p if p else 1.0),
               "you kept each unit with probability p: p is the probability to DROP it, keep where "
               "u < 1 - p and scale by 1 / (1 - p)",
               variants=(_dropout_with(keep_of=lambda p: p),)),
        Mutant("other_draw", _dropout_with(other_side=True),
               "your mask drops as often but not the same units as the draw the exercise fixes (u >= p, or "
               "rng.binomial, draw other numbers): draw u = rng.random(A.shape) once and keep where u < 1 - p",
               variants=(_binomial_dropout,)),
    ),
)


def _fixed_dropout_back():
    rng = np.random.default_rng(93)
    cases = []
    for label, shape, p in (("a (2, 4) batch", (2, 4), 0.5), ("a (3, 2) batch", (3, 2), 0.2),
                            ("a (1, 5) batch", (1, 5), 0.75), ("a (4, 4) batch", (4, 4), 0.0)):
        mask = (rng.random(shape) < 1 - p).astype(float)
        cases.append(Case(f"{label}, p = {p:g}", (rng.normal(size=shape), mask, p)))
    return cases


def _random_dropout_back(rng):
    shape, p = tuple(int(n) for n in rng.integers(1, 7, size=2)), float(rng.choice([0.1, 0.3, 0.5, 0.7]))
    mask = (rng.random(shape) < 1 - p).astype(float)
    return Case(f"a random {shape} batch, p = {p:g}", (rng.normal(size=shape), mask, p))


dropout_backward = Exercise(
    name="dropout_backward",
    section=DROPOUT_SECTION,
    **references("nnkit.regularization", "dropout_backward"),
    **seeded_cases(_fixed_dropout_back, _random_dropout_back, n_visible=3, n_hidden=30),
    outputs=("dA",),
    varies=(Dimension("p", lambda case: case.args[2], (0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 0.75)),),
    mutants=(
        Mutant("no_mask", lambda dout, mask, p: np.asarray(dout, float) / (1.0 - p),
               "the mask is missing: a dropped unit passed nothing forward, so it gets no gradient; "
               "multiply by the forward pass's mask"),
        Mutant("no_scale", lambda dout, mask, p: np.asarray(dout, float) * mask,
               "the 1 / (1 - p) is missing: the forward pass scaled the kept units, so the gradient is scaled alike"),
        Mutant("scaled_by_p", lambda dout, mask, p: np.asarray(dout, float) * mask / p if p else dout * mask,
               "you divided by p, the drop probability: the forward pass scaled by 1 / (1 - p)",
               variants=(lambda dout, mask, p: np.asarray(dout, float) * mask * (1.0 - p),)),
        Mutant("mask_flipped", lambda dout, mask, p: np.asarray(dout, float) * (1.0 - mask) / (1.0 - p),
               "your gradient flows through the DROPPED units: mask is 1 where a unit was kept"),
    ),
)


# --- early stopping ------------------------------------------------------------------------------

def _curve(label, losses, patience):
    return Case(f"{label}, patience {patience}", (np.asarray(losses, float), int(patience)))


def _fixed_early():
    return [
        _curve("falls then rises", [1.0, 0.8, 0.6, 0.55, 0.6, 0.7, 0.8, 0.9], 2),
        _curve("a tie with the best is not an improvement", [1.0, 0.5, 0.5, 0.5, 0.6, 0.7], 3),
        _curve("never stops: keeps falling", [1.0, 0.9, 0.8, 0.7], 2),
        _curve("a noisy curve with a late best", [1.0, 0.7, 0.75, 0.72, 0.6, 0.65, 0.61, 0.66, 0.7], 3),
        _curve("patience 1", [0.9, 0.8, 0.85, 0.7, 0.6], 1),
        _curve("best at epoch 0", [0.5, 0.6, 0.7, 0.8, 0.9, 1.0], 5),
    ]


def _random_early(rng):
    epochs, patience = int(rng.integers(3, 25)), int(rng.integers(1, 6))
    t = np.arange(epochs)
    losses = 1.0 / (1 + 0.3 * t) + 0.02 * np.maximum(t - rng.integers(2, epochs), 0) + rng.normal(scale=0.03, size=epochs)
    return _curve(f"a random curve of {epochs} epochs", np.round(losses, 2), patience)


def _early_with(patience_shift=0, ties=False, best_is_stop=False, global_best=False, one_based=False):
    def mistake(val_losses, patience):
        losses = list(val_losses)
        best, stop = 0, len(losses) - 1
        for epoch in range(1, len(losses)):
            if losses[epoch] < losses[best] or (ties and losses[epoch] == losses[best]):
                best = epoch
            elif epoch - best >= patience + patience_shift:
                stop = epoch
                break
        if global_best:
            best, stop = int(np.argmin(losses)), len(losses) - 1
        shift = 1 if one_based else 0
        return (stop if best_is_stop else best) + shift, stop + shift
    return mistake


early_stopping = Exercise(
    name="early_stopping",
    section=EARLY_SECTION,
    **references("nnkit.regularization", "early_stopping"),
    **seeded_cases(_fixed_early, _random_early, n_visible=3, n_hidden=40),
    outputs=("best_epoch", "stop_epoch"),
    varies=(Dimension("patience", lambda case: case.args[1], (1, 2, 3, 4, 5)),),
    mutants=(
        Mutant("returns_last_epoch", _early_with(best_is_stop=True),
               "your best epoch is the epoch where training stopped: keep the weights of the epoch with "
               "the lowest validation loss, `patience` epochs earlier"),
        Mutant("patience_off_by_one", _early_with(patience_shift=1),
               "you stop one epoch late: stop at the first epoch that is `patience` epochs after the best "
               "(epoch - best >= patience)",
               variants=(_early_with(patience_shift=-1),)),
        Mutant("ties_improve", _early_with(ties=True),
               "a loss equal to the best counts as an improvement in your code: only a strictly lower loss does"),
        Mutant("looks_ahead", _early_with(global_best=True),
               "you took the minimum of the whole curve: early stopping only sees the epochs up to the "
               "one where it stops, and it stops `patience` epochs after the last improvement"),
        Mutant("one_based", _early_with(one_based=True),
               "your epochs count from 1: return 0-based indices into val_losses"),
    ),
)


# --- batch normalization -------------------------------------------------------------------------

def _bn_case(label, X, rng, train=True, momentum=0.1):
    n = X.shape[1]
    gamma, beta = rng.uniform(0.5, 2.0, n), rng.normal(size=n)
    running = (rng.normal(size=n), rng.uniform(0.5, 2.0, n))
    kwargs = {} if train and momentum == 0.1 else {"train": train, "momentum": momentum}
    return Case(f"{label}{'' if train else ', train=False'}", (X, gamma, beta, *running), kwargs)


def _fixed_bn():
    rng = np.random.default_rng(94)
    return [
        _bn_case("a (4, 3) batch", rng.normal(2.0, 3.0, size=(4, 3)), rng),
        _bn_case("a (5, 2) batch, momentum 0.3", rng.normal(size=(5, 2)), rng, momentum=0.3),
        _bn_case("a (3, 4) batch in evaluation", rng.normal(size=(3, 4)), rng, train=False),
        _bn_case("a batch of one", rng.normal(size=(1, 3)), rng),
        _bn_case("a constant feature (variance 0)", np.array([[1.0, 2.0], [1.0, -1.0], [1.0, 0.5]]), rng),
    ]


def _random_bn(rng):
    shape = (int(rng.integers(2, 7)), int(rng.integers(1, 6)))
    train = bool(rng.random() < 0.7)
    return _bn_case(f"a random {shape} batch", rng.normal(rng.normal(), 2.0, size=shape), rng, train,
                    float(rng.choice([0.1, 0.5])))


def _bn_with(axis=0, ddof=0, eps_outside=False, backwards=False, eval_batch=False, eval_update=False):
    def mistake(X, gamma, beta, running_mean, running_var, train=True, momentum=0.1, eps=1e-5):
        mean, var = X.mean(axis=axis, keepdims=True), X.var(axis=axis, ddof=ddof, keepdims=True)
        if axis == 0:
            mean, var = mean[0], var[0]
        m = 1.0 - momentum if backwards else momentum
        new_mean, new_var = (1 - m) * running_mean + m * mean, (1 - m) * running_var + m * var
        if not train and not eval_batch:
            mean, var = running_mean, running_var
        if not train and not eval_update:
            new_mean, new_var = running_mean, running_var
        std = np.sqrt(var) + eps if eps_outside else np.sqrt(var + eps)
        return gamma * (X - mean) / std + beta, np.array(new_mean, float), np.array(new_var, float)
    return mistake


batchnorm_forward = Exercise(
    name="batchnorm_forward",
    section=BN_SECTION,
    **references("nnkit.normalization", "batchnorm_forward"),
    **seeded_cases(_fixed_bn, _random_bn, n_visible=3, n_hidden=30),
    outputs=("Y", "running_mean", "running_var"),
    varies=(Dimension("train", lambda case: case.kwargs.get("train", True), (True, False)),),
    mutants=(
        Mutant("wrong_axis", _bn_with(axis=1),
               "you normalised each row over its features (that is LayerNorm): BatchNorm normalises each "
               "feature over the batch, mean and variance along axis=0"),
        Mutant("unbiased_variance", _bn_with(ddof=1),
               "you used the unbiased variance (ddof=1, divide by n - 1): BatchNorm normalises with the "
               "batch's own variance, divide by n (np.var's default)"),
        Mutant("eps_outside", _bn_with(eps_outside=True),
               "eps is outside the square root: divide by sqrt(var + eps)"),
        Mutant("momentum_backwards", _bn_with(backwards=True),
               "your running statistics move the wrong way: new = (1 - momentum) * old + momentum * batch, "
               "so a small momentum changes them slowly"),
        Mutant("eval_uses_batch", _bn_with(eval_batch=True, eval_update=True),
               "in evaluation (train=False) you normalised with the batch's statistics: use the running "
               "mean and variance, and leave them as they are",
               variants=(_bn_with(eval_batch=True),)),
        Mutant("eval_updates_running", _bn_with(eval_update=True),
               "in evaluation (train=False) your running statistics still change: return them unchanged"),
    ),
)


def _fixed_bn_back():
    rng = np.random.default_rng(95)
    cases = []
    for label, shape in (("a (4, 3) batch", (4, 3)), ("a (2, 2) batch", (2, 2)), ("a (6, 1) batch", (6, 1)),
                         ("a (5, 4) batch", (5, 4))):
        cases.append(Case(label, (rng.normal(size=shape), rng.normal(1.0, 2.0, size=shape),
                                  rng.uniform(0.5, 2.0, shape[1]))))
    return cases


def _random_bn_back(rng):
    shape = (int(rng.integers(2, 7)), int(rng.integers(1, 5)))
    return Case(f"a random {shape} batch", (rng.normal(size=shape), rng.normal(rng.normal(), 2.0, size=shape),
                                            rng.uniform(0.5, 2.0, shape[1])))


def _bn_back_with(mean_term=True, var_term=True, gamma_in_dx=True, dgamma_plain=False, dbeta_mean=False):
    def mistake(dY, X, gamma, eps=1e-5):
        inv_std = 1.0 / np.sqrt(X.var(axis=0) + eps)
        x_hat = (X - X.mean(axis=0)) * inv_std
        inner = dY - (dY.mean(axis=0) if mean_term else 0.0) - (x_hat * (dY * x_hat).mean(axis=0) if var_term else 0.0)
        dX = (gamma if gamma_in_dx else 1.0) * inv_std * inner
        dgamma = dY.sum(axis=0) if dgamma_plain else np.sum(dY * x_hat, axis=0)
        return dX, dgamma, dY.mean(axis=0) if dbeta_mean else dY.sum(axis=0)
    return mistake


batchnorm_backward = Exercise(
    name="batchnorm_backward",
    section=BN_BACK_SECTION,
    **references("nnkit.normalization", "batchnorm_backward"),
    **seeded_cases(_fixed_bn_back, _random_bn_back, n_visible=3, n_hidden=30),
    outputs=("dX", "dgamma", "dbeta"),
    varies=(Dimension("batch size", lambda case: case.args[0].shape[0], tuple(range(2, 7))),),
    mutants=(
        Mutant("constant_statistics", _bn_back_with(mean_term=False, var_term=False),
               "your dX treats the batch mean and variance as constants: every row moves them, so dX gets "
               "two more terms, gamma / sqrt(var + eps) * (dY - mean(dY) - x_hat * mean(dY * x_hat))"),
        Mutant("no_mean_term", _bn_back_with(mean_term=False),
               "your dX misses the mean's term: subtract mean(dY) over the batch, as the mean depends on every row"),
        Mutant("no_variance_term", _bn_back_with(var_term=False),
               "your dX misses the variance's term: subtract x_hat * mean(dY * x_hat) over the batch"),
        Mutant("dX_no_gamma", _bn_back_with(gamma_in_dx=False),
               "your dX lacks the factor gamma: Y = gamma * x_hat + beta, so dx_hat = gamma * dY"),
        Mutant("dgamma_no_xhat", _bn_back_with(dgamma_plain=True),
               "your dgamma is sum(dY): gamma multiplies x_hat, so dgamma = sum(dY * x_hat) over the batch"),
        Mutant("dbeta_mean", _bn_back_with(dbeta_mean=True),
               "your dbeta is the mean of dY: beta is added to every row, so its gradient is the sum over the batch"),
    ),
)


# --- LayerNorm and RMSNorm -----------------------------------------------------------------------

def _row_case(label, X, rng, with_beta=True):
    n = X.shape[1]
    gamma = rng.uniform(0.5, 2.0, n)
    return Case(label, (X, gamma, rng.normal(size=n)) if with_beta else (X, gamma))


def _fixed_rows(with_beta):
    def build():
        rng = np.random.default_rng(96)
        return [
            _row_case("a (3, 4) batch", rng.normal(1.0, 2.0, size=(3, 4)), rng, with_beta),
            _row_case("a batch of one", rng.normal(size=(1, 5)), rng, with_beta),
            _row_case("a (4, 2) batch", rng.normal(size=(4, 2)), rng, with_beta),
            _row_case("rows far from 0: (2, 3) around 5", rng.normal(5.0, 0.5, size=(2, 3)), rng, with_beta),
        ]
    return build


def _random_rows(with_beta):
    def draw(rng):
        shape = (int(rng.integers(1, 6)), int(rng.integers(2, 7)))
        return _row_case(f"a random {shape} batch", rng.normal(rng.normal(), 2.0, size=shape), rng, with_beta)
    return draw


def _ln_with(axis=1, ddof=0, eps_outside=False, swap=False):
    def mistake(X, gamma, beta, eps=1e-5):
        mean, var = X.mean(axis=axis, keepdims=True), X.var(axis=axis, ddof=ddof, keepdims=True)
        std = np.sqrt(var) + eps if eps_outside else np.sqrt(var + eps)
        x_hat = (X - mean) / std
        return beta * x_hat + gamma if swap else gamma * x_hat + beta
    return mistake


ROW_DIMENSIONS = (Dimension("batch size", lambda case: case.args[0].shape[0], tuple(range(1, 6))),)

layernorm_forward = Exercise(
    name="layernorm_forward",
    section=LN_SECTION,
    **references("nnkit.normalization", "layernorm_forward"),
    **seeded_cases(_fixed_rows(True), _random_rows(True), n_visible=3, n_hidden=30),
    outputs=("Y",),
    varies=ROW_DIMENSIONS,
    mutants=(
        Mutant("batch_axis", _ln_with(axis=0),
               "you normalised over the batch (axis=0, that is BatchNorm): LayerNorm normalises each row "
               "over its features, axis=1 with keepdims=True"),
        Mutant("unbiased_variance", _ln_with(ddof=1),
               "you used the unbiased variance (ddof=1): LayerNorm divides by the number of features, np.var's default"),
        Mutant("eps_outside", _ln_with(eps_outside=True),
               "eps is outside the square root: divide by sqrt(var + eps)"),
        Mutant("gamma_beta_swapped", _ln_with(swap=True),
               "gamma and beta are swapped: gamma scales the normalised rows, beta shifts them"),
    ),
)


def _rms_with(axis=1, subtract_mean=False, sqrt=True, eps_outside=False, summed=False):
    def mistake(X, gamma, eps=1e-6):
        Xc = X - X.mean(axis=axis, keepdims=True) if subtract_mean else X
        ms = (np.sum if summed else np.mean)(X * X if not subtract_mean else Xc * Xc, axis=axis, keepdims=True)
        scale = (np.sqrt(ms) + eps if eps_outside else np.sqrt(ms + eps)) if sqrt else ms + eps
        return gamma * Xc / scale
    return mistake


rmsnorm_forward = Exercise(
    name="rmsnorm_forward",
    section=LN_SECTION,
    **references("nnkit.normalization", "rmsnorm_forward"),
    **seeded_cases(_fixed_rows(False), _random_rows(False), n_visible=3, n_hidden=30),
    outputs=("Y",),
    varies=ROW_DIMENSIONS,
    mutants=(
        Mutant("subtracts_mean", _rms_with(subtract_mean=True),
               "you subtracted the row's mean (that is LayerNorm without beta): RMSNorm only divides by "
               "the root mean square, sqrt(mean(X**2) + eps)"),
        Mutant("no_sqrt", _rms_with(sqrt=False),
               "you divided by the mean square: take its square root, the root mean square"),
        Mutant("batch_axis", _rms_with(axis=0),
               "you took the mean over the batch (axis=0): RMSNorm normalises each row, axis=1 with keepdims=True"),
        Mutant("eps_outside", _rms_with(eps_outside=True),
               "eps is outside the square root: divide by sqrt(mean(X**2) + eps)"),
        Mutant("sum_not_mean", _rms_with(summed=True),
               "you summed the squares: RMSNorm takes their MEAN over the features"),
    ),
)
