"""Unit 02 learner corpus: right and wrong answers coded the way learners code them (numpy only).

Wrong answers are written independently of the checker's mutants; each names its mistakes.
"""

import itertools

import numpy as np

from corpus import Corpus

CORPUS = Corpus()
correct, wrong = CORPUS.correct, CORPUS.wrong


# --- xor_dataset -----------------------------------------------------------------------------

@correct("xor_dataset")
def xor_dataset():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    t = np.array([-1, 1, 1, -1], dtype=float)
    return X, t


@correct("xor_dataset")
def xor_dataset_product():
    X = np.array(list(itertools.product([0, 1], repeat=2)))
    t = np.where(np.logical_xor(X[:, 0], X[:, 1]), 1, -1)
    return X, t


@wrong("xor_dataset", "labels_01", "zero_one")
def xor_dataset_bits():
    X = np.array(list(itertools.product([0.0, 1.0], repeat=2)))
    return X, (X[:, 0] != X[:, 1]).astype(float)


@wrong("xor_dataset", "xnor", "factor:-1")
def xor_dataset_equal_inputs():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return X, np.where(X[:, 0] == X[:, 1], 1.0, -1.0)


@wrong("xor_dataset", "row_order", "permuted")
def xor_dataset_column_major():
    X = np.array([[a, b] for b in (0.0, 1.0) for a in (0.0, 1.0)])
    return X, np.array([-1.0, 1.0, 1.0, -1.0])


@wrong("xor_dataset", "pm1_inputs", "plus_minus_one")
def xor_dataset_signed_inputs():
    X = np.array([[-1, -1], [-1, 1], [1, -1], [1, 1]], dtype=float)
    return X, np.array([-1.0, 1.0, 1.0, -1.0])


@wrong("xor_dataset", "transposed")
def xor_dataset_columns():
    X = np.array([[0, 0, 1, 1], [0, 1, 0, 1]], dtype=float)
    return X, np.array([-1.0, 1.0, 1.0, -1.0])


@wrong("xor_dataset", "swapped")
def xor_dataset_labels_first():
    return np.array([-1.0, 1.0, 1.0, -1.0]), np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


@wrong("xor_dataset", "extra_axis")
def xor_dataset_label_column():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return X, np.array([[-1.0], [1.0], [1.0], [-1.0]])


@wrong("xor_dataset", "or")
def xor_dataset_or():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return X, np.where(X.sum(axis=1) >= 1, 1.0, -1.0)


# --- collapse_linear -------------------------------------------------------------------------

@correct("collapse_linear")
def collapse_linear(W1, b1, W2, b2):
    return np.dot(W1, W2), np.dot(b1, W2) + b2


@correct("collapse_linear")
def collapse_loops(W1, b1, W2, b2):
    n_in, h = W1.shape
    n_out = W2.shape[1]
    W = np.zeros((n_in, n_out))
    for i in range(n_in):
        for k in range(n_out):
            W[i, k] = sum(W1[i, j] * W2[j, k] for j in range(h))
    b = np.array([sum(b1[j] * W2[j, k] for j in range(h)) + b2[k] for k in range(n_out)])
    return W, b


@wrong("collapse_linear", "w2_w1")
def collapse_other_order(W1, b1, W2, b2):
    return np.matmul(W2, W1), b1 @ W2 + b2


@wrong("collapse_linear", "transposed")
def collapse_transposed(W1, b1, W2, b2):
    return W2.T @ W1.T, b1 @ W2 + b2


@wrong("collapse_linear", "bias_sum")
def collapse_loop_bias_sum(W1, b1, W2, b2):
    b = np.array([b1[k] + b2[k] for k in range(len(b2))])
    return W1 @ W2, b


@wrong("collapse_linear", "column_bias")
def collapse_column_bias(W1, b1, W2, b2):
    return W1 @ W2, np.dot(W2, b1) + b2


@wrong("collapse_linear", "no_b2")
def collapse_without_b2(W1, b1, W2, b2):
    return W1 @ W2, np.array([np.dot(b1, W2[:, k]) for k in range(W2.shape[1])])


@wrong("collapse_linear", "no_b1")
def collapse_without_b1(W1, b1, W2, b2):
    return W1 @ W2, b2.copy()


@wrong("collapse_linear", "extra_axis")
def collapse_row_bias(W1, b1, W2, b2):
    return W1 @ W2, b1[None, :] @ W2 + b2


@wrong("collapse_linear", "swapped")
def collapse_bias_first(W1, b1, W2, b2):
    return b1 @ W2 + b2, W1 @ W2


@wrong("collapse_linear", "elementwise")
def collapse_elementwise(W1, b1, W2, b2):
    return W1 * W2.T, b1 * W2.T + b2


