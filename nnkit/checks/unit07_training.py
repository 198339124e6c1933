"""Unit 07 (losses and the training loop) exercise specs: cases, known mistakes and their hints."""

from __future__ import annotations

import numpy as np

from nnkit import activations, mlp
from nnkit.checks._guard import private_copy, references
from nnkit.checks.core import Case, Dimension, Exercise, Mutant, seeded_cases

# private copies of the references: expected values no learner can monkeypatch
losses_ref = private_copy("nnkit.losses")
optim_ref = private_copy("nnkit.optim")
training_ref = private_copy("nnkit.training")
act_ref = private_copy("nnkit.activations")
data_ref = private_copy("nnkit.data")

DELTAS = (None, 0.5, 2.0)  # None: the default delta = 1


# --- 1. Huber ------------------------------------------------------------------------------------

def _huber_case(y_pred, y, delta, label):
    kwargs = {} if delta is None else {"delta": delta}
    return Case(label + ("" if delta is None else f", delta = {delta:g}"),
                (np.asarray(y_pred, float), np.asarray(y, float)), kwargs)


def _fixed_huber():
    rng = np.random.default_rng(71)
    y_pred, y = np.array([0.5, -0.2, 3.0, -4.0, 1.0]), np.array([0.0, 0.3, 0.0, 0.0, 1.0])
    return [
        _huber_case(y_pred, y, None, "residuals 0.5, -0.5, 3, -4, 0: both sides of delta"),
        _huber_case(y_pred, y, 2.0, "the same residuals"),
        _huber_case(rng.normal(scale=2.0, size=(4, 3)), rng.normal(size=(4, 3)), None, "a (4, 3) batch"),
        _huber_case([[10.0], [-0.1]], [[0.0], [0.0]], 0.5, "two samples, one far outlier"),
    ]


def _random_huber(rng):
    shape = (int(rng.integers(1, 7)),) if rng.random() < 0.5 else tuple(int(n) for n in rng.integers(1, 5, size=2))
    delta = DELTAS[int(rng.integers(len(DELTAS)))]
    return _huber_case(rng.normal(scale=2.5, size=shape), rng.normal(size=shape), delta, f"shape {shape}")


def _huber_mistake(inside, outside, grad, per=lambda r: r.shape[0]):
    """Huber with other pieces: ``inside(r, d)``, ``outside(a, d)`` per element, ``grad(r, d)``, divided by ``per(r)``."""
    def mistake(y_pred, y, delta=1.0):
        r = y_pred - y
        a = np.abs(r)
        loss = np.where(a <= delta, inside(r, delta), outside(a, delta))
        return float(np.sum(loss) / per(r)), grad(r, delta) / per(r)
    return mistake


def _half_square(r, d):
    return 0.5 * r**2


def _linear(a, d):
    return d * (a - 0.5 * d)


def _clipped(r, d):
    return np.clip(r, -d, d)


