"""Helpers for the notebook tests: find the units, execute notebooks, read nbgrader cells."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[2]
SOLUTIONS = REPO / "solutions"
COURSE = REPO / "course"
CELL_TIMEOUT = 120  # seconds per cell; the whole-notebook budget is checked by benchmarks/

SOLUTION_REGION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
HIDDEN_REGION = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)


def source_notebooks() -> list[Path]:
    """Every nbgrader source notebook, ``solutions/<unit>/<unit>.ipynb``."""
    return sorted(SOLUTIONS.glob("*/*.ipynb"))


def release_of(source: Path) -> Path:
    """The committed release notebook generated from ``source``."""
    return COURSE / source.relative_to(SOLUTIONS)


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def exercises(nb) -> list[str]:
    """Exercise names, from solution cells whose grade_id is ``<name>_solution``."""
    ids = (nbgrader_meta(c).get("grade_id", "") for c in nb.cells if c.cell_type == "code")
    return [i[: -len("_solution")] for i in ids if i.endswith("_solution")]


def is_solution(cell) -> bool:
    return cell.cell_type == "code" and bool(nbgrader_meta(cell).get("solution"))


def is_test(cell) -> bool:
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def client(nb, cwd: Path) -> NotebookClient:
    """A client that keeps going past errors, running in ``cwd`` with this environment's kernel."""
    return NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=True,
                          resources={"metadata": {"path": str(cwd)}})


def execute(path: Path) -> nbformat.NotebookNode:
    """Run a copy of the notebook at ``path`` top to bottom in its folder; return it with outputs."""
    nb = read(path)
    client(nb, path.parent).execute()
    return nb


def has_error(cell) -> bool:
    return any(o.get("output_type") == "error" for o in cell.get("outputs", []))


def error_text(cell) -> str:
    errs = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    return "; ".join(f"{o['ename']}: {o['evalue']}" for o in errs)


def failing_cells(nb) -> dict[str, str]:
    """``{cell id: error}`` for every code cell whose output holds an error."""
    return {c.id: error_text(c) for c in nb.cells if c.cell_type == "code" and has_error(c)}


def tagged_cells(nb, tag: str = "raises-exception") -> set[str]:
    return {c.id for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])}
