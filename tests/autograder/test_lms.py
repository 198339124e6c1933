"""LMS downloads as Canvas, Moodle and Gradescope make them: who handed in what, lateness, the newest file kept.

Most cases map files in process (``collect``); the last ones grade a class through the real command.
File names follow each LMS's documented download layout (see the README's Input section).
"""

from __future__ import annotations

import os
import zipfile

import nbformat
import pytest

from autograder.collect import CollectError, collect
from pipeline_helpers import TOY_SOURCE, grade, read_csv, toy_variant

EARLY, LATER = 1_700_000_000, 1_700_090_000


def _write(folder, rel: str, data: str = "{}", mtime: int = EARLY):
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data)
    os.utime(path, (mtime, mtime))
    return path


def _graded(collected):
    return {s.student: s for s in collected.submissions}


def _skipped(collected):
    return {s.origin: s for s in collected.skipped}


def test_canvas_user_id_lateness_and_the_higher_submission_id(tmp_path):
    _write(tmp_path, "smithalice_1001_5001_toy.ipynb", '{"v": "on time"}', mtime=LATER)  # copied later
    _write(tmp_path, "smithalice_LATE_1001_5002_toy.ipynb", '{"v": "late"}', mtime=EARLY)
    _write(tmp_path, "jonesbob_1002_5003_toy-1.ipynb")  # Canvas renames a resubmitted file name-1
    _write(tmp_path, "doecarol_1003_5004_holiday.ipynb")
    collected = collect(tmp_path, TOY_SOURCE)
    graded = _graded(collected)
    assert sorted(graded) == ["1001", "1002"]
    alice = graded["1001"]
    assert (alice.data, alice.late, alice.origin) == (b'{"v": "late"}', True, "smithalice_LATE_1001_5002_toy.ipynb")
    assert graded["1002"].late is False and graded["1002"].notebook == "toy"
    skipped = _skipped(collected)
    older = skipped["smithalice_1001_5001_toy.ipynb"]
    assert older.student == "1001" and "(newer by Canvas submission id)" in older.reason
    assert "'holiday.ipynb', as the learner named it, matches no assignment" == skipped[
        "doecarol_1003_5004_holiday.ipynb"].reason


def test_moodle_folders_and_flat_files_give_the_participant_id(tmp_path):
    _write(tmp_path, "Alice Smith_2001_assignsubmission_file_/toy.ipynb", '{"v": 1}', mtime=EARLY)
    _write(tmp_path, "Alice Smith_2001_assignsubmission_file_/toy (1).ipynb", '{"v": 2}', mtime=LATER)
    _write(tmp_path, "Alice Smith_2001_assignsubmission_onlinetext_/onlinetext.html", "<p>hi</p>")
    _write(tmp_path, "Bob Jones_2002_assignsubmission_file_/work/My toy.ipynb")
    _write(tmp_path, "Carol Doe_2003_assignsubmission_file_toy.ipynb")  # downloaded without folders
    collected = collect(tmp_path, TOY_SOURCE)
    graded = _graded(collected)
    assert sorted(graded) == ["2001", "2002", "2003"]
    assert graded["2001"].data == b'{"v": 2}' and not any(s.late for s in graded.values())
    skipped = _skipped(collected)
    assert "(newer by file date)" in skipped["Alice Smith_2001_assignsubmission_file_/toy.ipynb"].reason
    assert skipped["Alice Smith_2001_assignsubmission_onlinetext_/onlinetext.html"].reason == "not a notebook (.ipynb)"


METADATA = """\
submission_901:
  :submitters:
  - :name: Alice Smith
    :sid: S1
    :email: alice@example.edu
  :created_at: 2024-03-01 10:00:00.123456000 -08:00
  :score: !ruby/object:BigDecimal 18:0.3e1
  :status: processed
  :history: []
submission_902:
  :submitters:
  - :name: Bob Jones
    :sid: ''
    :email: bob@example.edu
  - :name: Carol Doe
    :sid: S3
    :email: carol@example.edu
  :created_at: 2024-03-01 09:00:00.000000000 -08:00
submission_904:
  :submitters:
  - :name: Alice Smith
    :sid: S1
    :email: alice@example.edu
  :created_at: 2024-03-01 08:00:00.000000000 -08:00
"""


def _gradescope_zip(path, metadata: str = METADATA):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("assignment_77_export/submission_metadata.yml", metadata)
        z.writestr("assignment_77_export/submission_901/toy.ipynb", '{"v": "alice, newest"}')
        z.writestr("assignment_77_export/submission_902/code/toy.ipynb", '{"v": "group"}')
        z.writestr("assignment_77_export/submission_903/toy.ipynb", '{"v": "unlisted"}')
        z.writestr("assignment_77_export/submission_904/toy.ipynb", '{"v": "alice, earlier"}')
    return path


