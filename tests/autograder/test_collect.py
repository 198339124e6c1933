"""Mapping submitted files onto (student, assignment, notebook), in process (fast)."""

from __future__ import annotations

import os
import zipfile

import pytest

from autograder.collect import CollectError, collect
from pipeline_helpers import TOY_SOURCE


def _names(collected):
    return [(s.student, s.assignment, s.notebook, s.origin) for s in collected.submissions]


def _skipped(collected):
    return {s.origin: s.reason for s in collected.skipped}


@pytest.mark.parametrize("filename, student", [
    ("alice_toy.ipynb", "alice"),
    ("bob - toy.ipynb", "bob"),
    ("carol.smith-toy-2.ipynb", "carol.smith"),
    ("dave_toy (1).ipynb", "dave"),
    ("12345_67890_toy.ipynb", "12345_67890"),
])
def test_flat_names_give_the_student_before_the_assignment(tmp_path, filename, student):
    (tmp_path / filename).write_text("{}")
    assert _names(collect(tmp_path, TOY_SOURCE)) == [(student, "toy", "toy", filename)]


def test_nbgrader_layout_and_course_folder(tmp_path):
    for who in ("bob", "alice"):
        (tmp_path / "submitted" / who / "toy").mkdir(parents=True)
        (tmp_path / "submitted" / who / "toy" / "toy.ipynb").write_text("{}")
    (tmp_path / "autograded" / "alice" / "toy").mkdir(parents=True)  # nbgrader's own output, not input
    (tmp_path / "autograded" / "alice" / "toy" / "toy.ipynb").write_text("{}")
    subs = collect(tmp_path, TOY_SOURCE).submissions
    assert [(s.student, s.notebook) for s in subs] == [("alice", "toy"), ("bob", "toy")]
    assert subs[0].data == b"{}" and not subs[0].status


def test_files_naming_no_student_or_assignment_are_skipped_with_their_reason(tmp_path):
    for name in ("notes.ipynb", "toy.ipynb", "x y!_toy.ipynb", "alice_toy.ipynb", "readme.txt"):
        (tmp_path / name).write_text("{}")
    collected = collect(tmp_path, TOY_SOURCE)
    assert _names(collected) == [("alice", "toy", "toy", "alice_toy.ipynb")]
    skipped = _skipped(collected)
    assert skipped["notes.ipynb"] == "matches no assignment"
    assert skipped["toy.ipynb"].startswith("student id ''")
    assert "'x y!'" in skipped["x y!_toy.ipynb"]
    assert skipped["readme.txt"] == "not a notebook (.ipynb)"


def test_of_two_files_for_one_notebook_the_newer_is_graded(tmp_path):
    for name, mtime in (("alice_toy.ipynb", 2_000_000_000), ("alice-toy-1.ipynb", 1_000_000_000),
                        ("bob_toy.ipynb", 1_000_000_000)):
        (tmp_path / name).write_text(f'{{"t": {mtime}}}')
        os.utime(tmp_path / name, (mtime, mtime))
    collected = collect(tmp_path, TOY_SOURCE)
    alice, bob = collected.submissions
    assert (alice.student, alice.status, alice.data, alice.origin) == ("alice", "", b'{"t": 2000000000}',
                                                                       "alice_toy.ipynb")
    assert (bob.student, bob.status) == ("bob", "")
    (older,) = collected.skipped
    assert (older.origin, older.student) == ("alice-toy-1.ipynb", "alice")
    assert "alice_toy.ipynb is graded (newer by file date)" in older.reason


def test_two_files_for_one_notebook_with_the_same_date_refuse_that_notebook_only(tmp_path):
    for name in ("alice_toy.ipynb", "alice-toy-1.ipynb", "bob_toy.ipynb"):
        (tmp_path / name).write_text("{}")
        os.utime(tmp_path / name, (1_000_000_000, 1_000_000_000))
    collected = collect(tmp_path, TOY_SOURCE)
    alice, bob = collected.submissions
    assert (alice.student, alice.status, alice.data) == ("alice", "refused input", b"")
    assert "2 files for the same notebook" in alice.reason and "none is newer" in alice.reason
    assert "alice-toy-1.ipynb" in alice.reason
    assert (bob.student, bob.status, bob.data) == ("bob", "", b"{}")
    assert {s.student for s in collected.skipped} == {"alice"} and len(collected.skipped) == 2


def test_zip_members_are_read_by_name_never_extracted(tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("../../dots_toy.ipynb", "{}")
        z.writestr("/tmp/evil_toy.ipynb", "{}")
        z.writestr("__MACOSX/._alice_toy.ipynb", "junk")
        z.writestr("export/alice_toy.ipynb", '{"a": 1}')
    collected = collect(archive, TOY_SOURCE)
    by_student = {s.student: s for s in collected.submissions}
    assert by_student["alice"].data == b'{"a": 1}' and not by_student["alice"].status
    assert by_student["dots"].status == by_student["evil"].status == "refused input"
    assert "'..'" in by_student["dots"].reason and "absolute path" in by_student["evil"].reason
    assert _skipped(collected)["__MACOSX/._alice_toy.ipynb"] == "hidden or system file, not read"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.zip"]


def test_empty_input_and_missing_path_are_errors(tmp_path):
    with pytest.raises(CollectError, match="no submitted notebooks"):
        collect(tmp_path, TOY_SOURCE)
    with pytest.raises(CollectError, match="does not exist"):
        collect(tmp_path / "nope", TOY_SOURCE)
    (tmp_path / "holiday.ipynb").write_text("{}")
    with pytest.raises(CollectError, match="holiday.ipynb: matches no assignment"):
        collect(tmp_path, TOY_SOURCE)


def test_the_instructors_own_path_may_be_a_link_but_nothing_inside_is_followed(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "alice_toy.ipynb").write_text("{}")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "bob_toy.ipynb").write_text("{}")
    (real / "more").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "class").symlink_to(real)
    collected = collect(tmp_path / "class", TOY_SOURCE)
    assert _names(collected) == [("alice", "toy", "toy", "alice_toy.ipynb")]
    assert "symbolic link" in _skipped(collected)["more"]
