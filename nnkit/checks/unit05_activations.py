"""Unit 05 (activation functions) exercise specs: cases, known mistakes and their hints.

Each activation exercise is a function ``z -> (f(z), f'(z))``; its reference is
``nnkit.activations.value_and_grad(name)``.
"""

from __future__ import annotations

import numpy as np

import nnkit.activations as activations_public
from nnkit.checks._guard import private_copy, references
from nnkit.checks.core import Case, Dimension, Exercise, Mutant, seeded_cases

# private copies of the references: expected values no learner can monkeypatch
act_ref = private_copy("nnkit.activations")
special_ref = private_copy("nnkit._special")
experiments_ref = private_copy("nnkit.experiments")

LARGE = np.array([-1e4, -800.0, -50.0, 0.0, 50.0, 800.0, 1e4])
SMALL = np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0])


def _pair_references(name: str) -> dict:
    """``reference`` and ``public_reference`` of the exercise ``name``: (value, derivative)."""
    return {"reference": act_ref.value_and_grad(name), "public_reference": activations_public.value_and_grad(name)}


def _fixed_z(large: bool = True):
    def build():
        cases = [Case("z around 0, z = 0 included", (SMALL.copy(),)),
                 Case("a (2, 3) batch", (np.array([[-2.0, 0.0, 1.5], [0.25, -0.75, 4.0]]),)),
                 Case("a single value", (np.array([0.7]),))]
        if large:
            cases.append(Case("very large |z|, up to 1e4", (LARGE.copy(),)))
        return cases
    return build


def _random_z(rng):
    shape = (int(rng.integers(1, 9)),) if rng.random() < 0.5 else tuple(int(n) for n in rng.integers(1, 5, size=2))
    z = rng.normal(scale=3.0, size=shape)
    if rng.random() < 0.3:
        z.flat[0] = 0.0
    return Case(f"random z of shape {shape}", (z,))


def _with_alpha(fixed, default: float, alphas: tuple):
    """Cases of ``fixed`` with the default alpha, then with each of ``alphas`` as a keyword."""
    def build():
        plain = fixed()
        return [*plain, *(Case(f"{c.label}, alpha = {a}", c.args, {"alpha": a}) for c in plain[:2] for a in alphas)]
    return build


def _random_alpha(alphas: tuple):
    def draw(rng):
        case = _random_z(rng)
        alpha = float(rng.choice(alphas))
        return Case(f"{case.label}, alpha = {alpha}", case.args, {"alpha": alpha})
    return draw


Z_DIMENSIONS = (Dimension("dimensions of z", lambda case: case.args[0].ndim, (1, 2)),
                Dimension("z = 0 included", lambda case: bool((case.args[0] == 0).any()), (False, True)))


def _activation(name: str, section: str, mutants: tuple, large: bool = True, quiet: bool = False, alpha=None):
    """The spec of the activation exercise ``name`` (value and derivative of z)."""
    fixed, random_case, varies = _fixed_z(large), _random_z, Z_DIMENSIONS
    if alpha is not None:
        default, others = alpha
        fixed, random_case = _with_alpha(fixed, default, others), _random_alpha((default, *others))
        varies = (*varies, Dimension("alpha", lambda case: case.kwargs.get("alpha", default), (default, *others)))
    return Exercise(
        name=name, section=section, **_pair_references(name),
        **seeded_cases(fixed, random_case, n_visible=3, n_hidden=30),
        outputs=("value", "derivative"), varies=varies, quiet=quiet, mutants=mutants,
    )


def _sig(z):
    return act_ref.sigmoid(z)


def _pair_with(name: str, value=None, grad=None):
    """The activation ``name`` as ``(z, **alpha) -> (value, derivative)``, either part replaced by a mistake."""
    act = act_ref.get(name)

    def mistake(z, **alpha):
        return (value or act.fn)(z, **alpha), (grad or act.grad)(z, **alpha)
    return mistake


def _naive_sigmoid(z):
    s = 1.0 / (1.0 + np.exp(-z))
    return s, s * (1.0 - s)


