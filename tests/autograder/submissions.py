"""Learner-side versions of an nbgrader source notebook, for grader tests and the hostile corpus."""
from __future__ import annotations

import re

import nbformat

from autograder.integrity import strip_hidden_tests

_SOLUTION = re.compile(r"^([ \t]*)### BEGIN SOLUTION.*?### END SOLUTION[^\n]*", re.S | re.M)


def learner_copy(source: nbformat.NotebookNode, solved: bool) -> nbformat.NotebookNode:
    """Hidden tests removed and outputs cleared; answers kept (solved) or replaced as in the release."""
    nb = nbformat.from_dict(source)
    for cell in nb.cells:
        cell.source = strip_hidden_tests(cell.source)
        if not solved:
            cell.source = _SOLUTION.sub(r"\1# YOUR CODE HERE\n\1raise NotImplementedError()", cell.source)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb
