"""Unit 01 (the perceptron) exercise specs: cases, known mistakes and their hints."""

from __future__ import annotations

import itertools

import numpy as np

from nnkit.checks._guard import private_copy, references
from nnkit.checks.core import Case, Dimension, Exercise, Mutant, seeded_cases

# private copies of the references: expected values no learner can monkeypatch
perceptron_ref = private_copy("nnkit.perceptron")
data_ref = private_copy("nnkit.data")


def _random_batch(rng):
    """w, b, X with small integers (points often exactly on the line) or normal floats."""
    d, n = int(rng.integers(1, 6)), int(rng.integers(1, 10))
    if rng.random() < 0.5:
        w = rng.integers(-2, 3, size=d).astype(float)
        w[0] = w[0] or 1.0  # keep w nonzero
        X = rng.integers(-2, 3, size=(n, d)).astype(float)
        return Case(f"{n} random integer points in {d}-D", (w, float(rng.integers(-2, 3)), X))
    X = rng.normal(size=(n, d))
    return Case(f"{n} random points in {d}-D", (rng.normal(size=d), float(rng.normal()), X))


def _edge_batches():
    """The extremes of the shapes: one feature (a point on the boundary), and 9 points in 5-D."""
    X5 = np.random.default_rng(5).integers(-2, 3, size=(9, 5)).astype(float)
    return [
        Case("a single feature, one point on the boundary",
             (np.array([2.0]), -1.0, np.array([[0.5], [2.0], [-1.0]]))),
        Case("9 points with 5 features", (np.array([1.0, -1.0, 0.5, 2.0, -0.5]), 0.5, X5)),
    ]


FEATURES, BATCH = tuple(range(1, 6)), tuple(range(1, 10))


def _batch_dimensions():
    """predict and signed_distance: ``(w, b, X)`` with X of any shape, some points on the line."""
    return (Dimension("features", lambda case: case.args[2].shape[1], FEATURES),
            Dimension("batch size", lambda case: case.args[2].shape[0], BATCH),
            Dimension("a point on the line", lambda case: bool((_z(*case.args) == 0).any()), (False, True)))


def _fixed_predict():
    return [
        Case("two points exactly on the line (w.x + b = 0, and sign(0) = +1)",
             (np.array([1.0, 2.0]), -1.0, np.array([[1.0, 0.0], [3.0, -1.0], [0.0, 0.0], [0.0, 1.0]]))),
        Case("a large bias", (np.array([1.0, 1.0]), 3.0, np.array([[-1.0, -1.0], [-2.0, -2.0], [0.0, 0.0]]))),
        Case("three features", (np.array([0.5, -1.0, 2.0]), 0.25,
                                np.array([[1.0, 1.0, 1.0], [0.0, 1.0, 0.0], [-1.0, 0.0, -1.0]]))),
        Case("a single row", (np.array([-1.0, 2.0]), 0.5, np.array([[1.0, 1.0]]))),
        *_edge_batches(),
    ]


def _z(w, b, X):
    return np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) + b


