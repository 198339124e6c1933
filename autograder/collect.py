"""Find a class's submissions in a folder or zip: nbgrader's layout or an LMS's flat export.

Two layouts are understood, also mixed in one input:
- nbgrader's ``<student>/<assignment>/<notebook>.ipynb`` (given a course folder, its ``submitted/``);
- flat files ``<student><separators><notebook or assignment>[-N].ipynb`` as an LMS
  exports them (e.g. ``alice_01_perceptron.ipynb``, ``bob-02_xor-1.ipynb``).
Assignments and notebooks are those of the source folder (``solutions/``). The input is read
by ``autograder.inputs`` (nothing followed, every read bounded), into memory, never extracted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from autograder.inputs import REFUSED, SKIPPED, Entry, InputError, entries
_STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,63}$")
_SEPARATORS = " _-.,;"
_COPY_SUFFIX = re.compile(r"^[ _-]*(\(\d+\)|\d+)?$")


class CollectError(ValueError):
    """The input cannot be mapped onto students and assignments; the message lists why."""


@dataclass(frozen=True)
class Submission:
    """One student's notebook for one notebook of an assignment: its bytes, or why it cannot be graded."""

    student: str
    assignment: str
    notebook: str
    data: bytes
    origin: str
    status: str = ""  # "" to grade; "refused input" or "malformed notebook" when the file was not usable
    reason: str = ""


def source_notebooks(source_dir: Path) -> dict[tuple[str, str], Path]:
    """``{(assignment, notebook): source path}`` for every ``<assignment>/<notebook>.ipynb``."""
    source_dir = Path(source_dir)
    if not source_dir.is_dir():
        what = "is not a folder" if source_dir.exists() else "does not exist"
        raise CollectError(f"source folder {source_dir} {what}")
    found = {
        (p.parent.name, p.stem): p
        for p in sorted(source_dir.glob("*/*.ipynb"))
        if ".ipynb_checkpoints" not in p.parts
    }
    if not found:
        raise CollectError(f"source folder {source_dir} holds no <assignment>/<notebook>.ipynb")
    return found


def _flat_names(sources: dict[tuple[str, str], Path]) -> dict[str, tuple[str, str]]:
    """Names a flat file may carry: every notebook name, and an assignment's name when it has one notebook."""
    names = {nb: (a, nb) for a, nb in sources}
    per_assignment: dict[str, list[str]] = {}
    for a, nb in sources:
        per_assignment.setdefault(a, []).append(nb)
    for a, nbs in per_assignment.items():
        if len(nbs) == 1:
            names.setdefault(a, (a, nbs[0]))
    return names


def _match(rel: PurePosixPath, sources, flat_names) -> tuple[str, str, str] | str:
    """``(student, assignment, notebook)`` for one file path, or the reason it matches nothing."""
    parts = rel.parts
    if len(parts) >= 3 and (parts[-2], rel.stem) in sources:
        student, assignment, notebook = parts[-3], parts[-2], rel.stem
    else:
        stem = rel.stem
        for name in sorted(flat_names, key=len, reverse=True):
            at = stem.rfind(name)
            if at < 0 or not _COPY_SUFFIX.match(stem[at + len(name):]):
                continue
            student = stem[:at].strip(_SEPARATORS)
            assignment, notebook = flat_names[name]
            break
        else:
            return "matches no assignment"
    if not _STUDENT_ID.match(student):
        return f"student id {student!r} is empty or has characters other than letters, digits and _.@+-"
    return student, assignment, notebook


@dataclass(frozen=True)
class Skipped:
    """An input entry that is not graded as it stands: its path, why, and the student it names (or "")."""

    origin: str
    reason: str
    student: str = ""


@dataclass
class Collected:
    """What an input holds: the submissions to grade (some refused) and every entry skipped."""

    submissions: list[Submission]
    skipped: list[Skipped]


def collect(path: Path, source_dir: Path) -> Collected:
    """Every submission under ``path`` (folder or zip), sorted by student, assignment, notebook.

    One learner's bad file never stops the class: a link, a special file or an unsafe zip path
    gives that learner's notebook status "refused input", an oversized or damaged one "malformed
    notebook", two files for one notebook "refused input"; entries that name no student or
    assignment are skipped. All of them are listed in ``Collected.skipped``. Raises CollectError
    only when the input as a whole is unusable: missing, unreadable, or holding no submission.
    """
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise CollectError(f"{path} does not exist")
    nbgrader_course = path / "submitted"  # a course folder: its autograded/, release/ ... are not input
    if nbgrader_course.is_dir() and not nbgrader_course.is_symlink():
        path = nbgrader_course
    sources = source_notebooks(source_dir)
    flat_names = _flat_names(sources)
    skipped: list[Skipped] = []
    by_slot: dict[tuple[str, str, str], list[Entry]] = {}
    try:
        for entry in entries(path):
            match = None if entry.status == SKIPPED else _match(entry.rel, sources, flat_names)
            if isinstance(match, tuple):
                by_slot.setdefault(match, []).append(entry)
            else:
                skipped.append(Skipped(str(entry.rel), entry.reason or match))
    except InputError as exc:
        raise CollectError(str(exc)) from None
    if not by_slot:
        raise CollectError(_nothing_found(path, skipped, flat_names))
    submissions = [_submission(slot, found, skipped) for slot, found in sorted(by_slot.items())]
    return Collected(submissions, skipped)


def _submission(slot: tuple[str, str, str], found: list[Entry], skipped: list[Skipped]) -> Submission:
    """The one submission of ``slot``; a refused one when its file was not read or is not unique."""
    origins = [str(e.rel) for e in found]
    if len(found) > 1:
        reason = f"{len(found)} files for the same notebook ({', '.join(origins)}): hand in one"
        entry = Entry(found[0].rel, status=REFUSED, reason=reason)
    else:
        entry = found[0]
    if entry.status:
        skipped.extend(Skipped(origin, entry.reason, slot[0]) for origin in origins)
    return Submission(*slot, data=entry.data or b"", origin=", ".join(origins),
                      status=entry.status, reason=entry.reason)


def _nothing_found(path: Path, skipped: list[Skipped], flat_names) -> str:
    lines = [f"no submitted notebooks found in {path}"]
    if skipped:
        lines.append(f"{len(skipped)} entr{'y' if len(skipped) == 1 else 'ies'} skipped, e.g.:")
        lines += [f"  {s.origin}: {s.reason}" for s in skipped[:10]]
    lines.append(f"known assignment/notebook names: {', '.join(sorted(flat_names))}")
    return "\n".join(lines)
