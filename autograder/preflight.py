"""The instructor's own inputs, checked before anything is graded: each problem is one line, exit code 2.

Options are parsed with bounds (``seconds``, ``megabytes``); ``check_workspace`` and
``check_database`` try the workspace and the gradebook for real (a write; a connection and, in a
new database, creating a table), since
permissions, read-only mounts and servers cannot be judged from a path or a URL alone.
"""

from __future__ import annotations

import argparse
import math
import os
import tempfile
from pathlib import Path

from autograder.collect import input_folder

MAX_TIMEOUT_S = 24 * 3600
MIN_MEMORY_MB = 256  # a kernel with numpy and matplotlib imported needs about 100 MB


class UsageError(ValueError):
    """An instructor input the grader cannot work with; the message is one line."""


def _number(text: str, kind):
    try:
        value = kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a {'whole ' if kind is int else ''}number: {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {text}")
    return value


def seconds(text: str) -> float:
    """``--timeout``: a finite number of seconds, more than 0 and at most a day."""
    value = _number(text, float)
    if not 0 < value <= MAX_TIMEOUT_S:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most {MAX_TIMEOUT_S} s (a day), got {text}")
    return value


def physical_memory_mb() -> int:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20


def megabytes(text: str) -> int:
    """``--memory-mb``: whole MB, at least MIN_MEMORY_MB and at most the machine's memory."""
    value = _number(text, int)
    top = physical_memory_mb()
    if not MIN_MEMORY_MB <= value <= top:
        raise argparse.ArgumentTypeError(
            f"must be between {MIN_MEMORY_MB} and {top} (this machine's memory in MB), got {text}")
    return value


def check_workspace(workspace: Path, submissions: Path) -> None:
    """The workspace is a folder the grader can write, outside the submissions it reads."""
    workspace, submissions = workspace.resolve(), input_folder(submissions).resolve()
    if submissions.is_dir() and workspace.is_relative_to(submissions):
        raise UsageError(f"the workspace {workspace} is inside the submissions folder {submissions}: "
                         "its copies would be read as submissions; choose a workspace outside it")
    if workspace.exists() and not workspace.is_dir():
        raise UsageError(f"the workspace {workspace} is a file, not a folder")
    try:
        workspace.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=workspace):
            pass
    except OSError as exc:
        raise UsageError(f"cannot write to the workspace {workspace}: {exc.strerror or exc}") from None


def read_secret(path: Path | None) -> bytes | None:
    """``--secret-file``: its content (surrounding whitespace removed), or None when not given."""
    if path is None:
        return None
    try:
        secret = path.read_bytes().strip()
    except OSError as exc:
        raise UsageError(f"cannot read --secret-file {path}: {exc.strerror or exc}") from None
    if not secret:
        raise UsageError(f"--secret-file {path} is empty")
    return secret


def check_database(db_url: str) -> None:
    """The gradebook at ``db_url`` can be opened: the URL parses, its driver loads, a connection is made."""
    import sqlalchemy

    try:
        url = sqlalchemy.engine.make_url(db_url)
    except Exception:
        raise UsageError("--db-url is not a database URL (e.g. postgresql://user@host/dbname, "
                         "sqlite:////path/to/gradebook.db)") from None
    shown = url.render_as_string(hide_password=True)
    connect_args = {"connect_timeout": 10} if url.get_backend_name() == "postgresql" else {}
    try:
        engine = sqlalchemy.create_engine(url, connect_args=connect_args)
    except Exception as exc:  # an unknown dialect, a driver that is not installed
        raise UsageError(f"--db-url {shown} cannot be used: {_first_line(exc)}") from None
    try:
        try:
            conn = engine.connect()
        except Exception as exc:  # no server, wrong password, no such database, an unwritable file
            raise UsageError(f"the gradebook at {shown} cannot be opened: {_first_line(exc)}") from None
        with conn:
            _can_create_tables(conn, shown)
    finally:
        engine.dispose()


def _can_create_tables(conn, shown: str) -> None:
    """In a database without nbgrader's tables yet, create and drop a scratch table (nbgrader will need to)."""
    import sqlalchemy

    exists = sqlalchemy.inspect(conn).has_table("assignment")
    conn.rollback()  # the inspection began a transaction
    if exists:
        return
    try:
        with conn.begin():
            conn.execute(sqlalchemy.text("CREATE TABLE autograder_probe (x INTEGER)"))
            conn.execute(sqlalchemy.text("DROP TABLE autograder_probe"))
    except Exception as exc:  # e.g. PostgreSQL 15: only the database's owner may create tables in public
        raise UsageError(f"the gradebook at {shown} cannot get nbgrader's tables: {_first_line(exc)} "
                         "(let this user create tables, e.g. make it the database's owner)") from None


def _first_line(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0] if text else ''}"
