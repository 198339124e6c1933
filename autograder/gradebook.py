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

    def record(self, slot: Slot, result: dict) -> None:
        """Write one result's scores into the gradebook (idempotent) and commit."""
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
                grade.auto_score = float(scores[cell.name][0])
                manual = not graded
            elif cell.cell_type == "markdown":  # a written answer: nbgrader leaves it to a human
                grade.auto_score, manual = None, True
            else:  # an autograded test the run gave no score for (missing cell, crash, timeout)
                grade.auto_score, manual = 0.0, True
            grade.needs_manual_grade = manual or grade.manual_score is not None
        submitted.flagged = not graded
        gb.db.commit()

    def score(self, student: str, assignment: str) -> tuple[float, float, float] | None:
        """``(score, max_score, points awaiting manual grading)`` of a submission; None when not submitted."""
        try:
            sub = self.gb.find_submission(assignment, student)
        except MissingEntry:
            return None
        awaiting = sum(g.max_score for nb in sub.notebooks for g in nb.grades
                       if g.needs_manual_grade and g.manual_score is None)
        return float(sub.score), float(sub.max_score), float(awaiting)

    def max_score(self, assignment: str) -> float:
        return float(self.gb.find_assignment(assignment).max_score)