def _ratio_sigmoid(z):
    e = np.exp(z)
    s = e / (1.0 + e)
    return s, s * (1.0 - s)


sigmoid = _activation("sigmoid", "2. Sigmoid: the first smooth switch", quiet=True, mutants=(
    Mutant("naive_overflow", _naive_sigmoid,
           "np.exp(-z) overflows for large negative z (numpy warns \"overflow encountered in exp\", and "
           "exp(z) / (1 + exp(z)) even gives nan): exponentiate only -|z|, e = np.exp(-np.abs(z)), then "
           "take 1 / (1 + e) where z >= 0 and e / (1 + e) where z < 0",
           variants=(_ratio_sigmoid,)),
    Mutant("grad_is_value", lambda z: (_sig(z), _sig(z)),
           "your derivative is sigma itself: sigma'(z) = sigma(z) * (1 - sigma(z))"),
    Mutant("grad_of_z", lambda z: (_sig(z), z * (1.0 - z)),
           "your derivative is z * (1 - z): the formula takes the sigmoid's value, s * (1 - s) with s = sigma(z)"),
    Mutant("grad_sign", lambda z: (_sig(z), _sig(z) * (_sig(z) - 1.0)),
           "your derivative has the wrong sign: sigma rises everywhere, sigma'(z) = sigma(z) * (1 - sigma(z)) > 0"),
))


def _t(z):
    return 2.0 * _sig(2.0 * z) - 1.0


tanh = _activation("tanh", "3. Tanh: a zero-centred sigmoid", mutants=(
    Mutant("grad_one_minus_tanh", _pair_with("tanh", _t, lambda z: 1.0 - _t(z)),
           "your derivative is 1 - tanh(z): it is 1 - tanh(z)**2 (square the tanh)"),
    Mutant("chain_factor", _pair_with("tanh", _t, lambda z: 2.0 * act_ref.sigmoid_grad(2.0 * z)),
           "your derivative misses a factor 2: d/dz [2 sigma(2z) - 1] = 2 * sigma'(2z) * 2, the inner 2z "
           "counts too (chain rule)"),
    Mutant("no_inner_two", _pair_with("tanh", lambda z: 2.0 * _sig(z) - 1.0, lambda z: 2.0 * act_ref.sigmoid_grad(z)),
           "you computed 2 sigma(z) - 1, which is tanh(z / 2): tanh(z) = 2 sigma(2z) - 1"),
    Mutant("no_minus_one", _pair_with("tanh", lambda z: 2.0 * _sig(2.0 * z), lambda z: 1.0 - _t(z) ** 2),
           "your tanh lacks the - 1: tanh(z) = 2 sigma(2z) - 1, which runs from -1 to +1"),
    Mutant("grad_of_z", _pair_with("tanh", _t, lambda z: 1.0 - z ** 2),
           "your derivative is 1 - z**2: square the tanh, not z, 1 - tanh(z)**2"),
))


relu = _activation("relu", "5. ReLU: sparse and cheap", large=False, mutants=(
    Mutant("grad_one_at_zero", _pair_with("relu", grad=lambda z: (z >= 0).astype(float)),
           "your derivative is 1 at z = 0: this course takes ReLU'(0) = 0 (test z > 0, not z >= 0)"),
    Mutant("grad_is_value", _pair_with("relu", grad=act_ref.relu),
           "your derivative is ReLU itself: ReLU'(z) is 1 where z > 0 and 0 elsewhere, whatever the size of z"),
    Mutant("value_is_step", _pair_with("relu", value=act_ref.relu_grad),
           "your ReLU returns 0/1: that is its derivative; the value is max(0, z)"),
    Mutant("negative_part", _pair_with("relu", lambda z: np.minimum(z, 0.0), lambda z: (z < 0).astype(float)),
           "you kept the negative part: ReLU(z) = max(0, z) keeps z where z > 0"),
    Mutant("grad_half_at_zero", _pair_with("relu", grad=lambda z: np.where(z > 0, 1.0, np.where(z == 0, 0.5, 0.0))),
           "your derivative is 0.5 at z = 0: any value in [0, 1] is a subgradient there, but this course "
           "(and nnkit) takes ReLU'(0) = 0"),
))

