"""A class's input as a careless LMS export or an attacker makes it: every kind of bad file, between honest learners.

Links, FIFOs, sockets and devices cannot live in git, so this corpus is built at test time:
``build_folder`` and ``build_zip`` write a class and return the expected outcome of each case
(``Case``). Honest learners (``HONEST``) sit among them; their grades are hand-derived from the
toy fixture (``add`` right: 3/3, wrong: 0/3).
"""

from __future__ import annotations

import json
import os
import socket
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from pipeline_helpers import TOY_SOURCE, toy_variant

HONEST = {"alice": ("correct", 3.0), "bob": ("wrong", 0.0), "carol": ("correct", 3.0)}
MIB = 2**20


@dataclass(frozen=True)
class Case:
    """What one bad entry must give: the student's status and points in grades.csv (student None:
    the student must not appear at all), and a piece of the reason listed in skipped.csv (or None)."""

    path: str
    student: str | None
    status: str | None = None
    points: float | None = None
    skipped_reason: str | None = None


def _notebook_bytes(kind: str = "correct", **edit) -> bytes:
    nb = toy_variant(kind)
    for key, value in edit.items():
        nb[key] = value
    return nbformat.writes(nb).encode()


def _with_cells(cells: list) -> bytes:
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()


def _nested(depth: int):
    value: object = "x"
    for _ in range(depth):
        value = [value]
    return value


def _honest(folder: Path) -> None:
    for student, (kind, _) in HONEST.items():
        (folder / f"{student}_toy.ipynb").write_bytes(_notebook_bytes(kind))


def notebook_problems() -> dict[str, tuple[bytes, Case]]:
    """Files that are readable but pathological as notebooks: name -> (bytes, expected)."""
    correct = json.loads(_notebook_bytes())
    surrogate = json.loads(_notebook_bytes())
    surrogate["cells"].insert(0, {"cell_type": "markdown", "metadata": {}, "source": "lone \ud800 surrogate"})
    surrogate["cells"][1]["source"] += "\nprint('\\udcff')\n"
    many_markdown = json.loads(_notebook_bytes())
    many_markdown["cells"] += [{"cell_type": "markdown", "metadata": {}, "source": f"note {i} " + "words " * 100}
                               for i in range(1500)]
    foreign = [{"cell_type": "code", "metadata": {"nbgrader": {"grade_id": gid}}, "source": "1", "outputs": []}
               for gid in ("![x](http://evil.example/pixel.png)", "[click](javascript:alert(1))")]
    malformed = "malformed notebook"
    return {
        "surrogate_toy.ipynb": (json.dumps(surrogate).encode(),
                                Case("surrogate_toy.ipynb", "surrogate", "graded", 3.0)),
        "big_toy.ipynb": (b'{"cells": [], "x": "' + b"a" * (21 * MIB) + b'"}',
                          Case("big_toy.ipynb", "big", malformed, 0.0, "larger than")),
        "deepmeta_toy.ipynb": (json.dumps({**correct, "metadata": {"deep": _nested(100)}}).encode(),
                               Case("deepmeta_toy.ipynb", "deepmeta", malformed, 0.0)),
        "deepjson_toy.ipynb": (b'{"cells": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
                               Case("deepjson_toy.ipynb", "deepjson", malformed, 0.0)),
        "sourceint_toy.ipynb": (_with_cells([{"cell_type": "code", "metadata": {}, "source": 5}]),
                                Case("sourceint_toy.ipynb", "sourceint", malformed, 0.0)),
        "sourcelist_toy.ipynb": (_with_cells([{"cell_type": "code", "metadata": {}, "source": ["a", 5]}]),
                                 Case("sourcelist_toy.ipynb", "sourcelist", malformed, 0.0)),
        "manycells_toy.ipynb": (_with_cells([{"cell_type": "raw", "metadata": {}, "source": ""}] * 200_000),
                                Case("manycells_toy.ipynb", "manycells", malformed, 0.0)),
        "longsource_toy.ipynb": (_with_cells([{"cell_type": "code", "metadata": {}, "source": "x = 1\n" * 400_000}]),
                                 Case("longsource_toy.ipynb", "longsource", malformed, 0.0)),
        "deepcode_toy.ipynb": (json.dumps({**correct, "cells": correct["cells"] + [
            {"cell_type": "code", "metadata": {}, "source": "x" + "[0]" * 900, "outputs": []}]}).encode(),
            Case("deepcode_toy.ipynb", "deepcode", "tampered", 0.0)),
        "longpage_toy.ipynb": (json.dumps(many_markdown).encode(),
                               Case("longpage_toy.ipynb", "longpage", "graded", 3.0)),
        "foreign_toy.ipynb": (_with_cells(foreign), Case("foreign_toy.ipynb", "foreign", "wrong assignment", 0.0)),
    }


