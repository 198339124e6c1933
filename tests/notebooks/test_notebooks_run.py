"""Solutions run clean; the release fails exactly in the cells tagged ``raises-exception``."""

import pytest

from notebook_tools import execute, failing_cells, release_of, source_notebooks, tagged_cells

SOURCES = source_notebooks()


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.parent.name)
def test_solution_notebook_runs_without_error(source):
    failures = failing_cells(execute(source))
    assert not failures, f"cells failed: {failures}"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.parent.name)
def test_release_fails_only_in_cells_that_need_an_exercise(source):
    nb = execute(release_of(source))
    failures = failing_cells(nb)
    tagged = tagged_cells(nb)
    assert set(failures) == tagged, (
        f"failing but not tagged raises-exception: { {k: v for k, v in failures.items() if k not in tagged} }; "
        f"tagged but running: {sorted(tagged - set(failures))}"
    )
    confusing = {k: v for k, v in failures.items() if "NotImplementedError" not in v and "not implemented" not in v}
    assert not confusing, f"cells that should fail only for an unfinished exercise fail otherwise: {confusing}"
