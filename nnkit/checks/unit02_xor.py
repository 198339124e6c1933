"""Unit 02 (XOR) exercise specs: cases, known mistakes and their hints."""

from __future__ import annotations

import numpy as np

from nnkit.checks._guard import private_copy, references
from nnkit.checks.core import Case, Dimension, Exercise, Mutant, seeded_cases

# private copies of the references: expected values no learner can monkeypatch
data_ref = private_copy("nnkit.data")
perceptron_ref = private_copy("nnkit.perceptron")
xor_ref = private_copy("nnkit.xor")
CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def _relabel(t):
    return lambda: (data_ref.xor_table()[0], np.array(t, dtype=float))


xor_dataset = Exercise(
    name="xor_dataset",
    section="1. The XOR truth table",
    **references("nnkit.data", "xor_table"),
    cases=lambda: [Case("the XOR truth table", ())],
    hidden_cases=lambda: [Case("the XOR truth table", ())],
    outputs=("X", "t"),
    mutants=(
        Mutant("labels_01", _relabel([0, 1, 1, 0]),
               "your labels are 0/1: perceptron labels are -1/+1, t = [-1, +1, +1, -1]"),
        Mutant("xnor", _relabel([1, -1, -1, 1]),
               "your labels are flipped (that is XNOR): XOR is +1 when exactly one input is 1"),
        Mutant("or", _relabel([-1, 1, 1, 1]),
               "your labels are those of OR: for XOR the corner (1, 1) is -1"),
        Mutant("row_order", lambda: (CORNERS[[0, 2, 1, 3]], data_ref.xor_table()[1]),
               "your rows are in another order: use (0,0), (0,1), (1,0), (1,1)"),
        Mutant("pm1_inputs", lambda: (2 * CORNERS - 1, data_ref.xor_table()[1]),
               "your inputs are -1/+1: the corners have coordinates 0 and 1"),
    ),
)


def _random_layers(rng):
    n_in, h, n_out = rng.integers(1, 6, size=3)
    shapes = [(n_in, h), (h,), (h, n_out), (n_out,)]
    return Case(f"random layers {n_in} -> {h} -> {n_out}", tuple(rng.normal(size=s) for s in shapes))


def _fixed_layers():
    ints = np.random.default_rng(7).integers(-3, 4, size=26).astype(float)
    return [
        Case("square layers 2 -> 2 -> 2",
             (np.array([[1.0, 2.0], [0.0, -1.0]]), np.array([1.0, -2.0]),
              np.array([[2.0, 0.0], [1.0, 3.0]]), np.array([0.5, -1.0]))),
        Case("layers 3 -> 4 -> 2 (W1 @ W2 is 3 x 2)",
             (ints[:12].reshape(3, 4), ints[12:16], ints[16:24].reshape(4, 2), ints[24:26])),
        Case("one output unit 2 -> 3 -> 1",
             (np.array([[1.0, -1.0, 2.0], [0.5, 0.0, 1.0]]), np.array([0.0, 1.0, -1.0]),
              np.array([[1.0], [2.0], [-1.0]]), np.array([0.25]))),
        Case("one input, one output, 5 hidden units 1 -> 5 -> 1",
             (ints[:5].reshape(1, 5), ints[5:10], ints[10:15].reshape(5, 1), ints[15:16])),
        Case("a bottleneck 5 -> 1 -> 5",
             (ints[:5].reshape(5, 1), ints[5:6], ints[6:11].reshape(1, 5), ints[11:16])),
    ]


def _collapse_with(W=None, b=None):
    def mistake(W1, b1, W2, b2):
        right_W, right_b = xor_ref.collapse_linear(W1, b1, W2, b2)
        return (right_W if W is None else W(W1, W2)), (right_b if b is None else b(b1, W2, b2))
    return mistake


collapse_linear = Exercise(
    name="collapse_linear",
    section="4. Stacking linear layers: the illusion of depth",
    **references("nnkit.xor", "collapse_linear"),
    **seeded_cases(_fixed_layers, _random_layers, n_visible=5, n_hidden=30),
    outputs=("W", "b"),
    varies=(Dimension("inputs", lambda case: case.args[0].shape[0], tuple(range(1, 6))),
            Dimension("hidden units", lambda case: case.args[0].shape[1], tuple(range(1, 6))),
            Dimension("outputs", lambda case: case.args[2].shape[1], tuple(range(1, 6)))),
    mutants=(
        Mutant("w2_w1", _collapse_with(W=lambda W1, W2: W2 @ W1),
               "you computed W2 @ W1 instead of W1 @ W2: rows are samples, so X @ W1 comes first"),
        Mutant("transposed", _collapse_with(W=lambda W1, W2: (W1 @ W2).T),
               "your W is transposed: it must have shape (n_in, n_out), i.e. W1 @ W2"),
        Mutant("bias_sum", _collapse_with(b=lambda b1, W2, b2: b1 + b2),
               "you added b1 + b2: b1 passes through the second layer too, b = b1 @ W2 + b2"),
        Mutant("no_b1", _collapse_with(b=lambda b1, W2, b2: b2),
               "the first layer's bias b1 is missing: b = b1 @ W2 + b2"),
        Mutant("no_b2", _collapse_with(b=lambda b1, W2, b2: b1 @ W2),
               "the second layer's bias b2 is missing: b = b1 @ W2 + b2"),
        Mutant("column_bias", _collapse_with(b=lambda b1, W2, b2: W2 @ b1 + b2),
               "you wrote W2 @ b1 (the column convention): with rows as samples, b = b1 @ W2 + b2"),
    ),
)


