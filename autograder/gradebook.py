"""The single writer of nbgrader's gradebook: assignments from the sources, grades from results.

Assignments, notebooks and cells are registered by nbgrader's own ``generate_assignment``
(the SaveCells step), run on the source folder with the release written into the workspace.
Scores go into nbgrader's ``Grade.auto_score``; ``manual_score`` is never touched, so an
instructor's manual grades survive any re-run. A submission whose status is not "graded"
is flagged and its grades marked as needing manual grading.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from autograder.nbgrader_schema import read_schema_head_in_process
from autograder.workspace import Slot, atomic_write, sha256

CONFIG_DIR = Path(__file__).resolve().parent


def _nbgrader_config(workspace: Path, source_dir: Path, db_url: str):
    """The repository's nbgrader config, pointed at ``source_dir`` and the workspace."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    if (CONFIG_DIR / "nbgrader_config.py").exists():
        config = PyFileConfigLoader("nbgrader_config.py", path=str(CONFIG_DIR)).load_config()
    config.CourseDirectory.root = str(workspace)
    config.CourseDirectory.source_directory = str(source_dir)
    config.CourseDirectory.release_directory = str(workspace / "release")
    config.CourseDirectory.db_url = db_url
    config.Exchange.root = str(workspace / "exchange")
    return config


class GradebookError(RuntimeError):
    """nbgrader refused to register the sources (e.g. cells added after grading began)."""


