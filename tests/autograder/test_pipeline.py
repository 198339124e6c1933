"""End to end through ``python -m autograder`` on a tiny fixture assignment ("toy": 1 + 2 points).

The expected scores are hand-derived from the fixture: ``add`` right -> 3/3, wrong or
unimplemented -> 0/3.
"""

from __future__ import annotations

import csv
import zipfile

import nbformat
import pytest

from pipeline_helpers import (counts, grade, grader_env, gradebook_scores, kill_after_first_result, read_csv,
                              toy_variant, write_flat)


def test_flat_folder_grades_each_student_and_writes_all_outputs(tmp_path):
    subs = write_flat(tmp_path / "subs", {"alice": "correct", "bob": "wrong", "carol": "release"})
    ws = tmp_path / "ws"
    proc = grade(subs, ws)
    assert proc.returncode == 0, proc.stderr
    rows = {r["student_id"]: r for r in read_csv(ws)}
    assert {s: (r["score"], r["max_score"], r["status"]) for s, r in rows.items()} == {
        "alice": ("3", "3", "graded"), "bob": ("0", "3", "graded"), "carol": ("0", "3", "graded")}
    assert gradebook_scores(ws / "gradebook.db") == {
        ("alice", "add_visible"): 1.0, ("alice", "add_hidden"): 2.0,
        ("bob", "add_visible"): 0.0, ("bob", "add_hidden"): 0.0,
        ("carol", "add_visible"): 0.0, ("carol", "add_hidden"): 0.0}
    assert "ETA" in proc.stderr and "active protections" in proc.stderr
    assert "alice" in proc.stdout and "3/3" in proc.stdout


def test_feedback_html_has_summary_of_failures_and_no_hidden_tests(tmp_path):
    subs = write_flat(tmp_path / "subs", {"bob": "wrong"})
    ws = tmp_path / "ws"
    assert grade(subs, ws).returncode == 0
    page = (ws / "feedback" / "bob.html").read_text()
    assert "Tests that did not pass" in page and "add_visible" in page
    assert page.index("Tests that did not pass") < page.index("toy: toy.ipynb")
    assert "2.5" not in page and "HIDDEN" not in page  # the hidden test's input and markers


def test_zip_and_nbgrader_layout_give_the_same_grades_as_a_flat_folder(tmp_path):
    kinds = {"alice": "correct", "bob": "wrong"}
    flat = write_flat(tmp_path / "flat", kinds, pattern="{student} - toy-1.ipynb")
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in flat.iterdir():
            z.write(f, f"course export/{f.name}")
    layout = tmp_path / "nbg"
    for student, kind in kinds.items():
        (layout / "submitted" / student / "toy").mkdir(parents=True)
        nbformat.write(toy_variant(kind), layout / "submitted" / student / "toy" / "toy.ipynb")
    csvs = []
    for n, subs in enumerate([flat, archive, layout]):
        proc = grade(subs, tmp_path / f"ws{n}")
        assert proc.returncode == 0, proc.stderr
        csvs.append((tmp_path / f"ws{n}" / "grades.csv").read_text())
    assert csvs[0] == csvs[1] == csvs[2]
    assert "alice,toy,3,3,graded" in csvs[0]


def test_rerun_is_idempotent_and_a_new_submission_regrades_only_that_student(tmp_path):
    subs = write_flat(tmp_path / "subs", {"alice": "correct", "bob": "wrong"})
    ws = tmp_path / "ws"
    assert counts(grade(subs, ws)) == (2, 0)
    first = (ws / "grades.csv").read_text()
    assert counts(grade(subs, ws)) == (0, 2)
    assert (ws / "grades.csv").read_text() == first
    assert len(gradebook_scores(ws / "gradebook.db")) == 4  # still 2 students x 2 cells
    alice_page = (ws / "feedback" / "alice.html").stat().st_mtime_ns
    nbformat.write(toy_variant("correct"), subs / "bob_toy.ipynb")  # bob resubmits, fixed
    proc = grade(subs, ws)
    assert counts(proc) == (1, 1)
    assert "bob/toy" in proc.stderr and "alice/toy" not in proc.stderr
    assert [r["score"] for r in read_csv(ws)] == ["3", "3"]
    assert (ws / "feedback" / "alice.html").stat().st_mtime_ns == alice_page


