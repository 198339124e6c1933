"""One feedback HTML per student: a summary of failed tests on top, then each feedback notebook.

The notebooks are the grader's feedback notebooks (hidden tests already removed). Messages
and notebook contents are the student's own text, so the summary is HTML-escaped and every
markdown cell and rich output is rendered here and cleaned with an allow-list (``_clean``):
a hostile submission cannot script the instructor's browser. (nbconvert's own
``sanitize_html`` escapes headings and paragraphs too, so the page would show raw tags.)
A file is rewritten only when that student's results changed (a digest sits in its first line).
"""

from __future__ import annotations

import copy
import html
import json
from pathlib import Path

import bleach
import nbformat
from nbconvert.filters.markdown import markdown2html
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

from autograder.workspace import Slot, atomic_write, sha256

_DIGEST = "<!-- feedback-digest: {} -->\n"
_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "pre", "code", "em", "strong", "b", "i",
         "a", "ul", "ol", "li", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "div",
         "span", "sup", "sub", "del"}
_ATTRIBUTES = {"a": ["href", "title"], "*": ["class", "id"]}
_SAFE_DATA = ("text/plain", "image/png", "image/jpeg")
_RENDERED = "feedback-rendered-markdown"  # tag of code cells that only carry a learner's markdown


def _clean(html_text: str) -> str:
    """Keep formatting tags; drop scripts, styles, event handlers and non-web links."""
    return bleach.clean(html_text, tags=_TAGS, attributes=_ATTRIBUTES,
                        protocols={"http", "https", "mailto"}, strip=True)


def _inert(cell: dict) -> nbformat.NotebookNode:
    """A learner's cell made safe to show: markdown as cleaned HTML, outputs reduced to safe types."""
    if cell.get("cell_type") == "markdown":  # shown as a cleaned HTML output, its input removed
        html_text = _clean(markdown2html(cell.get("source", "")))
        shown = new_code_cell("", outputs=[new_output("display_data", data={"text/html": html_text})])
        shown.metadata["tags"] = [_RENDERED]
        return shown
    if cell.get("cell_type") != "code":
        return new_raw_cell("")
    cell = nbformat.from_dict({**cell, "metadata": {}})
    for output in cell.get("outputs", []):
        data = output.get("data")
        if data is not None:
            kept = {k: v for k, v in data.items() if k in _SAFE_DATA}
            if "text/html" in data:
                kept["text/html"] = _clean("".join(data["text/html"]))
            output["data"] = kept
            output["metadata"] = {}
    return cell


def _summary(student: str, results: list[tuple[Slot, dict]]) -> str:
    """Markdown + escaped HTML: per notebook its score and status, then each failed test's message."""
    lines = [f"# Feedback for {html.escape(student)}", ""]
    for (_, assignment, notebook), r in results:
        got = sum(s for s, _ in r["scores"].values())
        out_of = sum(m for _, m in r["scores"].values())
        lines.append(f"- **{html.escape(assignment)}** ({html.escape(notebook)}.ipynb): "
                     f"{got:g}/{out_of:g} points on the automatic tests, status: {html.escape(r['status'])}")
    failed = [
        (assignment, gid, r["scores"].get(gid), message)
        for (_, assignment, _), r in results
        for gid, message in sorted(r.get("messages", {}).items())
        if message
    ]
    notes = [(assignment, note) for (_, assignment, _), r in results for note in r.get("notes", [])]
    if failed:
        lines += ["", "## Tests that did not pass", ""]
        for assignment, gid, score, message in failed:
            points = f" ({score[0]:g}/{score[1]:g})" if score else ""
            lines += [f"### {html.escape(assignment)}: {html.escape(gid)}{points}", "",
                      f"<pre>{html.escape(message)}</pre>", ""]
    if notes:
        lines += ["", "## Notes from the grader", ""]
        lines += [f"- {html.escape(assignment)}: {html.escape(note)}" for assignment, note in notes]
    return "\n".join(lines)


def feedback_notebook(student: str, results: list[tuple[Slot, dict]]) -> nbformat.NotebookNode:
    """The summary cell followed by every feedback notebook of ``results`` (sorted by slot)."""
    nb = new_notebook(cells=[new_markdown_cell(_summary(student, results))])
    for (_, assignment, notebook), r in results:
        nb.cells.append(new_markdown_cell(f"# {html.escape(assignment)}: {html.escape(notebook)}.ipynb"))
        shown = r.get("feedback_notebook")
        if not shown:
            nb.cells.append(new_markdown_cell("*(no notebook could be shown for this submission)*"))
            continue
        nb.cells.extend(_inert(cell) for cell in copy.deepcopy(shown).get("cells", []))
    for n, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{n}"
    return nb


def _exporter():
    from nbconvert import HTMLExporter

    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_input_tags = {_RENDERED}
    config.HTMLExporter.exclude_output_prompt = True
    return HTMLExporter(config=config)


def write_all(results: dict[Slot, dict], feedback_dir: Path) -> list[Path]:
    """Write ``<feedback_dir>/<student>.html`` for each student whose results changed."""
    by_student: dict[str, list[tuple[Slot, dict]]] = {}
    for slot, result in sorted(results.items()):
        by_student.setdefault(slot[0], []).append((slot, result))
    exporter, written = None, []
    for student, mine in by_student.items():
        digest = _DIGEST.format(sha256(json.dumps(mine, sort_keys=True).encode()))
        path = feedback_dir / f"{student}.html"
        if path.exists() and path.open(encoding="utf-8").readline() == digest:
            continue
        exporter = exporter or _exporter()
        body, _ = exporter.from_notebook_node(feedback_notebook(student, mine))
        atomic_write(path, (digest + body).encode("utf-8"))
        written.append(path)
    return written