LEAKY = (0.01, (0.1, 0.2))


def _fixed_alpha(name: str, fixed: float):
    """The activation ``name`` that ignores its ``alpha`` argument and uses ``fixed``."""
    pair = act_ref.value_and_grad(name)
    return lambda z, alpha=None: pair(z, alpha=fixed)


def _wrong_side_value(z, alpha=0.01):
    return np.where(z > 0, alpha * z, z)


def _wrong_side_grad(z, alpha=0.01):
    return np.where(z > 0, alpha, 1.0)


SLOPE_BELOW_ZERO = "7. Leaky ReLU and ELU: a slope below zero"
leaky_relu = _activation("leaky_relu", SLOPE_BELOW_ZERO, large=False, alpha=LEAKY, mutants=(
    Mutant("wrong_side", _pair_with("leaky_relu", _wrong_side_value, _wrong_side_grad),
           "the leak is on the wrong side: Leaky ReLU keeps z for z > 0 and multiplies by alpha for z <= 0",
           variants=(_pair_with("leaky_relu", grad=_wrong_side_grad), _pair_with("leaky_relu", _wrong_side_value),
                     _pair_with("leaky_relu", lambda z, alpha=0.01: np.where(z < 0, z, alpha * z),
                                lambda z, alpha=0.01: np.where(z < 0, 1.0, alpha)))),
    Mutant("grad_one_at_zero", _pair_with("leaky_relu", grad=lambda z, alpha=0.01: np.where(z >= 0, 1.0, alpha)),
           "your derivative is 1 at z = 0: like ReLU'(0) = 0, this course takes the left slope there, alpha"),
    Mutant("fixed_alpha", _fixed_alpha("leaky_relu", 0.01),
           "you ignore the argument alpha: use it in place of a fixed 0.01",
           variants=(_fixed_alpha("leaky_relu", 0.1), _fixed_alpha("leaky_relu", 0.2))),
    Mutant("grad_alpha_z", _pair_with("leaky_relu", grad=lambda z, alpha=0.01: np.where(z > 0, 1.0, alpha * z)),
           "your derivative is alpha * z below zero: that is the value; the slope there is the constant alpha"),
    Mutant("grad_zero_left", _pair_with("leaky_relu", grad=lambda z, alpha=0.01: (z > 0).astype(float)),
           "your derivative is 0 below zero, as for ReLU: the leak's slope there is alpha"),
))

ELU = (1.0, (0.5, 2.0))


def _elu_where(z, alpha=1.0):
    return np.where(z > 0, z, alpha * (np.exp(z) - 1.0))


def _elu_no_minus_one(z, alpha=1.0):
    return np.where(z > 0, z, alpha * np.exp(np.minimum(z, 0.0)))


elu = _activation("elu", SLOPE_BELOW_ZERO, alpha=ELU, quiet=True, mutants=(
    Mutant("grad_alpha", _pair_with("elu", grad=lambda z, alpha=1.0: np.where(z > 0, 1.0, alpha)),
           "your derivative below zero is the constant alpha: d/dz alpha (exp(z) - 1) = alpha * exp(z)"),
    Mutant("grad_is_value", _pair_with("elu", grad=lambda z, alpha=1.0: np.where(z > 0, 1.0, act_ref.elu(z, alpha))),
           "your derivative below zero is the value alpha (exp(z) - 1): differentiate it, alpha * exp(z)"),
    Mutant("no_alpha", _fixed_alpha("elu", 1.0),
           "you ignore alpha: below zero ELU is alpha * (exp(z) - 1), with derivative alpha * exp(z)"),
    Mutant("no_minus_one", _pair_with("elu", _elu_no_minus_one),
           "your ELU lacks the - 1: alpha * (exp(z) - 1) is 0 at z = 0 and tends to -alpha"),
    Mutant("where_overflow", _pair_with("elu", _elu_where),
           "np.where computes both branches on every z, so exp(z) overflows for large positive z even though "
           "that branch is thrown away: exponentiate np.minimum(z, 0) instead"),
))


