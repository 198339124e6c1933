"""Unit 06 (initialization) exercise specs: cases, known mistakes and their hints.

The initializers ``(fan_in, fan_out, rng) -> W: (fan_in, fan_out)`` are random, so they are
checked statistically: ``observe`` turns W into verdicts on its mean, its second moment E[w²]
(which usual formula it matches) and its largest |w|, each with a false-rejection probability
below 2 ``DELTA`` for a right answer (rigorous tail bounds, not normal approximations), so below
1e-6 per case. That the
given Generator is used is checked by the runner: a call that leaves its state as it was fails.
"""

from __future__ import annotations

import math

import numpy as np

from nnkit import layers
from nnkit.checks._guard import private_copy, references
from nnkit.checks.core import Case, Dimension, Exercise, Mutant, seeded_cases

experiments_ref = private_copy("nnkit.experiments")

DELTA = 1e-7  # false-rejection probability of each statistical verdict for a right answer
_X = math.log(2.0 / DELTA)  # the tail bounds' exponent

#: E[w²] of the usual formulas and slips, by the label a learner reads.
VARIANCES = {
    "1/fan_in": lambda i, o: 1.0 / i,
    "2/(fan_in + fan_out)": lambda i, o: 2.0 / (i + o),
    "2/fan_in": lambda i, o: 2.0 / i,
    "1/fan_out": lambda i, o: 1.0 / o,
    "2/fan_out": lambda i, o: 2.0 / o,
    "1/(fan_in + fan_out)": lambda i, o: 1.0 / (i + o),
    "(1/fan_in)**2": lambda i, o: 1.0 / i**2,
    "(2/(fan_in + fan_out))**2": lambda i, o: 4.0 / (i + o) ** 2,
    "(2/fan_in)**2": lambda i, o: 4.0 / i**2,
    "2/(3 (fan_in + fan_out))": lambda i, o: 2.0 / (3 * (i + o)),
    "2/(3 fan_in)": lambda i, o: 2.0 / (3 * i),
    "12/(fan_in + fan_out)**2": lambda i, o: 12.0 / (i + o) ** 2,
    "12/fan_in**2": lambda i, o: 12.0 / i**2,
}


def _band(n: int) -> tuple[float, float]:
    """Interval that E[w²] / Var(w) falls in with probability >= 1 - DELTA, for n normal or uniform draws.

    Normal: chi-square bounds of Laurent & Massart (2000); uniform U(-a, a): Hoeffding on w² in
    [0, 3 Var(w)]. The band is the wider of the two on each side.
    """
    root = math.sqrt(_X / n)
    return 1.0 - 2.13 * root, 1.0 + 2.13 * root + 2.0 * _X / n


def _variance_label(m2: float, target: str, fan_in: int, fan_out: int) -> str:
    """The target formula when E[w²] fits it, else the closest other formula that fits, else 'none'."""
    low, high = _band(fan_in * fan_out)
    fits = {label: f(fan_in, fan_out) for label, f in VARIANCES.items()
            if low <= m2 / f(fan_in, fan_out) <= high}
    if target in fits:
        return target
    if not fits:
        return "none of the usual formulas"
    return min(fits, key=lambda label: abs(math.log(m2 / fits[label])))


def _mean_label(W: np.ndarray, m2: float) -> str:
    """Hoeffding for a uniform |w| <= sqrt(3) std gives 2.45 std sqrt(_X / n); 2.75 allows m2 down to
    0.8 std**2 (the band's low end), and is wider than a normal's 5.3 standard errors."""
    return "0 within sampling error" if abs(W.mean()) <= 2.75 * math.sqrt(_X * m2 / W.size) else "not 0"


def _normal_tails(W: np.ndarray, m2: float) -> str:
    """2000+ normal draws have some |w| > sqrt(3 m2) <= 1.91 std (P(none) < 1e-50); a uniform has none."""
    return "some |w| beyond sqrt(3) std" if np.abs(W).max() > math.sqrt(3.0 * m2) else "none beyond sqrt(3) std"


def _bound_label(W: np.ndarray, bound: float) -> str:
    """U(-a, a): every |w| <= a, and the largest reaches a(1 - eta) but for a chance below DELTA."""
    top = np.abs(W).max()
    if top > bound * (1.0 + 1e-12):
        return "beyond the bound"
    return "reaches the bound" if top >= bound * (1.0 + math.log(DELTA) / W.size) else "short of the bound"