CONTROL_NAMES = ["\x1b[2J\x1b[31mhacked_toy.ipynb", "x\rcarol  toy  3 of 3  graded_toy.ipynb",
                 "\u202eevil\u202c_toy.ipynb", '=HYPERLINK("evil")_toy.ipynb', "+1_toy.ipynb", "@sum_toy.ipynb"]


def build_folder(folder: Path, outside: Path, workspace: Path) -> list[Case]:
    """The class as a folder; ``outside`` is a folder next to it (link targets), ``workspace`` the grader's."""
    folder.mkdir(parents=True)
    outside.mkdir(parents=True)
    _honest(folder)
    refused = "refused input"
    cases = []

    def link(name: str, target: str, student: str) -> None:
        os.symlink(target, folder / name)
        cases.append(Case(name, student, refused, 0.0, "symbolic link"))

    link("mallory_toy.ipynb", str(TOY_SOURCE / "toy" / "toy.ipynb"), "mallory")
    link("eve_toy.ipynb", "alice_toy.ipynb", "eve")
    link("passwd_toy.ipynb", "/etc/passwd", "passwd")
    link("procself_toy.ipynb", "/proc/self/environ", "procself")
    link("gbthief_toy.ipynb", str(workspace / "gradebook.db"), "gbthief")
    link("dangling_toy.ipynb", str(outside / "missing.ipynb"), "dangling")
    (outside / "linked").mkdir()
    (outside / "linked" / "dirlink_toy.ipynb").write_bytes(_notebook_bytes())
    os.symlink(outside / "linked", folder / "linked")
    cases += [Case("linked", None, skipped_reason="symbolic link"), Case("linked/dirlink_toy.ipynb", "dirlink")]

    (outside / "answers.ipynb").write_bytes(_notebook_bytes())
    os.link(outside / "answers.ipynb", folder / "hardlink_toy.ipynb")
    cases.append(Case("hardlink_toy.ipynb", "hardlink", refused, 0.0, "hard link"))
    os.mkfifo(folder / "fifo_toy.ipynb")
    cases.append(Case("fifo_toy.ipynb", "fifo", refused, 0.0, "FIFO"))
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "socket_toy.ipynb"))
    server.close()
    cases.append(Case("socket_toy.ipynb", "socket", refused, 0.0, "socket"))
    if os.geteuid() == 0:  # mknod needs CAP_MKNOD; the FIFO and the socket cover the same code path
        os.mknod(folder / "device_toy.ipynb", stat.S_IFCHR | 0o600, os.makedev(1, 3))
        cases.append(Case("device_toy.ipynb", "device", refused, 0.0, "device"))

    for name, (data, case) in notebook_problems().items():
        (folder / name).write_bytes(data)
        cases.append(case)
    for name in CONTROL_NAMES:
        (folder / name).write_bytes(_notebook_bytes())
        cases.append(Case(name, None, skipped_reason="student id"))
    for name in ("dave_toy.ipynb", "dave-toy-1.ipynb"):  # one date: the grader cannot tell which is newer
        (folder / name).write_bytes(_notebook_bytes())
        os.utime(folder / name, (1_700_000_000, 1_700_000_000))
        cases.append(Case(name, "dave", refused, 0.0, "none is newer"))
    (folder / "notes.txt").write_text("not a notebook")
    cases.append(Case("notes.txt", None, skipped_reason="not a notebook"))
    return cases


