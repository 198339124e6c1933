"""The instructor's grading workspace: durable, atomic files that let a killed run resume.

Layout of ``<workspace>/``:
- ``submitted/<student>/<assignment>/<notebook>.ipynb`` copies of the latest submissions
  (nbgrader's own layout);
- ``results/<key>.json`` one grading result each, keyed by a hash of everything the grade
  depends on (student, notebook, submission bytes, source notebook, grader code, limits);
  written atomically the moment a result arrives, never rewritten;
- ``index.json`` which result is current for each (student, assignment, notebook);
- ``autograded/<student>/<assignment>/<notebook>.ipynb`` the executed notebooks, as nbgrader's
  autograde leaves them (formgrader shows them for grading by hand);
- ``recorded.json`` the submission each gradebook entry was recorded from: a changed one is
  flagged for manual grading again, an unchanged one keeps its manual state;
- ``nbgrader_config.py`` this folder as an nbgrader course directory (its gradebook, its folders);
- ``course-secret`` the secret each student's hidden test cases are drawn from (with their id);
- ``late.json`` the (student, assignment) pairs the LMS marked late (for grades.csv's ``late``);
- ``gradebook.db`` (default gradebook), ``grades.csv``, ``skipped.csv`` (input entries not graded
  as submitted, and why), ``feedback/<student>.html``,
  ``release/`` (nbgrader's generate_assignment output, a by-product of filling the gradebook).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from autograder.collect import Submission

Slot = tuple[str, str, str]  # (student, assignment, notebook)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        atomic_write(path, data)


def submission_sha(sub: Submission) -> str:
    """What identifies the submitted content: its bytes, or why it could not be read."""
    return sha256(sub.data) if not sub.status else sha256(f"{sub.status}\0{sub.reason}".encode())


def hidden_seed(secret: bytes, student: str) -> int:
    """The seed of one student's hidden cases: reproducible for the instructor, unknown to learners."""
    return int.from_bytes(hmac.new(secret, student.encode(), hashlib.sha256).digest()[:8], "big")


def result_key(sub: Submission, source_sha: str, grader_sha: str, limits_repr: str) -> str:
    """Hash of everything a grade depends on: same key, same grade."""
    parts = [sub.student, sub.assignment, sub.notebook, submission_sha(sub), source_sha, grader_sha, limits_repr]
    return sha256("\0".join(parts).encode())


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def results_dir(self) -> Path:
        return self.root / "results"

    @property
    def csv_path(self) -> Path:
        return self.root / "grades.csv"

    def course_secret(self, given: bytes | None = None) -> bytes:
        """The course's secret (``course-secret``, readable by the owner only): ``given`` when set,
        else the one kept here, else a new random one. Keep it: a new secret regrades everyone."""
        path = self.root / "course-secret"
        if given is None and path.exists():
            return path.read_bytes()
        secret = given if given is not None else secrets.token_hex(32).encode()
        atomic_write(path, secret)
        path.chmod(0o600)
        return secret

    @property
    def skipped_path(self) -> Path:
        return self.root / "skipped.csv"

    @property
    def feedback_dir(self) -> Path:
        return self.root / "feedback"

    @property
    def default_db_url(self) -> str:
        return "sqlite:///" + str((self.root / "gradebook.db").resolve())

    def submission_copy(self, slot: Slot) -> Path:
        student, assignment, notebook = slot
        return self.root / "submitted" / student / assignment / f"{notebook}.ipynb"

    def store_submission(self, sub: Submission) -> None:
        _write_if_changed(self.submission_copy((sub.student, sub.assignment, sub.notebook)), sub.data)

    def autograded_copy(self, slot: Slot) -> Path:
        student, assignment, notebook = slot
        return self.root / "autograded" / student / assignment / f"{notebook}.ipynb"

    def store_autograded(self, slot: Slot, notebook: dict | None) -> None:
        """The executed notebook where nbgrader's formgrader and generate_feedback look for it."""
        if notebook is not None:
            import nbformat

            _write_if_changed(self.autograded_copy(slot), nbformat.writes(nbformat.from_dict(notebook)).encode())

    def load_recorded(self) -> dict[Slot, str]:
        """``{slot: hash of the submission}`` as last recorded in the gradebook (see GradebookWriter.record)."""
        return self._load_slots("recorded.json", "sha")

    def save_recorded(self, recorded: dict[Slot, str]) -> None:
        self._save_slots("recorded.json", "sha", recorded)

    def load_result(self, key: str) -> dict | None:
        path = self.results_dir / f"{key}.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None

    def save_result(self, key: str, result: dict) -> None:
        atomic_write(self.results_dir / f"{key}.json", json.dumps(result, sort_keys=True).encode())

    def load_index(self) -> dict[Slot, str]:
        """``{slot: key of its current result}``."""
        return self._load_slots("index.json", "key")

    def save_index(self, index: dict[Slot, str]) -> None:
        self._save_slots("index.json", "key", index)

    def load_late(self) -> frozenset[tuple[str, str]]:
        """The (student, assignment) pairs whose graded file the LMS marked late, as last collected."""
        try:
            return frozenset(map(tuple, json.loads((self.root / "late.json").read_text(encoding="utf-8"))))
        except FileNotFoundError:
            return frozenset()

    def save_late(self, late) -> None:
        atomic_write(self.root / "late.json", json.dumps(sorted(map(list, late))).encode())

    def _load_slots(self, name: str, field: str) -> dict[Slot, str]:
        try:
            rows = json.loads((self.root / name).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return {tuple(row["slot"]): row[field] for row in rows}

    def _save_slots(self, name: str, field: str, values: dict[Slot, str]) -> None:
        rows = [{"slot": list(slot), field: value} for slot, value in sorted(values.items())]
        atomic_write(self.root / name, json.dumps(rows, indent=1).encode())