def _observer(target: str, bound=None):
    """``W -> {verdict: label}``: the statistics a right W shows, with ``bound(fan_in, fan_out)`` for a uniform."""
    def observe(W):
        W = np.asarray(W, dtype=float)
        fan_in, fan_out = W.shape
        m2 = float(np.mean(W * W))
        seen = {"mean": _mean_label(W, m2), "E[w**2]": _variance_label(m2, target, fan_in, fan_out)}
        if bound is None:
            seen["tails"] = _normal_tails(W, m2)
        else:
            seen["largest |w|"] = _bound_label(W, bound(fan_in, fan_out))
        return seen
    return observe


FIXED_FANS = ((30, 100), (100, 30), (64, 64), (200, 20))


def _fan_case(fan_in: int, fan_out: int, seed: int) -> Case:
    return Case(f"fan_in = {fan_in}, fan_out = {fan_out}, rng = np.random.default_rng({seed})",
                (fan_in, fan_out, np.random.default_rng(seed)))


def _fixed_fans():
    return [_fan_case(i, o, seed) for seed, (i, o) in enumerate(FIXED_FANS, 1)]


def _random_fans(rng):
    while True:
        fan_in, fan_out = (int(n) for n in rng.integers(10, 201, size=2))
        if fan_in * fan_out >= 2000:
            return _fan_case(fan_in, fan_out, int(rng.integers(1000, 10**6)))


def _normal_with(variance):
    return lambda fan_in, fan_out, rng: rng.normal(0.0, math.sqrt(variance(fan_in, fan_out)), (fan_in, fan_out))


def _variance_as_std(variance):
    return lambda fan_in, fan_out, rng: rng.normal(0.0, variance(fan_in, fan_out), (fan_in, fan_out))


def _uniform_with(bound, low_is_zero=False):
    def draw(fan_in, fan_out, rng):
        a = bound(fan_in, fan_out)
        return rng.uniform(0.0 if low_is_zero else -a, a, (fan_in, fan_out))
    return draw


def _global(draw):
    """``draw`` fed numpy's global generator instead of ``rng``."""
    return lambda fan_in, fan_out, rng: draw(fan_in, fan_out, np.random.default_rng(np.random.randint(2**31)))


def _transposed(draw):
    return lambda fan_in, fan_out, rng: draw(fan_out, fan_in, rng)


def _common_mutants(right, name: str) -> tuple:
    return (
        Mutant("global_rng", _global(right),
               "you drew from numpy's global generator (np.random.*): draw from the Generator you are given, "
               f"`rng.{name}(...)`, so that the same seed gives the same weights"),
        Mutant("transposed", _transposed(right),
               "your W is transposed: the layers compute X @ W, so W has shape (fan_in, fan_out)"),
    )


def _initializer(name: str, section: str, variance: str, mutants: tuple, bound=None):
    """The spec of the initializer exercise ``name``, whose E[w²] is the formula ``variance``."""
    return Exercise(
        name=name, section=section, **references("nnkit.init", name),
        **seeded_cases(_fixed_fans, _random_fans, n_visible=2, n_hidden=12),
        outputs=("W",), observe=_observer(variance, bound),
        observe_label="statistics of W",
        varies=(Dimension("fan_in < fan_out", lambda case: case.args[0] < case.args[1], (False, True)),),
        mutants=mutants,
    )


def _var(label: str):
    return VARIANCES[label]


def _sqrt_of(variance, factor=1.0):
    return lambda i, o: math.sqrt(factor * variance(i, o))


GAUSSIAN = "2. Keeping the variance: LeCun, Xavier and He"
lecun_normal = _initializer("lecun_normal", GAUSSIAN, "1/fan_in", (
    Mutant("fan_out_for_fan_in", _normal_with(_var("1/fan_out")),
           "your variance is 1/fan_out: LeCun divides by fan_in, the number of inputs each unit sums"),
    Mutant("variance_as_std", _variance_as_std(_var("1/fan_in")),
           "you passed the variance 1/fan_in where numpy wants the standard deviation: "
           "rng.normal(0, np.sqrt(1 / fan_in), ...)"),
    Mutant("he_for_lecun", _normal_with(_var("2/fan_in")),
           "your variance is 2/fan_in (that is He's): LeCun's is 1/fan_in"),
    Mutant("uniform_drawn", _uniform_with(_sqrt_of(_var("1/fan_in"), 3.0)),
           "your weights are uniform: this initializer draws from a normal distribution, rng.normal"),
    *_common_mutants(_normal_with(_var("1/fan_in")), "normal"),
))

