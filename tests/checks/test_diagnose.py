"""The generic findings on hand-built results, and how the diagnosis combines them over failing cases."""

import numpy as np
import pytest

from nnkit import checks as check
from nnkit.checks import EXERCISES, core, diagnose, findings, report

NO_ARGS = findings.Context({})
E42 = np.arange(8.0).reshape(4, 2) - 3.5


def tags(e, g, ctx=NO_ARGS, path="out") -> set[str]:
    return {f.tag for f in findings.array_findings(path, e, g, ctx)}


@pytest.mark.parametrize(("got", "tag", "words"), [
    (E42.T, "transposed", "shape (2, 4) instead of (4, 2)"),
    (E42.reshape(4, 2, 1), "extra_axis", "extra axis of length 1: shape (4, 2, 1)"),
    (E42.ravel(), "flattened", "is flattened: shape (8,) instead of (4, 2)"),
    (-E42, "factor:-1", "−1 times"),
    (2 * E42, "factor:2", "twice"),
    (E42 + 0.25, "offset", "+0.25"),
    (E42[[1, 0, 2, 3]], "permuted", "your 0 is the expected 1"),
    (E42[:, ::-1], "permuted", "columns"),
    (E42[:3], "off_by_one", "one entry fewer than expected, 3 instead of 4 (the last one is missing)"),
])
def test_each_shape_or_value_slip_is_named_in_words(got, tag, words):
    found = findings.array_findings("out", E42, got, NO_ARGS)
    assert tag in {f.tag for f in found}
    assert any(words in f.text for f in found if f.tag == tag)


def test_a_missing_axis_of_length_one():
    assert tags(np.array([[1.0], [2.0]]), np.array([1.0, 2.0])) == {"missing_axis", "flattened"}
    assert tags(np.array([1.0, 2.0]), np.array([[1.0, 2.0]])) == {"extra_axis"}


def test_factors_that_the_case_explains_are_named_and_others_are_not():
    ctx = findings.Context({"lr": 0.3, "X": np.ones((6, 2)), "w": np.array([3.0, 4.0])})
    e = np.array([1.0, -2.0, 0.5])
    assert tags(e, 0.3 * e, ctx) == {"factor:lr"}
    assert tags(e, 6 * e, ctx) == {"factor:batch"}
    assert tags(e, e / 6, ctx) == {"factor:1/batch"}
    assert tags(e, e / 25, ctx) == {"factor:1/norm(w)^2"}
    assert tags(e, 1.7 * e, ctx) == set()


def test_labels_in_another_coding():
    pm1 = np.array([1.0, -1.0, -1.0, 1.0])
    assert tags(pm1, (pm1 > 0).astype(float)) == {"zero_one"}
    assert tags(pm1, pm1 > 0) == {"zero_one"}  # booleans
    assert tags(pm1, (pm1 < 0).astype(float)) == {"zero_one_flipped"}
    bits = (pm1 + 1) / 2
    assert "complement" in tags(bits, 1 - bits)
    assert tags(bits, pm1) == {"plus_minus_one"}


def test_repeated_values_are_not_called_permuted():
    labels = np.array([1.0, -1.0, 1.0, -1.0])
    assert "permuted" not in tags(labels, labels[::-1])


def test_whole_numbers_where_decimals_are_expected():
    e = np.array([0.5, 1.75, -2.25, 3.0])
    assert "integers" in tags(e, np.trunc(e))
    assert "integers" not in tags(e, np.trunc(e) + 1)


def test_an_update_is_judged_by_its_change():
    ctx = findings.Context({"w": np.array([1.0, 1.0]), "lr": 0.1})
    expected = np.array([1.2, 0.9])  # w + lr * (2, -1)
    assert tags(expected, np.array([3.0, 0.0]), ctx, path="w_new") == {"step_factor:1/lr"}
    assert tags(np.array([1.0, 1.0]), expected, ctx, path="w_new") == {"changed_when_unchanged"}
    assert tags(expected, np.array([1.0, 1.0]), ctx, path="w_new") == {"unchanged_when_changed"}


def _case(e, g, outputs=("a", "b"), parts=None):
    return diagnose.case_findings(e, g, NO_ARGS, outputs, parts or {})


def test_swapped_tuple_parts():
    found = _case((np.zeros(2), 1.0), (1.0, np.zeros(2)))
    assert {f.tag for f in found[""][0]} == {"swapped"}


def test_a_count_off_by_one_in_every_entry_of_a_list():
    e = (np.zeros(2), [(0, 1.0), (2, 3.0), (3, 1.0)])
    g = (np.zeros(2), [(1, 1.0), (3, 3.0), (4, 1.0)])
    found = _case(e, g, outputs=("w", "history"), parts={"history": ("index", "b")})
    assert {f.tag for f in diagnose.consistent([found])} == {"off_by_one"}


