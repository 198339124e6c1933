"""Unit 08 (keeping deep nets trainable) exercise specs: cases, known mistakes and their hints."""

from __future__ import annotations

import numpy as np

from nnkit.checks._guard import private_copy, references
from nnkit.checks.core import Case, Dimension, Exercise, Mutant, seeded_cases

# a private copy of the references: expected values no learner can monkeypatch
ref = private_copy("nnkit.stability")


def _stability(name: str) -> dict:
    return references("nnkit.stability", name)


# --- 1. products of Jacobians -------------------------------------------------------------------

def _fixed_jacobians():
    rng = np.random.default_rng(80)
    shear, swap = np.array([[1.0, 2.0], [0.0, 1.0]]), np.array([[0.0, 1.0], [3.0, 0.0]])
    return [
        Case("two 2 x 2 layers: a shear, then a swap", ([shear, swap],)),
        Case("one layer", ([np.array([[2.0, 0.0], [0.0, -0.5]])],)),
        Case("6 random 4 x 4 layers", ([rng.normal(size=(4, 4)) for _ in range(6)],)),
        Case("a 1 x 1 chain of 4 layers, one negative", ([np.array([[w]]) for w in (2.0, -0.5, 3.0, 1.0)],)),
    ]


def _random_jacobians(rng):
    n, depth = int(rng.integers(1, 5)), int(rng.integers(1, 7))
    return Case(f"{depth} random {n} x {n} layers", ([rng.normal(size=(n, n)) for _ in range(depth)],))


def _running(combine, measure):
    def mistake(jacobians):
        P, out = None, []
        for J in jacobians:
            P = J if P is None else combine(J, P)
            out.append(measure(P, J))
        return np.array(out)
    return mistake


def _spectral(P, J):
    return np.linalg.norm(P, 2)


jacobian_norms = Exercise(
    name="jacobian_norms",
    section="2. Backprop is a product of Jacobians",
    **_stability("jacobian_norms"),
    **seeded_cases(_fixed_jacobians, _random_jacobians, n_visible=3, n_hidden=30),
    outputs=("norms",),
    varies=(Dimension("layers", lambda case: len(case.args[0]), tuple(range(1, 7))),
            Dimension("width", lambda case: case.args[0][0].shape[0], tuple(range(1, 5)))),
    mutants=(
        Mutant("wrong_order", _running(lambda J, P: P @ J, _spectral),
               "your product runs the wrong way: each new layer acts AFTER the ones before it, "
               "P_l = J_l @ P_(l-1), not P_(l-1) @ J_l"),
        Mutant("frobenius", _running(lambda J, P: J @ P, lambda P, J: np.linalg.norm(P)),
               "you took the Frobenius norm (np.linalg.norm(P)): the spectral norm, the largest "
               "singular value, is np.linalg.norm(P, 2)"),
        Mutant("each_layer", _running(lambda J, P: J @ P, lambda P, J: np.linalg.norm(J, 2)),
               "you measured each Jacobian alone: the gradient after l layers goes through the "
               "product J_l @ ... @ J_1, so keep a running product"),
        Mutant("radius_for_norm", _running(lambda J, P: J @ P, lambda P, J: np.max(np.abs(np.linalg.eigvals(P)))),
               "you took the spectral radius of the product: the norm ||P||_2 (largest singular "
               "value) is what bounds the stretch of a gradient, and it can be far larger"),
        Mutant("product_of_norms", lambda jacobians: np.cumprod([np.linalg.norm(J, 2) for J in jacobians]),
               "you multiplied the layers' norms: that is only an upper bound; compute the norm of "
               "the product of the matrices, ||J_l @ ... @ J_1||_2"),
    ),
)


def _fixed_matrices():
    return [
        Case("non-normal: eigenvalues 0.5, 0.5, a large corner", (np.array([[0.5, 10.0], [0.0, 0.5]]),)),
        Case("a rotation scaled by 2: eigenvalues ±2i", (np.array([[0.0, -2.0], [2.0, 0.0]]),)),
        Case("the dominant eigenvalue is negative", (np.diag([-3.0, 1.0, 2.0]),)),
        Case("a 1 x 1 matrix", (np.array([[-0.7]]),)),
        Case("a random 4 x 4 matrix", (np.random.default_rng(81).normal(size=(4, 4)),)),
    ]


def _random_matrix(rng):
    n = int(rng.integers(1, 6))
    A = rng.normal(size=(n, n))
    if rng.random() < 0.3:
        A = np.triu(A) + np.triu(rng.normal(scale=5.0, size=(n, n)), 1)  # non-normal
    return Case(f"a random {n} x {n} matrix", (A,))


