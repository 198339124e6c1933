"""Read a submission and rebuild it around the source notebook's protected cells.

Policy (what a learner may change and what the grader does about the rest):
- Cells are matched to the source notebook's nbgrader cells by ``grade_id``.
- Every locked cell (test cells, read-only prose and code) is taken from the source, hidden tests
  included, like nbgrader's OverwriteCells. If its text had been edited, a note says so.
- A deleted locked cell is put back after the previous source cell the submission still has and
  after the cells the learner added right behind it (so their code runs before the test), with a note.
- A deleted answer (solution) cell is *not* put back (the source holds the solution); a note says
  so and its tests fail with the learner's own NameError.
- A copy of a locked cell carrying the same ``grade_id`` is dropped; a copy of an answer cell
  keeps its code as an ordinary cell. An unmarked cell whose text is a test cell's visible text
  is a metadata-stripped or retyped test cell: it is replaced by the source cell when that test
  is missing, else dropped as a duplicate; each with a note.
- Restoring makes grading trustworthy again, so these cases stay "graded" with notes; never a
  silent 0. A notebook with none of the source's ``grade_id``s is the "wrong assignment" (cells
  every unit has, such as the Colab set-up cell, do not count).
"""
from __future__ import annotations

import copy
import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder import untrusted
from autograder.input_limits import MAX_CELLS, MAX_JSON_DEPTH, MAX_NOTEBOOK_BYTES, MAX_SOURCE_CHARS, MIB
from nnkit.colab import NBGRADER as _COLAB_CELL

COMMON_CELLS = {_COLAB_CELL["grade_id"]}  # in every unit: no sign of which assignment a notebook is

_HIDDEN_BLOCK = re.compile(r"^[ \t]*#+[ \t]*BEGIN HIDDEN TESTS.*?^[ \t]*#+[ \t]*END HIDDEN TESTS[^\n]*\n?",
                           re.IGNORECASE | re.MULTILINE | re.DOTALL)
_SIMILAR = 0.9


class SubmissionProblem(Exception):
    """A submission that cannot be graded: ``status`` and a learner-facing message."""

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def nbgrader_meta(cell: dict) -> dict:
    """The cell's nbgrader metadata, or {}."""
    meta = cell.get("metadata", {})
    return meta.get("nbgrader") or {} if isinstance(meta, dict) else {}