def test_killed_run_resumes_without_regrading_what_was_recorded(tmp_path):
    students = {f"s{n}": ("correct", "wrong")[n % 2] for n in range(4)}
    subs = write_flat(tmp_path / "subs", students)
    ws = tmp_path / "ws"
    recorded = kill_after_first_result(subs, ws)
    assert 1 <= recorded < 4
    rerun = grade(subs, ws)
    assert rerun.returncode == 0, rerun.stderr
    assert counts(rerun) == (4 - recorded, recorded)
    assert [(r["student_id"], r["score"]) for r in read_csv(ws)] == [
        ("s0", "3"), ("s1", "0"), ("s2", "3"), ("s3", "0")]


def test_exit_code_1_when_a_submission_needs_a_look(tmp_path):
    subs = write_flat(tmp_path / "subs", {"alice": "correct"})
    (subs / "bob_toy.ipynb").write_text("{ this is not json")
    proc = grade(subs, tmp_path / "ws")
    assert proc.returncode == 1, proc.stderr
    statuses = {r["student_id"]: r["status"] for r in read_csv(tmp_path / "ws")}
    assert statuses == {"alice": "graded", "bob": "malformed notebook"}


@pytest.mark.parametrize("options", [["--jobs", "0"], ["--timeout", "-1"]])
def test_exit_code_2_on_bad_options(tmp_path, options):
    subs = write_flat(tmp_path / "subs", {"alice": "correct"})
    proc = grade(subs, tmp_path / "ws", *options)
    assert proc.returncode == 2
    assert not (tmp_path / "ws").exists()


def test_files_that_match_no_assignment_are_listed_and_the_rest_is_graded(tmp_path):
    subs = write_flat(tmp_path / "subs", {"alice": "correct"})
    nbformat.write(toy_variant("correct"), subs / "holiday_photos.ipynb")
    nbformat.write(toy_variant("correct"), subs / "toy.ipynb")
    proc = grade(subs, tmp_path / "ws")
    assert proc.returncode == 1, proc.stderr
    assert "holiday_photos.ipynb: matches no assignment" in proc.stdout
    assert "toy.ipynb: student id ''" in proc.stdout
    assert [(r["student_id"], r["status"]) for r in read_csv(tmp_path / "ws")] == [("alice", "graded")]
    with open(tmp_path / "ws" / "skipped.csv", newline="") as f:
        assert sorted(r["path"] for r in csv.DictReader(f)) == ["holiday_photos.ipynb", "toy.ipynb"]


def test_exit_code_2_when_no_file_names_a_submission(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    nbformat.write(toy_variant("correct"), subs / "holiday_photos.ipynb")
    proc = grade(subs, tmp_path / "ws")
    assert proc.returncode == 2
    assert "no submitted notebooks found" in proc.stderr and "holiday_photos.ipynb" in proc.stderr
    assert not (tmp_path / "ws").exists()


def test_dask_local_cluster_and_a_gradebook_elsewhere_give_the_same_grades(tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    subs = write_flat(tmp_path / "subs", {"alice": "correct", "bob": "wrong"})
    assert grade(subs, tmp_path / "local").returncode == 0
    monkeypatch.setenv("PYTHONPATH", grader_env()["PYTHONPATH"])  # workers import the grader
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        proc = grade(subs, tmp_path / "dask", "--scheduler", cluster.scheduler_address,
                     "--db-url", f"sqlite:///{tmp_path / 'elsewhere.db'}")
    assert proc.returncode == 0, proc.stderr
    assert "dask cluster" in proc.stderr
    assert not (tmp_path / "dask" / "gradebook.db").exists()
    assert gradebook_scores(tmp_path / "elsewhere.db") == gradebook_scores(tmp_path / "local" / "gradebook.db")
    assert (tmp_path / "dask" / "grades.csv").read_text() == (tmp_path / "local" / "grades.csv").read_text()