def _eig(A):
    return np.linalg.eigvals(A)


spectral_radius = Exercise(
    name="spectral_radius",
    section="3. Spectral radius, Lyapunov exponent and transient growth",
    **_stability("spectral_radius"),
    **seeded_cases(_fixed_matrices, _random_matrix, n_visible=3, n_hidden=30),
    outputs=("radius",),
    varies=(Dimension("size", lambda case: case.args[0].shape[0], tuple(range(1, 6))),),
    mutants=(
        Mutant("largest_singular", lambda A: float(np.linalg.norm(A, 2)),
               "you returned the largest singular value ||A||_2: the spectral radius is the largest "
               "|eigenvalue|, max(abs(np.linalg.eigvals(A))), which is smaller for a non-normal matrix"),
        Mutant("largest_real_part", lambda A: float(np.max(_eig(A).real)),
               "you took the largest real part of the eigenvalues: the radius is the largest modulus "
               "|lambda|, so a negative or complex eigenvalue can be the largest"),
        Mutant("abs_of_real_part", lambda A: float(np.max(np.abs(_eig(A).real))),
               "you dropped the imaginary parts: |lambda| of a complex eigenvalue is "
               "sqrt(re**2 + im**2), np.abs of the complex number"),
        Mutant("largest_entry", lambda A: float(np.max(np.abs(A))),
               "you took the largest entry |a_ij|: the spectral radius comes from the eigenvalues, "
               "max(abs(np.linalg.eigvals(A)))"),
    ),
)


# --- 4. clipping ----------------------------------------------------------------------------------

def _fixed_grads():
    rng = np.random.default_rng(82)
    return [
        Case("global norm 5 (3 and 4), clipped to 1", ([np.array([3.0, 0.0]), np.array([[0.0], [4.0]])], 1.0)),
        Case("global norm 5, threshold 10: left alone", ([np.array([3.0, 0.0]), np.array([[0.0], [4.0]])], 10.0)),
        Case("one large and one small gradient, threshold 1",
             ([np.array([[6.0, -8.0]]), np.array([0.1, 0.2, -0.1])], 1.0)),
        Case("a single gradient of norm 2, threshold 0.5", ([np.array([[1.0, 1.0], [1.0, -1.0]])], 0.5)),
        Case("three random gradients, threshold 2", ([rng.normal(scale=3.0, size=s) for s in ((2, 3), (3,), (3, 1))], 2.0)),
    ]


def _random_grads(rng):
    k, scale = int(rng.integers(1, 4)), float(rng.choice([0.1, 1.0, 5.0]))
    grads = [rng.normal(scale=scale, size=tuple(int(n) for n in rng.integers(1, 4, size=rng.integers(1, 3))))
             for _ in range(k)]
    max_norm = float(np.round(rng.uniform(0.5, 3.0), 2))
    return Case(f"{k} random gradients of scale {scale:g}, threshold {max_norm:g}", (grads, max_norm))


def _norm_with(root=True):
    def norm(grads):
        total = sum(float(np.sum(np.square(g))) for g in grads)
        return float(np.sqrt(total)) if root else total
    return norm


def _clip_with(norm=_norm_with(), always=False):
    def mistake(grads, max_norm):
        N = norm(grads)
        scale = max_norm / N if always else min(1.0, max_norm / N)
        return [g * scale for g in grads], N
    return mistake


def _clip_each(grads, max_norm):
    out = [g * min(1.0, max_norm / np.linalg.norm(g)) for g in grads]
    return out, _norm_with()(grads)


def _clip_values(grads, max_norm):
    return [np.clip(g, -max_norm, max_norm) for g in grads], _norm_with()(grads)


def _norm_after(grads, max_norm):
    clipped, _ = ref.clip_by_global_norm(grads, max_norm)
    return clipped, _norm_with()(clipped)