class GradebookWriter:
    """Owns the gradebook connection for one run; only the main process creates one."""

    def __init__(self, db_url: str, workspace: Path, source_dir: Path):
        from nbgrader.apps import NbGraderAPI

        self.db_url = db_url
        self.workspace = Path(workspace).resolve()
        self.source_dir = Path(source_dir).resolve()
        self.api = NbGraderAPI(config=_nbgrader_config(self.workspace, self.source_dir, db_url))
        self.course_id = self.api.coursedir.course_id or "default_course"
        read_schema_head_in_process()
        self.gb = Gradebook(db_url, self.course_id)
        self._marker = self.workspace / f"registered-{sha256(db_url.encode())[:12]}.json"
        atomic_write(self.workspace / "nbgrader_config.py", self._course_config().encode())

    def _course_config(self) -> str:
        """nbgrader_config.py for the workspace: nbgrader's own tools, run there, use its gradebook."""
        coursedir = self.api.coursedir
        lines = [
            '"""Written by the grader (python -m autograder): this folder as an nbgrader course directory.',
            "",
            "Run nbgrader's tools here (formgrader: python -m autograder.formgrader <this folder>).",
            '"""',
            "c = get_config()  # noqa: F821",
            f"c.CourseDirectory.root = {str(self.workspace)!r}",
            f"c.CourseDirectory.source_directory = {str(self.source_dir)!r}",
            f"c.CourseDirectory.release_directory = {coursedir.release_directory!r}",
            f"c.CourseDirectory.db_url = {self.db_url!r}",
            f"c.CourseDirectory.course_id = {self.course_id!r}",
            f"c.Exchange.root = {str(self.workspace / 'exchange')!r}",
        ]
        return "\n".join(lines) + "\n"

    def close(self) -> None:
        self.gb.close()

    def register(self, assignments: dict[str, str]) -> None:
        """Create or update each assignment ``{name: checksum of its sources}`` when needed."""
        done = json.loads(self._marker.read_text()) if self._marker.exists() else {}
        for name, checksum in sorted(assignments.items()):
            try:
                self.gb.find_assignment(name)
                if done.get(name) == checksum:
                    continue
            except MissingEntry:
                pass
            result = self.api.generate_assignment(name, force=True, create=True)
            if not result["success"]:
                raise GradebookError(
                    f"nbgrader could not register assignment {name} in the gradebook:\n"
                    f"{result.get('error', '')}{result.get('log', '')}"
                )
            self.gb.db.expire_all()
            done[name] = checksum
            atomic_write(self._marker, json.dumps(done, sort_keys=True).encode())

    def record(self, slot: Slot, result: dict, changed: bool) -> None:
        """Write one result's scores into the gradebook (idempotent) and commit.

        ``changed``: the submission differs from the one recorded before. A grade a human gave
        (``manual_score``) keeps its ``needs_manual_grade`` state while the submission is
        unchanged, and is flagged again when it changed; formgrader clears the flag on saving.
        """
        student, assignment, notebook = slot
        gb = self.gb
        gb.update_or_create_student(student)
        try:
            gb.find_submission(assignment, student)
        except MissingEntry:
            with warnings.catch_warnings():  # nbgrader's add_submission trips SQLAlchemy's autoflush notice
                warnings.simplefilter("ignore")
                gb.add_submission(assignment, student)
        submitted = gb.find_submission_notebook(notebook, assignment, student)
        graded = result["status"] == "graded"
        scores = result.get("scores", {})
        for grade in submitted.grades:
            cell = grade.cell
            if cell.name in scores:
                grade.auto_score, pending = float(scores[cell.name][0]), not graded
            elif cell.cell_type == "markdown":  # a written answer: nbgrader leaves it to a human
                grade.auto_score, pending = None, True
            else:  # an autograded test the run gave no score for (missing cell, crash, timeout)
                grade.auto_score, pending = 0.0, True
            if grade.manual_score is None or changed:
                grade.needs_manual_grade = pending or grade.manual_score is not None
        submitted.flagged = not graded
        gb.db.commit()

    def manual_part(self, slot: Slot) -> list[dict]:
        """What a human entered for one notebook, per cell: ``{"cell", "score", "max_score", "awaiting",
        "comment"}``; written answers always appear (``score`` None until graded)."""
        student, assignment, notebook = slot
        try:
            submitted = self.gb.find_submission_notebook(notebook, assignment, student)
        except MissingEntry:
            return []
        entries: dict[str, dict] = {}
        for grade in submitted.grades:
            if grade.manual_score is not None or grade.cell.cell_type == "markdown":
                entries[grade.cell.name] = {"cell": grade.cell.name, "score": grade.manual_score,
                                            "max_score": grade.max_score, "awaiting": grade.needs_manual_grade,
                                            "comment": ""}
        for comment in submitted.comments:
            if comment.manual_comment:
                entry = entries.setdefault(comment.cell.name, {"cell": comment.cell.name, "score": None,
                                                               "max_score": None, "awaiting": False})
                entry["comment"] = comment.manual_comment
        return [entries[name] for name in sorted(entries)]

    def score(self, student: str, assignment: str) -> tuple[float, float, float] | None:
        """``(score, max_score, points awaiting manual grading)`` of a submission; None when not submitted."""
        try:
            sub = self.gb.find_submission(assignment, student)
        except MissingEntry:
            return None
        awaiting = sum(g.max_score for nb in sub.notebooks for g in nb.grades if g.needs_manual_grade)
        return float(sub.score), float(sub.max_score), float(awaiting)

    def max_score(self, assignment: str) -> float:
        return float(self.gb.find_assignment(assignment).max_score)

    def totals(self, slots) -> tuple[dict, dict]:
        """``({(student, assignment): score()}, {assignment: max_score()})`` for every pair of ``slots``."""
        students = sorted({slot[0] for slot in slots})
        assignments = sorted({slot[1] for slot in slots})
        return ({(s, a): self.score(s, a) for s in students for a in assignments},
                {a: self.max_score(a) for a in assignments})


def course_config(workspace: Path) -> tuple[str, Path]:
    """``(db_url, source folder)`` from the ``nbgrader_config.py`` the grader wrote in ``workspace``."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(workspace)).load_config()
    return config.CourseDirectory.db_url, Path(config.CourseDirectory.source_directory)
