"""Regenerate the student release ``course/`` from the source notebooks in ``solutions/``.

Usage: ``python -m autograder.make_course [--release-dir DIR]`` (``make course``).

Every folder of ``solutions/`` is one assignment. nbgrader's own ``generate_assignment``
(configured by ``autograder/nbgrader_config.py``) replaces solutions, removes hidden tests and
locks cells; then every released notebook is stripped of outputs, execution counts and saved
widget state, and rewritten in nbformat's canonical layout, so a second run is byte-identical.
The gradebook nbgrader needs while generating lives in a temporary folder that is deleted
afterwards; hand-written files at the top of ``course/`` (its README) are left alone.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from pathlib import Path

import nbformat

from autograder.glossary import glossary
from autograder.nbgrader_schema import read_schema_head_in_process

AUTOGRADER_DIR = Path(__file__).resolve().parent
REPO_ROOT = AUTOGRADER_DIR.parent
SOURCE_DIR = REPO_ROOT / "solutions"
RELEASE_DIR = REPO_ROOT / "course"


def assignments(source_dir: Path = SOURCE_DIR) -> list[str]:
    """Names of the assignments: the folders of ``solutions/`` that hold a notebook."""
    return sorted(
        p.name for p in source_dir.iterdir() if p.is_dir() and any(p.glob("*.ipynb"))
    )


def _load_config(release_dir: Path, scratch: Path):
    """The repository's nbgrader config, with the gradebook and release folder overridden."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(AUTOGRADER_DIR)).load_config()
    config.CourseDirectory.release_directory = str(release_dir)
    config.CourseDirectory.db_url = "sqlite:///" + str(scratch / "gradebook.db")
    config.Exchange.root = str(scratch / "exchange")
    return config


def strip_notebook(path: Path) -> None:
    """Remove outputs, execution counts and widget state; write nbformat's canonical JSON."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)
    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


@contextlib.contextmanager
def _nbgrader_context():
    """Run from ``autograder/``, where nbgrader finds its config."""
    read_schema_head_in_process()
    cwd = os.getcwd()
    os.chdir(AUTOGRADER_DIR)
    try:
        yield
    finally:
        os.chdir(cwd)


def generate(release_dir: Path = RELEASE_DIR) -> list[Path]:
    """Generate every assignment of ``solutions/`` into ``release_dir``, and its GLOSSARY.md; return the notebooks."""
    from nbgrader.apps import NbGraderAPI

    release_dir = Path(release_dir).resolve()
    names = assignments()
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="nnkit-make-course-") as tmp, _nbgrader_context():
        api = NbGraderAPI(config=_load_config(release_dir, Path(tmp)))
        for name in names:
            result = api.generate_assignment(name, force=True, create=True)
            if not result["success"]:
                raise RuntimeError(
                    f"nbgrader generate_assignment failed for {name}:\n"
                    f"{result.get('error', '')}\n{result.get('log', '')}"
                )
            notebooks = sorted((release_dir / name).glob("*.ipynb"))
            for notebook in notebooks:
                strip_notebook(notebook)
            written.extend(notebooks)
    (release_dir / "GLOSSARY.md").write_text(glossary(release_dir, written), encoding="utf-8")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--release-dir", type=Path, default=RELEASE_DIR,
        help="where to write the release (default: course/ of the repository)",
    )
    args = parser.parse_args(argv)
    for notebook in generate(args.release_dir):
        print(f"wrote {notebook}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
