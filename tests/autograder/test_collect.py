"""Mapping submitted files onto (student, assignment, notebook), in process (fast)."""

from __future__ import annotations

import zipfile

import pytest

from autograder.collect import CollectError, collect
from pipeline_helpers import TOY_SOURCE


def _names(subs):
    return [(s.student, s.assignment, s.notebook, s.origin) for s in subs]


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
    subs = collect(tmp_path, TOY_SOURCE)
    assert [(s.student, s.notebook) for s in subs] == [("alice", "toy"), ("bob", "toy")]
    assert subs[0].data == b"{}"


def test_every_bad_file_is_listed_at_once(tmp_path):
    for name in ("notes.ipynb", "toy.ipynb", "x y!_toy.ipynb", "alice_toy.ipynb", "alice-toy-1.ipynb"):
        (tmp_path / name).write_text("{}")
    with pytest.raises(CollectError) as err:
        collect(tmp_path, TOY_SOURCE)
    text = str(err.value)
    assert "notes.ipynb: matches no assignment" in text
    assert "toy.ipynb: student id ''" in text
    assert "'x y!'" in text
    assert "same student and notebook" in text
    assert "known assignment/notebook names: toy" in text


def test_zip_members_are_read_by_name_never_extracted(tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("../../dots_toy.ipynb", "{}")  # hidden-path parts (., ..) are skipped
        z.writestr("/tmp/evil_toy.ipynb", "{}")
        z.writestr("__MACOSX/._alice_toy.ipynb", "junk")
        z.writestr("export/alice_toy.ipynb", '{"a": 1}')
    subs = collect(archive, TOY_SOURCE)
    assert _names(subs) == [("alice", "toy", "toy", "export/alice_toy.ipynb"), ("evil", "toy", "toy", "/tmp/evil_toy.ipynb")]
    assert subs[0].data == b'{"a": 1}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.zip"]


def test_empty_input_and_missing_path_are_errors(tmp_path):
    with pytest.raises(CollectError, match="no submitted notebooks"):
        collect(tmp_path, TOY_SOURCE)
    with pytest.raises(CollectError, match="does not exist"):
        collect(tmp_path / "nope", TOY_SOURCE)
