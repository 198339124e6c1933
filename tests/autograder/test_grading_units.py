"""Every unit through ``python -m autograder``: solutions, untouched release, one mutant each.

The units are the folders of ``solutions/``; adding one adds it here. Expected points come
from the source notebooks' nbgrader metadata, never from the grader: the solutions get every
autograded test cell's points, the release none, and a mutant of one exercise loses exactly
the test cells that call that exercise's checker.
"""

from __future__ import annotations

import nbformat
import pytest

from autograder.samples import exercises, with_mutant
from pipeline_helpers import REPO, grade, gradebook_scores, read_csv

UNITS = sorted(p.name for p in (REPO / "solutions").iterdir() if (p / f"{p.name}.ipynb").exists())


def _source(unit: str) -> nbformat.NotebookNode:
    return nbformat.read(REPO / "solutions" / unit / f"{unit}.ipynb", as_version=4)


def _answers(nb) -> list[str]:
    return [c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]


def _mutated(unit: str) -> str:
    """An exercise of ``unit`` that no other answer calls, so that its mutant breaks only its own tests."""
    answers = _answers(_source(unit))
    for name in exercises(_source(unit)):
        if not any(f"{name}(" in src for src in answers if f"def {name}(" not in src):
            return name
    raise AssertionError(f"{unit}: every exercise is called by another answer; no mutant isolates one")


def _autograded_tests(nb) -> dict[str, tuple[float, str]]:
    """``{grade_id: (points, source)}`` of the code cells nbgrader grades automatically."""
    out = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
            out[meta["grade_id"]] = (float(meta["points"]), cell.source)
    return out


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("units")
    subs = base / "subs"
    subs.mkdir()
    for unit in UNITS:
        nbformat.write(_source(unit), subs / f"sol_{unit}.ipynb")
        nbformat.write(nbformat.read(REPO / "course" / unit / f"{unit}.ipynb", as_version=4),
                       subs / f"rel_{unit}.ipynb")
        nbformat.write(with_mutant(_source(unit), _mutated(unit), 0), subs / f"mut_{unit}.ipynb")
    proc = grade(subs, base / "ws", source=None, timeout=900)
    return proc, gradebook_scores(base / "ws" / "gradebook.db"), read_csv(base / "ws")


def _expected(student: str, unit: str, points) -> dict:
    return {(student, gid): points(gid, pts, src) for gid, (pts, src) in _autograded_tests(_source(unit)).items()}


def _scores(scores: dict, student: str, unit: str) -> dict:
    tests = _autograded_tests(_source(unit))
    return {key: s for key, s in scores.items() if key[0] == student and key[1] in tests}


@pytest.mark.parametrize("unit", UNITS)
def test_solutions_score_full_marks(graded, unit):
    proc, scores, _ = graded
    assert _scores(scores, "sol", unit) == _expected("sol", unit, lambda gid, pts, src: pts), proc.stderr


@pytest.mark.parametrize("unit", UNITS)
def test_untouched_release_scores_zero_on_every_test(graded, unit):
    proc, scores, _ = graded
    assert _scores(scores, "rel", unit) == _expected("rel", unit, lambda gid, pts, src: 0.0), proc.stderr


@pytest.mark.parametrize("unit", UNITS)
def test_a_mutant_loses_exactly_the_cells_it_breaks(graded, unit):
    proc, scores, _ = graded
    broken = lambda src: f"check.{_mutated(unit)}(" in src  # noqa: E731
    expected = _expected("mut", unit, lambda gid, pts, src: 0.0 if broken(src) else pts)
    assert 0.0 in expected.values() and any(expected.values())
    assert _scores(scores, "mut", unit) == expected, proc.stderr


@pytest.mark.parametrize("unit", UNITS)
def test_csv_counts_written_answers_as_awaiting_manual_grading(graded, unit):
    cells = [c.metadata["nbgrader"] for c in _source(unit).cells if c.metadata.get("nbgrader", {}).get("grade")]
    auto = sum(m["points"] for m in cells if not m.get("solution"))
    manual = sum(m["points"] for m in cells if m.get("solution"))
    [row] = [r for r in graded[2] if (r["student_id"], r["assignment"]) == ("sol", unit)]
    assert (float(row["score"]), float(row["max_score"]), float(row["awaiting_manual"])) == (auto, auto + manual, manual)


def test_everything_graded_normally_exits_0(graded):
    proc, _, _ = graded
    assert proc.returncode == 0, proc.stderr
