"""course/ is exactly what ``make course`` generates from solutions/, and generation leaves no by-products."""

import subprocess
import sys

from notebook_tools import COURSE, REPO, source_notebooks

HAND_WRITTEN = {"README.md"}  # top-level files of course/ written by hand


def files_under(root):
    """Relative paths of all files below ``root``, skipping hidden files and folders."""
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    }


def by_products():
    """Gradebooks and logs nbgrader could leave in tracked folders."""
    found = []
    for folder in ("autograder", "solutions", "course", "."):
        for pattern in ("*.db", "*.sqlite", ".nbgrader.log", "nbgrader.log"):
            found += [p.relative_to(REPO).as_posix() for p in (REPO / folder).glob(pattern)]
    return sorted(found)


def test_course_equals_a_fresh_generation(tmp_path):
    before = by_products()
    fresh = tmp_path / "course"
    subprocess.run([sys.executable, "-m", "autograder.make_course", "--release-dir", str(fresh)],
                   cwd=REPO, check=True, capture_output=True, text=True)
    committed = files_under(COURSE) - HAND_WRITTEN
    generated = files_under(fresh)
    assert committed == generated, (
        f"course/ holds {sorted(committed - generated)} that generation does not make and lacks "
        f"{sorted(generated - committed)}: run `make course`"
    )
    differing = [f for f in sorted(generated) if (COURSE / f).read_bytes() != (fresh / f).read_bytes()]
    assert not differing, f"course/ was edited by hand or is stale: {differing}; run `make course`"
    assert by_products() == before, "make_course left a gradebook or log in a tracked folder"


def test_every_unit_is_released_and_listed_in_the_readme():
    readme = (COURSE / "README.md").read_text(encoding="utf-8")
    for source in source_notebooks():
        rel = source.relative_to(source.parents[1]).as_posix()
        assert (COURSE / rel).is_file(), f"course/{rel} is missing: run `make course`"
        assert rel in readme, f"course/README.md does not list {rel}"