def _phi_from_erf(z, scale=np.sqrt(0.5)):
    return 0.5 * (1.0 + special_ref.erf(z * scale))


def _gelu_with(cdf, density):
    """z * cdf(z) and its derivative cdf(z) + z * density(z)."""
    return lambda z: (z * cdf(z), cdf(z) + z * density(z))


gelu = _activation("gelu", "8. GELU and SiLU: smooth gates", mutants=(
    Mutant("sigmoid_for_phi", _gelu_with(_sig, act_ref.sigmoid_grad),
           "you used sigma where GELU has Phi, the standard normal CDF (z * sigma(z) is SiLU): "
           "Phi(z) = (1 + erf(z / sqrt(2))) / 2"),
    Mutant("tanh_approximation", act_ref.value_and_grad("gelu_tanh"),
           "this is the tanh approximation of GELU: the exact GELU is z * Phi(z) with "
           "Phi(z) = (1 + erf(z / sqrt(2))) / 2"),
    Mutant("erf_no_sqrt2", _gelu_with(lambda z: _phi_from_erf(z, 1.0), lambda z: np.exp(-z * z) / np.sqrt(np.pi)),
           "you wrote (1 + erf(z)) / 2: the normal CDF divides by sqrt(2) inside, (1 + erf(z / sqrt(2))) / 2"),
    Mutant("grad_no_product_rule", lambda z: (act_ref.gelu(z), special_ref.normal_cdf(z)),
           "your derivative is Phi(z) alone: by the product rule d/dz z Phi(z) = Phi(z) + z phi(z), "
           "phi(z) = exp(-z**2 / 2) / sqrt(2 pi)"),
    Mutant("pdf_unnormalised", _gelu_with(special_ref.normal_cdf, lambda z: np.exp(-0.5 * z * z)),
           "your density lacks its constant: phi(z) = exp(-z**2 / 2) / sqrt(2 pi)"),
    Mutant("phi_is_erf", _gelu_with(lambda z: special_ref.erf(z * np.sqrt(0.5)),
                                    lambda z: 2 * special_ref.normal_pdf(z)),
           "you used erf(z / sqrt(2)) as Phi: the CDF is (1 + erf(z / sqrt(2))) / 2, between 0 and 1"),
))

K, C = np.sqrt(2.0 / np.pi), 0.044715


def _gelu_tanh_with(k=K, c=C, grad_factor=3.0, product_rule=True):
    def mistake(z):
        th = np.tanh(k * (z + c * z**3))
        grad = 0.5 * (1.0 + th)
        if product_rule:
            grad = grad + 0.5 * z * (1.0 - th**2) * k * (1.0 + grad_factor * c * z**2)
        return 0.5 * z * (1.0 + th), grad
    return mistake


gelu_tanh = _activation("gelu_tanh", "8. GELU and SiLU: smooth gates", mutants=(
    Mutant("no_cubic", _gelu_tanh_with(c=0.0),
           "the cubic term is missing: the argument of tanh is sqrt(2/pi) * (z + 0.044715 z**3)"),
    Mutant("grad_no_product_rule", _gelu_tanh_with(product_rule=False),
           "your derivative is 0.5 (1 + tanh(u)) alone: differentiate 0.5 z (1 + tanh(u)) by the product rule, "
           "adding 0.5 z (1 - tanh(u)**2) u'"),
    Mutant("grad_cubic_factor", _gelu_tanh_with(grad_factor=1.0),
           "in u' the cubic term's derivative lost its 3: u' = sqrt(2/pi) * (1 + 3 * 0.044715 z**2)"),
    Mutant("no_sqrt", _gelu_tanh_with(k=2.0 / np.pi),
           "your constant is 2/pi: it is its square root, sqrt(2/pi) = 0.798"),
    Mutant("exact_gelu", act_ref.value_and_grad("gelu"),
           "this is the exact GELU z * Phi(z): this exercise asks for the tanh approximation "
           "0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z**3)))"),
))