huber = Exercise(
    name="huber",
    section="1. Regression losses and outliers",
    **references("nnkit.losses", "huber"),
    **seeded_cases(_fixed_huber, _random_huber, n_visible=3, n_hidden=30),
    outputs=("loss", "grad"),
    varies=(Dimension("delta", lambda case: case.kwargs.get("delta"), DELTAS),
            Dimension("dimensions", lambda case: case.args[0].ndim, (1, 2))),
    mutants=(
        Mutant("branches_swapped", lambda y_pred, y, delta=1.0: _huber_mistake(
            lambda r, d: _linear(np.abs(r), d), lambda a, d: 0.5 * a**2,
            lambda r, d: np.where(np.abs(r) <= d, d * np.sign(r), r))(y_pred, y, delta),
               "your two branches are swapped: the square r²/2 holds for small residuals |r| <= delta, "
               "the straight line delta·(|r| − delta/2) beyond, where outliers live"),
        Mutant("delta_missing_outside", _huber_mistake(_half_square, lambda a, d: a - 0.5 * d,
                                                       lambda r, d: np.where(np.abs(r) <= d, r, np.sign(r))),
               "the linear part lacks its factor delta: beyond delta the loss is delta·(|r| − delta/2) and its "
               "slope ±delta, so that it meets r²/2 with the same value and slope at |r| = delta"),
        Mutant("no_offset", _huber_mistake(_half_square, lambda a, d: d * a, _clipped),
               "your linear part is delta·|r|: subtract delta²/2, delta·(|r| − delta/2), or the loss jumps at "
               "|r| = delta (r²/2 = delta²/2 there, not delta²)"),
        Mutant("no_half", _huber_mistake(lambda r, d: r**2, _linear, lambda r, d: np.where(np.abs(r) <= d, 2 * r, d * np.sign(r))),
               "your quadratic part is r²: Huber uses r²/2 (slope r), which meets the line delta·(|r| − delta/2) "
               "smoothly at |r| = delta"),
        Mutant("grad_unclipped", _huber_mistake(_half_square, _linear, lambda r, d: r),
               "your gradient is r everywhere, the gradient of r²/2: beyond delta the slope stays at ±delta, "
               "np.clip(r, -delta, delta); that cap is what makes Huber robust"),
        Mutant("mean_over_elements", _huber_mistake(_half_square, _linear, _clipped, per=lambda r: r.size),
               "you averaged over every element: sum each sample's outputs and average over the batch "
               "(divide by r.shape[0]), as the other losses of this unit do"),
        Mutant("grad_no_batch", _huber_mistake(_half_square, _linear, _clipped, per=lambda r: 1.0),
               "you did not average over the batch: divide the summed loss and the gradient by the batch size, "
               "r.shape[0]",
               variants=(lambda y_pred, y, delta=1.0: (losses_ref.huber(y_pred, y, delta)[0],
                                                       losses_ref.huber(y_pred, y, delta)[1] * len(y)),)),
    ),
)


# --- 2. binary cross-entropy from logits ---------------------------------------------------------

LARGE_Z = np.array([[-800.0], [800.0], [-1e4], [40.0], [-40.0]])


def _bce_case(z, y, label):
    return Case(label, (np.asarray(z, float), np.asarray(y, float)))


def _fixed_bce():
    rng = np.random.default_rng(72)
    return [
        _bce_case([[2.0], [-1.0], [0.0], [0.5]], [[1.0], [0.0], [1.0], [0.0]], "batch 4, logits near 0"),
        _bce_case(LARGE_Z, [[1.0], [0.0], [0.0], [1.0], [1.0]], "very large |z|, up to 1e4 (exp overflows)"),
        _bce_case(rng.normal(scale=3.0, size=(3, 2)), rng.integers(0, 2, (3, 2)), "a (3, 2) batch: two outputs"),
        _bce_case([[1.5]], [[0.25]], "one sample, a soft target y = 0.25"),
    ]


def _random_bce(rng):
    batch, k = int(rng.integers(1, 6)), int(rng.integers(1, 3))
    scale = 500.0 if rng.random() < 0.25 else 3.0
    y = rng.integers(0, 2, (batch, k)).astype(float) if rng.random() < 0.8 else rng.random((batch, k))
    return _bce_case(rng.normal(scale=scale, size=(batch, k)), y,
                     f"batch {batch}, {k} output(s)" + (", large logits" if scale > 100 else ""))


def _naive_bce(z, y):
    p = 1.0 / (1.0 + np.exp(-z))
    return float(-np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)) / len(z)), (p - y) / len(z)


def _softplus_bce(z, y):
    return float(np.sum(np.log1p(np.exp(z)) - z * y) / len(z)), (act_ref.sigmoid(z) - y) / len(z)


def _bce_with(loss=None, grad=None):
    """The reference with the loss ``loss(z, y, value)`` or gradient ``grad(z, y, value)`` replaced."""
    def mistake(z, y):
        value, dz = losses_ref.bce_with_logits(z, y)
        return (value if loss is None else loss(z, y, value)), (dz if grad is None else grad(z, y, dz))
    return mistake


