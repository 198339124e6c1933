"""The learner corpora: every correct answer passes, every wrong one fails, and no message
names a mistake the answer does not make (see ``corpus.py``)."""

import pytest
from corpus import answers

from nnkit import checks as check
from nnkit.checks import EXERCISES, core, report

CORRECT, WRONG = answers(correct=True), answers(correct=False)


@pytest.mark.parametrize("hidden", [False, True], ids=["visible", "hidden"])
@pytest.mark.parametrize("answer", CORRECT, ids=lambda a: a.id)
def test_a_correct_answer_passes(answer, hidden, capsys):
    getattr(check, answer.exercise)(answer.fn, hidden=hidden)
    assert capsys.readouterr().out.startswith(f"✓ {answer.exercise} passes")


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # wrong answers may divide by zero
@pytest.mark.parametrize("hidden", [False, True], ids=["visible", "hidden"])
@pytest.mark.parametrize("answer", WRONG, ids=lambda a: a.id)
def test_a_wrong_answer_fails_and_is_never_misnamed(answer, hidden):
    ex = EXERCISES[answer.exercise]
    verdict = core.examine(ex, answer.fn, hidden)
    assert verdict is not None, f"{answer.id} passes the {'hidden' if hidden else 'visible'} check"
    text = report.message(ex, verdict, len(ex.case_list(hidden)))
    misnamed = verdict.tags - answer.mistakes
    assert not misnamed, f"{answer.id} makes {sorted(answer.mistakes)}, the message names {sorted(misnamed)}:\n{text}"
