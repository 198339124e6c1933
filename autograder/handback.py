"""Hand back what was graded by hand: ``python -m autograder.handback WORKSPACE``.

After manual grading in formgrader (``python -m autograder.formgrader WORKSPACE``), this rewrites
each student's feedback page with the scores and comments entered there, next to the automatic
ones, and ``grades.csv`` with the totals. Nothing is re-executed; pages whose content did not
change are left as they are.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder import feedback, report
from autograder.formgrader import check_workspace
from autograder.gradebook import GradebookWriter, course_config
from autograder.workspace import Workspace, atomic_write


def hand_back(ws: Workspace) -> tuple[int, int]:
    """Rewrite feedback pages and grades.csv from the stored results and the gradebook;
    returns ``(pages rewritten, students)``."""
    db_url, source_dir = course_config(ws.root)
    results = {slot: r for slot, key in ws.load_index().items() if (r := ws.load_result(key)) is not None}
    writer = GradebookWriter(db_url, ws.root, source_dir)
    try:
        written = feedback.write_all(results, ws.feedback_dir, {slot: writer.manual_part(slot) for slot in results})
        scores, max_scores = writer.totals(results)
    finally:
        writer.close()
    atomic_write(ws.csv_path, report.csv_text(report.rows(results, scores, max_scores, ws.load_late())).encode())
    return len(written), len({slot[0] for slot in results})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.handback", description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path, help="a workspace the grader has written")
    workspace = parser.parse_args(argv).workspace.resolve()
    problem = check_workspace(workspace)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    ws = Workspace(workspace)
    pages, students = hand_back(ws)
    print(f"{pages} of {students} feedback page(s) rewritten in {ws.feedback_dir}/; grades: {ws.csv_path}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
