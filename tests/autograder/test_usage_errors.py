"""Every bad instructor input ends with exit code 2 and a one-line reason, never a traceback.

Each case runs the real command (``pipeline_helpers.grade``) on one honest submission.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess

import pytest

from pipeline_helpers import grade, write_flat


def _refused(proc, *words: str) -> str:
    """The reason line; asserts exit 2, no traceback, and that the line names ``words``."""
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    reason = proc.stderr.strip().splitlines()[-1]
    for word in words:
        assert word in reason, reason
    return reason


@pytest.fixture
def subs(tmp_path):
    return write_flat(tmp_path / "subs", {"alice": "correct"})


@pytest.mark.parametrize("option, value, why", [
    ("--timeout", "nan", "finite"),
    ("--timeout", "inf", "finite"),
    ("--timeout", "-inf", "finite"),
    ("--timeout", "0", "more than 0"),
    ("--timeout", "1e9", "at most 86400"),
    ("--timeout", "soon", "not a number"),
    ("--memory-mb", "1", "between 256"),
    ("--memory-mb", "0", "between 256"),
    ("--memory-mb", str(10**12), "this machine's memory"),
    ("--memory-mb", "1.5", "not a whole number"),
    ("--jobs", "0", "must be > 0"),
])
def test_option_out_of_bounds(tmp_path, subs, option, value, why):
    proc = grade(subs, tmp_path / "ws", f"{option}={value}")  # "=": "-inf" is not taken for an option
    _refused(proc, option, why)
    assert not (tmp_path / "ws").exists()


def _one_line_error(proc, *words: str) -> None:
    reason = _refused(proc, *words)
    assert proc.stderr.strip() == reason and reason.startswith("error: "), proc.stderr


def test_submissions_missing_or_neither_folder_nor_zip(tmp_path, subs):
    _one_line_error(grade(tmp_path / "nope", tmp_path / "ws"), "does not exist")
    _one_line_error(grade(subs / "alice_toy.ipynb", tmp_path / "ws"), "neither a folder nor a zip file")
    assert not (tmp_path / "ws").exists()


def test_workspace_that_is_a_file(tmp_path, subs):
    (tmp_path / "ws").write_text("notes")
    _one_line_error(grade(subs, tmp_path / "ws"), "is a file, not a folder")
    assert (tmp_path / "ws").read_text() == "notes"


def test_workspace_below_a_file(tmp_path, subs):
    (tmp_path / "notes").write_text("notes")
    _one_line_error(grade(subs, tmp_path / "notes" / "ws"), "cannot write to the workspace")


@contextlib.contextmanager
def _read_only(folder):
    """``folder`` unwritable even for root (the immutable attribute), or by mode for anyone else."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield
        folder.chmod(0o755)
        return
    if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(folder)]).returncode:
        pytest.skip("running as root on a file system without chattr +i: no way to make a folder read-only")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_read_only_workspace(tmp_path, subs):
    ws = tmp_path / "ws"
    ws.mkdir()
    with _read_only(ws):
        _one_line_error(grade(subs, ws), "cannot write to the workspace", str(ws))
    assert list(ws.iterdir()) == []


@pytest.mark.parametrize("where", ["inside", "same"])
def test_workspace_inside_the_submissions(tmp_path, subs, where):
    ws = subs / "graded" if where == "inside" else subs
    _one_line_error(grade(subs, ws), "inside the submissions folder")
    assert sorted(p.name for p in subs.iterdir()) == ["alice_toy.ipynb"]


def test_a_workspace_in_a_course_folder_beside_its_submitted_folder_is_fine(tmp_path):
    course = tmp_path / "course"
    write_flat(course / "submitted" / "alice" / "toy", {"alice": "correct"}, pattern="toy.ipynb")
    proc = grade(course, course / "grading-workspace")
    assert proc.returncode == 0, proc.stderr
    _one_line_error(grade(course, course / "submitted" / "ws"), "inside the submissions folder")


def test_source_missing_a_file_or_without_notebooks(tmp_path, subs):
    _one_line_error(grade(subs, tmp_path / "ws", source=tmp_path / "nope"), "does not exist")
    _one_line_error(grade(subs, tmp_path / "ws", source=subs / "alice_toy.ipynb"), "is not a folder")
    (tmp_path / "empty" / "toy").mkdir(parents=True)
    _one_line_error(grade(subs, tmp_path / "ws", source=tmp_path / "empty"), "holds no <assignment>/<notebook>.ipynb")
    assert not (tmp_path / "ws").exists()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("url, words", [
    ("gradebook.db", ["not a database URL"]),
    ("nonsense://host/db", ["cannot be used", "nonsense"]),
    ("sqlite:////nonexistent-folder/gradebook.db", ["cannot be opened", "unable to open database file"]),
    ("postgresql://grader:secret@127.0.0.1:{port}/gradebook", ["cannot be opened", "127.0.0.1"]),
])
def test_db_url_that_cannot_be_opened(tmp_path, subs, url, words):
    proc = grade(subs, tmp_path / "ws", "--db-url", url.format(port=_closed_port()))
    _one_line_error(proc, *words)
    assert "secret" not in proc.stderr


def test_scheduler_address_without_port(tmp_path, subs):
    pytest.importorskip("distributed")
    proc = grade(subs, tmp_path / "ws", "--scheduler", "nonsense")  # found when grading starts
    assert _refused(proc, "cannot reach the dask scheduler", "port").startswith("error: ")