def _fixed_points():
    return [
        Case("the four XOR corners", (CORNERS.copy(),)),
        Case("negative and fractional inputs", (np.array([[-2.0, 3.0], [0.5, 0.5], [1.5, -1.0]]),)),
        Case("a single row", (np.array([[2.0, -3.0]]),)),
        Case("9 points on a grid, zeros included",
             (np.stack(np.meshgrid([-1.0, 0.0, 1.5], [-2.0, 0.0, 1.0]), -1).reshape(9, 2),)),
    ]


def _random_points(rng):
    n = int(rng.integers(1, 10))
    return Case(f"{n} random points", (rng.normal(scale=2.0, size=(n, 2)),))


def _features_with(third):
    return lambda X: np.column_stack([X, third(X[:, 0], X[:, 1])])


xor_features = Exercise(
    name="xor_features",
    section="5. Way out 1: add a feature",
    **references("nnkit.xor", "xor_features"),
    **seeded_cases(_fixed_points, _random_points, n_visible=5, n_hidden=30),
    outputs=("features",),
    varies=(Dimension("batch size", lambda case: len(case.args[0]), tuple(range(1, 10))),),
    mutants=(
        Mutant("sum", _features_with(lambda a, b: a + b),
               "your third feature is x1 + x2: it should be the product x1 * x2"),
        Mutant("order", lambda X: xor_ref.xor_features(X)[:, [2, 0, 1]],
               "your columns are in another order: they must be [x1, x2, x1 * x2]"),
        Mutant("only_product", lambda X: xor_ref.xor_features(X)[:, 2:],
               "you returned only the product: keep x1 and x2 as the first two columns"),
        Mutant("xor_itself", _features_with(lambda a, b: (a != b).astype(float)),
               "your third feature is XOR itself: it should be the product x1 * x2 "
               "(a linear unit on [x1, x2, x1 * x2] then computes XOR)",
               variants=(_features_with(lambda a, b: np.logical_xor(a, b).astype(float)),)),
        Mutant("transposed", lambda X: xor_ref.xor_features(X).T,
               "your result is transposed, shape (3, batch): keep one row per sample and put the "
               "three features in columns (np.column_stack, or .T)"),
    ),
)


def _network_with(W1=None, b1=None, W2=None, b2=None):
    def mistake():
        right = xor_ref.xor_network()
        given = (W1, b1, W2, b2)
        return tuple(right[k] if given[k] is None else np.array(given[k], dtype=float) for k in range(4))
    return mistake


xor_network = Exercise(
    name="xor_network",
    section="6. Way out 2: a hidden layer of threshold units",
    **references("nnkit.xor", "xor_network"),
    cases=lambda: [Case("your weights on the four corners", ())],
    hidden_cases=lambda: [Case("your weights on the four corners", ())],
    outputs=("W1", "b1", "W2", "b2"),
    observe=lambda weights: xor_ref.threshold_network(CORNERS, *weights),
    observe_label="network output on (0,0), (0,1), (1,0), (1,1)",
    mutants=(
        Mutant("and_for_nand", _network_with(W1=[[1, 1], [1, 1]], b1=[-0.5, -1.5]),
               "your hidden units compute OR and AND: XOR needs OR and NAND "
               "(NAND fires unless both inputs are 1)"),
        Mutant("or_output", _network_with(b2=[-0.5]),
               "your output unit computes OR of the hidden units: it must be AND "
               "(fire only when both hidden units fire)"),
        Mutant("no_hidden_bias", _network_with(b1=[0.0, 0.0]),
               "your hidden units have no bias (b1 = 0): each threshold unit needs a bias "
               "to place its line, e.g. -0.5 for OR and +1.5 for NAND"),
        Mutant("xnor", _network_with(W2=[[-1], [-1]], b2=[1.5]),
               "your network computes XNOR, the opposite of XOR: check the signs of the output unit"),
        Mutant("rows_as_units", _network_with(W1=[[1, 1], [-1, -1]]),
               "your W1 holds one hidden unit per row: with X @ W1 each hidden unit is a column, "
               "so W1[:, 0] holds the OR unit's two weights and W1[:, 1] the NAND unit's"),
        Mutant("nand_never_fires", _network_with(b1=[-0.5, -1.5]),
               "your network never fires. Check each unit on the four corners; a common slip is "
               "the NAND unit's bias: with weights (-1, -1) it needs a positive bias, e.g. +1.5, "
               "to fire on (0,0), (0,1) and (1,0)"),
    ),
)


