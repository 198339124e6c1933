"""The release in course/ carries no solution, no hidden test and no output."""

import json

import pytest

from notebook_tools import (COURSE, HIDDEN_REGION, SOLUTION_REGION, nbgrader_meta, read,
                            release_of, source_notebooks)

MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "hidden=True")


def secret_lines(nb) -> set[str]:
    """Lines that exist only inside solution regions, hidden-test regions or written answers."""
    secret, public = set(), set()
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if cell.cell_type == "markdown" and meta.get("solution"):
            regions, rest = [cell.source], ""
        else:
            regions = SOLUTION_REGION.findall(cell.source) + HIDDEN_REGION.findall(cell.source)
            rest = HIDDEN_REGION.sub("", SOLUTION_REGION.sub("", cell.source))
        secret |= {line.strip() for region in regions for line in region.splitlines()}
        public |= {line.strip() for line in rest.splitlines()}
    return {line for line in secret - public if len(line) >= 8}


def release_text(path) -> str:
    nb = read(path)
    return "\n".join(c.source + json.dumps(c.get("outputs", [])) for c in nb.cells)


@pytest.mark.parametrize("source", source_notebooks(), ids=lambda p: p.parent.name)
def test_release_has_no_solution_or_hidden_text(source):
    secrets = secret_lines(read(source))
    assert secrets, "found no solution or hidden-test text: are the markers right?"
    for path in sorted(COURSE.rglob("*")):
        if not path.is_file():
            continue
        text = release_text(path) if path.suffix == ".ipynb" else path.read_text(encoding="utf-8")
        leaked = sorted(s for s in secrets if s in text) + [m for m in MARKERS if m in text]
        assert not leaked, f"{path.relative_to(COURSE)} leaks {leaked[:5]}"


@pytest.mark.parametrize("source", source_notebooks(), ids=lambda p: p.parent.name)
def test_release_has_no_outputs(source):
    nb = read(release_of(source))
    dirty = [c.id for c in nb.cells if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"cells with outputs or execution counts: {dirty}"
    assert "widgets" not in nb.metadata