def test_a_finding_must_hold_on_every_failing_case():
    flipped = _case((np.array([1.0, 2.0, 3.0]), 0.0), (np.array([-1.0, -2.0, -3.0]), 0.0))
    other = _case((np.array([1.0, 2.0, 3.0]), 0.0), (np.array([1.0, 5.0, 3.0]), 0.0))
    assert {f.tag for f in diagnose.consistent([flipped])} == {"factor:-1"}
    assert diagnose.consistent([flipped, other]) == []


def test_one_number_is_not_evidence_for_a_relation_but_a_shape_is():
    assert diagnose.consistent([_case((np.zeros(2), 2.0), (np.zeros(2), -2.0))]) == []
    transposed = _case((E42, 0.0), (E42.T, 0.0))
    assert {f.tag for f in diagnose.consistent([transposed])} == {"transposed"}


def test_a_relation_that_leaves_part_of_the_difference_unexplained_is_dropped():
    found = _case((np.array([1.0, 2.0, 3.0]), 4.0), (np.array([-1.0, -2.0, -3.0]), 7.5))
    assert diagnose.consistent([found]) == []


def _learner_predict(w, b, X):
    """Agrees with the 'strict' mutant on the first case (4 rows), flips the labels elsewhere."""
    z = X @ w + b
    return np.where(z > 0, 1.0, -1.0) if len(X) == 4 else np.where(z >= 0, -1.0, 1.0)


def test_a_mutant_that_agrees_on_one_case_only_is_not_named():
    verdict = core.examine(EXERCISES["predict"], _learner_predict)
    assert verdict.mutants == ()
    assert "strict" not in verdict.tags and "flipped" not in verdict.tags


def test_when_nothing_fits_the_message_lists_the_entries_and_points_to_the_section():
    ex = EXERCISES["predict"]
    verdict = core.examine(ex, _learner_predict)
    text = report.message(ex, verdict, len(ex.case_list()))
    assert verdict.findings == () and verdict.failing > 1
    assert "(the smallest of the" in text
    assert "  differ:   predictions[" in text
    assert f'read section "{ex.section}" of the notebook' in text


def test_one_value_per_column_where_one_per_row_is_expected():
    ctx = findings.Context({"X": np.ones((6, 3)), "w": np.ones(3)})
    found = findings.array_findings("scores", np.zeros(6), np.array([1.0, 2.0, 3.0]), ctx)
    assert [f.tag for f in found] == ["wrong_axis"]
    assert "one per axis 1 of `X` instead of one per axis 0" in found[0].text


def test_an_input_returned_unchanged_is_not_called_a_reduction():
    W1 = np.arange(6.0).reshape(3, 2)
    ctx = findings.Context({"W1": W1, "W2": np.ones((2, 4))})
    assert tags(np.zeros((3, 4)), W1, ctx, path="W") == {"returned_input"}


def test_a_tuple_result_with_one_part_only():
    found = _case((np.array([1.0, 2.0]), 3.0), np.array([1.0, 2.0]), outputs=("w_new", "b_new"))
    assert [f.text for f in found[""][0]] == ["your result: you returned only w_new; return all of (w_new, b_new), "
                                              "in that order"]


def test_findings_reach_inside_dicts_of_a_list_result():
    X = np.ones((5, 2))
    e = [{"W": E42, "b": np.array([1.0, -2.0])}]
    g = [{"W": E42.T, "b": np.array([0.2, -0.4])}]
    found = diagnose.case_findings(e, g, findings.Context({"X": X}), ("grads",), {})
    assert {f.tag for f in found["grads[…]['W']"][0]} == {"transposed"}
    assert "factor:1/batch" in {f.tag for f in found["grads[…]['b']"][0]}


def test_a_quiet_exercise_fails_on_a_warning_and_names_only_the_mistake_that_warns_alike():
    def sigmoid(z):  # right values (1 / (1 + inf) = 0), but numpy warns about the overflow
        s = 1 / (1 + np.exp(-z))
        return s, s * (1 - s)

    verdict = core.examine(EXERCISES["sigmoid"], sigmoid)
    assert verdict.headline.warned == "overflow encountered in exp"
    assert "numpy warned" in verdict.headline.problem
    assert [m.name for m in verdict.mutants] == ["naive_overflow"]


def test_an_exercise_that_is_not_quiet_accepts_right_values_computed_with_a_warning(capsys):
    def tanh(z):
        t = 2 / (1 + np.exp(-2 * z)) - 1  # overflows for very negative z, and still gives -1
        return t, 1 - t**2

    with pytest.warns(RuntimeWarning):
        check.tanh(tanh)
    assert capsys.readouterr().out.startswith("✓ tanh passes")