silu = _activation("silu", "8. GELU and SiLU: smooth gates", mutants=(
    Mutant("grad_sigma_only", _pair_with("silu", grad=_sig),
           "your derivative is sigma(z) alone: by the product rule d/dz z sigma(z) = sigma(z) + z sigma'(z)"),
    Mutant("grad_z_sigma_prime", _pair_with("silu", grad=lambda z: z * act_ref.sigmoid_grad(z)),
           "your derivative is z sigma'(z) alone: the product rule adds sigma(z), sigma(z) + z sigma'(z)"),
    Mutant("value_is_sigmoid", _pair_with("silu", _sig, act_ref.sigmoid_grad),
           "you returned the sigmoid: SiLU multiplies it by z, z * sigma(z)"),
    Mutant("sigma_squared", _pair_with("silu", grad=lambda z: _sig(z) + z * _sig(z) ** 2),
           "your derivative uses sigma(z)**2 for sigma'(z): sigma'(z) = sigma(z) (1 - sigma(z))"),
    Mutant("grad_one_minus", _pair_with("silu", grad=lambda z: _sig(z) * (1.0 - z * (1.0 - _sig(z)))),
           "a sign slipped in your derivative: sigma(z) (1 + z (1 - sigma(z)))"),
))


def _fixed_swiglu():
    rng = np.random.default_rng(3)
    return [
        Case("2 rows, d = 2 -> hidden 3",
             (np.array([[1.0, -1.0], [0.5, 2.0]]), np.array([[1.0, 0.0, -2.0], [0.5, 1.0, 1.0]]),
              np.array([[0.0, 1.0, 1.0], [2.0, -1.0, 0.5]]))),
        Case("one row, d = 1 -> hidden 1", (np.array([[2.0]]), np.array([[1.5]]), np.array([[-0.5]]))),
        Case("5 rows, d = 5 -> hidden 5", tuple(rng.normal(size=(5, 5)) for _ in range(3))),
    ]


def _random_swiglu(rng):
    n, d, h = (int(k) for k in rng.integers(1, 6, size=3))
    return Case(f"{n} random rows, d = {d} -> hidden {h}",
                (rng.normal(size=(n, d)), rng.normal(size=(d, h)), rng.normal(size=(d, h))))


def _gated(gate, combine=np.multiply, gate_on_v=False):
    def mistake(X, W, V):
        G, U = (X @ V, X @ W) if gate_on_v else (X @ W, X @ V)
        return combine(gate(G), U)
    return mistake


swiglu = Exercise(
    name="swiglu",
    section="9. SwiGLU: a gated layer",
    **references("nnkit.activations", "swiglu"),
    **seeded_cases(_fixed_swiglu, _random_swiglu, n_visible=4, n_hidden=30),
    outputs=("H",),
    varies=(Dimension("rows", lambda case: case.args[0].shape[0], tuple(range(1, 6))),
            Dimension("d", lambda case: case.args[0].shape[1], tuple(range(1, 6))),
            Dimension("hidden", lambda case: case.args[1].shape[1], tuple(range(1, 6)))),
    mutants=(
        Mutant("gate_swapped", _gated(act_ref.silu, gate_on_v=True),
               "the gate is on the wrong branch: SiLU goes on X @ W, and X @ V passes through linearly"),
        Mutant("sigmoid_gate", _gated(act_ref.sigmoid),
               "your gate is sigma(X @ W) (that is GLU): SwiGLU gates with SiLU, (X @ W) * sigma(X @ W)"),
        Mutant("relu_gate", _gated(act_ref.relu),
               "your gate is ReLU (that is ReGLU): SwiGLU uses SiLU, z * sigma(z)"),
        Mutant("silu_of_product", lambda X, W, V: act_ref.silu((X @ W) * (X @ V)),
               "you applied SiLU to the product: only X @ W goes through SiLU, then multiply by X @ V"),
        Mutant("sum", _gated(act_ref.silu, combine=np.add),
               "you added the two branches: the gate multiplies, silu(X @ W) * (X @ V)"),
        Mutant("no_linear_branch", lambda X, W, V: act_ref.silu(X @ W),
               "the linear branch X @ V is missing: SwiGLU is silu(X @ W) * (X @ V)"),
    ),
)