def is_autograded_test(cell: dict) -> bool:
    """An autograded test cell: a code cell with grade=true, solution=false."""
    meta = nbgrader_meta(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def strip_hidden_tests(text: str) -> str:
    """Text with every ``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS`` block removed."""
    return _HIDDEN_BLOCK.sub("", text)


def _normalized(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines() if line.strip())


def _same_text(a: str, b: str) -> bool:
    a, b = _normalized(a), _normalized(b)
    if a == b or not a:
        return a == b
    matcher = difflib.SequenceMatcher(None, a, b)  # cheap upper bounds first: a huge cell costs nothing
    return all(bound() >= _SIMILAR for bound in (matcher.real_quick_ratio, matcher.quick_ratio, matcher.ratio))


def read_source(path: Path) -> nbformat.NotebookNode:
    """The trusted source notebook (errors propagate: a broken source is the grader's bug)."""
    return nbformat.read(str(path), as_version=4)


def read_submission(path: Path) -> nbformat.NotebookNode:
    """Parse a submitted file into a notebook; raises SubmissionProblem for empty/malformed ones."""
    try:
        size = path.stat().st_size
        if size > MAX_NOTEBOOK_BYTES:
            raise SubmissionProblem("malformed notebook", f"the file is {size / MIB:.1f} MiB, more than the "
                                                          f"{MAX_NOTEBOOK_BYTES // MIB} MiB a notebook may have")
        raw = path.read_bytes()
    except OSError as e:
        raise SubmissionProblem("malformed notebook", f"the file cannot be read ({e.strerror})") from None
    if not raw.strip():
        raise SubmissionProblem("empty", "the submitted file is empty")
    try:
        data = json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise SubmissionProblem("malformed notebook", _too_deep()) from None
    except (UnicodeDecodeError, ValueError) as e:
        raise SubmissionProblem("malformed notebook", f"the file is not valid notebook JSON ({e})") from None
    if _depth_exceeds(data, MAX_JSON_DEPTH):
        raise SubmissionProblem("malformed notebook", _too_deep())
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
        raise SubmissionProblem("malformed notebook", "the file is JSON but not a notebook (no list of cells)")
    if not cells:
        raise SubmissionProblem("empty", "the notebook has no cells")
    if len(cells) > MAX_CELLS:
        raise SubmissionProblem("malformed notebook", f"the notebook has {len(cells)} cells, more than the "
                                                      f"{MAX_CELLS} allowed: delete the empty or repeated ones")
    nb = nbformat.v4.new_notebook()
    nb.cells = [_plain_cell(number, cell) for number, cell in enumerate(cells, 1)]
    text = sum(len(c.source) for c in nb.cells)
    if text > MAX_SOURCE_CHARS:
        raise SubmissionProblem("malformed notebook", f"the notebook's cells hold {text:,} characters, more than "
                                                      f"the {MAX_SOURCE_CHARS:,} allowed (outputs do not count)")
    return nb


def _too_deep() -> str:
    return (f"the notebook's JSON is nested more than {MAX_JSON_DEPTH} levels deep, which no notebook "
            "needs: save it again from Jupyter")


def _depth_exceeds(value, limit: int) -> bool:
    """True when lists and dicts nest deeper than ``limit`` in ``value`` (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        for child in children:
            if isinstance(child, (dict, list)):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


_NBGRADER_FIELDS = ("grade", "solution", "locked", "task", "grade_id", "points", "schema_version", "cell_type")


def _plain_cell(number: int, cell: dict) -> nbformat.NotebookNode:
    """A submitted cell rebuilt from its text and its nbgrader fields alone (outputs are not kept)."""
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        source = "".join(source)
    if not isinstance(source, str):
        raise SubmissionProblem("malformed notebook", f"the source of cell {number} is not text ("
                                f"{type(source).__name__}): save the notebook again from Jupyter")
    kind = cell.get("cell_type")
    new = (nbformat.v4.new_code_cell if kind == "code" else
           nbformat.v4.new_raw_cell if kind == "raw" else nbformat.v4.new_markdown_cell)(untrusted.scrub(source))
    meta = cell.get("metadata")
    grading = meta.get("nbgrader") if isinstance(meta, dict) else None
    if isinstance(grading, dict):
        new.metadata["nbgrader"] = {k: untrusted.scrub(v) if isinstance(v, str) else v
                                    for k, v in grading.items()
                                    if k in _NBGRADER_FIELDS and isinstance(v, (str, bool, int, float))}
    return new


@dataclass
class Reconciled:
    """The notebook to run, its autograded tests (grade_id -> (cell index, points)) and notes."""

    notebook: nbformat.NotebookNode
    tests: dict[str, tuple[int, float]]
    notes: list[str] = field(default_factory=list)


def source_tests(source: nbformat.NotebookNode) -> dict[str, float]:
    """grade_id -> points for every autograded test cell of the source, in order."""
    return {nbgrader_meta(c)["grade_id"]: float(nbgrader_meta(c).get("points", 0) or 0)
            for c in source.cells if is_autograded_test(c)}


def _from_source(cell: dict) -> nbformat.NotebookNode:
    new = copy.deepcopy(cell)
    if new.get("cell_type") == "code":
        new["outputs"], new["execution_count"] = [], None
    return nbformat.from_dict(new)


def _plain(cell: dict) -> nbformat.NotebookNode:
    new = copy.deepcopy(cell)
    new.metadata.pop("nbgrader", None)
    return new


# A submitted cell and the source grade_id it stands for (None: the learner's own cell).
Entry = tuple[str | None, nbformat.NotebookNode]


@dataclass
class _Source:
    """The source notebook's nbgrader cells: by grade_id, in order, and which are autograded tests."""

    cells: dict[str, nbformat.NotebookNode]
    order: list[str]
    tests: list[str]

    @classmethod
    def of(cls, source: nbformat.NotebookNode) -> "_Source":
        cells = {nbgrader_meta(c)["grade_id"]: c for c in source.cells if nbgrader_meta(c).get("grade_id")}
        return cls(cells, list(cells), [g for g in cells if is_autograded_test(cells[g])])

    def locked(self, gid: str) -> bool:
        return bool(nbgrader_meta(self.cells[gid]).get("locked"))

    def kind(self, gid: str) -> str:
        return "test cell" if gid in self.tests else "locked cell"


def reconcile(submission: nbformat.NotebookNode, source: nbformat.NotebookNode) -> Reconciled:
    """Rebuild ``submission`` with the source's protected cells; raises SubmissionProblem.

    Four steps: match the submitted cells to the source's by grade_id; take back test cells whose
    metadata was stripped (or retyped); rebuild each matched cell from the source; put back the
    locked cells the submission deleted."""
    src, notes = _Source.of(source), []
    entries, foreign = _match_cells(submission, src, notes)
    if not any(g and g not in COMMON_CELLS for g, _ in entries) and not _stripped_tests(entries, src):
        detail = (f"its cells belong to another assignment ({', '.join(sorted(foreign)[:5])})" if foreign
                  else "none of its cells carry this assignment's grading metadata")
        raise SubmissionProblem("wrong assignment", f"this is not the expected notebook: {detail}")
    entries = _reclaim_unmarked_tests(entries, src, notes)
    cells = [_rebuilt(gid, cell, src, notes) for gid, cell in entries]
    _restore_deleted(cells, src, {_normalized(c.source) for c in source.cells if not nbgrader_meta(c)}, notes)
    nb = nbformat.v4.new_notebook(metadata=copy.deepcopy(source.metadata))
    nb.cells = [c for _, c in cells]
    index = {g: i for i, (g, _) in enumerate(cells) if g}
    points = source_tests(source)
    return Reconciled(nb, {g: (index[g], points[g]) for g in src.tests}, notes)


def _match_cells(submission, src: _Source, notes: list[str]) -> tuple[list[Entry], set[str]]:
    """Each submitted cell as an entry; duplicates of locked cells dropped; the foreign grade_ids seen."""
    entries: list[Entry] = []
    foreign: set[str] = set()
    for cell in submission.cells:
        gid = nbgrader_meta(cell).get("grade_id")
        gid = gid if isinstance(gid, str) and gid else None
        if gid in src.cells and gid not in {g for g, _ in entries}:
            entries.append((gid, cell))
        elif gid in src.cells and src.locked(gid):
            notes.append(f"a duplicate of cell {gid} was removed")
        elif gid in src.cells:
            notes.append(f"a copy of answer cell {gid} was kept as an ordinary cell")
            entries.append((None, _plain(cell)))
        else:
            if gid:
                foreign.add(str(gid))
            entries.append((None, _plain(cell)))
    return entries, foreign


def _reclaim_unmarked_tests(entries: list[Entry], src: _Source, notes: list[str]) -> list[Entry]:
    """An unmarked code cell holding a test's visible text becomes that test when it is missing,
    and is dropped as a copy when the test is there."""
    entries, dropped = list(entries), set()
    present = {g for g, _ in entries if g}
    for test in src.tests:
        visible = strip_hidden_tests(src.cells[test].source)
        for i, (gid, cell) in enumerate(entries):
            if gid is not None or i in dropped or cell.cell_type != "code" or not _same_text(cell.source, visible):
                continue
            if test in present:
                notes.append(f"an unmarked copy of test cell {test} was removed")
                dropped.add(i)
            else:
                notes.append(f"test cell {test} had lost its grading metadata; restored from the source")
                entries[i] = (test, cell)
                present.add(test)
    return [entry for i, entry in enumerate(entries) if i not in dropped]


def _rebuilt(gid: str | None, cell, src: _Source, notes: list[str]) -> Entry:
    """A locked cell taken from the source (noting an edit); an answer cell's text with the source's metadata."""
    if gid is None:
        return None, cell
    original = src.cells[gid]
    if src.locked(gid):
        visible = strip_hidden_tests(original.source)
        if _normalized(cell.source) not in (_normalized(visible), _normalized(original.source)):
            notes.append(f"{src.kind(gid)} {gid} was edited; restored from the source")
        return gid, _from_source(original)
    make = nbformat.v4.new_code_cell if original.cell_type == "code" else nbformat.v4.new_markdown_cell
    new = make(cell.source)
    new.metadata = copy.deepcopy(original.metadata)
    return gid, new


def _restore_deleted(cells: list[Entry], src: _Source, source_texts: set[str], notes: list[str]) -> None:
    """Put back, in place, each locked source cell the submission lacks; note deleted answer cells."""
    present = {g for g, _ in cells if g}
    for pos, gid in enumerate(src.order):
        if gid in present:
            continue
        if not src.locked(gid):
            notes.append(f"answer cell {gid} was deleted; its tests cannot pass")
            continue
        index = _insertion_point(cells, [g for g in src.order[:pos] if g in present], source_texts)
        cells.insert(index, (gid, _from_source(src.cells[gid])))
        present.add(gid)
        notes.append(f"{src.kind(gid)} {gid} was deleted; restored from the source")


def _insertion_point(cells, earlier: list[str], source_texts: set[str]) -> int:
    """After the last earlier source cell present and the learner's own cells that follow it."""
    index = next((i + 1 for i in range(len(cells) - 1, -1, -1) if earlier and cells[i][0] == earlier[-1]), 0)
    while index < len(cells) and cells[index][0] is None and _normalized(cells[index][1].source) not in source_texts:
        index += 1
    return index


def _stripped_tests(entries: list[Entry], src: _Source) -> bool:
    """True when unmarked cells still hold most test cells' text (metadata stripped wholesale)."""
    found = sum(any(g is None and _same_text(c.source, strip_hidden_tests(src.cells[t].source)) for g, c in entries)
                for t in src.tests)
    return bool(src.tests) and found * 2 > len(src.tests)
