"""Sample submissions built from the course itself, for trying the grader, its tests and benchmark.

``python -m autograder.samples OUT [--students N]`` writes a class in nbgrader's layout
(``OUT/submitted/<student>/<unit>/<unit>.ipynb``): in turn a full solution, a solution with
one known mistake (an nnkit.checks mutant) in one exercise, and the untouched release.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

from autograder import integrity

REPO_ROOT = Path(__file__).resolve().parent.parent
KINDS = ("correct", "mutant", "empty")


def notebook(folder: str, unit: str) -> nbformat.NotebookNode:
    """``solutions`` or ``course`` notebook of ``unit``."""
    return nbformat.read(REPO_ROOT / folder / unit / f"{unit}.ipynb", as_version=4)


def exercises(nb: nbformat.NotebookNode) -> list[str]:
    """Names of the checkers the autograded test cells call, in notebook order."""
    return [m for c in nb.cells if integrity.is_autograded_test(c)
            for m in re.findall(r"check\.(\w+)\(", integrity.strip_hidden_tests(c.source))]


def with_mutant(nb: nbformat.NotebookNode, name: str, index: int = 0) -> nbformat.NotebookNode:
    """A copy of ``nb`` whose answer defining ``name`` is nnkit.checks' mutant number ``index``."""
    nb = nbformat.from_dict(nb)
    cell = next(c for c in nb.cells
                if integrity.nbgrader_meta(c).get("solution") and re.search(rf"def {name}\(", c.source))
    cell.source = (f"def {name}(*args, **kwargs):\n"
                   f"    return check.EXERCISES[{name!r}].mutants[{index}].fn(*args, **kwargs)\n")
    return nb


def submission(unit: str, kind: str, n: int) -> nbformat.NotebookNode:
    """Student number ``n``'s ``kind`` submission of ``unit`` (the mutated exercise varies with n)."""
    if kind == "empty":
        return notebook("course", unit)
    nb = notebook("solutions", unit)
    if kind == "mutant":
        names = exercises(nb)
        nb = with_mutant(nb, names[n % len(names)])
    return nb


def write_class(out: Path, units: list[str], students: int) -> list[Path]:
    """Write ``students`` students x ``units`` in nbgrader's layout under ``out/submitted``."""
    written = []
    for n in range(students):
        for unit in units:
            path = Path(out) / "submitted" / f"student{n:03d}" / unit / f"{unit}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(submission(unit, KINDS[n % len(KINDS)], n), path)
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.samples", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--students", type=int, default=6)
    parser.add_argument("--units", nargs="+", default=sorted(p.name for p in (REPO_ROOT / "course").glob("[0-9]*")))
    args = parser.parse_args(argv)
    print(f"wrote {len(write_class(args.out, args.units, args.students))} notebooks under {args.out}/submitted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