bce_with_logits = Exercise(
    name="bce_with_logits",
    section="2. Cross-entropy, from probabilities and from logits",
    **references("nnkit.losses", "bce_with_logits"),
    **seeded_cases(_fixed_bce, _random_bce, n_visible=3, n_hidden=30),
    outputs=("loss", "grad"),
    quiet=True,
    allowed=(activations.sigmoid,),  # unit 05's stable sigmoid, handed out for the gradient
    varies=(Dimension("large logits", lambda case: bool(np.abs(case.args[0]).max() > 100), (False, True)),
            Dimension("outputs", lambda case: case.args[0].shape[1], (1, 2))),
    mutants=(
        Mutant("naive_log_sigmoid", _naive_bce,
               "you took log(sigmoid(z)): np.exp(-z) overflows for large negative z, and log(1 − p) is log(0) "
               "= −inf once p rounds to 1. Write the loss in the logits, max(z, 0) − z·y + log1p(exp(−|z|)), "
               "which exponentiates only −|z| ≤ 0"),
        Mutant("softplus_overflow", _softplus_bce,
               "log1p(np.exp(z)) overflows for large positive z: split off max(z, 0), "
               "log(1 + e^z) = max(z, 0) + log1p(exp(−|z|))",
               variants=(lambda z, y: (float(np.sum(np.maximum(z, 0) - z * y + np.log1p(np.exp(-z))) / len(z)),
                                       (act_ref.sigmoid(z) - y) / len(z)),)),
        Mutant("no_max_term", _bce_with(loss=lambda z, y, val: float(np.sum(np.log1p(np.exp(-np.abs(z))) - z * y) / len(z))),
               "your loss lacks max(z, 0): log(1 + e^z) = max(z, 0) + log1p(exp(−|z|)), both terms are needed"),
        Mutant("grad_sign", _bce_with(grad=lambda z, y, dz: -dz),
               "your gradient has the wrong sign: dL/dz = (sigmoid(z) − y) / batch, positive when the "
               "prediction is too high"),
        Mutant("grad_no_batch", _bce_with(grad=lambda z, y, dz: dz * len(z)),
               "your gradient lacks the 1/batch of the mean: dL/dz = (sigmoid(z) − y) / batch"),
        Mutant("loss_sum", _bce_with(loss=lambda z, y, val: val * len(z)),
               "your loss is summed over the batch: average it, divide by the batch size z.shape[0]"),
        Mutant("mean_over_elements", _bce_with(loss=lambda z, y, val: val / z.shape[1], grad=lambda z, y, dz: dz / z.shape[1]),
               "you averaged over every element: sum each sample's outputs and average over the batch only"),
    ),
)


# --- 3. mini-batches -----------------------------------------------------------------------------

def _batches_case(n, features, batch_size, seed, label=None):
    rng = np.random.default_rng(seed)
    X = np.round(rng.normal(size=(n, features)), 2)
    y = np.arange(n) % 3
    return Case(label or f"{n} rows, batch_size {batch_size}", (X, y, batch_size, np.random.default_rng(seed + 1)))


def _fixed_batches():
    return [
        _batches_case(10, 2, 4, 73, "10 rows, batch_size 4: a last batch of 2"),
        _batches_case(6, 1, 3, 74, "6 rows, batch_size 3: no partial batch"),
        _batches_case(5, 3, 8, 75, "5 rows, batch_size 8: one batch"),
        _batches_case(7, 2, 1, 76, "7 rows, batch_size 1"),
    ]


def _random_batches(rng):
    n = int(rng.integers(1, 20))
    return _batches_case(n, int(rng.integers(1, 4)), int(rng.integers(1, 9)), int(rng.integers(10**6)))


def _cut(X, y, order, batch_size, keep_last=True):
    stops = range(0, len(X) if keep_last else len(X) - len(X) % batch_size, batch_size)
    return [(X[order[i:i + batch_size]], y[order[i:i + batch_size]]) for i in stops]


def _apart(X, y, batch_size, rng):
    ox, oy = rng.permutation(len(X)), rng.permutation(len(y))
    return [(X[ox[i:i + batch_size]], y[oy[i:i + batch_size]]) for i in range(0, len(X), batch_size)]