xavier_normal = _initializer("xavier_normal", GAUSSIAN, "2/(fan_in + fan_out)", (
    Mutant("no_two", _normal_with(_var("1/(fan_in + fan_out)")),
           "your variance is 1/(fan_in + fan_out): Xavier's is the harmonic compromise 2/(fan_in + fan_out)"),
    Mutant("variance_as_std", _variance_as_std(_var("2/(fan_in + fan_out)")),
           "you passed the variance 2/(fan_in + fan_out) where numpy wants the standard deviation: "
           "take its square root"),
    Mutant("fan_in_only", _normal_with(_var("1/fan_in")),
           "your variance is 1/fan_in (LeCun's): Xavier averages both fans, 2/(fan_in + fan_out)"),
    Mutant("uniform_drawn", _uniform_with(_sqrt_of(_var("2/(fan_in + fan_out)"), 3.0)),
           "your weights are uniform: this initializer draws from a normal distribution, rng.normal"),
    *_common_mutants(_normal_with(_var("2/(fan_in + fan_out)")), "normal"),
))

he_normal = _initializer("he_normal", GAUSSIAN, "2/fan_in", (
    Mutant("fan_out_for_fan_in", _normal_with(_var("2/fan_out")),
           "your variance is 2/fan_out: He divides by fan_in, the number of inputs each unit sums"),
    Mutant("variance_as_std", _variance_as_std(_var("2/fan_in")),
           "you passed the variance 2/fan_in where numpy wants the standard deviation: "
           "rng.normal(0, np.sqrt(2 / fan_in), ...)"),
    Mutant("no_two", _normal_with(_var("1/fan_in")),
           "your variance is 1/fan_in: ReLU zeroes half of its inputs, so He doubles it, 2/fan_in"),
    Mutant("uniform_drawn", _uniform_with(_sqrt_of(_var("2/fan_in"), 3.0)),
           "your weights are uniform: this initializer draws from a normal distribution, rng.normal"),
    *_common_mutants(_normal_with(_var("2/fan_in")), "normal"),
))

UNIFORM = "3. Uniform versions: the bound from the variance"


def _uniform_mutants(variance: str, right_bound, denominator: str) -> tuple:
    return (
        Mutant("sqrt3_for_sqrt6", _uniform_with(_sqrt_of(_var(variance), 1.5)),
               f"your bound is sqrt(3/{denominator}): U(-a, a) has variance a**2/3, so the bound for the "
               f"variance 2/{denominator} is sqrt(6/{denominator})"),
        Mutant("bound_without_sqrt", _uniform_with(lambda i, o: 3.0 * _var(variance)(i, o)),
               f"your bound is 6/{denominator}: take the square root, a = sqrt(6/{denominator})"),
        Mutant("std_as_bound", _uniform_with(_sqrt_of(_var(variance))),
               "you used the standard deviation as the bound: U(-a, a) has std a/sqrt(3), so a = sqrt(3) * std"),
        Mutant("one_sided", _uniform_with(right_bound, low_is_zero=True),
               "your weights are all positive: draw from U(-a, a), rng.uniform(-a, a, ...)"),
        Mutant("normal_drawn", _normal_with(_var(variance)),
               "your weights are normal: this initializer draws from U(-a, a), rng.uniform"),
        *_common_mutants(_uniform_with(right_bound), "uniform"),
    )


def _xavier_bound(i, o):
    return math.sqrt(6.0 / (i + o))


def _he_bound(i, o):
    return math.sqrt(6.0 / i)


xavier_uniform = _initializer("xavier_uniform", UNIFORM, "2/(fan_in + fan_out)", bound=_xavier_bound,
                              mutants=_uniform_mutants("2/(fan_in + fan_out)", _xavier_bound, "(fan_in + fan_out)"))

he_uniform = _initializer("he_uniform", UNIFORM, "2/fan_in", bound=_he_bound, mutants=(
    *_uniform_mutants("2/fan_in", _he_bound, "fan_in"),
    Mutant("fan_out_for_fan_in", _uniform_with(lambda i, o: math.sqrt(6.0 / o)),
           "your bound is sqrt(6/fan_out): He's uses fan_in, sqrt(6/fan_in)"),
))


# --- the theory's per-layer factor ------------------------------------------------------------

GAIN_ACTIVATIONS, GAIN_INITS = ("relu", "tanh", "linear"), ("tiny", "lecun", "xavier", "he", "large")


def _fixed_gains():
    return [Case(f"{act} with {init}, width 256", (act, init, 256)) for act in ("relu", "tanh")
            for init in ("xavier", "he")] + [Case("linear with lecun, width 10", ("linear", "lecun", 10)),
                                            Case("relu with tiny, width 100", ("relu", "tiny", 100)),
                                            Case("tanh with large, width 3", ("tanh", "large", 3))]