def test_gradescope_metadata_names_the_submitters(tmp_path):
    collected = collect(_gradescope_zip(tmp_path / "export.zip"), TOY_SOURCE)
    graded = _graded(collected)
    assert {s: g.data for s, g in graded.items()} == {
        "S1": b'{"v": "alice, newest"}', "bob@example.edu": b'{"v": "group"}', "S3": b'{"v": "group"}'}
    skipped = _skipped(collected)
    assert "(newer by Gradescope submission time)" in skipped["assignment_77_export/submission_904/toy.ipynb"].reason
    assert "no submission_metadata.yml lists" in skipped["assignment_77_export/submission_903/toy.ipynb"].reason


def test_unreadable_gradescope_metadata_is_listed_and_its_folders_skipped(tmp_path):
    archive = _gradescope_zip(tmp_path / "export.zip", metadata="submission_901: [unclosed")
    with zipfile.ZipFile(archive, "a") as z:
        z.writestr("dave_toy.ipynb", "{}")
    collected = collect(archive, TOY_SOURCE)
    assert [s.student for s in collected.submissions] == ["dave"]
    skipped = _skipped(collected)
    assert skipped["assignment_77_export/submission_metadata.yml"].reason.startswith(
        "Gradescope metadata not read: not valid YAML")
    assert "no submission_metadata.yml lists" in skipped["assignment_77_export/submission_901/toy.ipynb"].reason
    archive.unlink()
    _gradescope_zip(archive, metadata="submission_901: [unclosed")
    with pytest.raises(CollectError, match="Gradescope metadata not read"):  # nothing else: exit code 2
        collect(archive, TOY_SOURCE)


def test_ids_that_differ_only_in_case_are_refused_by_name(tmp_path):
    for name in ("Alice_toy.ipynb", "alice_toy.ipynb", "alice-toy-1.ipynb", "bob_toy.ipynb"):
        _write(tmp_path, name)  # one date: alice's two files cannot be told apart either
    collected = collect(tmp_path, TOY_SOURCE)
    graded = _graded(collected)
    assert graded["bob"].status == ""
    for student in ("Alice", "alice"):
        assert graded[student].status == "refused input"
        assert "student ids Alice, alice differ only in case" in graded[student].reason
    assert sorted(s.origin for s in collected.skipped) == ["Alice_toy.ipynb", "alice-toy-1.ipynb", "alice_toy.ipynb"]


def test_canvas_class_end_to_end_records_lateness_and_lists_the_older_file(tmp_path):
    subs = tmp_path / "canvas"
    subs.mkdir()
    for name, kind in (("smithalice_1001_5001_toy.ipynb", "wrong"), ("smithalice_LATE_1001_5002_toy.ipynb", "correct"),
                       ("jonesbob_1002_5003_toy.ipynb", "correct")):
        nbformat.write(toy_variant(kind), subs / name)
    proc = grade(subs, tmp_path / "ws")
    assert proc.returncode == 1, proc.stderr  # an entry was not graded as submitted: the older file
    assert [(r["student_id"], r["score"], r["status"], r["late"]) for r in read_csv(tmp_path / "ws")] == [
        ("1001", "3", "graded", "yes"), ("1002", "3", "graded", "")]
    skipped = (tmp_path / "ws" / "skipped.csv").read_text()
    assert "smithalice_1001_5001_toy.ipynb,1001,an older file for this notebook" in skipped
    assert "smithalice_1001_5001_toy.ipynb [1001]: an older file" in proc.stdout


def test_gradescope_export_end_to_end(tmp_path):
    archive = tmp_path / "gradescope.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("assignment_77_export/submission_metadata.yml", METADATA)
        z.writestr("assignment_77_export/submission_901/toy.ipynb", nbformat.writes(toy_variant("correct")))
        z.writestr("assignment_77_export/submission_902/toy.ipynb", nbformat.writes(toy_variant("wrong")))
    proc = grade(archive, tmp_path / "ws")
    assert proc.returncode == 0, proc.stderr
    assert [(r["student_id"], r["score"], r["status"]) for r in read_csv(tmp_path / "ws")] == [
        ("S1", "3", "graded"), ("S3", "0", "graded"), ("bob@example.edu", "0", "graded")]


def test_moodle_download_end_to_end(tmp_path):
    archive = tmp_path / "moodle.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Alice Smith_2001_assignsubmission_file_/toy.ipynb", nbformat.writes(toy_variant("correct")))
        z.writestr("Bob Jones_2002_assignsubmission_file_/toy.ipynb", nbformat.writes(toy_variant("wrong")))
    proc = grade(archive, tmp_path / "ws")
    assert proc.returncode == 0, proc.stderr
    assert [(r["student_id"], r["score"], r["late"]) for r in read_csv(tmp_path / "ws")] == [
        ("2001", "3", ""), ("2002", "0", "")]
    assert sorted(p.name for p in (tmp_path / "ws" / "submitted").iterdir()) == ["2001", "2002"]