@wrong("collapse_linear", "bias_twice", "factor:2")
def collapse_bias_twice(W1, b1, W2, b2):
    return W1 @ W2, 2 * (b1 @ W2 + b2)


# --- xor_features ----------------------------------------------------------------------------

@correct("xor_features")
def xor_features(X):
    return np.hstack([X, X[:, :1] * X[:, 1:]])


@correct("xor_features")
def xor_features_rows(X):
    return np.array([[a, b, a * b] for a, b in X])


@wrong("xor_features", "sum")
def xor_features_loop_sum(X):
    return np.array([[a, b, a + b] for a, b in X])


@wrong("xor_features", "order", "permuted")
def xor_features_product_first(X):
    return np.column_stack([X[:, 0] * X[:, 1], X[:, 0], X[:, 1]])


@wrong("xor_features", "only_product")
def xor_features_product_only(X):
    return (X[:, 0] * X[:, 1]).reshape(-1, 1)


@wrong("xor_features", "transposed")
def xor_features_stacked_rows(X):
    return np.vstack([X[:, 0], X[:, 1], X[:, 0] * X[:, 1]])


@wrong("xor_features", "xor_itself")
def xor_features_xor_bits(X):
    return np.c_[X, np.logical_xor(X[:, 0], X[:, 1])]


@wrong("xor_features", "integers")
def xor_features_int_product(X):
    return np.column_stack([X, (X[:, 0] * X[:, 1]).astype(int)])


@wrong("xor_features", "square")
def xor_features_square(X):
    return np.column_stack([X, X[:, 0] ** 2])


@wrong("xor_features", "flattened")
def xor_features_flat(X):
    return np.column_stack([X, X[:, 0] * X[:, 1]]).ravel()


# --- xor_network -----------------------------------------------------------------------------

@correct("xor_network")
def xor_network():
    W1 = np.array([[2.0, -2.0], [2.0, -2.0]])  # OR and NAND, scaled
    b1 = np.array([-1.0, 3.0])
    W2 = np.array([[1.0], [1.0]])  # AND
    b2 = np.array([-2.0])
    return W1, b1, W2, b2


@correct("xor_network")
def xor_network_nand_first():
    W1 = np.array([[-1.0, 1.0], [-1.0, 1.0]])  # NAND, OR
    return W1, np.array([1.5, -0.5]), np.array([[1.0], [1.0]]), np.array([-1.5])


@correct("xor_network")
def xor_network_and_nor():
    # hidden AND and NOR; the output fires when neither does: "not (both or none)"
    W1 = np.array([[1.0, -1.0], [1.0, -1.0]])
    return W1, np.array([-1.5, 0.5]), np.array([[-1.0], [-1.0]]), np.array([0.5])


@wrong("xor_network", "and_for_nand")
def xor_network_or_and():
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    return W1, np.array([-0.5, -1.5]), np.array([[1.0], [1.0]]), np.array([-1.5])


@wrong("xor_network", "or_output")
def xor_network_output_or():
    W1 = np.array([[1.0, -1.0], [1.0, -1.0]])
    return W1, np.array([-0.5, 1.5]), np.array([[1.0], [1.0]]), np.array([-0.5])


@wrong("xor_network", "no_hidden_bias")
def xor_network_zero_bias():
    W1 = np.array([[1.0, -1.0], [1.0, -1.0]])
    return W1, np.zeros(2), np.array([[1.0], [1.0]]), np.array([-1.5])


@wrong("xor_network", "xnor", "complement")
def xor_network_negated_output():
    W1 = np.array([[1.0, -1.0], [1.0, -1.0]])
    return W1, np.array([-0.5, 1.5]), np.array([[-1.0], [-1.0]]), np.array([1.5])


@wrong("xor_network", "rows_as_units", "transposed")
def xor_network_unit_rows():
    W1 = np.array([[1.0, 1.0], [-1.0, -1.0]])
    return W1, np.array([-0.5, 1.5]), np.array([[1.0], [1.0]]), np.array([-1.5])


@wrong("xor_network", "missing_axis", "flattened")
def xor_network_flat_output_weights():
    W1 = np.array([[1.0, -1.0], [1.0, -1.0]])
    return W1, np.array([-0.5, 1.5]), np.array([1.0, 1.0]), np.array([-1.5])


@wrong("xor_network", "nand_never_fires")
def xor_network_nand_bias_negative():
    W1 = np.array([[1.0, -1.0], [1.0, -1.0]])
    return W1, np.array([-0.5, -1.5]), np.array([[1.0], [1.0]]), np.array([-1.5])


# --- find_cycle ------------------------------------------------------------------------------

