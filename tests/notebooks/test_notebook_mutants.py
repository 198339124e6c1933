"""Each known mistake (a mutant from nnkit.checks) fails exactly its own exercise's test cell.

For one exercise, a copy of the solutions notebook is reduced to its setup cells (those before
the first exercise), its solution cells and its test cells. That block is repeated once with the
original solutions and once per mutant, where the exercise's solution cell is replaced by a cell
binding the exercise name to the mutant. One kernel runs the whole copy.
"""

import nbformat
import pytest

from notebook_tools import (client, exercises, has_error, is_solution, is_test, nbgrader_meta,
                            read, source_notebooks)

CASES = [(src, name) for src in source_notebooks() for name in exercises(read(src))]


def mutant_accessors(spec) -> dict[str, str]:
    """``{mutant name: Python expression suffix}`` that reaches each mutant callable from ``spec``."""
    mutants = spec.mutants
    items = mutants.items() if isinstance(mutants, dict) else enumerate(mutants)
    found = {}
    for key, mutant in items:
        suffix = f".mutants[{key!r}]"
        if not callable(mutant):
            suffix += ".fn"
        label = key if isinstance(key, str) else getattr(mutant, "name", str(key))
        found[str(label)] = suffix
    return found


def reduced_copy(nb, exercise, accessors):
    """The setup cells, then one (solutions, tests) round per variant; cell metadata names the round."""
    first = next(i for i, c in enumerate(nb.cells) if is_solution(c))
    setup = [c for c in nb.cells[:first] if c.cell_type == "code"]
    solutions = [c for c in nb.cells if is_solution(c)]
    tests = [c for c in nb.cells if is_test(c)]
    cells = [nbformat.v4.new_code_cell(c.source, metadata={"round": "setup"}) for c in setup]
    rounds = {"original": None, **accessors}
    for label, suffix in rounds.items():
        for cell in solutions:
            source = cell.source
            if suffix is not None and nbgrader_meta(cell)["grade_id"] == f"{exercise}_solution":
                source = f"import nnkit.checks\n{exercise} = nnkit.checks.EXERCISES[{exercise!r}]{suffix}"
            cells.append(nbformat.v4.new_code_cell(source, metadata={"round": label}))
        for cell in tests:
            cells.append(nbformat.v4.new_code_cell(
                cell.source, metadata={"round": label, "grade_id": nbgrader_meta(cell)["grade_id"]}))
    copy = nbformat.v4.new_notebook(cells=cells, metadata=nb.metadata)
    return copy, list(rounds)


@pytest.mark.parametrize("source,exercise", CASES, ids=lambda v: getattr(v, "stem", v))
def test_each_mutant_fails_only_its_own_test_cell(source, exercise):
    checks = pytest.importorskip("nnkit.checks")
    accessors = mutant_accessors(checks.EXERCISES[exercise])
    assert accessors, f"nnkit.checks has no mutant for {exercise}"
    copy, labels = reduced_copy(read(source), exercise, accessors)
    client(copy, source.parent).execute()

    failed = {label: set() for label in ["setup", *labels]}
    for cell in copy.cells:
        if has_error(cell):
            failed[cell.metadata["round"]].add(cell.metadata.get("grade_id", "a solution cell"))
    assert not failed.pop("setup") and not failed.pop("original"), "the unmodified copy must pass"
    wrong = {label: sorted(ids) for label, ids in failed.items() if ids != {f"{exercise}_test"}}
    assert not wrong, f"mutants of {exercise} that did not fail exactly {exercise}_test: {wrong}"