minibatches = Exercise(
    name="minibatches",
    section="4. Mini-batches and shuffling",
    **references("nnkit.training", "minibatches"),
    **seeded_cases(_fixed_batches, _random_batches, n_visible=3, n_hidden=30),
    outputs=("batches",),
    parts={"batches": ("X_batch", "y_batch")},
    varies=(Dimension("a partial last batch", lambda case: len(case.args[0]) % case.args[2] != 0, (True, False)),),
    mutants=(
        Mutant("drop_last", lambda X, y, b, rng: _cut(X, y, rng.permutation(len(X)), b, keep_last=False),
               "the last, partial batch is missing: when batch_size does not divide n, the n % batch_size rows "
               "left over form one more, smaller batch (range(0, n, batch_size) reaches them)"),
        Mutant("no_shuffle", lambda X, y, b, rng: _cut(X, y, np.arange(len(X)), b),
               "your batches keep the data's order: shuffle first, order = rng.permutation(len(X)), "
               "then cut X[order] and y[order]"),
        Mutant("own_generator", lambda X, y, b, rng: _cut(X, y, np.random.default_rng(0).permutation(len(X)), b),
               "you shuffled with a Generator of your own: use the `rng` you are given, rng.permutation(len(X)), "
               "so that the caller's seed decides the order (and every epoch gets a new one)",
               variants=(lambda X, y, b, rng: _cut(X, y, np.random.default_rng(42).permutation(len(X)), b),
                         lambda X, y, b, rng: _cut(X, y, np.random.default_rng(1).permutation(len(X)), b))),
        Mutant("drop_last+no_shuffle", lambda X, y, b, rng: _cut(X, y, np.arange(len(X)), b, keep_last=False),
               "two slips: your batches keep the data's order (shuffle first with order = rng.permutation(len(X))) "
               "and the last, partial batch is missing (range(0, n, batch_size) reaches the n % batch_size rows left over)"),
        Mutant("batch_count", lambda X, y, b, rng: [(X[part], y[part]) for part in
                                                    np.array_split(rng.permutation(len(X)), b) if len(part)],
               "you cut the data into batch_size batches: batch_size is the number of ROWS per batch, "
               "so slice order[i:i + batch_size] for i in range(0, n, batch_size)"),
        Mutant("shuffled_apart", _apart,
               "X and y were shuffled with two different permutations, so the rows no longer meet their labels: "
               "draw one order = rng.permutation(len(X)) and index both with it"),
    ),
)


# --- 4. momentum ---------------------------------------------------------------------------------

BETAS = (None, 0.5, 0.99)


def _momentum_case(rng, shape, lr, beta, label=None):
    p, g, v = (rng.normal(size=shape) for _ in range(3))
    kwargs = {} if beta is None else {"beta": beta}
    return Case(label or f"shape {shape}, lr = {lr:g}" + ("" if beta is None else f", beta = {beta:g}"),
                (p, g, v, lr), kwargs)


def _fixed_momentum():
    rng = np.random.default_rng(74)
    return [
        Case("p = 1, g = 2, velocity = 0.5, lr = 0.1", (np.array([1.0]), np.array([2.0]), np.array([0.5]), 0.1)),
        _momentum_case(rng, (2,), 0.05, 0.5),
        Case("the first step: velocity = 0", (np.array([1.0, -2.0]), np.array([0.5, 1.0]), np.zeros(2), 0.2)),
        _momentum_case(rng, (3, 2), 0.01, 0.99),
    ]


def _random_momentum(rng):
    shape = tuple(int(n) for n in rng.integers(1, 4, size=int(rng.integers(1, 3))))
    return _momentum_case(rng, shape, float(rng.choice([0.3, 0.1, 0.01])), BETAS[int(rng.integers(3))])


def _momentum_with(velocity, step):
    """``velocity(v, g, beta) -> v_new`` and ``step(p, v, v_new, lr) -> p_new``."""
    def mistake(p, g, v, lr, beta=0.9):
        v_new = velocity(v, g, beta)
        return step(p, v, v_new, lr), v_new
    return mistake


def _heavy_ball(v, g, beta):
    return beta * v + g


def _descend(p, v, v_new, lr):
    return p - lr * v_new