clip_by_global_norm = Exercise(
    name="clip_by_global_norm",
    section="4. Gradient clipping",
    **_stability("clip_by_global_norm"),
    **seeded_cases(_fixed_grads, _random_grads, n_visible=3, n_hidden=30),
    outputs=("clipped", "norm"),
    varies=(Dimension("gradients", lambda case: len(case.args[0]), (1, 2, 3)),
            Dimension("clipped", lambda case: ref.global_norm(case.args[0]) > case.args[1], (False, True))),
    mutants=(
        Mutant("each_separately", _clip_each,
               "you clipped each gradient by its own norm: that changes the direction of the whole "
               "gradient; use ONE factor for all, from the global norm sqrt(sum of all squares)"),
        Mutant("always_scale", _clip_with(always=True),
               "you rescale even when the global norm is below the threshold: scale by "
               "min(1, max_norm / norm), so small gradients are left alone"),
        Mutant("no_sqrt", _clip_with(norm=_norm_with(root=False)),
               "your norm is the sum of squares: the global norm is its square root"),
        Mutant("by_value", _clip_values,
               "you clipped each entry into [-max_norm, max_norm] (clipping by value): scale all "
               "gradients by min(1, max_norm / global norm) instead"),
        Mutant("sum_of_norms", _clip_with(norm=lambda grads: float(sum(np.linalg.norm(g) for g in grads))),
               "your global norm adds the norms of the arrays: it is the norm of all entries "
               "together, sqrt(sum of the squared norms)"),
        Mutant("norm_after", _norm_after,
               "you returned the norm after clipping: return the norm N before it (it is what a "
               "training log plots to spot an explosion)"),
    ),
)


# --- 5. residual blocks ---------------------------------------------------------------------------

def _block_case(rng, batch, width, label=None):
    X, W, b = rng.normal(size=(batch, width)), rng.normal(size=(width, width)), rng.normal(size=width)
    return Case(label or f"batch {batch}, width {width}", (X, W, b))


def _fixed_blocks():
    rng = np.random.default_rng(83)
    return [
        Case("batch 1, width 2, by hand", (np.array([[1.0, -2.0]]), np.array([[1.0, 0.0], [1.0, 1.0]]),
                                           np.array([2.0, 3.0]))),
        _block_case(rng, 3, 2, "batch 3, width 2"),
        _block_case(rng, 1, 1, "one sample, width 1"),
        _block_case(rng, 5, 4, "batch 5, width 4"),
    ]


def _random_block(rng):
    return _block_case(rng, int(rng.integers(1, 6)), int(rng.integers(1, 5)))


BLOCK_DIMENSIONS = (Dimension("batch size", lambda case: case.args[-3].shape[0], tuple(range(1, 6))),
                    Dimension("width", lambda case: case.args[-3].shape[1], tuple(range(1, 5))))


def _relu(Z):
    return np.maximum(Z, 0.0)


residual_forward = Exercise(
    name="residual_forward",
    section="5. Residual connections",
    **_stability("residual_forward"),
    **seeded_cases(_fixed_blocks, _random_block, n_visible=3, n_hidden=30),
    outputs=("Y",),
    varies=BLOCK_DIMENSIONS,
    mutants=(
        Mutant("no_skip", lambda X, W, b: _relu(X @ W + b),
               "the skip is missing: a residual block ADDS its input, Y = X + relu(X @ W + b)"),
        Mutant("relu_after_sum", lambda X, W, b: _relu(X + X @ W + b),
               "you applied ReLU after the sum (as the first ResNet did): this block keeps the identity "
               "path clean, Y = X + relu(X @ W + b)"),
        Mutant("no_relu", lambda X, W, b: X + X @ W + b,
               "the ReLU of the branch is missing: Y = X + relu(X @ W + b)"),
        Mutant("skip_from_z", lambda X, W, b: (X @ W + b) + _relu(X @ W + b),
               "you added Z = X @ W + b instead of the input X: the skip carries the block's input"),
        Mutant("no_bias", lambda X, W, b: X + _relu(X @ W),
               "the bias is missing: the branch computes relu(X @ W + b)"),
    ),
)


def _fixed_block_grads():
    rng = np.random.default_rng(84)
    cases = [Case("batch 1, width 2, by hand", (np.array([[1.0, 1.0]]), np.array([[1.0, -2.0]]),
                                                np.array([[1.0, 0.0], [1.0, 1.0]]), np.array([2.0, 3.0])))]
    for c in _fixed_blocks()[1:]:
        cases.append(Case(c.label, (rng.normal(size=c.args[0].shape), *c.args)))
    return cases


def _random_block_grad(rng):
    c = _random_block(rng)
    return Case(c.label, (rng.normal(size=c.args[0].shape), *c.args))


def _block_backward(identity=True, mask=lambda X, W, b: X @ W + b > 0, transpose=True, db=np.sum):
    def mistake(dY, X, W, b):
        dZ = dY * mask(X, W, b)
        dX = dZ @ (W.T if transpose else W)
        return (dY + dX if identity else dX), X.T @ dZ, db(dZ, axis=0)
    return mistake


