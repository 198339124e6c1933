"""Read a class's input, a folder or a zip, as data: nothing is followed, every read is bounded.

``entries(path)`` yields one ``Entry`` per thing found, with its date when it has one (a file's
modification time, a zip member's date). A notebook (a regular ``.ipynb`` file or zip member) comes
with its bytes, and so does Gradescope's ``submission_metadata.yml``. Everything else comes with
the reason it was not read:
- refused: symbolic links (to files or folders), hard links to a file outside the input,
  devices, FIFOs and sockets, zip members with an absolute or ``..`` path or a link or device
  type (nothing behind them is ever opened), and zip members that expand like a zip bomb;
- malformed: a notebook larger than its bound, or a zip member that is encrypted, uses an
  unsupported compression method or fails its CRC;
- skipped: any other file, and hidden or system files (``.ipynb_checkpoints``, ``__MACOSX``).
Sizes are counted as bytes are read (a zip header can lie), against the per-notebook and
whole-input bounds of ``input_limits``. Files are opened relative to their folder's descriptor
with O_NOFOLLOW and checked again after opening, so a file swapped for a link is not read.
"""

from __future__ import annotations

import os
import stat
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Iterator

from autograder.input_limits import MAX_ENTRIES, MAX_INPUT_BYTES, MAX_NOTEBOOK_BYTES, MAX_ZIP_RATIO, MIB
from autograder.lms import METADATA_NAME

REFUSED = "refused input"
MALFORMED = "malformed notebook"
SKIPPED = "skipped"
_SUPPORTED_COMPRESSION = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}


class InputError(ValueError):
    """The input as a whole cannot be read (not a folder or zip, a broken zip, too many entries)."""


@dataclass(frozen=True)
class Entry:
    """One thing found in the input: a notebook's bytes, or why it was not read (``status``, ``reason``)."""

    rel: PurePosixPath
    data: bytes | None = None
    status: str = ""
    reason: str = ""
    mtime: float | None = None


def _read(rel: PurePosixPath) -> bool:
    """Whether a file of this name is read: a notebook, or the metadata of a Gradescope export."""
    return rel.suffix == ".ipynb" or rel.name == METADATA_NAME


class _Budget:
    """Bytes and entries read so far, against the whole-input bounds."""

    def __init__(self):
        self.bytes = 0
        self.entries = 0

    def count_entry(self) -> None:
        self.entries += 1
        if self.entries > MAX_ENTRIES:
            raise InputError(f"the input holds more than {MAX_ENTRIES} entries; split the class into several runs")

    def read_cap(self) -> int:
        return min(MAX_NOTEBOOK_BYTES, MAX_INPUT_BYTES - self.bytes)

    def too_large(self, data: bytes, rel: PurePosixPath) -> Entry | None:
        """The entry to report when ``data`` (read with ``read_cap() + 1``) is over a bound, else None."""
        if len(data) > MAX_NOTEBOOK_BYTES:
            return Entry(rel, status=MALFORMED,
                         reason=f"the file is larger than the {MAX_NOTEBOOK_BYTES // MIB} MiB a notebook may have")
        if self.bytes + len(data) > MAX_INPUT_BYTES:
            return Entry(rel, status=REFUSED, reason=f"not read: the input's notebooks together exceed "
                                                     f"{MAX_INPUT_BYTES // MIB} MiB; grade the class in parts")
        self.bytes += len(data)
        return None


def entries(path: Path) -> Iterator[Entry]:
    """Every entry of the folder or zip at ``path``; raises InputError when the whole input is unusable."""
    if path.is_file() and zipfile.is_zipfile(path):
        yield from _zip_entries(path, _Budget())
    elif path.is_dir():  # the instructor's own path may be a link; nothing inside it is followed
        yield from _folder_entries(path.resolve(), _Budget())
    else:
        raise InputError(f"{path} is neither a folder nor a zip file")


def _hidden(name: str) -> bool:
    return name.startswith(".") or name == "__MACOSX"


def _skipped(rel: PurePosixPath, why: str) -> Entry:
    return Entry(rel, status=SKIPPED, reason=why)


# --- folders -------------------------------------------------------------------------------------

def _inode_counts(root: Path) -> Counter:
    """How often each regular file's (device, inode) appears inside ``root`` (hard links counted)."""
    counts: Counter = Counter()
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = [d for d in dirs if not _hidden(d)]
        for name in files:
            try:
                st = os.lstat(os.path.join(folder, name))
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
                counts[st.st_dev, st.st_ino] += 1
    return counts


def _folder_entries(root: Path, budget: _Budget) -> Iterator[Entry]:
    inodes = _inode_counts(root)
    for folder, dirs, files, dir_fd in os.fwalk(root, follow_symlinks=False):
        base = PurePosixPath(Path(folder).relative_to(root).as_posix())
        kept = []
        for name in sorted(dirs) + sorted(files):
            budget.count_entry()
            rel = base / name
            try:
                st = os.lstat(name, dir_fd=dir_fd)
            except OSError as exc:
                yield Entry(rel, status=REFUSED, reason=f"cannot be examined ({exc.strerror})")
                continue
            if stat.S_ISDIR(st.st_mode):
                if _hidden(name):
                    yield _skipped(rel, "hidden or system folder, not read")
                else:
                    kept.append(name)
            else:
                yield replace(_folder_file(rel, name, st, dir_fd, inodes, budget), mtime=st.st_mtime)
        dirs[:] = [d for d in dirs if d in kept]


def _kind_refused(mode: int) -> str:
    """Why a file of this ``st_mode`` is not read, or "" for a regular file."""
    if stat.S_ISLNK(mode):
        return "a symbolic link, not the notebook file: links are never followed (hand in the .ipynb itself)"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe), not a file: never read"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device file, not a file: never read"
    if stat.S_ISSOCK(mode):
        return "a socket, not a file: never read"
    return "" if stat.S_ISREG(mode) else "not a regular file: never read"