def _fixed_dead():
    return [
        Case("3 units: one always off, one always on, one mixed",
             (np.array([[-1.0, 2.0, 0.5], [-0.5, 1.0, -1.0], [-2.0, 0.5, 1.0]]),)),
        Case("a unit exactly at 0 on every row is dead too (ReLU'(0) = 0)",
             (np.array([[0.0, -1.0, 1.0, 0.0], [0.0, 2.0, -1.0, -3.0]]),)),
        Case("one sample, 8 units", (np.array([[-1.0, 0.5, -0.1, 2.0, -3.0, 0.0, 1.0, -0.2]]),)),
        Case("a single unit over 8 rows, off on all of them", (-np.arange(8.0)[:, None] - 0.5,)),
        Case("every unit alive", (np.array([[1.0, -1.0], [-1.0, 1.0], [0.5, 0.5]]),)),
        Case("a row with every unit off, 6 rows x 4 units",
             (np.array([[-1.0, -2.0, -0.5, -1.0], [1.0, -1.0, 0.5, -2.0], [2.0, -3.0, -1.0, -0.5],
                        [0.5, -0.1, 1.0, -1.0], [-0.5, -0.5, 0.2, -0.2], [1.5, -2.0, -0.3, -4.0]]),)),
    ]


def _random_dead(rng):
    n, units = int(rng.integers(1, 9)), int(rng.integers(1, 9))
    Z = rng.normal(size=(n, units)) + rng.normal(scale=1.5, size=units)  # some columns far below 0
    return Case(f"random pre-activations, {n} rows x {units} units", (Z,))


dead_fraction = Exercise(
    name="dead_fraction",
    section="6. Dead ReLUs",
    **references("nnkit.experiments", "dead_fraction"),
    **seeded_cases(_fixed_dead, _random_dead, n_visible=4, n_hidden=40),
    outputs=("fraction",),
    varies=(Dimension("rows", lambda case: case.args[0].shape[0], tuple(range(1, 9))),
            Dimension("units", lambda case: case.args[0].shape[1], tuple(range(1, 9)))),
    mutants=(
        Mutant("zero_entries", lambda Z: float(np.mean(Z <= 0)),
               "you counted the entries that are off (ReLU's sparsity): a unit is dead only when it is off "
               "on every row, np.all(Z <= 0, axis=0)"),
        Mutant("strict", lambda Z: float(np.mean(np.all(Z < 0, axis=0))),
               "a unit that sits exactly at 0 is dead too (ReLU'(0) = 0): test Z <= 0, not Z < 0"),
        Mutant("dead_samples", lambda Z: float(np.mean(np.all(Z <= 0, axis=1))),
               "you looked along the wrong axis: units are columns, so take np.all(..., axis=0) over the rows"),
        Mutant("count", lambda Z: float(np.sum(np.all(Z <= 0, axis=0))),
               "you returned the number of dead units: divide by the number of units for the fraction"),
        Mutant("any_off", lambda Z: float(np.mean(np.any(Z <= 0, axis=0))),
               "you counted units that are off on some row: a dead unit is off on every row (np.all, not np.any)"),
        Mutant("percent", lambda Z: 100.0 * experiments_ref.dead_fraction(Z),
               "you returned a percentage: return the fraction, between 0 and 1"),
    ),
)


# The chains' activations are module-level functions, so that a case travels to the learner's
# kernel by name (nnkit.checks.wire) and shows by name in messages.
def sigmoid_pair(z):
    """The sigmoid for a chain: z -> (f(z), f'(z))."""
    return act_ref.sigmoid(z), act_ref.sigmoid_grad(z)


def tanh_pair(z):
    """tanh for a chain: z -> (f(z), f'(z))."""
    return act_ref.tanh(z), act_ref.tanh_grad(z)


def relu_pair(z):
    """ReLU for a chain: z -> (f(z), f'(z))."""
    return act_ref.relu(z), act_ref.relu_grad(z)