def _history(*states, indices=None):
    """A hand-built perceptron history from (w, b) states; sample indices cycle 0..3 unless given."""
    indices = indices or [k % 4 for k in range(len(states))]
    return [(i, np.array(w, dtype=float), float(b)) for i, (w, b) in zip(indices, states)]


STATE = {"A": ([1, 0], 1), "B": ([0, 1], -1), "C": ([1, 1], 0)}  # (w, b), named in the case labels


def _fixed_histories():
    return [
        Case("states A, B, C, B, A: B repeats first",
             (_history(*(STATE[s] for s in "ABCBA"), indices=[0, 1, 3, 1, 2]),)),
        Case("same w with another b is another state",
             (_history(([1, 0], 1), ([0, 1], 0), ([1, 0], 2), ([0, 1], 0)),)),
        Case("no state repeats", (_history(*(STATE[s] for s in "ABC")),)),
        Case("a state repeated right away", (_history(STATE["A"], STATE["A"]),)),
        Case("an empty history", ([],)),
        Case("a perceptron run on XOR (lr = 1, 6 epochs)",
             (perceptron_ref.train(*data_ref.xor_table(), max_epochs=6)[2],)),
        Case("a perceptron run on separable points never repeats",
             (perceptron_ref.train(*data_ref.blobs(20, 0.1, 5))[2],)),
        Case("weights with a single entry", (_history(([1], 0), ([2], 0), ([2], 1), ([1], 0)),)),
        Case("weights with 5 entries", (_history(([1, 0, 0, 2, 1], 1), ([0, 1, 0, 2, 1], 1), ([1, 0, 0, 2, 1], 1)),)),
    ]


def _random_history(rng):
    k, length, d = int(rng.integers(2, 5)), int(rng.integers(1, 11)), int(rng.integers(1, 6))
    states = [(rng.integers(-2, 3, size=d), int(rng.integers(-2, 3))) for _ in range(k)]
    walk = rng.integers(k, size=length)
    return Case(f"a random history of {length} updates", (_history(*(states[s] for s in walk)),))


def _cycle_mistake(key=lambda w, b: (*w, b), report=lambda i, j: (i, j - i),
                   only_previous=False, earliest_i=False, with_index=False):
    def mistake(history):
        states = [(k if with_index else None, key(tuple(np.asarray(w, dtype=float)), float(b)))
                  for k, w, b in history]
        n = len(states)
        if earliest_i:
            pairs = ((i, j) for i in range(n) for j in range(i + 1, n))
        else:
            pairs = ((i, j) for j in range(n) for i in (range(max(j - 1, 0), j) if only_previous else range(j)))
        return next((report(i, j) for i, j in pairs if states[i] == states[j]), None)
    return mistake


find_cycle = Exercise(
    name="find_cycle",
    section="3. The perceptron runs in circles",
    **references("nnkit.xor", "find_cycle"),
    **seeded_cases(_fixed_histories, _random_history, n_visible=4, n_hidden=30),
    outputs=("cycle",),
    parts={"cycle": ("start", "period")},
    varies=(Dimension("weights", lambda case: len(case.args[0][0][1]) if case.args[0] else None, tuple(range(1, 6))),
            Dimension("history length", lambda case: len(case.args[0]), tuple(range(6)))),
    none_is_an_answer=True,
    mutants=(
        Mutant("ignores_b", _cycle_mistake(key=lambda w, b: w),
               "you compare only w: a state is the pair (w, b), compare b too"),
        Mutant("end_index", _cycle_mistake(report=lambda i, j: (i, j)),
               "you returned (i, j): the second number is the period j - i"),
        Mutant("start_at_repeat", _cycle_mistake(report=lambda i, j: (j, j - i)),
               "you returned the index j of the repeat as the start: start is the earlier index i"),
        Mutant("only_previous", _cycle_mistake(only_previous=True),
               "you compare each state only with the one just before it: a cycle can be longer, "
               "compare with every earlier state"),
        Mutant("earliest_i", _cycle_mistake(earliest_i=True),
               "you looked for the earliest state that ever repeats: return the first repeat in time, "
               "the first j whose state appeared before"),
        Mutant("with_index", _cycle_mistake(with_index=True),
               "you compared the sample index too: a state is only (w, b), and the same weights "
               "reached after another sample are the same state"),
    ),
)

EXERCISES = {ex.name: ex for ex in (xor_dataset, collapse_linear, xor_features, xor_network, find_cycle)}
