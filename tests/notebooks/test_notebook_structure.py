"""Every source notebook follows the exercise pattern (see course/README.md and the unit-01 notebook)."""

import pytest

from notebook_tools import exercises, is_solution, is_test, nbgrader_meta, read, source_notebooks

SOURCES = source_notebooks()


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.parent.name)
def test_every_exercise_has_a_solution_and_a_checked_test_cell(source):
    nb = read(source)
    names = exercises(nb)
    assert names, "no exercise (solution cell with grade_id <name>_solution) found"
    tests = {nbgrader_meta(c)["grade_id"]: c for c in nb.cells if is_test(c)}
    assert set(tests) == {f"{n}_test" for n in names}
    for name in names:
        expected = (f"check.{name}({name})\n### BEGIN HIDDEN TESTS\n"
                    f"check.{name}({name}, hidden=True)\n### END HIDDEN TESTS")
        assert tests[f"{name}_test"].source.strip() == expected
        assert "raises-exception" in tests[f"{name}_test"].metadata.get("tags", [])
    for cell in nb.cells:
        if is_solution(cell):
            assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.parent.name)
def test_graded_cells_have_points_and_a_written_question_exists(source):
    nb = read(source)
    graded = [c for c in nb.cells if nbgrader_meta(c).get("grade")]
    assert all(nbgrader_meta(c).get("points", 0) > 0 for c in graded)
    written = [c for c in graded if c.cell_type == "markdown" and nbgrader_meta(c).get("solution")]
    assert len(written) == 1, "expected exactly one manually graded written question"
    ids = [nbgrader_meta(c)["grade_id"] for c in nb.cells if nbgrader_meta(c)]
    assert len(ids) == len(set(ids)), "grade_id values must be unique"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.parent.name)
def test_source_is_saved_without_outputs(source):
    nb = read(source)
    assert not [c.id for c in nb.cells if c.cell_type == "code" and (c.outputs or c.execution_count)]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.parent.name)
def test_kernelspec_is_the_one_jupyterlab_writes(source):
    """Another display name (e.g. "Python 3") is rewritten by JupyterLab on opening: the notebook turns dirty."""
    assert read(source).metadata.get("kernelspec") == {
        "display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
