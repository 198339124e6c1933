"""nbgrader's gradebook schema revision, read in this process.

When nbgrader creates a gradebook, ``nbgrader.api.get_alembic_version`` runs the ``alembic
heads`` command: a Python start-up (2-3 s of CPU, taken from sandboxes running meanwhile)
that also fails when a venv's python runs without the venv's scripts on PATH (``make``).
:func:`read_schema_head_in_process` makes nbgrader read the same migration scripts here.
"""

from __future__ import annotations

from pathlib import Path


def _alembic_head() -> str:
    """The newest revision among nbgrader's own alembic migration scripts."""
    import nbgrader
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(Path(nbgrader.__file__).parent / "alembic")).get_current_head()


def read_schema_head_in_process() -> None:
    """Point nbgrader at :func:`_alembic_head` (idempotent; same scripts, same answer)."""
    from nbgrader import api

    api.get_alembic_version = _alembic_head