def _folder_file(rel, name: str, st, dir_fd: int, inodes: Counter, budget: _Budget) -> Entry:
    why = _kind_refused(st.st_mode)
    if why:
        return Entry(rel, status=REFUSED, reason=why)
    if _hidden(name):
        return _skipped(rel, "hidden or system file, not read")
    if not _read(rel):
        return _skipped(rel, "not a notebook (.ipynb)")
    if st.st_nlink > 1 and st.st_nlink > inodes[st.st_dev, st.st_ino]:
        return Entry(rel, status=REFUSED, reason="a hard link to a file outside the submissions: never read")
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dir_fd)
    except OSError as exc:
        return Entry(rel, status=REFUSED, reason=f"cannot be opened ({exc.strerror}): never read")
    with os.fdopen(fd, "rb") as handle:
        now = os.fstat(handle.fileno())
        if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino) or not stat.S_ISREG(now.st_mode):
            return Entry(rel, status=REFUSED, reason="replaced while the grader was reading the input: never read")
        data = handle.read(budget.read_cap() + 1)
    return budget.too_large(data, rel) or Entry(rel, data)


# --- zips ------------------------------------------------------------------------------------------

def _declared_members(path: Path) -> int:
    """The member count a zip's end record declares, read before zipfile loads the whole directory."""
    with open(path, "rb") as f:
        size = f.seek(0, os.SEEK_END)
        f.seek(max(0, size - 65_557))
        tail = f.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) < at + 22:
            return 0  # no end record: zipfile reports the damage
        count = int.from_bytes(tail[at + 10:at + 12], "little")
        if count == 0xFFFF and at >= 20 and tail[at - 20:at - 16] == b"PK\x06\x07":  # zip64
            f.seek(int.from_bytes(tail[at - 12:at - 4], "little"))
            record = f.read(56)
            if record[:4] == b"PK\x06\x06":
                count = int.from_bytes(record[32:40], "little")
    return count


def _zip_entries(path: Path, budget: _Budget) -> Iterator[Entry]:
    declared = _declared_members(path)
    if declared > MAX_ENTRIES:
        raise InputError(f"{path} has {declared} members, more than the {MAX_ENTRIES} the grader reads")
    try:
        archive = zipfile.ZipFile(path)
    except Exception as exc:  # truncated or corrupt central directory, and zipfile's other complaints
        raise InputError(f"{path} is a damaged zip file and cannot be read ({type(exc).__name__}: {exc})") from None
    with archive:
        for info in archive.infolist():
            budget.count_entry()
            entry = _zip_member(archive, info, budget)
            if entry is not None:
                yield replace(entry, mtime=_zip_date(info))


def _zip_date(info: zipfile.ZipInfo) -> float | None:
    """A member's date (local time, 2-second steps, as zips store it) in seconds since the epoch."""
    try:
        return time.mktime(info.date_time + (0, 0, -1))
    except (OverflowError, ValueError):
        return None


def _member_name(info: zipfile.ZipInfo) -> tuple[PurePosixPath, str]:
    """The member's path (backslashes read as separators) and why it is unsafe, or ""."""
    name = info.filename.replace("\\", "/")
    rel = PurePosixPath(name)
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return rel, "an absolute path inside the zip: never read"
    if ".." in rel.parts:
        return rel, "a path with '..' inside the zip: never read"
    if "\0" in name:
        return rel, "a name with a NUL character: never read"
    return rel, ""


def _zip_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> Entry | None:
    rel, unsafe = _member_name(info)
    mode = info.external_attr >> 16  # Unix mode when the zip was made on Unix; its type bits may be 0
    if unsafe:
        return Entry(rel, status=REFUSED, reason=unsafe)
    if info.is_dir():
        return None
    if stat.S_IFMT(mode) and not stat.S_ISREG(mode):
        return Entry(rel, status=REFUSED, reason=_kind_refused(mode))
    if any(_hidden(part) for part in rel.parts):
        return _skipped(rel, "hidden or system file, not read")
    if not _read(rel):
        return _skipped(rel, "not a notebook (.ipynb)")
    if info.flag_bits & 0x1:
        return Entry(rel, status=MALFORMED, reason="the file is encrypted in the zip; submit it without a password")
    if info.compress_type not in _SUPPORTED_COMPRESSION:
        return Entry(rel, status=MALFORMED,
                     reason=f"the zip stores the file with an unsupported compression method ({info.compress_type})")
    try:
        with archive.open(info) as member:
            data = _read_member(member, budget.read_cap() + 1, info.compress_size)
    except Exception as exc:  # bad CRC, truncated data, a corrupt local header ...
        return Entry(rel, status=MALFORMED, reason=f"the file is damaged in the zip ({type(exc).__name__}: {exc})")
    if data is None:
        return Entry(rel, status=REFUSED, reason=f"expands more than {MAX_ZIP_RATIO}-fold (a zip bomb?): "
                                                 "not read beyond its first MiB")
    return budget.too_large(data, rel) or Entry(rel, data)


def _read_member(member, limit: int, compressed: int) -> bytes | None:
    """Up to ``limit`` bytes of a member, in 1 MiB steps; None once past 1 MiB it has expanded more
    than MAX_ZIP_RATIO times its compressed size (notebooks compress about 3-fold)."""
    chunks, size = [], 0
    while size < limit:
        chunk = member.read(min(MIB, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if size > MIB and size > MAX_ZIP_RATIO * max(compressed, 1):
            return None
    return b"".join(chunks)
