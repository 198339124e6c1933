"""Who handed in a file, as each LMS's download names it: Canvas, Moodle and Gradescope.

- Canvas: flat files ``<name>_[LATE_]<user id>_<submission id>_<original name>``; the student is
  the Canvas user id, ``LATE`` marks a late file, a higher submission id is a newer submission.
- Moodle: ``<Full Name>_<participant id>_assignsubmission_file_/<original name>`` (one folder per
  learner), or the same prefix on the file itself when downloaded without folders; the student
  is Moodle's participant id.
- Gradescope: ``submission_<id>/<original name>`` next to ``submission_metadata.yml``, which maps
  each submission to its submitters (``:sid:``, else ``:email:``) and time (``:created_at:``);
  a group submission counts for each of its submitters.
The original name still has to name a notebook (see ``collect``); ids are checked there too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

import yaml

METADATA_NAME = "submission_metadata.yml"
_CANVAS = re.compile(r"^(?P<name>[^_]+)_(?P<late>LATE_)?(?P<user>\d+)_(?P<submission>\d+)_(?P<original>.+)$")
_MOODLE = re.compile(r"^(?P<name>.+)_(?P<id>\d+)_assignsubmission_file_(?P<original>.*)$")
_GRADESCOPE = re.compile(r"^submission_\d+$")


@dataclass(frozen=True)
class Identity:
    """A file's learner as the LMS names them, the file's own name, and what the LMS says about it."""

    student: str
    original: str  # the name the learner gave the file, which names the notebook
    late: bool = False
    order: float | None = None  # the LMS's order of submissions (newer is larger), when it gives one
    order_name: str = ""


class MetadataError(ValueError):
    """A Gradescope ``submission_metadata.yml`` that cannot be read as Gradescope writes it."""


def gradescope_submitters(data: bytes) -> dict[str, tuple[list[str], float | None]]:
    """``{"submission_<id>": ([student id of each submitter], submission time)}`` from the metadata file."""
    try:
        meta = yaml.load(data, Loader=_TolerantLoader)  # noqa: S506 (a SafeLoader: plain data only)
    except yaml.YAMLError as exc:
        raise MetadataError(f"not valid YAML ({' '.join(str(exc).split())[:200]})") from None
    if not isinstance(meta, dict):
        raise MetadataError("not a mapping of submission folders to their submitters")
    found = {}
    for folder, info in meta.items():
        submitters = info.get(":submitters") if isinstance(info, dict) else None
        if isinstance(folder, str) and isinstance(submitters, list):
            ids = [str(s.get(":sid") or s.get(":email") or "").strip() for s in submitters if isinstance(s, dict)]
            found[folder] = (ids, _timestamp(info.get(":created_at")))
    return found


def _timestamp(value) -> float | None:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    return value.timestamp() if isinstance(value, datetime) else None


def identify(rel: PurePosixPath, gradescope: dict) -> list[Identity] | str | None:
    """The identities a file has in an LMS layout, the reason it has none although it is in one,
    or None when it is in no LMS layout (nbgrader's or a plain flat file: ``collect`` decides)."""
    for part in rel.parts[:-1]:
        if _GRADESCOPE.match(part):
            return _gradescope(part, rel.name, gradescope)
        moodle = _MOODLE.match(part)
        if moodle:
            return [Identity(moodle["id"], rel.name)]
    moodle = _MOODLE.match(rel.name)
    if moodle and moodle["original"]:
        return [Identity(moodle["id"], moodle["original"])]
    canvas = _CANVAS.match(rel.name)
    if canvas:
        return [Identity(canvas["user"], canvas["original"], late=bool(canvas["late"]),
                         order=float(canvas["submission"]), order_name="Canvas submission id")]
    return None


def _gradescope(folder: str, name: str, gradescope: dict) -> list[Identity] | str:
    if folder not in gradescope:
        return f"a Gradescope submission folder that no {METADATA_NAME} lists: its submitter is unknown"
    ids, created = gradescope[folder]
    if not ids:
        return f"{METADATA_NAME} lists no submitter for {folder}"
    return [Identity(student, name, order=created, order_name="Gradescope submission time")
            for student in ids]


def _untagged(loader, suffix: str, node):
    """A Ruby-tagged node (``!ruby/object:...``) read as the plain mapping, list or text it holds."""
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)


class _TolerantLoader(yaml.SafeLoader):
    """yaml's SafeLoader (plain data only) that also reads the tags a Ruby exporter may write."""


_TolerantLoader.add_multi_constructor("!", _untagged)