def _random_gain(rng):
    act, init = str(rng.choice(GAIN_ACTIVATIONS)), str(rng.choice(GAIN_INITS))
    width = int(rng.integers(1, 1025))
    return Case(f"{act} with {init}, width {width}", (act, init, width))


def _gain_with(factor=None, variance=None, root=False):
    def mistake(activation, init, width):
        c = (factor or experiments_ref.SECOND_MOMENT_FACTOR)[activation]
        var = (variance or experiments_ref.WEIGHT_VARIANCE)[init](width, width)
        gain = width * var * c
        return math.sqrt(gain) if root else gain
    return mistake


predicted_gain = Exercise(
    name="predicted_gain",
    section="4. The theory's factor per layer",
    **references("nnkit.experiments", "predicted_gain"),
    **seeded_cases(_fixed_gains, _random_gain, n_visible=3, n_hidden=30),
    outputs=("gain",),
    varies=(Dimension("activation", lambda case: case.args[0], GAIN_ACTIVATIONS),
            Dimension("init", lambda case: case.args[1], GAIN_INITS)),
    mutants=(
        Mutant("relu_keeps_all", _gain_with(factor={"relu": 1.0, "tanh": 1.0, "linear": 1.0}),
               "for ReLU you kept the whole second moment: ReLU zeroes the negative half of a symmetric z, "
               "so E[relu(z)**2] = Var(z) / 2"),
        Mutant("half_everywhere", _gain_with(factor={"relu": 0.5, "tanh": 0.5, "linear": 0.5}),
               "you halved for tanh or linear too: only ReLU throws away half of z; tanh(z) ~ z near 0"),
        Mutant("std_gain", _gain_with(root=True),
               "you returned the factor of the standard deviation: the exercise asks for the second moment's, "
               "width * Var(w) * c (the std's is its square root)"),
        Mutant("std_for_variance", _gain_with(variance={k: (lambda f: lambda i, o: math.sqrt(f(i, o)))(f)
                                                        for k, f in experiments_ref.WEIGHT_VARIANCE.items()}),
               "you used the weights' standard deviation where the formula has their variance Var(w)"),
        Mutant("no_width", lambda activation, init, width: _gain_with()(activation, init, width) / width,
               "the width is missing: z sums width products w * a, so Var(z) = width * Var(w) * E[a**2]"),
    ),
)


# --- statistics through depth -----------------------------------------------------------------

DEPTH_ACTIVATIONS = ("tanh", "relu", "sigmoid", "gelu")


def _depth_case(rng, activation, depth, width, batch, label=None):
    weights = [rng.normal(scale=1.0 / math.sqrt(width), size=(width, width)) for _ in range(depth)]
    X, dA = rng.normal(size=(batch, width)), rng.normal(size=(batch, width))
    return Case(label or f"{activation}, {depth} layers of width {width}, batch {batch}", (activation, weights, X, dA))


def _fixed_depth():
    rng = np.random.default_rng(6)
    return [_depth_case(rng, "relu", 1, 2, 1, "relu, one layer of width 2, one row"),
            Case("tanh, 2 layers of width 2, by hand",
                 ("tanh", [np.array([[1.0, -1.0], [0.5, 2.0]]), np.array([[0.0, 1.0], [1.0, 0.0]])],
                  np.array([[1.0, 2.0], [-1.0, 0.5]]), np.array([[1.0, 0.0], [0.0, -1.0]]))),
            _depth_case(rng, "relu", 5, 5, 3),
            _depth_case(rng, "gelu", 3, 3, 4)]


def _random_depth(rng):
    return _depth_case(rng, str(rng.choice(DEPTH_ACTIVATIONS)), int(rng.integers(1, 6)), int(rng.integers(1, 7)),
                       int(rng.integers(1, 6)))


def _depth_mistake(std_of_z=False, norm_below=False, skip_slope=False, untransposed=False, l1=False,
                   unit_std=False):
    """``layer_stats_through_depth`` with one slip."""
    activation_forward, activation_backward = layers.activation_forward, layers.activation_backward

    def mistake(activation, weights, X, dA):
        A, caches, std = np.asarray(X, float), [], []
        for W in weights:
            Z = A @ W
            A, cache = activation_forward(Z, activation)
            caches.append((W, cache))
            shown = Z if std_of_z else A
            std.append(shown.std(axis=0).mean() if unit_std else shown.std())
        grads, g = [0.0] * len(weights), np.asarray(dA, float)
        for layer in reversed(range(len(weights))):
            W, cache = caches[layer]
            if not norm_below:
                grads[layer] = np.abs(g).sum() if l1 else np.sqrt(np.sum(g * g))
            g = (g if skip_slope else activation_backward(g, cache)) @ (W if untransposed else W.T)
            if norm_below:
                grads[layer] = np.sqrt(np.sum(g * g))
        return {"std": np.array(std), "grad_norm": np.array(grads)}
    return mistake


