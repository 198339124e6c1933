"""What a learner sees when a self-check fails in Jupyter: the message, their own line, no nnkit frames.

Runs a real kernel (nbclient) on a small notebook with a wrong, an unfinished and a crashing answer.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from nbclient import NotebookClient

ANSI = re.compile(r"\x1b\[[0-9;]*m")
CELLS = [
    "import numpy as np\nfrom nnkit import checks as check",
    "def predict(w, b, X):\n    return np.sign(X @ w + b)",
    "check.predict(predict)",
    "def predict(w, b, X):\n    raise NotImplementedError()",
    "check.predict(predict)",
    "def predict(w, b, X):\n    return X[:, 5] @ w",
    "check.predict(predict)",
    "print('after')",
]


@pytest.fixture(scope="module")
def executed():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    NotebookClient(nb, kernel_name="python3", allow_errors=True, timeout=120).execute()
    return nb


def _error(nb, index: int) -> tuple[str, str]:
    [error] = [o for o in nb.cells[index].outputs if o.output_type == "error"]
    return error.ename, ANSI.sub("", "\n".join(error.traceback))


@pytest.mark.parametrize("index, says", [
    (2, "Hint: it looks like you used np.sign"),
    (4, "predict is not implemented yet"),
    (6, "your function raised IndexError"),
])
def test_a_failed_check_shows_its_message_and_no_frame_of_nnkit(executed, index, says):
    ename, shown = _error(executed, index)
    assert ename == "CheckFailed"
    assert says in shown
    assert "nnkit/" not in shown and "core.py" not in shown and "Traceback" not in shown, shown
    assert len(shown.splitlines()) <= 12, shown


def test_the_learners_own_line_is_named_when_their_code_crashes(executed):
    _, shown = _error(executed, 6)
    assert "return X[:, 5] @ w" in shown


def test_a_failed_check_stops_run_all_as_an_error():
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS[:3] + ["print('never')"]])
    with pytest.raises(CellExecutionError) as stopped:
        NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    assert stopped.value.ename == "CheckFailed" and not nb.cells[3].get("outputs")