@correct("find_cycle")
def find_cycle(history):
    seen = []
    for j, (_, w, b) in enumerate(history):
        for i, (w_old, b_old) in enumerate(seen):
            if np.array_equal(w, w_old) and b == b_old:
                return i, j - i
        seen.append((w, b))
    return None


@correct("find_cycle")
def find_cycle_dict(history):
    first = {}
    for j, (_, w, b) in enumerate(history):
        key = (tuple(np.asarray(w).tolist()), float(b))
        if key in first:
            return [first[key], j - first[key]]
        first[key] = j
    return None


def _first_repeat(history, same):
    """The learner's double loop: the first j with an earlier i where ``same(entry_i, entry_j)``."""
    for j in range(len(history)):
        for i in range(j):
            if same(history[i], history[j]):
                return i, j
    return None


@wrong("find_cycle", "ignores_b")
def find_cycle_weights_only(history):
    found = _first_repeat(history, lambda a, c: np.array_equal(a[1], c[1]))
    return found and (found[0], found[1] - found[0])


@wrong("find_cycle", "end_index")
def find_cycle_both_indices(history):
    return _first_repeat(history, lambda a, c: np.array_equal(a[1], c[1]) and a[2] == c[2])


@wrong("find_cycle", "start_at_repeat")
def find_cycle_start_at_j(history):
    found = _first_repeat(history, lambda a, c: np.array_equal(a[1], c[1]) and a[2] == c[2])
    return found and (found[1], found[1] - found[0])


@wrong("find_cycle", "only_previous")
def find_cycle_neighbours(history):
    for j in range(1, len(history)):
        if np.array_equal(history[j][1], history[j - 1][1]) and history[j][2] == history[j - 1][2]:
            return j - 1, 1
    return None


@wrong("find_cycle", "period_plus_one", "off_by_one")
def find_cycle_counts_both_ends(history):
    found = _first_repeat(history, lambda a, c: np.array_equal(a[1], c[1]) and a[2] == c[2])
    return found and (found[0], found[1] - found[0] + 1)


@wrong("find_cycle", "swapped")
def find_cycle_period_first(history):
    found = _first_repeat(history, lambda a, c: np.array_equal(a[1], c[1]) and a[2] == c[2])
    return found and (found[1] - found[0], found[0])


@wrong("find_cycle", "with_index")
def find_cycle_whole_entries(history):
    seen = []
    for j, (k, w, b) in enumerate(history):
        for i, (k_old, w_old, b_old) in enumerate(seen):
            if k == k_old and np.array_equal(w, w_old) and b == b_old:
                return i, j - i
        seen.append((k, w, b))
    return None


@wrong("find_cycle", "any_coordinate")
def find_cycle_any_equal(history):
    found = _first_repeat(history, lambda a, c: bool(np.any(a[1] == c[1])) and a[2] == c[2])
    return found and (found[0], found[1] - found[0])


@wrong("find_cycle", "earliest_i")
def find_cycle_earliest_state(history):
    for i in range(len(history)):
        for j in range(i + 1, len(history)):
            if np.array_equal(history[i][1], history[j][1]) and history[i][2] == history[j][2]:
                return i, j - i
    return None


# --- more styles and slips, written after the diagnosis (none of them shaped to fit it) -----

@correct("xor_dataset")
def xor_dataset_lists():
    return [[0, 0], [0, 1], [1, 0], [1, 1]], [-1, 1, 1, -1]


@correct("collapse_linear")
def collapse_transpose_trick(W1, b1, W2, b2):
    return W1.dot(W2), b2 + W2.T @ b1


@wrong("collapse_linear", "only_first_layer", "returned_input")
def collapse_first_layer(W1, b1, W2, b2):
    return W1, b1


@correct("xor_features")
def xor_features_keepdims(X):
    return np.concatenate([X, X.prod(axis=1, keepdims=True)], axis=1)


@wrong("xor_features", "columns_swapped", "permuted")
def xor_features_x2_first(X):
    return np.column_stack([X[:, 1], X[:, 0], X[:, 0] * X[:, 1]])


@wrong("xor_network", "transposed")
def xor_network_row_output_weights():
    W1 = np.array([[1.0, -1.0], [1.0, -1.0]])
    return W1, np.array([-0.5, 1.5]), np.array([[1.0, 1.0]]), np.array([-1.5])


@correct("find_cycle")
def find_cycle_elementwise(history):
    for j in range(len(history)):
        for i in range(j):
            if np.all(history[i][1] == history[j][1]) and history[i][2] == history[j][2]:
                return (i, j - i)
    return None


@wrong("find_cycle", "identity_comparison")
def find_cycle_identity(history):
    for j in range(len(history)):
        for i in range(j):
            if history[i][1] is history[j][1] and history[i][2] == history[j][2]:
                return i, j - i
    return None