layer_stats_through_depth = Exercise(
    name="layer_stats_through_depth",
    section="5. Measuring through depth",
    **references("nnkit.experiments", "layer_stats_through_depth"),
    **seeded_cases(_fixed_depth, _random_depth, n_visible=3, n_hidden=30),
    outputs=("stats",),
    allowed=(layers.activation_forward, layers.activation_backward, layers.dense_forward),
    varies=(Dimension("activation", lambda case: case.args[0], DEPTH_ACTIVATIONS),
            Dimension("depth", lambda case: len(case.args[1]), tuple(range(1, 6)))),
    mutants=(
        Mutant("std_of_z", _depth_mistake(std_of_z=True),
               "your std is that of the pre-activations Z: the experiment follows the outputs A = f(Z)"),
        Mutant("norm_one_layer_down", _depth_mistake(norm_below=True),
               "your gradient norms are one layer down: entry l is the norm of dL/dA_l, taken before "
               "passing it back through layer l + 1"),
        Mutant("no_activation_slope", _depth_mistake(skip_slope=True),
               "the backward pass skips f': dZ = dA * f'(Z) (activation_backward) before dA_below = dZ @ W.T"),
        Mutant("untransposed", _depth_mistake(untransposed=True),
               "you passed the gradient back through W instead of W.T: dA_below = dZ @ W.T"),
        Mutant("l1_norm", _depth_mistake(l1=True),
               "your norm adds absolute values: the Frobenius norm is the square root of the sum of squares"),
        Mutant("std_per_unit", _depth_mistake(unit_std=True),
               "you averaged the std of each unit: take the std of all entries of A at once, A.std()"),
    ),
)


# --- symmetry -----------------------------------------------------------------------------------

def _fixed_symmetric():
    return [
        Case("zero-initialized and trained: 3 equal units", (np.array([[0.5, 0.5, 0.5], [-1.0, -1.0, -1.0]]),)),
        Case("4 different units", (np.array([[1.0, 2.0, 3.0, 4.0], [0.0, 0.0, 0.0, 1.0]]),)),
        Case("two pairs, equal up to 1e-13", (np.array([[1.0, 1.0 + 1e-13, 2.0, 2.0], [3.0, 3.0, -1.0, -1.0]]),)),
        Case("a single unit", (np.array([[0.3], [0.1], [-0.2]]),)),
        Case("one input, 3 units, two of them equal", (np.array([[2.0, -1.0, 2.0]]),)),
        Case("columns differ in one entry only; rows repeat",
             (np.array([[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [2.0, 2.5, 2.0]]),)),
    ]


def _random_symmetric(rng):
    fan_in, groups = int(rng.integers(1, 5)), int(rng.integers(1, 5))
    units = rng.normal(size=(fan_in, groups))
    picks = rng.integers(0, groups, size=int(rng.integers(groups, 8)))
    picks[:groups] = np.arange(groups)
    W = units[:, rng.permutation(picks)] + rng.normal(scale=1e-12, size=(fan_in, picks.size))
    return Case(f"{picks.size} units, {fan_in} inputs", (W,))


def _distinct(W, axis=1, tol=1e-9):
    return experiments_ref.symmetric_units(W if axis == 1 else np.asarray(W).T, tol)


symmetric_units = Exercise(
    name="symmetric_units",
    section="1. Why not start from zero?",
    **references("nnkit.experiments", "symmetric_units"),
    **seeded_cases(_fixed_symmetric, _random_symmetric, n_visible=3, n_hidden=30),
    outputs=("count",),
    varies=(Dimension("inputs", lambda case: case.args[0].shape[0], (1, 2, 3, 4)),),
    mutants=(
        Mutant("rows", lambda W: _distinct(W, axis=0),
               "you compared rows: a unit is a column of W (fan_in, fan_out), so compare the columns W[:, j]"),
        Mutant("exact", lambda W: len({tuple(c) for c in np.asarray(W).T}),
               "you compared the columns exactly: floating-point rounding leaves copies 1e-13 apart, compare "
               "with a tolerance (np.max(np.abs(a - b)) <= 1e-9)"),
        Mutant("copies", lambda W: np.asarray(W).shape[1] - _distinct(W),
               "you counted the copies: return the number of different units"),
        Mutant("is_symmetric", lambda W: int(_distinct(W) == 1),
               "you returned whether every unit is the same: return how many different units there are"),
    ),
)
