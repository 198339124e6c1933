"""Input is data: a class full of bad files (bad_inputs.py), graded end to end through ``python -m autograder``.

Each class is graded once; each case is then checked on its own. Around every case: the honest
learners keep their exact grades, the run ends with exit 1 (entries to look at), no traceback,
no raw control character on the terminal, feedback pages for everyone graded, and the grader's
own memory stays bounded although the zip expands to over a GiB.
"""

from __future__ import annotations

import csv
import re
import resource
import time
import zipfile
from pathlib import Path

import pytest

from bad_inputs import HONEST, build_folder, build_zip
from pipeline_helpers import grade, read_csv

CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


class Run:
    def __init__(self, cases, proc, workspace: Path, seconds: float, peak_mb: float):
        self.cases, self.proc, self.workspace = cases, proc, workspace
        self.seconds, self.peak_mb = seconds, peak_mb
        self.grades = {r["student_id"]: r for r in read_csv(workspace)}
        with open(workspace / "skipped.csv", newline="", encoding="utf-8") as f:
            self.skipped = list(csv.DictReader(f))


def _graded(submissions: Path, workspace: Path, cases) -> Run:
    started = time.monotonic()
    proc = grade(submissions, workspace, timeout=900)
    seconds = time.monotonic() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{submissions.name}: {seconds:.1f} s, grader peak RSS so far {peak_mb:.0f} MB")
    return Run(cases, proc, workspace, seconds, peak_mb)


@pytest.fixture(scope="module")
def folder_run(tmp_path_factory) -> Run:
    root = tmp_path_factory.mktemp("folder-class")
    cases = build_folder(root / "class", root / "outside", root / "ws")
    return _graded(root / "class", root / "ws", cases)


@pytest.fixture(scope="module")
def zip_run(tmp_path_factory) -> Run:
    root = tmp_path_factory.mktemp("zip-class")
    cases = build_zip(root / "class.zip")
    return _graded(root / "class.zip", root / "ws", cases)


def _check_case(run: Run, case) -> None:
    if case.student is not None and case.status is not None:
        row = run.grades[case.student]
        assert (row["status"], float(row["score"])) == (case.status, case.points), row
    elif case.student is not None:
        assert case.student not in run.grades, run.grades
    if case.skipped_reason:
        listed = [r for r in run.skipped if r["path"].lstrip("'") == _printed(case.path)]
        assert listed and case.skipped_reason in listed[0]["reason"], (case, run.skipped)


def _printed(path: str) -> str:
    from autograder.untrusted import printable
    return printable(path)


def _check_run(run: Run) -> None:
    assert run.proc.returncode == 1, run.proc.stderr[-3000:]
    assert "Traceback" not in run.proc.stderr, run.proc.stderr[-3000:]
    for stream in (run.proc.stdout, run.proc.stderr):
        assert not CONTROL.search(stream), CONTROL.findall(stream)
    for student, (_, points) in HONEST.items():
        assert (run.grades[student]["status"], float(run.grades[student]["score"])) == ("graded", points)
    graded = {s for s, r in run.grades.items() if r["status"] != "not submitted"}
    assert {p.stem for p in (run.workspace / "feedback").glob("*.html")} == graded
    for page in (run.workspace / "feedback").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        for attack in ('src="http://evil', "src='http://evil", 'href="javascript', "<script>alert"):
            assert attack not in html, (page.name, attack)
    assert run.peak_mb < 700, f"the grader used {run.peak_mb:.0f} MB"


@pytest.mark.parametrize("run_name", ["folder_run", "zip_run"])
def test_the_class_finishes_with_exact_honest_grades(run_name, request):
    _check_run(request.getfixturevalue(run_name))


@pytest.mark.parametrize("run_name", ["folder_run", "zip_run"])
def test_every_case(run_name, request):
    run = request.getfixturevalue(run_name)
    problems = []
    for case in run.cases:
        try:
            _check_case(run, case)
        except AssertionError as exc:
            problems.append(f"{case.path!r}: {exc}")
    assert not problems, "\n".join(problems)


def test_no_link_target_reaches_the_workspace(folder_run):
    """Nothing behind a link is copied under the attacker's name (the source, /etc/passwd, the gradebook)."""
    from pipeline_helpers import TOY_SOURCE

    copies = {p.parts[-3]: p.read_bytes() for p in (folder_run.workspace / "submitted").rglob("*.ipynb")}
    source = (TOY_SOURCE / "toy" / "toy.ipynb").read_bytes()
    for student, data in copies.items():
        assert data != source and b"root:x:0" not in data and b"SQLite format 3" not in data, student
    refused = {c.student for c in folder_run.cases if c.status == "refused input"}
    assert set(HONEST) <= set(copies) and not refused & set(copies), (refused, set(copies))


def test_a_long_notebook_gets_a_bounded_feedback_page(folder_run):
    page = (folder_run.workspace / "feedback" / "longpage.html").read_text(encoding="utf-8")
    assert "more cells are not shown" in page
    assert len(page) < 8 * 2**20


def test_spreadsheet_formulas_in_names_are_neutralised(folder_run):
    for row in folder_run.skipped:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), row


def test_a_damaged_zip_is_exit_2_with_one_line(tmp_path):
    whole = tmp_path / "whole.zip"
    with zipfile.ZipFile(whole, "w") as archive:
        for student in HONEST:
            archive.writestr(f"{student}_toy.ipynb", "{}")
    data = whole.read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[:data.rfind(b"PK\x01\x02")] + data[-22:])  # the directory's last record lost
    for path in (cut, tmp_path / "garbage.zip"):
        if path.name == "garbage.zip":
            path.write_bytes(b"PK\x03\x04" + b"\0" * 100)
        proc = grade(path, tmp_path / "ws")
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr, proc.stderr
        assert not (tmp_path / "ws").exists()
