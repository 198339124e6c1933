"""What the instructor sees: a progress bar with ETA, the final table, grades.csv and skipped.csv.

Names and statuses can come from a submission (file names, ids), so every cell shown on the
terminal goes through ``untrusted.printable`` and every CSV value through ``untrusted.csv_cell``.
"""

from __future__ import annotations

import csv
import io
import sys
import time
from dataclasses import dataclass

from autograder.untrusted import csv_cell, printable

NOT_SUBMITTED = "not submitted"


class Progress:
    """``[#####.....] 12/40  ETA 0:35  alice/01_perceptron: graded`` on stderr.

    On a terminal the line redraws in place; otherwise (a log, a CI job) one line per result.
    """

    def __init__(self, stream=None, width: int = 30):
        self.stream = stream or sys.stderr
        self.width = width
        self.live = self.stream.isatty()

    def start(self, total: int) -> None:
        self.total, self.done, self.t0 = total, 0, time.monotonic()
        if total:
            self._draw("starting")

    def update(self, label: str) -> None:
        self.done += 1
        self._draw(label)

    def finish(self) -> None:
        if self.live and self.total:
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self, label: str) -> None:
        filled = self.width * self.done // max(self.total, 1)
        bar = "#" * filled + "." * (self.width - filled)
        elapsed = time.monotonic() - self.t0
        eta = "--:--" if not self.done else _clock(elapsed / self.done * (self.total - self.done))
        line = f"[{bar}] {self.done}/{self.total}  ETA {eta}  {printable(label)}"
        self.stream.write(("\r\033[K" + line) if self.live else line + "\n")
        self.stream.flush()


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}:{secs:02d}"


@dataclass(frozen=True)
class Row:
    """One student's result for one assignment (its notebooks summed)."""

    student: str
    assignment: str
    score: float
    max_score: float
    awaiting_manual: float
    status: str
    seconds: float
    peak_memory_mb: float
    late: bool = False


def rows(results: dict, scores: dict, max_scores: dict, late: frozenset = frozenset()) -> list[Row]:
    """Rows for every (student, assignment) pair, sorted; missing pairs are "not submitted";
    ``late`` holds the (student, assignment) pairs the LMS marked late."""
    out = []
    for (student, assignment), score in sorted(scores.items()):
        mine = [r for (s, a, _), r in sorted(results.items()) if (s, a) == (student, assignment)]
        if score is None or not mine:
            out.append(Row(student, assignment, 0.0, max_scores[assignment], 0.0, NOT_SUBMITTED, 0.0, 0.0))
            continue
        bad = [r["status"] for r in mine if r["status"] != "graded"]
        out.append(Row(student, assignment, *score, bad[0] if bad else "graded",
                       sum(r["seconds"] for r in mine), max(r["peak_memory_mb"] for r in mine),
                       (student, assignment) in late))
    return out


def needs_attention(table: list[Row]) -> list[Row]:
    return [r for r in table if r.status not in ("graded", NOT_SUBMITTED)]


def _num(x: float) -> str:
    return f"{x:g}"


def csv_text(table: list[Row]) -> str:
    """grades.csv: one row per student and assignment: score, max score, status, the points
    still awaiting a human (written answers, flagged submissions, already counted in max_score),
    and ``late`` ("yes" when the LMS marked the graded file late)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["student_id", "assignment", "score", "max_score", "status", "awaiting_manual", "late"])
    for r in table:
        writer.writerow([csv_cell(r.student), csv_cell(r.assignment), _num(r.score), _num(r.max_score),
                         csv_cell(r.status), _num(r.awaiting_manual), "yes" if r.late else ""])
    return buf.getvalue()


def table_text(table: list[Row]) -> str:
    """The end-of-run table: student, assignment, score, points left to grade by hand, status, time, peak memory."""
    head = ("student", "assignment", "score", "by hand", "status", "time", "peak mem")
    body = [
        (printable(r.student), printable(r.assignment), f"{_num(r.score)}/{_num(r.max_score)}",
         f"{_num(r.awaiting_manual)} pts" if r.awaiting_manual else "", printable(r.status),
         f"{r.seconds:.1f} s", f"{r.peak_memory_mb:.0f} MB")
        for r in table
    ]
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [head, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


SKIPPED_SHOWN = 20


def skipped_csv(skipped) -> str:
    """skipped.csv: every input entry not graded as it stands: path, the student it names, why."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["path", "student_id", "reason"])
    for s in skipped:
        writer.writerow([csv_cell(s.origin), csv_cell(s.student), csv_cell(s.reason)])
    return buf.getvalue()


def skipped_text(skipped, csv_path) -> str:
    """The end-of-run list of skipped entries (the first SKIPPED_SHOWN of them), or ""."""
    if not skipped:
        return ""
    lines = [f"{len(skipped)} input entr{'y was' if len(skipped) == 1 else 'ies were'} not graded as "
             f"submitted (all in {csv_path}):"]
    for s in skipped[:SKIPPED_SHOWN]:
        who = f" [{printable(s.student)}]" if s.student else ""
        lines.append(f"  {printable(s.origin)}{who}: {printable(s.reason)}")
    if len(skipped) > SKIPPED_SHOWN:
        lines.append(f"  ... and {len(skipped) - SKIPPED_SHOWN} more")
    return "\n".join(lines)
