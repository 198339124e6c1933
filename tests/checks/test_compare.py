"""The comparison behind every checker: what counts as equal, and how a difference is named."""

import numpy as np
import pytest

from nnkit.checks._compare import compare, show

H = [(0, np.array([1.0, 0.0]), 1.0), (3, np.array([0.0, 2.0]), -1.0)]
EXPECTED = (np.array([1.0, 2.0]), H)  # like (w, history)
PARTS = ("index", "w_after", "b_after")  # the items of each history entry


def cmp(got, expected=EXPECTED, values=True):
    return compare(expected, got, "out", rtol=1e-7, atol=1e-9, values=values, parts=PARTS)


def test_equal_structures_with_other_containers_and_number_types_agree():
    entries = ([np.int64(0), [1, 0], 1], (3.0, np.array([0, 2]), np.array(-1.0)))
    got = [np.array([1, 2], dtype=np.float32), entries]
    assert cmp(got) is None


def test_within_tolerance_agrees_and_beyond_it_does_not():
    assert cmp((np.array([1.0 + 1e-12, 2.0]), H)) is None
    assert cmp((np.array([1.0 + 1e-3, 2.0]), H)) == "out[0][0]: expected 1, got 1.001 (1 of 2 entries differ)"


def _entry(k, **change):
    index, w, b = H[k]
    return (change.get("index", index), change.get("w", w), change.get("b", b))


@pytest.mark.parametrize(
    ("got", "says"),
    [
        ((np.array([1.0, 2.0]), H[:1]), "out[1]: expected 2 entries, got 1"),
        ((np.array([1.0, 2.0]),), "out: expected 2 values, got 1"),
        ((np.array([1.0, 2.0]), [H[0], _entry(1, b=True)]),
         "out[1][1].b_after: expected a number, got the boolean True"),
        ((np.array([1.0, 2.0]), [H[0], _entry(1, b="0.5")]),
         "out[1][1].b_after: expected a number, got str '0.5'"),
        ((np.array([1.0, 2.0]), [H[0], _entry(1, b=np.ones(1))]),
         "out[1][1].b_after: expected a single number, got an array of shape (1,)"),
        ((np.array([1.0, np.nan]), H), "out[0][1] is NaN (expected 2)"),
        ((np.array([[1.0, 2.0]]), H), "out[0]: expected shape (2,), got shape (1, 2)"),
        ((np.array([True, True]), H), "out[0] holds booleans"),
        ((np.array([1.0, 2.0]), [H[0], _entry(1, w=np.array([0.0, 2.5]))]),
         "out[1][1].w_after[1]: expected 2, got 2.5"),
        ((np.array([1.0, 2.0]), [H[0], _entry(1, index=4)]), "out[1][1].index: expected 3, got 4"),
        ((np.array([1.0, 2.0]), np.zeros(2)),
         "out[1]: expected a list of 2 entries, got an array of shape (2,)"),
        ((None, H), "out[0] is None: did you forget a `return`?"),
    ],
)
def test_the_first_difference_is_named_by_its_path(got, says):
    assert cmp(got).startswith(says)


def test_structure_only_mode_ignores_values_but_not_shapes():
    assert cmp((np.array([9.0, 9.0]), [(5, np.zeros(2), 0.0)] * 2), values=False) is None
    assert "shape" in cmp((np.zeros(3), H), values=False)


def test_expected_none():
    assert compare(None, None, "cycle", 1e-7, 1e-9) is None
    assert compare(None, (0, 2), "cycle", 1e-7, 1e-9) == "cycle: expected None, got (0, 2)"


def test_show_is_short_and_readable():
    assert show(np.array([1.0, -2.5])) == "[1, -2.5]"
    assert show(np.zeros((20, 2))).endswith("(shape (20, 2))") and len(show(np.zeros((20, 2)))) < 60
    assert show(list(range(10))) == "[0, 1, 2, 3, ... (10 entries)]"
    assert show((1.0,)) == "(1,)"


def test_dicts_compare_key_by_key_and_name_the_key():
    expected = [{"W": np.array([[1.0, 2.0]]), "b": np.array([0.5])}]
    assert compare(expected, [{"W": np.array([[1.0, 2.0]]), "b": np.array([0.5])}], "grads", 1e-7, 1e-9) is None
    assert compare(expected, [{"W": np.array([[1.0, 2.5]]), "b": np.array([0.5])}], "grads", 1e-7, 1e-9) == \
        "grads[0]['W'][0, 1]: expected 2, got 2.5 (1 of 2 entries differ)"
    only_W = [{"W": expected[0]["W"]}]
    assert "expected the keys ['W', 'b'], got ['W']" in compare(expected, only_W, "grads", 1e-7, 1e-9)
    assert "expected a dict" in compare(expected, [(1.0, 2.0)], "grads", 1e-7, 1e-9)


def test_show_names_functions_and_dicts():
    assert show(np.sum) == "sum"
    assert show({"b": np.array([1.0, 2.0])}) == "{'b': [1, 2]}"