momentum_step = Exercise(
    name="momentum_step",
    section="5. Momentum",
    **references("nnkit.optim", "momentum_update"),
    **seeded_cases(_fixed_momentum, _random_momentum, n_visible=3, n_hidden=30),
    outputs=("p_new", "velocity_new"),
    varies=(Dimension("beta", lambda case: case.kwargs.get("beta"), BETAS),),
    mutants=(
        Mutant("ascent", _momentum_with(_heavy_ball, lambda p, v, v_new, lr: p + lr * v_new),
               "your step climbs: the velocity accumulates gradients, so move against it, p − lr·velocity_new"),
        Mutant("old_velocity", _momentum_with(_heavy_ball, lambda p, v, v_new, lr: p - lr * v),
               "you moved p with the old velocity: first update velocity = beta·velocity + g, then step "
               "p − lr·velocity with the NEW velocity (at the first step the old one is 0 and p would not move)"),
        Mutant("ema_velocity", _momentum_with(lambda v, g, beta: beta * v + (1 - beta) * g, _descend),
               "your velocity is an average, beta·v + (1 − beta)·g: this exercise's heavy ball adds the whole "
               "gradient, velocity = beta·velocity + g (the average form needs a learning rate 1/(1 − beta) times larger)"),
        Mutant("lr_in_velocity", lambda p, g, v, lr, beta=0.9: (p + beta * v - lr * g, beta * v - lr * g),
               "you used the other convention, velocity = beta·velocity − lr·g and p + velocity: here the velocity "
               "is velocity = beta·velocity + g and the step p − lr·velocity"),
        Mutant("beta_missing", _momentum_with(lambda v, g, beta: v + g, _descend),
               "your velocity never forgets: multiply the old velocity by beta, velocity = beta·velocity + g"),
        Mutant("beta_on_gradient", _momentum_with(lambda v, g, beta: v + beta * g, _descend),
               "beta multiplies the gradient instead of the old velocity: velocity = beta·velocity + g"),
    ),
)


# --- 5. Adam -------------------------------------------------------------------------------------

def _adam_state(rng, shape, t):
    if t == 0:
        return {"m": np.zeros(shape), "s": np.zeros(shape), "t": 0}
    return {"m": rng.normal(scale=0.5, size=shape), "s": rng.uniform(0.01, 2.0, size=shape), "t": t}


def _adam_case(rng, shape, t, lr, betas=None, label=None):
    kwargs = {} if betas is None else {"beta1": betas[0], "beta2": betas[1]}
    args = (rng.normal(size=shape), rng.normal(size=shape), _adam_state(rng, shape, t), lr)
    extra = "" if betas is None else f", beta1 = {betas[0]:g}, beta2 = {betas[1]:g}"
    return Case(label or f"shape {shape}, t = {t} steps taken, lr = {lr:g}{extra}", args, kwargs)


def _fixed_adam():
    rng = np.random.default_rng(75)
    return [
        _adam_case(rng, (3,), 0, 0.01, label="the first step: m = s = 0, t = 0"),
        _adam_case(rng, (2, 2), 1, 0.1),
        _adam_case(rng, (4,), 9, 0.001, (0.8, 0.99)),
        _adam_case(rng, (1,), 1000, 0.05, label="t = 1000 steps taken: the corrections are ~1"),
        Case("g = 1e-6: eps matters", (np.array([1.0, -1.0]), np.array([1e-6, -1e-4]),
                                       {"m": np.zeros(2), "s": np.zeros(2), "t": 0}, 0.1), {"eps": 1e-6}),
    ]


def _random_adam(rng):
    shape = tuple(int(n) for n in rng.integers(1, 4, size=int(rng.integers(1, 3))))
    t = int(rng.choice([0, 1, 2, 5, 50]))
    betas = None if rng.random() < 0.6 else (float(rng.choice([0.5, 0.8])), float(rng.choice([0.9, 0.99])))
    return _adam_case(rng, shape, t, float(rng.choice([0.1, 0.01, 0.001])), betas)