# --- zips ------------------------------------------------------------------------------------------

def _central_entry(data: bytes, name: str) -> int:
    """Offset of ``name``'s central-directory record in a zip's bytes."""
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = int.from_bytes(data[at + 28:at + 30], "little")
        if data[at + 46:at + 46 + length] == name.encode():
            return at
        at = data.find(b"PK\x01\x02", at + 4)
    raise KeyError(name)


def _patch(data: bytearray, name: str, header_offset: int, field: str, value: int) -> None:
    """Set a 2-byte header field of one member in both its local and its central header."""
    local, central = {"flags": (6, 8), "method": (8, 10)}[field]
    for at in (header_offset + local, _central_entry(bytes(data), name) + central):
        data[at:at + 2] = value.to_bytes(2, "little")


def build_zip(path: Path) -> list[Case]:
    """The class as one zip: honest members, then members no zip tool should make."""
    malformed, refused = "malformed notebook", "refused input"
    cases = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for student, (kind, _) in HONEST.items():
            archive.writestr(f"export/{student}_toy.ipynb", _notebook_bytes(kind))
        for name, kind in (("enc_toy.ipynb", "flags"), ("method_toy.ipynb", "method"), ("crc_toy.ipynb", "crc")):
            archive.writestr(zipfile.ZipInfo(name), _notebook_bytes(), compress_type=zipfile.ZIP_STORED)
        for i in range(40):
            archive.writestr(f"bomb{i}_toy.ipynb", b" " * (30 * MIB))
            cases.append(Case(f"bomb{i}_toy.ipynb", f"bomb{i}", refused, 0.0, "zip bomb"))
        archive.writestr("big_toy.ipynb", os.urandom(11 * MIB).hex().encode())
        cases.append(Case("big_toy.ipynb", "big", malformed, 0.0, "larger than"))
        archive.writestr("../../dotdot_toy.ipynb", _notebook_bytes())
        cases.append(Case("../../dotdot_toy.ipynb", "dotdot", refused, 0.0, "'..'"))
        archive.writestr("/etc/absolute_toy.ipynb", _notebook_bytes())
        cases.append(Case("/etc/absolute_toy.ipynb", "absolute", refused, 0.0, "absolute path"))
        for name, mode in (("zlink_toy.ipynb", stat.S_IFLNK | 0o777), ("zdevice_toy.ipynb", stat.S_IFCHR | 0o600)):
            info = zipfile.ZipInfo(name)
            info.external_attr = mode << 16
            archive.writestr(info, str(TOY_SOURCE / "toy" / "toy.ipynb"))
            cases.append(Case(name, name.split("_")[0], refused, 0.0, "link" if "link" in name else "device"))
        offsets = {i.filename: i.header_offset for i in archive.infolist()}
    data = bytearray(path.read_bytes())
    _patch(data, "enc_toy.ipynb", offsets["enc_toy.ipynb"], "flags", 0x1)
    _patch(data, "method_toy.ipynb", offsets["method_toy.ipynb"], "method", 97)
    crc_data = offsets["crc_toy.ipynb"] + 30 + len("crc_toy.ipynb") + 100
    data[crc_data] ^= 0xFF
    path.write_bytes(bytes(data))
    cases += [Case("enc_toy.ipynb", "enc", malformed, 0.0, "encrypted"),
              Case("method_toy.ipynb", "method", malformed, 0.0, "unsupported compression"),
              Case("crc_toy.ipynb", "crc", malformed, 0.0, "damaged")]
    return cases
