"""The gradebook in a real PostgreSQL server (started here, see postgres.py) behaves exactly as in SQLite.

Each test grades through ``python -m autograder --db-url postgresql://...`` into a fresh database and
compares with the same class graded into the default SQLite gradebook: the grades, a re-run and a
SIGKILL followed by a resume. Expected scores are hand-derived from the toy fixture (3/3 or 0/3).
"""

from __future__ import annotations

import os
import time
import uuid

import pytest

from pipeline_helpers import counts, grade, gradebook_scores, kill_after_first_result, read_csv, write_flat
from postgres import bin_dir, create_database, scratch_server

CLASS = {"alice": "correct", "bob": "wrong", "carol": "release", "dave": "correct"}
NBGRADER_TABLES = {"alembic_version", "assignment", "base_cell", "comment", "course", "grade", "grade_cells",
                   "notebook", "solution_cells", "source_cell", "student", "submitted_assignment",
                   "submitted_notebook", "task_cells"}
EXPECTED = {(s, cell): (points if kind == "correct" else 0.0)
            for s, kind in CLASS.items() for cell, points in (("add_visible", 1.0), ("add_hidden", 2.0))}


@pytest.fixture(scope="module")
def server():
    pytest.importorskip("psycopg")
    binaries = bin_dir()
    if binaries is None:
        message = "PostgreSQL's initdb/pg_ctl not found (bash .ci/system-deps installs Debian's postgresql)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    started = time.monotonic()
    with scratch_server(binaries) as url:
        print(f"PostgreSQL from {binaries} up in {time.monotonic() - started:.1f} s")
        yield url


@pytest.fixture
def pg_url(server):
    return create_database(server, f"gradebook_{uuid.uuid4().hex[:12]}")


def row_counts(url: str) -> dict[str, int]:
    """Rows in nbgrader's tables that a re-run must not grow, and how many tables are not nbgrader's."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as conn:
            counts = {table: conn.execute(sqlalchemy.text(f"SELECT count(*) FROM {table}")).scalar_one()
                      for table in ("student", "submitted_assignment", "submitted_notebook", "grade")}
            counts["not nbgrader's"] = len(set(sqlalchemy.inspect(conn).get_table_names()) - NBGRADER_TABLES)
            return counts
    finally:
        engine.dispose()


def _sqlite_url(workspace) -> str:
    return "sqlite:///" + str(workspace / "gradebook.db")


def test_grades_land_in_postgres_as_in_sqlite(tmp_path, pg_url):
    subs = write_flat(tmp_path / "subs", CLASS)
    started = time.monotonic()
    lite = grade(subs, tmp_path / "lite")
    middle = time.monotonic()
    pg = grade(subs, tmp_path / "pg", "--db-url", pg_url)
    print(f"4 submissions: SQLite {middle - started:.1f} s, PostgreSQL {time.monotonic() - middle:.1f} s")
    assert lite.returncode == 0, lite.stderr
    assert pg.returncode == 0, pg.stderr
    assert gradebook_scores(pg_url) == gradebook_scores(tmp_path / "lite" / "gradebook.db") == EXPECTED
    assert row_counts(pg_url) == row_counts(_sqlite_url(tmp_path / "lite")) == {
        "student": 4, "submitted_assignment": 4, "submitted_notebook": 4, "grade": 8, "not nbgrader's": 0}
    assert (tmp_path / "pg" / "grades.csv").read_text() == (tmp_path / "lite" / "grades.csv").read_text()
    assert not (tmp_path / "pg" / "gradebook.db").exists()


def test_rerun_into_postgres_is_idempotent(tmp_path, pg_url):
    subs = write_flat(tmp_path / "subs", CLASS)
    ws = tmp_path / "ws"
    assert counts(grade(subs, ws, "--db-url", pg_url)) == (4, 0)
    first, rows = (ws / "grades.csv").read_text(), row_counts(pg_url)
    started = time.monotonic()
    again = grade(subs, ws, "--db-url", pg_url)
    print(f"re-run into PostgreSQL, nothing to grade: {time.monotonic() - started:.1f} s")
    assert again.returncode == 0 and counts(again) == (0, 4), again.stderr
    assert (ws / "grades.csv").read_text() == first
    assert row_counts(pg_url) == rows
    assert gradebook_scores(pg_url) == EXPECTED


def test_sigkilled_run_into_postgres_resumes(tmp_path, pg_url):
    subs = write_flat(tmp_path / "subs", CLASS)
    ws = tmp_path / "ws"
    recorded = kill_after_first_result(subs, ws, "--db-url", pg_url)
    assert 1 <= recorded < len(CLASS)
    rerun = grade(subs, ws, "--db-url", pg_url)
    assert rerun.returncode == 0, rerun.stderr
    assert counts(rerun) == (len(CLASS) - recorded, recorded)
    assert gradebook_scores(pg_url) == EXPECTED
    assert row_counts(pg_url)["grade"] == 8
    assert [(r["student_id"], r["score"]) for r in read_csv(ws)] == [
        ("alice", "3"), ("bob", "0"), ("carol", "0"), ("dave", "3")]


def test_a_user_who_cannot_create_tables_is_exit_2_with_one_line(tmp_path, server, pg_url):
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute("CREATE ROLE teaching_assistant LOGIN")  # PostgreSQL 15: no CREATE in a database it does not own
    subs = write_flat(tmp_path / "subs", {"alice": "correct"})
    proc = grade(subs, tmp_path / "ws", "--db-url", pg_url.replace("grader@", "teaching_assistant@"))
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1, proc.stderr
    assert "cannot get nbgrader's tables" in proc.stderr and "permission denied" in proc.stderr
    assert counts(grade(subs, tmp_path / "ws", "--db-url", pg_url)) == (1, 0)  # its owner can
