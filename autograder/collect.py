"""Find a class's submissions in a folder or zip: nbgrader's layout, an LMS's export, or flat files.

These layouts are understood, also mixed in one input:
- Canvas, Moodle and Gradescope downloads, the learner identified as that LMS does (``lms``);
- nbgrader's ``<student>/<assignment>/<notebook>.ipynb`` (given a course folder, its ``submitted/``);
- flat files ``<student><separators><notebook or assignment>[-N].ipynb`` (e.g.
  ``alice_01_perceptron.ipynb``, ``bob-02_xor-1.ipynb``).
Assignments and notebooks are those of the source folder (``solutions/``). The input is read
by ``autograder.inputs`` (nothing followed, every read bounded), into memory, never extracted.
When a learner has several files for one notebook, the newest is graded: by the LMS's own order
(Canvas submission id, Gradescope submission time), then by the file's date; the others are
listed as skipped. Ids that differ only in case are refused: on macOS and Windows they are one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from autograder import lms
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
    late: bool = False  # the LMS marked the file late


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


def _notebook_named(stem: str, flat_names) -> tuple[str, str, str] | None:
    """``(what precedes the name, assignment, notebook)`` for a file stem ending in a known name."""
    for name in sorted(flat_names, key=len, reverse=True):
        at = stem.rfind(name)
        if at >= 0 and _COPY_SUFFIX.match(stem[at + len(name):]):
            return (stem[:at], *flat_names[name])
    return None


Slot = tuple[str, str, str]


def _match(rel: PurePosixPath, sources, flat_names, gradescope) -> list[tuple[Slot, lms.Identity | None]] | str:
    """The slots one file path fills (several for a group submission), each with what its LMS says,
    or the reason it fills none."""
    found = lms.identify(rel, gradescope)
    if isinstance(found, str):
        return found
    if found is not None:
        hit = _notebook_named(PurePosixPath(found[0].original).stem, flat_names)
        if not hit:
            return f"{found[0].original!r}, as the learner named it, matches no assignment"
        claims = [((who.student, *hit[1:]), who) for who in found]
    elif len(rel.parts) >= 3 and (rel.parts[-2], rel.stem) in sources:
        claims = [((rel.parts[-3], rel.parts[-2], rel.stem), None)]
    else:
        hit = _notebook_named(rel.stem, flat_names)
        if not hit:
            return "matches no assignment"
        claims = [((hit[0].strip(_SEPARATORS), *hit[1:]), None)]
    for (student, _, _), _ in claims:
        if not _STUDENT_ID.match(student):
            return f"student id {student!r} is empty or has characters other than letters, digits and _.@+-"
    return claims


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


def input_folder(path: Path) -> Path:
    """What is read of ``path``: of an nbgrader course folder only ``submitted/`` (not autograded/, release/ ...)."""
    nbgrader_course = path / "submitted"
    return nbgrader_course if nbgrader_course.is_dir() and not nbgrader_course.is_symlink() else path


@dataclass(frozen=True)
class _Claim:
    """One input entry claimed for a slot, with what its LMS says about it (None: no LMS layout)."""

    entry: Entry
    who: lms.Identity | None

    @property
    def origin(self) -> str:
        return str(self.entry.rel)


def collect(path: Path, source_dir: Path) -> Collected:
    """Every submission under ``path`` (folder or zip), sorted by student, assignment, notebook.

    One learner's bad file never stops the class: a link, a special file or an unsafe zip path
    gives that learner's notebook status "refused input", an oversized or damaged one "malformed
    notebook"; of several files for one notebook the newest is graded (two that cannot be told
    apart: "refused input"); ids that differ only in case are "refused input"; entries that name
    no student or assignment are skipped. All of them are listed in ``Collected.skipped``. Raises
    CollectError only when the input as a whole is unusable: missing, unreadable, or holding no
    submission.
    """
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise CollectError(f"{path} does not exist")
    path = input_folder(path)
    sources = source_notebooks(source_dir)
    flat_names = _flat_names(sources)
    try:
        found = list(entries(path))
    except InputError as exc:
        raise CollectError(str(exc)) from None
    skipped: list[Skipped] = []
    gradescope = _gradescope_metadata(found, skipped)
    by_slot: dict[Slot, list[_Claim]] = {}
    for entry in found:
        if entry.rel.name == lms.METADATA_NAME and entry.status != SKIPPED:
            continue  # read above
        match = None if entry.status == SKIPPED else _match(entry.rel, sources, flat_names, gradescope)
        if isinstance(match, list):
            for slot, who in match:
                by_slot.setdefault(slot, []).append(_Claim(entry, who))
        else:
            skipped.append(Skipped(str(entry.rel), entry.reason or match))
    if not by_slot:
        raise CollectError(_nothing_found(path, skipped, flat_names))
    clashes = _case_clashes({slot[0] for slot in by_slot})
    submissions = [_submission(slot, claims, skipped, clashes.get(slot[0], ""))
                   for slot, claims in sorted(by_slot.items())]
    return Collected(submissions, skipped)


def _gradescope_metadata(found: list[Entry], skipped: list[Skipped]) -> dict:
    """Every Gradescope ``submission_metadata.yml`` of the input, merged; one that cannot be read is skipped."""
    merged: dict = {}
    for entry in found:
        if entry.rel.name != lms.METADATA_NAME or entry.status == SKIPPED:
            continue
        try:
            if entry.status:
                raise lms.MetadataError(entry.reason)
            merged.update(lms.gradescope_submitters(entry.data))
        except lms.MetadataError as exc:
            skipped.append(Skipped(str(entry.rel), f"Gradescope metadata not read: {exc}"))
    return merged


def _case_clashes(students: set[str]) -> dict[str, str]:
    """``{student: reason}`` for the ids that equal another one when case is ignored."""
    groups: dict[str, list[str]] = {}
    for student in sorted(students):
        groups.setdefault(student.casefold(), []).append(student)
    return {student: f"student ids {', '.join(group)} differ only in case (one folder on macOS and Windows): "
                     "rename the files so that each learner has one id"
            for group in groups.values() if len(group) > 1 for student in group}


def _newest(claims: list[_Claim]) -> tuple[_Claim | None, str]:
    """The newest claim and how it was told apart: by the LMS's order, then by the file's date; None on a tie."""
    pool = claims
    for key, how in ((lambda c: c.who and c.who.order, ""), (lambda c: c.entry.mtime, "file date")):
        if all(key(c) is not None for c in pool):
            top = max(key(c) for c in pool)
            pool = [c for c in pool if key(c) == top]
            if len(pool) == 1:
                return pool[0], how or pool[0].who.order_name
    return None, ""


def _submission(slot: Slot, claims: list[_Claim], skipped: list[Skipped], refuse: str) -> Submission:
    """The one submission of ``slot``: its newest file, or a refused one when that file was not read,
    no file is the newest, or ``refuse`` gives a reason."""
    chosen, how = _newest(claims) if len(claims) > 1 else (claims[0], "")
    if chosen is not None and not refuse:
        for older in claims:
            if older is not chosen:
                skipped.append(Skipped(older.origin, f"an older file for this notebook: {chosen.origin} is graded "
                                                     f"(newer by {how})", slot[0]))
        claims = [chosen]
    elif not refuse:  # no file is the newest
        refuse = (f"{len(claims)} files for the same notebook ({', '.join(c.origin for c in claims)}) and none "
                  "is newer: hand in one")
    entry = Entry(claims[0].entry.rel, status=REFUSED, reason=refuse) if refuse else claims[0].entry
    if entry.status:
        skipped.extend(Skipped(c.origin, entry.reason, slot[0]) for c in claims)
    late = any(c.who is not None and c.who.late for c in claims)
    return Submission(*slot, data=entry.data or b"", origin=", ".join(c.origin for c in claims),
                      status=entry.status, reason=entry.reason, late=late)


def _nothing_found(path: Path, skipped: list[Skipped], flat_names) -> str:
    lines = [f"no submitted notebooks found in {path}"]
    if skipped:
        lines.append(f"{len(skipped)} entr{'y' if len(skipped) == 1 else 'ies'} skipped, e.g.:")
        lines += [f"  {s.origin}: {s.reason}" for s in skipped[:10]]
    lines.append(f"known assignment/notebook names: {', '.join(sorted(flat_names))}")
    return "\n".join(lines)
