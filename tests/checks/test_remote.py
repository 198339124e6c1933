"""The check split in two (``nnkit.checks.remote``): the verdict decided on one side, the learner's
function called on the other, with only JSON data between them. On every answer of the learner
corpora it reaches the self-check's verdict and message; a kernel that lies about its function
earns nothing it did not compute; a reply that is not a result is a failed case, never a crash."""

import json

import numpy as np
import pytest
from corpus import answers

from nnkit import checks as check
from nnkit.checks import EXERCISES, core, remote


class JsonKernel:
    """The kernel side in this process, every message through JSON text as on the wire."""

    def __init__(self, fn, tamper=None):
        self.fn, self.tamper, self.requests = fn, tamper, []

    def probe(self, exercise, hidden):
        return json.loads(json.dumps(remote.answer_probe({"fn": self.fn}, "fn", exercise, hidden)))

    def calls(self, request, timeout):
        request = json.loads(json.dumps(request))
        self.requests.append(request)
        replies = json.loads(json.dumps(remote.answer_calls({"fn": self.fn}, "fn", request)))
        return [self.tamper(r) for r in replies] if self.tamper else replies


def self_check(answer, hidden: bool) -> tuple[bool, str]:
    """What ``check.<exercise>(fn, hidden)`` says in the learner's own notebook."""
    try:
        with np.errstate(all="ignore"):
            getattr(check, answer.exercise)(answer.fn, hidden=hidden)
    except core.CheckFailed as failed:
        return False, str(failed)
    return True, core.passed(EXERCISES[answer.exercise], hidden)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("answer", answers(correct=True) + answers(correct=False), ids=lambda a: a.id)
def test_the_split_check_says_what_the_self_check_says(answer):
    ex = EXERCISES[answer.exercise]
    with np.errstate(all="ignore"):
        split = remote.verdict(ex, True, JsonKernel(answer.fn))
    assert split == self_check(answer, hidden=True)
    assert split[0] == (not answer.mistakes)


def test_a_kernel_that_sends_back_its_inputs_as_results_earns_nothing():
    ex = EXERCISES["predict"]
    echo = JsonKernel(ex.public_reference, tamper=lambda reply: {**reply, "got": reply["args"]})
    passed, message = remote.verdict(ex, False, echo)
    assert not passed and "predict" in message


def test_the_kernel_never_receives_an_expected_value():
    ex = EXERCISES["train_perceptron"]
    kernel = JsonKernel(ex.public_reference)
    assert remote.verdict(ex, False, kernel)[0]
    expected = [json.dumps(remote.wire.encode(ex.expected(c))) for c in ex.case_list()]
    sent = "".join(json.dumps(r) for r in kernel.requests)
    assert kernel.requests and not any(e in sent for e in expected if len(e) > 40)


@pytest.mark.parametrize("reply", [
    {}, {"got": {"t": "pickle", "v": "gASVAAAA"}}, {"got": 1, "args": [], "kwargs": {}},
    {"got": {"t": "plain", "v": True}, "args": {"t": "tuple", "v": []}, "kwargs": {"t": "dict", "v": []}},
    {"raised": None, "got": {"t": "array", "dtype": "|O", "shape": [1], "data": ""}},
    {"not_done": "yes"},
], ids=["empty", "pickle", "untyped", "args-dropped", "object-array", "truthy-string"])
def test_a_reply_that_is_not_a_result_fails_the_case(reply):
    ex = EXERCISES["predict"]
    passed, message = remote.verdict(ex, False, JsonKernel(ex.public_reference, tamper=lambda _: reply))
    assert not passed
    assert "cannot be checked" in message


def test_a_function_that_raises_is_reported_with_its_message():
    def predict(w, b, X):
        raise ValueError("shapes do not match")

    passed, message = remote.verdict(EXERCISES["predict"], True, JsonKernel(predict))
    assert not passed and "ValueError: shapes do not match" in message


def test_an_unfinished_function_says_not_implemented_yet():
    def predict(w, b, X):
        raise NotImplementedError

    passed, message = remote.verdict(EXERCISES["predict"], True, JsonKernel(predict))
    assert not passed and "not implemented yet" in message


def test_a_result_too_large_to_bring_back_is_a_failed_case(monkeypatch):
    monkeypatch.setattr(remote.wire, "MAX_BYTES", 50_000)
    passed, message = remote.verdict(EXERCISES["predict"], True, JsonKernel(lambda w, b, X: np.zeros(10**5)))
    assert not passed and "cannot be checked" in message and "50,000 bytes" in message


def test_the_reference_is_refused_by_the_probe():
    ex = EXERCISES["predict"]
    passed, message = remote.verdict(ex, True, JsonKernel(ex.public_reference))
    assert not passed and "reference implementation" in message


def test_in_place_changes_made_in_the_kernel_are_seen():
    def predict(w, b, X):
        X *= 1
        X[0, 0] += 1.0
        return np.where(X @ w + b >= 0, 1, -1)

    passed, message = remote.verdict(EXERCISES["predict"], True, JsonKernel(predict))
    assert not passed and "in place" in message


def test_when_the_batch_stops_early_the_rest_are_asked_one_at_a_time(monkeypatch):
    monkeypatch.setattr(remote, "BATCH_BUDGET", 0.0)  # the kernel answers after its first call
    ex = EXERCISES["signed_distance"]
    kernel = JsonKernel(_own_signed_distance)
    assert remote.verdict(ex, True, kernel) == (True, core.passed(ex, True))
    assert [len(r["calls"]) for r in kernel.requests] == [len(ex.case_list(hidden=True))] + [1] * (
        len(ex.case_list(hidden=True)) - 1)


def _own_signed_distance(w, b, X):
    return (X @ w + b) / np.linalg.norm(w)


def test_an_exercise_whose_cases_pass_their_own_functions_is_not_split():
    ex = EXERCISES["predict"]
    own = core.Exercise(**{**{f: getattr(ex, f) for f in ex.__dataclass_fields__},
                           "name": "own_lambda", "cases": lambda: [core.Case("a loss", (lambda x: x, 1.0))]})
    assert not remote.splittable(own, hidden=False)
    first_units = [e for e in EXERCISES.values() if e.reference.__module__.endswith(("perceptron", "xor"))]
    assert len(first_units) >= 8 and all(remote.splittable(e, h) for e in first_units for h in (False, True))


def test_unit05_cases_travel_and_a_warning_raised_in_the_kernel_fails_a_quiet_exercise():
    from nnkit.checks import unit05_activations

    assert all(remote.splittable(e, h) for e in unit05_activations.EXERCISES.values() for h in (False, True))

    def sigmoid(z):  # the right values, with an overflow warning for very negative z
        s = 1 / (1 + np.exp(-z))
        return s, s * (1 - s)

    with pytest.warns(RuntimeWarning):
        passed, message = remote.verdict(EXERCISES["sigmoid"], True, JsonKernel(sigmoid))
    assert not passed and 'numpy warned "overflow encountered in exp"' in message
