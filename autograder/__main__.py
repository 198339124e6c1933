"""Grade a whole class in one command: ``python -m autograder <submissions> [options]``.

``<submissions>`` is a folder or zip: a Canvas, Moodle or Gradescope download, nbgrader's
``submitted/<student>/<assignment>/`` layout or flat ``<student>_<assignment>.ipynb`` files.
Results go to the workspace: the gradebook, grades.csv, one feedback HTML per student.
Exit code: 0 every submission graded normally; 1 some need the instructor's eyes (any
status other than "graded", or input entries skipped); 2 usage error, one line on stderr (bad
arguments, a workspace, source or gradebook that cannot be used, an input that is not a readable
folder or zip, or one holding no submission at all).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# nbformat -> jsonschema imports the optional IRI checker rfc3987_syntax when installed; it builds its
# grammar at import (~1 s of CPU before grading starts). Notebooks have no IRI formats to check.
sys.modules.setdefault("rfc3987_syntax", None)

from autograder import report  # noqa: E402
from autograder.collect import CollectError, collect  # noqa: E402
from autograder.gradebook import GradebookError  # noqa: E402
from autograder.pipeline import SchedulerUnreachable, default_jobs, run  # noqa: E402
from autograder.preflight import (UsageError, check_database, check_workspace, megabytes, read_secret,  # noqa: E402
                                  seconds)
from autograder.untrusted import printable  # noqa: E402
from autograder.workspace import Workspace, atomic_write  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent


def _positive(kind):
    def parse(text: str):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
        return value
    return parse


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m autograder",
        description="Autograde a folder or zip of submissions into nbgrader's gradebook.",
        epilog="Exit code: 0 all graded, 1 some submissions need a look, 2 usage error.",
    )
    parser.add_argument("submissions", type=Path, help="folder or zip of submitted notebooks")
    parser.add_argument("--workspace", type=Path, default=Path("grading-workspace"),
                        help="instructor's working folder (default: grading-workspace/)")
    parser.add_argument("--jobs", type=_positive(int), default=default_jobs(),
                        help="submissions graded at once (default: number of CPUs)")
    parser.add_argument("--scheduler", metavar="ADDR",
                        help="grade on a dask.distributed cluster at ADDR (e.g. tcp://host:8786)")
    parser.add_argument("--db-url", metavar="URL",
                        help="SQLAlchemy URL of the gradebook (default: sqlite in the workspace)")
    parser.add_argument("--timeout", type=seconds, metavar="S",
                        help="wall-clock limit per notebook in seconds (at most a day)")
    parser.add_argument("--memory-mb", type=megabytes, metavar="M",
                        help="memory limit per notebook (256 MB up to the machine's memory)")
    parser.add_argument("--secret-file", type=Path, metavar="FILE",
                        help="the course's secret for the hidden test cases (default: the workspace's "
                             "course-secret, created on the first run)")
    parser.add_argument("--source", type=Path, default=REPO_ROOT / "solutions",
                        help="nbgrader source folder defining the assignments (default: solutions/)")
    return parser.parse_args(argv)


def _usage_error(exc: Exception) -> int:
    """Exit code 2 with the reason, each line cleaned for the terminal."""
    print("error: " + "\n".join(map(printable, str(exc).splitlines())), file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from autograder.execute import Limits
    from autograder.sandbox import describe_protections

    overrides = {k: v for k, v in (("timeout_s", args.timeout), ("memory_mb", args.memory_mb)) if v}
    limits = Limits(**overrides)
    try:
        collected = collect(args.submissions, args.source)
    except CollectError as exc:
        return _usage_error(exc)
    submissions = collected.submissions
    ws = Workspace(args.workspace.resolve())
    db_url = args.db_url or ws.default_db_url
    try:
        given_secret = read_secret(args.secret_file)
        check_workspace(ws.root, args.submissions)
        check_database(db_url)
    except UsageError as exc:
        return _usage_error(exc)
    where = f"dask cluster {args.scheduler}" if args.scheduler else f"{args.jobs} local job(s)"
    print(f"{len(submissions)} notebook(s) from {args.submissions}, graded with {where}", file=sys.stderr)
    print("active protections:", *(f"  - {p}" for p in describe_protections()), sep="\n", file=sys.stderr)
    try:
        secret = ws.course_secret(given_secret)
        outcome = run(submissions, ws, args.source, limits, jobs=args.jobs, scheduler=args.scheduler,
                      db_url=db_url, progress=report.Progress(), secret=secret)
    except (GradebookError, SchedulerUnreachable) as exc:
        return _usage_error(exc)
    late = frozenset((s.student, s.assignment) for s in submissions if s.late)
    ws.save_late(late)  # for handback, which rewrites grades.csv later
    table = report.rows(outcome.results, outcome.scores, outcome.max_scores, late)
    atomic_write(ws.csv_path, report.csv_text(table).encode())
    atomic_write(ws.skipped_path, report.skipped_csv(collected.skipped).encode())
    print(report.table_text(table))
    skipped = report.skipped_text(collected.skipped, ws.skipped_path)
    if skipped:
        print("\n" + skipped)
    flagged = report.needs_attention(table)
    print(f"\n{outcome.graded_now} graded now, {outcome.reused} reused from earlier runs; "
          f"{len(flagged)} need a look, {len(collected.skipped)} input entries skipped. "
          f"Grades: {ws.csv_path}  Feedback: {ws.feedback_dir}/", file=sys.stderr)
    return 1 if flagged or collected.skipped else 0


if __name__ == "__main__":
    sys.exit(main())
