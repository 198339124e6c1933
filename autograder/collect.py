"""Find a class's submissions in a folder or zip: nbgrader's layout or an LMS's flat export.

Two layouts are understood, also mixed in one input:
- nbgrader's ``<student>/<assignment>/<notebook>.ipynb`` (given a course folder, its ``submitted/``);
- flat files ``<student><separators><notebook or assignment>[-N].ipynb`` as an LMS
  exports them (e.g. ``alice_01_perceptron.ipynb``, ``bob-02_xor-1.ipynb``).
Assignments and notebooks are those of the source folder (``solutions/``). Files are read
into memory by name, never extracted, so a hostile zip cannot write outside anything.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_NOTEBOOK_BYTES = 64 * 2**20
_STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,63}$")
_SEPARATORS = " _-.,;"
_COPY_SUFFIX = re.compile(r"^[ _-]*(\(\d+\)|\d+)?$")


class CollectError(ValueError):
    """The input cannot be mapped onto students and assignments; the message lists why."""


@dataclass(frozen=True)
class Submission:
    """One student's notebook for one notebook of an assignment, with its bytes."""

    student: str
    assignment: str
    notebook: str
    data: bytes
    origin: str


def source_notebooks(source_dir: Path) -> dict[tuple[str, str], Path]:
    """``{(assignment, notebook): source path}`` for every ``<assignment>/<notebook>.ipynb``."""
    source_dir = Path(source_dir)
    if not source_dir.is_dir():
        raise CollectError(f"source folder {source_dir} does not exist")
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


def _files(path: Path):
    """``(relative posix path, size, reader)`` for every notebook file in a folder or zip."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                rel = PurePosixPath(info.filename)
                if not info.is_dir() and rel.suffix == ".ipynb" and not _ignored(rel):
                    yield rel, info.file_size, (lambda info=info: _read_member(path, info))
    elif path.is_dir():
        for p in sorted(path.rglob("*.ipynb")):
            rel = PurePosixPath(p.relative_to(path).as_posix())
            if p.is_file() and not _ignored(rel):
                yield rel, p.stat().st_size, p.read_bytes
    else:
        raise CollectError(f"{path} is neither a folder nor a zip file")


def _read_member(path: Path, info: zipfile.ZipInfo) -> bytes:
    """One zip member's bytes, never more than MAX_NOTEBOOK_BYTES (a lying header cannot bomb)."""
    with zipfile.ZipFile(path) as archive, archive.open(info) as member:
        data = member.read(MAX_NOTEBOOK_BYTES + 1)
    if len(data) > MAX_NOTEBOOK_BYTES:
        raise CollectError(f"{info.filename} is larger than {MAX_NOTEBOOK_BYTES} bytes")
    return data


def _ignored(rel: PurePosixPath) -> bool:
    return any(part.startswith(".") or part == "__MACOSX" for part in rel.parts)


def collect(path: Path, source_dir: Path) -> list[Submission]:
    """Every submission under ``path`` (folder or zip), sorted by student, assignment, notebook.

    Raises CollectError listing every file that matches no assignment, carries no valid
    student id, is too large, or duplicates another file's (student, notebook).
    """
    path = Path(path)
    if not path.exists():
        raise CollectError(f"{path} does not exist")
    if (path / "submitted").is_dir():  # an nbgrader course folder: its autograded/, release/ ... are not input
        path = path / "submitted"
    sources = source_notebooks(source_dir)
    flat_names = _flat_names(sources)
    problems: list[str] = []
    seen: dict[tuple[str, str, str], str] = {}
    found: list[tuple[tuple[str, str, str], PurePosixPath, object]] = []
    for rel, size, read in _files(path):
        match = _match(rel, sources, flat_names)
        if isinstance(match, str):
            problems.append(f"  {rel}: {match}")
        elif size > MAX_NOTEBOOK_BYTES:
            problems.append(f"  {rel}: larger than {MAX_NOTEBOOK_BYTES} bytes")
        elif match in seen:
            problems.append(f"  {rel}: same student and notebook as {seen[match]}")
        else:
            seen[match] = str(rel)
            found.append((match, rel, read))
    if problems:
        known = ", ".join(sorted(flat_names))
        raise CollectError(
            f"cannot grade {path}: {len(problems)} file(s) need renaming or removing\n"
            + "\n".join(problems)
            + f"\nknown assignment/notebook names: {known}"
        )
    if not found:
        raise CollectError(f"no submitted notebooks found in {path}")
    return [
        Submission(*match, data=read(), origin=str(rel))
        for match, rel, read in sorted(found, key=lambda item: item[0])
    ]