def _divided_by_norm_of_x(w, b, X):
    """The mistake (w.x + b) / ||x||, quiet about the point x = 0 (a learner sees inf there)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return _z(w, b, X) / np.linalg.norm(X, axis=1)


# The slips learners make at each stage of predict: (name, stage, mistaken stage, hint).
_THRESHOLDS = (("np_sign", "threshold", np.sign, "you used np.sign, which gives 0 on the line: sign(0) should be "
                                                 "+1 (e.g. np.where(z >= 0, 1.0, -1.0))"),
               ("strict", "threshold", lambda z: np.where(z > 0, 1.0, -1.0),
                "points exactly on the line get -1: sign(0) should be +1, so test z >= 0, not z > 0"))
_SCORES = (("no_bias", "score", lambda w, b, X: _z(w, 0.0, X), "the bias b is missing: the score is X @ w + b"),
           ("two_features", "score", lambda w, b, X: _z(w[:2], b, X[:, :2]),
            "you use only the first two features: X @ w + b works for any number of features"))
_CODINGS = (("flipped", "coding", lambda s: -s, "your labels are flipped: +1 where w.x + b >= 0, -1 elsewhere"),
            ("zero_one", "coding", lambda s: (s > 0).astype(float),
             "you return 0/1: the perceptron's labels are -1 and +1"))
_SAME = {("np_sign", "zero_one")}  # computes exactly what strict+zero_one computes


def _predict_mutants() -> tuple:
    """Every slip of predict alone, then every two slips at different stages together."""
    stages = (_THRESHOLDS, _SCORES, _CODINGS)
    chosen = [(slip,) for stage in stages for slip in stage]
    chosen += [pair for first, second in itertools.combinations(stages, 2)
               for pair in itertools.product(first, second)]
    return tuple(
        Mutant("+".join(name for name, *_ in slips), _predict_with(**{stage: fn for _, stage, fn, _ in slips}),
               "\n  and ".join(hint for *_, hint in slips))
        for slips in chosen if tuple(name for name, *_ in slips) not in _SAME
    )


def _predict_with(score=None, threshold=None, coding=None):
    """predict with the given stages replaced by mistaken ones."""
    def mistake(w, b, X):
        z = (score or _z)(w, b, X)
        signs = (threshold or (lambda z: np.where(z >= 0, 1.0, -1.0)))(z)
        return (coding or (lambda s: s))(signs)
    return mistake


predict = Exercise(
    name="predict",
    section="1. A neuron that votes",
    **references("nnkit.perceptron", "predict"),
    **seeded_cases(_fixed_predict, _random_batch, n_visible=8, n_hidden=40),
    outputs=("predictions",),
    varies=_batch_dimensions(),
    mutants=_predict_mutants(),
)


def _fixed_distance():
    return [
        Case("w = (3, 4) so ||w|| = 5, one point on the line",
             (np.array([3.0, 4.0]), -5.0, np.array([[1.0, 1.0], [3.0, 4.0], [0.0, 0.0], [-1.0, 2.0]]))),
        Case("three features",
             (np.array([1.0, -2.0, 2.0]), 1.0, np.array([[1.0, 1.0, 1.0], [-2.0, 0.0, 3.0]]))),
        *_edge_batches(),
    ]


def _norm(w):
    return np.linalg.norm(np.asarray(w, dtype=float))


signed_distance = Exercise(
    name="signed_distance",
    section="2. The geometry: a hyperplane and distances to it",
    **references("nnkit.perceptron", "signed_distance"),
    **seeded_cases(_fixed_distance, _random_batch, n_visible=6, n_hidden=40),
    outputs=("distances",),
    varies=_batch_dimensions(),
    mutants=(
        Mutant("norm_squared", lambda w, b, X: _z(w, b, X) / _norm(w) ** 2,
               "you divided by ||w||^2: the distance is (w.x + b) / ||w||"),
        Mutant("no_division", _z, "you did not divide by ||w||: w.x + b is a score, not a distance"),
        Mutant("absolute", lambda w, b, X: np.abs(perceptron_ref.signed_distance(w, b, X)),
               "you took the absolute value: the distance keeps its sign (negative on the -1 side)"),
        Mutant("bias_outside", lambda w, b, X: perceptron_ref.signed_distance(w, 0.0, X) + b,
               "you divided only w.x by ||w||: divide the bias too, (w.x + b) / ||w||"),
        Mutant("no_bias", lambda w, b, X: perceptron_ref.signed_distance(w, 0.0, X),
               "the bias b is missing: (w.x + b) / ||w||"),
        Mutant("norm_with_b", lambda w, b, X: _z(w, b, X) / np.hypot(_norm(w), b),
               "your norm includes the bias: divide by ||w|| of the weights alone"),
        Mutant("norm_of_x", _divided_by_norm_of_x,
               "you divided by the length of each point x: divide by ||w||, the length of the "
               "weight vector (the normal of the line)"),
    ),
)


def _fixed_update():
    w, on_line = np.array([1.0, -2.0]), (np.array([1.0, 1.0]), -1.0, np.array([0.5, 0.5]))
    return [
        Case("a mistake with t = +1, lr = 1", (w, 0.5, np.array([1.0, 2.0]), 1.0, 1.0)),
        Case("a correctly classified sample: nothing changes", (w, 0.5, np.array([2.0, 0.5]), 1.0, 1.0)),
        Case("a mistake with t = -1, lr = 0.1", (np.array([0.5, 1.0]), 0.0, np.array([1.0, 1.0]), -1.0, 0.1)),
        Case("x on the line with t = +1: sign(0) = +1 is correct, no update", (*on_line, 1.0, 0.5)),
        Case("x on the line with t = -1: a mistake", (*on_line, -1.0, 0.5)),
        Case("w = 0, b = 0 with t = -1 (sign(0) = +1 is a mistake)",
             (np.zeros(3), 0.0, np.array([1.0, 2.0, 3.0]), -1.0, 1.0)),
        Case("a single feature, a mistake with t = -1, lr = 2", (np.array([0.5]), 1.0, np.array([2.0]), -1.0, 2.0)),
    ]


def _random_update(rng):
    """A sample in 1-D to 5-D, either label; one in three lies exactly on the line."""
    d = int(rng.integers(1, 6))
    t, lr = float(rng.choice([-1.0, 1.0])), float(rng.uniform(0.1, 2.0))
    w, x = rng.integers(-2, 3, size=d).astype(float), rng.integers(-2, 3, size=d).astype(float)
    on_line = rng.random() < 1 / 3
    b = -float(w @ x) if on_line else float(rng.integers(-2, 3)) + 0.5
    where = "on the line" if on_line else "a random sample"
    return Case(f"{where} in {d}-D, t = {t:+.0f}, lr = {lr:.2f}", (w, b, x, t, lr))


def _update_with(correct=None, step=lambda lr, t, x: lr * t * x, bias_step=lambda lr, t: lr * t):
    """A mistaken rule: ``correct(z, t)`` decides "no update"; ``step``/``bias_step`` the change."""
    def mistake(w, b, x, t, lr):
        z = float(np.dot(w, x) + b)
        is_correct = perceptron_ref.predict(w, b, np.asarray(x)[None])[0] == t if correct is None else correct(z, t)
        if is_correct:
            return np.array(w, dtype=float), b
        return w + step(lr, t, np.asarray(x)), b + bias_step(lr, t)
    return mistake


perceptron_update = Exercise(
    name="perceptron_update",
    section="3. The learning rule",
    **references("nnkit.perceptron", "update"),
    **seeded_cases(_fixed_update, _random_update, n_visible=6, n_hidden=40),
    outputs=("w_new", "b_new"),
    varies=(Dimension("features", lambda case: len(case.args[0]), FEATURES),
            Dimension("label t", lambda case: case.args[3], (-1.0, 1.0)),
            Dimension("x on the line", lambda case: float(np.dot(case.args[0], case.args[2]) + case.args[1]) == 0,
                      (False, True))),
    mutants=(
        Mutant("updates_when_correct", _update_with(correct=lambda z, t: False),
               "you update on correctly classified points too: leave w and b unchanged "
               "when t * sign(w.x + b) > 0"),
        Mutant("bias_not_updated", _update_with(bias_step=lambda lr, t: 0.0),
               "the bias is not updated: on a mistake b <- b + lr * t"),
        Mutant("t_flipped", _update_with(step=lambda lr, t, x: -lr * t * x, bias_step=lambda lr, t: -lr * t),
               "the sign of t is flipped: on a mistake w <- w + lr * t * x, b <- b + lr * t",
               variants=(_update_with(step=lambda lr, t, x: -lr * t * x),
                         _update_with(bias_step=lambda lr, t: -lr * t))),
        Mutant("no_lr", _update_with(step=lambda lr, t, x: t * x, bias_step=lambda lr, t: t),
               "the learning rate is not used: w <- w + lr * t * x, b <- b + lr * t",
               variants=tuple(_update_with(step=lambda lr, t, x, c=c: c * t * x, bias_step=lambda lr, t, c=c: c * t)
                              for c in (0.1, 0.01, 0.5))),
        Mutant("no_t", _update_with(step=lambda lr, t, x: lr * x, bias_step=lambda lr, t: lr),
               "t is missing from the step: w <- w + lr * t * x moves w towards x when t = +1 "
               "and away from it when t = -1"),
        Mutant("zero_is_mistake", _update_with(correct=lambda z, t: t * z > 0),
               "you treat a point on the line (w.x + b = 0) with t = +1 as a mistake: sign(0) = +1, "
               "so it is correct. np.sign(0) is 0, and t * (w.x + b) <= 0 holds at 0: predict with "
               "w.x + b >= 0, then compare with t"),
        Mutant("bias_without_t", _update_with(bias_step=lambda lr, t: lr),
               "the bias step is missing t: on a mistake b <- b + lr * t, so b moves down when t = -1"),
        Mutant("bias_without_lr", _update_with(bias_step=lambda lr, t: t),
               "the bias step ignores the learning rate: on a mistake b <- b + lr * t, like w"),
    ),
)


def _blobs_case(label, n, margin, seed, **kwargs):
    X, t = data_ref.blobs(n, margin, seed)
    return Case(label, (X, t), kwargs)


def _separable(n, d, margin, rng):
    """n points in d-D, labels ±1 (both present when n >= 2), at least ``margin`` from a random plane."""
    normal = rng.normal(size=d)
    normal /= np.linalg.norm(normal)
    t = rng.permutation(np.resize([-1.0, 1.0], n))
    X = rng.normal(scale=1.5, size=(n, d))
    X -= np.outer(X @ normal, normal)  # onto the plane, then out to each label's side
    X += np.outer(t * (margin + rng.exponential(1.0, n)) + rng.uniform(-1.0, 1.0), normal)
    return X, t


def _fixed_train():
    X, t = data_ref.xor_table()
    rng = np.random.default_rng(11)
    return [
        _blobs_case("12 separable points that take 3 epochs, lr = 1", 12, 0.2, 1, lr=1.0),
        _blobs_case("the same points with lr = 0.5", 12, 0.2, 1, lr=0.5),
        Case("XOR never converges: stop after max_epochs = 5", (X, t), {"lr": 1.0, "max_epochs": 5}),
        _blobs_case("default lr and max_epochs", 8, 0.5, 4),
        Case("5 points with a single feature, lr = 0.5", _separable(5, 1, 0.3, rng), {"lr": 0.5}),
        Case("9 points with 3 features", _separable(9, 3, 0.2, rng)),
        Case("a single sample with 5 features, t = +1", (rng.normal(size=(1, 5)), np.array([1.0]))),
        Case("20 points with 4 features, all t = -1", (rng.normal(size=(20, 4)), -np.ones(20)), {"lr": 0.5}),
    ]


def _random_train(rng):
    n, d = int(rng.integers(1, 21)), int(rng.integers(1, 6))  # both labels once n >= 2
    margin, lr = float(rng.uniform(0.1, 0.6)), float(rng.uniform(0.2, 2.0))
    return Case(f"{n} random separable points in {d}-D, margin {margin:.2f}, lr = {lr:.2f}",
                _separable(n, d, margin, rng), {"lr": lr})


def _train_with(record_before=False, record_all=False, one_epoch=False, in_place_history=False,
                running_index=False, fixed_lr=None, zero_is_mistake=False, count_index=False):
    """A mistaken training loop; each flag is one mistake."""
    def mistake(X, t, lr=1.0, max_epochs=100):
        step = lr if fixed_lr is None else fixed_lr
        w, b, history = np.zeros(X.shape[1]), 0.0, []
        for epoch in range(1 if one_epoch else max_epochs):
            clean = True
            for i in range(len(X)):
                w_before, b_before = w.copy(), b
                wrong = perceptron_ref.predict(w, b, X[i:i + 1])[0] != t[i] or (zero_is_mistake and X[i] @ w + b == 0)
                if wrong:
                    w += step * t[i] * X[i]
                    b += step * t[i]
                    clean = False
                if wrong or record_all:
                    index = epoch * len(X) + i if running_index else len(history) if count_index else i
                    w_kept = w_before if record_before else (w if in_place_history else w.copy())
                    history.append((index, w_kept, b_before if record_before else b))
            if clean:
                break
        return w, b, history
    return mistake


train_perceptron = Exercise(
    name="train_perceptron",
    section="4. Training: sweep until nothing changes",
    **references("nnkit.perceptron", "train"),
    **seeded_cases(_fixed_train, _random_train, n_visible=3, n_hidden=25),
    outputs=("w", "b", "history"),
    varies=(Dimension("features", lambda case: case.args[0].shape[1], FEATURES),
            Dimension("samples", lambda case: len(case.args[0]), (1, 20)),
            Dimension("labels", lambda case: tuple(sorted(set(case.args[1]))), ((-1.0,), (-1.0, 1.0), (1.0,)))),
    parts={"history": ("index", "w_after", "b_after")},
    slow_hint="On data that is not separable (like XOR) there is always a mistake: stop after max_epochs.",
    mutants=(
        Mutant("record_before", _train_with(record_before=True),
               "your history holds w and b from before each update: record them after it"),
        Mutant("record_all", _train_with(record_all=True),
               "your history has an entry for every sample visited: record only the updates (mistakes)"),
        Mutant("one_epoch", _train_with(one_epoch=True),
               "you stop after one epoch: keep going until an epoch has no mistake (or max_epochs)"),
        Mutant("in_place_history", _train_with(in_place_history=True),
               "every history entry holds the same array, which `w += ...` keeps changing: "
               "append a copy, w.copy(), or build a new w = w + ..."),
        Mutant("running_index", _train_with(running_index=True),
               "the index in history counts samples across epochs: it should be the row of X, 0..n-1"),
        Mutant("ignores_lr", _train_with(fixed_lr=1.0),
               "the learning rate is not used: on a mistake w <- w + lr * t * x, b <- b + lr * t",
               variants=tuple(_train_with(fixed_lr=c) for c in (0.1, 0.01, 0.5))),
        Mutant("zero_is_mistake", _train_with(zero_is_mistake=True),
               "you count a point with w.x + b = 0 as a mistake (np.sign(0) is 0, and so is "
               "t * (w.x + b)): sign(0) = +1, so it is correct when t = +1. This matters from the "
               "first sample on, since w = 0, b = 0 scores every point 0"),
        Mutant("count_index", _train_with(count_index=True),
               "the index in history counts the updates: it should be the row i of X whose "
               "mistake caused the update"),
    ),
)

EXERCISES = {ex.name: ex for ex in (predict, signed_distance, perceptron_update, train_perceptron)}
