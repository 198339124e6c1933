"""The set-up cell that makes a unit run in Google Colab, kept in one place.

Every unit's first code cell is :data:`SETUP_CELL`: inside Colab (``"google.colab" in
sys.modules``) it installs the course's package from the repository, elsewhere it does nothing.
The distribution is called ``nnkit-course`` (:data:`DISTRIBUTION`, the name in pyproject.toml):
an unrelated, older package named ``nnkit`` is on the public index, and a learner who typed
``pip install nnkit`` would get that one. The import name stays ``nnkit``.

The install uses ``--no-deps``: Colab already has what a unit imports (numpy, matplotlib,
ipywidgets 7.x), while the project's own dependencies (JupyterLab 4, nbgrader, Voila) would
replace Colab's and ask for a runtime restart.

:data:`REPOSITORY_URL` is the only place the repository's address is written; the notebooks
hold copies of the cell, refreshed by ``python -m nnkit.colab solutions/*/*.ipynb`` (then
``make course``), and a test checks that every unit's copy is this one.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPOSITORY_URL = "https://github.com/nn-course/nn-course"  # placeholder until the repository is published
DISTRIBUTION = "nnkit-course"
REQUIREMENT = f"{DISTRIBUTION} @ git+{REPOSITORY_URL}.git"
CELL_ID = "colab-setup"
# read-only for nbgrader: the grader takes it from the source, never from a hand-in (it runs pip)
NBGRADER = {"grade": False, "grade_id": "colab_setup", "locked": True, "schema_version": 3, "solution": False}

SETUP_CELL = f'''\
# Set-up: inside Google Colab this installs the course's package (nnkit); anywhere else it does nothing.
import sys

if "google.colab" in sys.modules:
    import subprocess
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "{REQUIREMENT}"], check=True)'''


def first_code_cell(notebook) -> int | None:
    """Index of the notebook's first code cell, or None."""
    return next((i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"), None)


def with_setup_cell(notebook):
    """The notebook with :data:`SETUP_CELL` as its first code cell (refreshed if present, else inserted)."""
    import nbformat

    first = first_code_cell(notebook)
    if first is None or notebook.cells[first].get("id") != CELL_ID:
        cell = nbformat.v4.new_code_cell()
        cell["id"] = CELL_ID
        notebook.cells.insert(len(notebook.cells) if first is None else first, cell)
        first = notebook.cells.index(cell)
    notebook.cells[first].source = SETUP_CELL
    notebook.cells[first].metadata["nbgrader"] = dict(NBGRADER)
    return notebook


def main(argv: list[str] | None = None) -> int:
    """``python -m nnkit.colab NOTEBOOK...``: give each notebook the current set-up cell, in place."""
    import nbformat

    paths = [Path(p) for p in (sys.argv[1:] if argv is None else argv)]
    if not paths:
        print("usage: python -m nnkit.colab NOTEBOOK...", file=sys.stderr)
        return 2
    for path in paths:
        notebook = with_setup_cell(nbformat.read(path, as_version=4))
        path.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
        print(f"set-up cell written into {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