def gelu_pair(z):
    """GELU for a chain: z -> (f(z), f'(z))."""
    return act_ref.gelu(z), act_ref.gelu_grad(z)


CHAIN_ACTIVATIONS = {f.__name__.removesuffix("_pair"): f for f in (sigmoid_pair, tanh_pair, relu_pair, gelu_pair)}


def _chain(label, name, x, w, b):
    return Case(label, (CHAIN_ACTIVATIONS[name], np.array(x, float), np.array(w, float), np.array(b, float)))


def _fixed_chains():
    return [
        _chain("sigmoid, 3 layers, w = 1, b = 0", "sigmoid", [0.0, 2.0], [1.0, 1.0, 1.0], [0.0, 0.0, 0.0]),
        _chain("tanh, 2 layers with weights and biases", "tanh", [0.5, -1.0, 2.0], [2.0, -0.5], [0.1, 0.3]),
        _chain("relu: a chain that switches off", "relu", [1.0, -1.0], [1.0, -2.0, 1.0], [0.5, 0.0, 0.0]),
        _chain("gelu, one layer", "gelu", [0.3], [1.5], [-0.2]),
        _chain("sigmoid, 6 layers", "sigmoid", [-1.0, 0.0, 1.0, 3.0, -2.0], [1.0, 2.0, -1.0, 0.5, 1.0, 3.0],
               [0.0, -1.0, 0.5, 0.0, 0.2, -0.5]),
    ]


def _random_chain(rng):
    name, depth, batch = str(rng.choice(list(CHAIN_ACTIVATIONS))), int(rng.integers(1, 7)), int(rng.integers(1, 6))
    return _chain(f"{name}, {depth} random layers, {batch} inputs", name, rng.normal(size=batch),
                  rng.normal(scale=1.5, size=depth), rng.normal(scale=0.5, size=depth))


def _chain_with(slope_of_output=False, use_value=False, no_weight=False, no_bias=False, summed=False):
    def mistake(activation, x, w, b):
        a, g, out = np.asarray(x, float), np.ones(len(x)), []
        for w_l, b_l in zip(w, b):
            z = w_l * a + (0.0 if no_bias else b_l)
            a, slope = activation(z)
            slope = activation(a)[1] if slope_of_output else (a if use_value else slope)
            factor = slope if no_weight else w_l * slope
            g = g + factor if summed else g * factor
            out.append(g)
        return np.column_stack(out)
    return mistake


gradient_through_depth = Exercise(
    name="gradient_through_depth",
    section="4. The gradient through depth",
    **references("nnkit.experiments", "gradient_through_depth"),
    **seeded_cases(_fixed_chains, _random_chain, n_visible=4, n_hidden=30),
    outputs=("grads",),
    varies=(Dimension("activation", lambda case: case.args[0], tuple(CHAIN_ACTIVATIONS.values())),
            Dimension("depth", lambda case: len(case.args[2]), tuple(range(1, 7))),
            Dimension("inputs", lambda case: len(case.args[1]), tuple(range(1, 6)))),
    mutants=(
        Mutant("no_weight", _chain_with(no_weight=True),
               "the weights are missing from your product: z_l = w_l a_(l-1) + b_l, so each layer "
               "contributes w_l * f'(z_l)"),
        Mutant("value_for_slope", _chain_with(use_value=True),
               "you multiplied the activation's values f(z): the chain rule multiplies the derivatives f'(z)"),
        Mutant("slope_at_output", _chain_with(slope_of_output=True),
               "you took f' at the layer's output a_l: the derivative is taken at its input, f'(z_l)"),
        Mutant("no_bias", _chain_with(no_bias=True),
               "the bias is missing: each layer computes z_l = w_l a_(l-1) + b_l before f"),
        Mutant("summed", _chain_with(summed=True),
               "you added the factors: the chain rule multiplies them, g_l = g_(l-1) * w_l * f'(z_l)"),
    ),
)

EXERCISES = {ex.name: ex for ex in (sigmoid, tanh, relu, leaky_relu, elu, gelu, gelu_tanh, silu, swiglu,
                                    dead_fraction, gradient_through_depth)}