def _adam_with(correct=True, t_after=True, eps_inside=False, swap=False, store_hat=False, sqrt=True, ema=True):
    """Adam with one slip: no bias correction, t counted after the correction, eps under the root,
    the betas swapped, the corrected moments stored, no square root, or (1 − beta) missing."""
    def mistake(p, g, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        b1, b2 = (beta2, beta1) if swap else (beta1, beta2)
        t = state["t"] + 1
        m = b1 * state["m"] + ((1 - b1) if ema else 1.0) * g
        s = b2 * state["s"] + ((1 - b2) if ema else 1.0) * g * g
        tc = t if t_after else state["t"]
        with np.errstate(divide="ignore", invalid="ignore"):
            m_hat, s_hat = (m / (1 - b1**tc), s / (1 - b2**tc)) if correct else (m, s)
            root = np.sqrt(s_hat + eps) if eps_inside else (np.sqrt(s_hat) if sqrt else s_hat) + eps
            p_new = p - lr * m_hat / root
        return p_new, ({"m": m_hat, "s": s_hat, "t": t} if store_hat else {"m": m, "s": s, "t": t})
    return mistake


adam_step = Exercise(
    name="adam_step",
    section="6. Adam and its bias correction",
    **references("nnkit.optim", "adam_update"),
    **seeded_cases(_fixed_adam, _random_adam, n_visible=3, n_hidden=30),
    outputs=("p_new", "state_new"),
    varies=(Dimension("the first step (t = 0)", lambda case: case.args[2]["t"] == 0, (True, False)),),
    mutants=(
        Mutant("no_bias_correction", _adam_with(correct=False),
               "your step has no bias correction: m and s start at 0, so early on they are too small by the factors "
               "1 − beta1^t and 1 − beta2^t; divide by them, m_hat = m / (1 − beta1**t), s_hat = s / (1 − beta2**t)"),
        Mutant("t_from_zero", _adam_with(t_after=False),
               "your bias correction uses the old t: count this step first, t = state['t'] + 1, then correct with "
               "1 − beta**t (at the first step t = 1; with t = 0 the correction divides by 0)",
               variants=(lambda p, g, state, lr, beta1=0.9, beta2=0.999, eps=1e-8: (
                   _adam_with(t_after=False)(p, g, state, lr, beta1, beta2, eps)[0],
                   {**_adam_with(t_after=False)(p, g, state, lr, beta1, beta2, eps)[1], "t": state["t"]}),)),
        Mutant("eps_inside_sqrt", _adam_with(eps_inside=True),
               "eps sits inside the square root: the step is lr·m_hat / (sqrt(s_hat) + eps), eps added after the root"),
        Mutant("betas_swapped", _adam_with(swap=True),
               "beta1 and beta2 are swapped: beta1 (0.9) averages the gradient m, beta2 (0.999) the squared gradient s"),
        Mutant("corrected_moments_stored", _adam_with(store_hat=True),
               "your state keeps the corrected m_hat and s_hat: store the raw averages m and s; the correction is "
               "applied afresh at every step"),
        Mutant("no_sqrt", _adam_with(sqrt=False),
               "you divided by s_hat itself: divide by its square root, sqrt(s_hat) + eps, which has the units of g"),
        Mutant("no_one_minus_beta", _adam_with(ema=False),
               "your moments add the whole gradient: m = beta1·m + (1 − beta1)·g and s = beta2·s + (1 − beta2)·g²"),
    ),
)


# --- 7. the training loop ------------------------------------------------------------------------

# train is checked with nnkit's minibatches, Adam step and loss passed in, so that a slip in the
# learner's own functions fails their own checks only
PARTS = {"minibatches": training_ref.minibatches, "adam_step": optim_ref.adam_update,
         "bce_with_logits": losses_ref.bce_with_logits}


def _train_case(n, sizes, lr, epochs, batch_size, seed, label=None):
    X, t = data_ref.moons(n, 0.2, seed)
    y = (t > 0).astype(float)[:, None]
    label = label or f"{n} points, sizes {sizes}, {epochs} epochs of batch_size {batch_size}"
    return Case(label, (X, y, sizes, lr, epochs, batch_size, seed), dict(PARTS))


def _fixed_train():
    return [
        _train_case(10, [2, 3, 1], 0.05, 2, 4, 76, "10 points, sizes [2, 3, 1], 2 epochs of batch_size 4 (4, 4, 2)"),
        _train_case(8, [2, 4, 1], 0.1, 3, 8, 77, "8 points, one full batch per epoch, 3 epochs"),
        _train_case(12, [2, 4, 3, 1], 0.02, 2, 5, 78),
    ]


def _random_train(rng):
    n = int(rng.integers(4, 16))
    sizes = [2, *(int(k) for k in rng.integers(2, 5, size=int(rng.integers(1, 3)))), 1]
    return _train_case(n, sizes, float(rng.choice([0.1, 0.03])), int(rng.integers(1, 4)),
                       int(rng.integers(2, 7)), int(rng.integers(10**6)))


def _train_with(shuffle_seeded_again=False, reset_each_epoch=False, loss_record="weighted"):
    """The loop with one slip: a second Generator for the shuffles, the Adam state reset every epoch,
    or the epoch's loss recorded as the last batch's ("last") or as the unweighted mean ("mean")."""
    def mistake(X, y, sizes, lr, epochs, batch_size, seed, minibatches, adam_step, bce_with_logits):
        rng = np.random.default_rng(seed)
        params = mlp.init_mlp(sizes, rng, "he_normal")
        shuffler = np.random.default_rng(seed) if shuffle_seeded_again else rng
        fresh = lambda: [{k: {"m": np.zeros_like(a), "s": np.zeros_like(a), "t": 0} for k, a in layer.items()}  # noqa: E731
                         for layer in params]
        states, losses = fresh(), []
        for _ in range(epochs):
            states = fresh() if reset_each_epoch else states
            seen = []
            for X_batch, y_batch in minibatches(X, y, batch_size, shuffler):
                logits, caches = mlp.mlp_forward(X_batch, params, "relu")
                loss, dlogits = bce_with_logits(logits, y_batch)
                grads = mlp.mlp_backward(dlogits, caches)
                for layer, grad, state in zip(params, grads, states):
                    for k in layer:
                        layer[k], state[k] = adam_step(layer[k], grad[k], state[k], lr)
                seen.append((loss, len(X_batch)))
            record = {"weighted": sum(v * b for v, b in seen) / len(X), "last": seen[-1][0],
                      "mean": float(np.mean([v for v, _ in seen])), "sum": sum(v for v, _ in seen)}
            losses.append(record[loss_record])
        return params, losses
    return mistake


train = Exercise(
    name="train",
    section="7. The training loop",
    **references("nnkit.training", "train"),
    **seeded_cases(_fixed_train, _random_train, n_visible=2, n_hidden=20),
    outputs=("params", "losses"),
    rtol=1e-6,
    atol=1e-9,
    allowed=(mlp.init_mlp, mlp.mlp_forward, mlp.mlp_backward, activations.sigmoid),
    varies=(Dimension("a partial last batch", lambda case: case.args[0].shape[0] % case.args[5] != 0, (True, False)),),
    mutants=(
        Mutant("second_generator", _train_with(shuffle_seeded_again=True),
               "your shuffles come from a second Generator: make ONE rng = np.random.default_rng(seed), draw the "
               "weights from it (init_mlp(sizes, rng, 'he_normal')) and pass the same rng to minibatches every epoch"),
        Mutant("state_reset_each_epoch", _train_with(reset_each_epoch=True),
               "your Adam states start from zero every epoch: create them once, before the first epoch, so that m, s "
               "and t carry on across epochs"),
        Mutant("last_batch_loss", _train_with(loss_record="last"),
               "losses[e] is the last batch's loss: record the epoch's mean loss per sample, "
               "sum(batch loss · batch size) / n"),
        Mutant("unweighted_mean", _train_with(loss_record="mean"),
               "losses[e] averages the batch losses without their sizes: a smaller last batch would count as much as "
               "a full one; weight each by its size, sum(loss · len(X_batch)) / len(X)"),
        Mutant("summed_losses", _train_with(loss_record="sum"),
               "losses[e] is the sum of the batch losses: divide by the number of samples after weighting each "
               "batch's loss by its size"),
    ),
)