residual_backward = Exercise(
    name="residual_backward",
    section="5. Residual connections",
    **_stability("residual_backward"),
    **seeded_cases(_fixed_block_grads, _random_block_grad, n_visible=3, n_hidden=30),
    outputs=("dX", "dW", "db"),
    varies=BLOCK_DIMENSIONS,
    mutants=(
        Mutant("no_identity", _block_backward(identity=False),
               "your dX forgets the identity path: Y = X + branch(X), so dX = dY + (the branch's dX)"),
        Mutant("mask_from_output", _block_backward(mask=lambda X, W, b: ref.residual_forward(X, W, b) > 0),
               "your ReLU mask comes from Y: the branch's derivative is [Z > 0] at its input Z = X @ W + b"),
        Mutant("no_mask", _block_backward(mask=lambda X, W, b: 1.0),
               "the ReLU's derivative is missing: dZ = dY * (Z > 0) before the branch's weights"),
        Mutant("no_transpose", _block_backward(transpose=False),
               "the branch's dX is dZ @ W: the transpose is missing, dZ @ W.T"),
        Mutant("db_mean", _block_backward(db=np.mean),
               "your db is the mean of dZ over the batch: b is added to every row, so db is the SUM"),
    ),
)


# --- 6. activation memory -------------------------------------------------------------------------

def _memory_case(depth, every, batch=4, width=8, itemsize=8):
    label = f"depth {depth}, a checkpoint every {every}, batch {batch}, width {width}, {itemsize} bytes per number"
    return Case(label, (depth, every, batch, width), {} if itemsize == 8 else {"itemsize": itemsize})


def _fixed_memory():
    return [
        _memory_case(16, 4),
        _memory_case(10, 1, 2, 3),
        _memory_case(10, 3, 1, 1),
        _memory_case(7, 20, 2, 2),
        _memory_case(100, 10, 32, 64, itemsize=4),
        _memory_case(1, 1, 1, 1),
    ]


def _random_memory(rng):
    depth = int(rng.integers(1, 60))
    every = int(rng.integers(1, depth + 3))
    return _memory_case(depth, every, int(rng.integers(1, 9)), int(rng.integers(1, 17)),
                        int(rng.choice([2, 4, 8])))


def _memory_with(units=lambda n, item: n * item, segments=lambda d, e: -(-d // e), held=None, extra=None):
    def mistake(depth, every, batch, width, itemsize=8):
        n_seg = segments(depth, every)
        count = held(depth, every, n_seg) if held else max(
            j + min(every, depth - j * every) for j in range(n_seg))
        return units(count * batch * width, itemsize), (extra(depth, n_seg) if extra else depth - n_seg)
    return mistake


checkpoint_memory = Exercise(
    name="checkpoint_memory",
    section="6. Activation memory and checkpointing",
    **_stability("checkpoint_memory"),
    **seeded_cases(_fixed_memory, _random_memory, n_visible=3, n_hidden=40),
    outputs=("peak_bytes", "extra_forwards"),
    varies=(Dimension("one segment per layer", lambda case: case.args[1] == 1, (False, True)),
            Dimension("last segment shorter", lambda case: case.args[0] % case.args[1] != 0, (False, True))),
    mutants=(
        Mutant("elements", _memory_with(units=lambda n, item: n),
               "you counted numbers, not bytes: multiply by itemsize (8 bytes for float64)"),
        Mutant("bits", _memory_with(units=lambda n, item: 8 * n * item),
               "you counted bits: memory is measured in bytes, numbers x itemsize"),
        Mutant("upper_bound", _memory_with(held=lambda d, e, n_seg: n_seg + min(e, d) - 1),
               "you held every checkpoint and a full segment at once: while segment j is recomputed only "
               "checkpoints 0..j are left, and the last segment may be shorter; take the max over j of "
               "j + (that segment's length)"),
        Mutant("floor_segments", _memory_with(segments=lambda d, e: max(d // e, 1)),
               "you counted depth // every segments: a shorter last segment is a segment too, "
               "ceil(depth / every)"),
        Mutant("no_recompute_buffer", _memory_with(held=lambda d, e, n_seg: n_seg),
               "you counted the checkpoints only: backward recomputes a segment and holds its "
               "activations too"),
        Mutant("recompute_all", _memory_with(extra=lambda d, n_seg: d),
               "every layer is not run again: the first layer of each segment starts from its "
               "checkpoint, so depth - (number of segments) forwards are recomputed"),
    ),
)
