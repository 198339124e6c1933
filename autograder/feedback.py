"""One feedback HTML per student: a summary of failed tests on top, then each feedback notebook.

The notebooks are the grader's feedback notebooks (hidden tests already removed). Messages,
notes and notebook contents are text a submission controls, so:
- the summary is HTML built here with every piece of text escaped, never read as markdown
  (a note holding ``![x](http://...)`` or ``[x](javascript:...)`` stays plain text);
- learner markdown is rendered here and cleaned with an allow-list (``_clean``); outputs are
  rebuilt from their allowed parts (text, PNG/JPEG, cleaned HTML), without metadata; a widget,
  which cannot run on a static page, shows a short note instead of its constructor's text;
- a page is bounded: per notebook at most FEEDBACK_MAX_CELLS cells and FEEDBACK_MAX_CHARS
  characters, each text capped;
- a student whose page fails to render gets a plain page with the summary alone, and the
  other students' pages are written as usual.
(nbconvert's own ``sanitize_html`` escapes headings and paragraphs too, so the page would show
raw tags.) A file is rewritten only when that student's results changed (a digest sits in its
first line).

Speed: most of a class's cells are the release's own text, the same in every submission, so the
costly pure steps, rendering and cleaning a markdown cell and nbconvert's highlighting and
cleaning of a code cell, are remembered by their text (bounded caches); cells and outputs are
built from their allowed parts directly, without nbformat's per-node schema validation.
"""

from __future__ import annotations

import functools
import html
import json
from pathlib import Path

import bleach
import nbformat
from nbconvert.filters import clean_html
from nbconvert.filters.markdown import markdown2html

from autograder.input_limits import FEEDBACK_MAX_CELL_CHARS, FEEDBACK_MAX_CELLS, FEEDBACK_MAX_CHARS
from autograder.workspace import Slot, atomic_write, sha256

_DIGEST = "<!-- feedback-digest: {} -->\n"
_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "pre", "code", "em", "strong", "b", "i",
         "a", "ul", "ol", "li", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "div",
         "span", "sup", "sub", "del"}
_ATTRIBUTES = {"a": ["href", "title"], "*": ["class", "id"]}
_SAFE_DATA = ("text/plain", "image/png", "image/jpeg")
_WIDGET = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = "(an interactive widget: it runs in JupyterLab, not on this page)"
_RENDERED = "feedback-rendered-markdown"  # tag of code cells that only carry a learner's markdown
_CACHED_TEXTS = 4096  # distinct cell texts remembered per process (a class shares most of them)


def _clean(html_text: str) -> str:
    """Keep formatting tags; drop scripts, styles, event handlers and non-web links."""
    return bleach.clean(html_text, tags=_TAGS, attributes=_ATTRIBUTES,
                        protocols={"http", "https", "mailto"}, strip=True)


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def _markdown_html(source: str) -> str:
    """A markdown cell's text as cleaned HTML."""
    return _clean(markdown2html(source))


def _output(kind: str, **fields) -> nbformat.NotebookNode:
    """An output of ``kind`` (stream, error, display_data) with exactly ``fields``."""
    if kind == "display_data":
        fields.setdefault("metadata", {})
    return nbformat.from_dict({"output_type": kind, **fields})


def _code_cell(source: str, outputs: list, tags: list[str] | None = None) -> nbformat.NotebookNode:
    return nbformat.from_dict({"cell_type": "code", "execution_count": None, "source": source,
                               "metadata": {"tags": tags} if tags else {}, "outputs": outputs})


def _html_cell(html_text: str) -> nbformat.NotebookNode:
    """A cell that shows ``html_text`` (already safe) and no input."""
    return _code_cell("", [_output("display_data", data={"text/html": html_text})], tags=[_RENDERED])


def _capped(text, limit: int = FEEDBACK_MAX_CELL_CHARS) -> str:
    text = "".join(text) if isinstance(text, list) else text if isinstance(text, str) else ""
    return text if len(text) <= limit else text[:limit] + f"\n... ({len(text) - limit} more characters not shown)"


def _safe_output(output: dict) -> nbformat.NotebookNode | None:
    """An output rebuilt from its allowed parts: text capped, HTML cleaned, no metadata; None to drop it."""
    kind = output.get("output_type")
    if kind == "stream":
        name = output.get("name") if output.get("name") in ("stdout", "stderr") else "stdout"
        return _output("stream", name=name, text=_capped(output.get("text", "")))
    if kind == "error":
        return _output("error", ename=_capped(output.get("ename", ""), 200),
                       evalue=_capped(output.get("evalue", "")), traceback=[])
    data = output.get("data")
    if kind not in ("display_data", "execute_result") or not isinstance(data, dict):
        return None
    if _WIDGET in data:  # its text form is the widget's constructor, e.g. "VBox(children=(HBox(..."
        return _output("stream", name="stdout", text=WIDGET_NOTE + "\n")
    kept = {k: v for k, v in data.items() if k in _SAFE_DATA and isinstance(v, (str, list))}
    kept = {k: _capped(v) if k == "text/plain" else "".join(v) for k, v in kept.items()}
    if isinstance(data.get("text/html"), (str, list)):
        kept["text/html"] = _clean(_capped(data["text/html"]))
    return _output("display_data", data=kept)


def _inert(cell: dict) -> nbformat.NotebookNode:
    """A learner's cell made safe to show: markdown as cleaned HTML, outputs reduced to safe types."""
    if cell.get("cell_type") == "markdown":  # shown as a cleaned HTML output, its input removed
        return _html_cell(_markdown_html(_capped(cell.get("source", ""))))
    if cell.get("cell_type") != "code":
        return nbformat.from_dict({"cell_type": "raw", "source": "", "metadata": {}})
    outputs = [_safe_output(o) for o in cell.get("outputs", []) if isinstance(o, dict)]
    return _code_cell(_capped(cell.get("source", "")), [o for o in outputs if o is not None])


def _by_hand(manual: list[dict]) -> str:
    """``, graded by hand: 2/3`` and what still awaits a human, for one notebook's summary line."""
    done = [m for m in manual if m["score"] is not None and not m["awaiting"]]
    waiting = sum(m["max_score"] or 0 for m in manual if m["awaiting"])
    text = ""
    if done:
        text += (f"; graded by hand: {sum(m['score'] for m in done):g}/"
                 f"{sum(m['max_score'] or 0 for m in done):g}")
    if waiting:
        text += f"; {waiting:g} points still to be graded by hand"
    return text


def _manual_section(results: list[tuple[Slot, dict]], manual: dict[Slot, list[dict]]) -> list[str]:
    """The grader's scores and comments, per cell, as escaped HTML."""
    rows = []
    for slot, _ in results:
        for m in manual.get(slot, []):
            score = ("not graded yet" if m["awaiting"] or m["score"] is None
                     else f"{m['score']:g}/{m['max_score']:g} points" if m["max_score"] is not None else "")
            comment = f"<blockquote>{html.escape(m['comment'])}</blockquote>" if m.get("comment") else ""
            rows.append(f"<li><strong>{html.escape(slot[1])}: {html.escape(m['cell'])}</strong> {score}{comment}</li>")
    return ["<h2>Graded by hand</h2>", "<ul>", *rows, "</ul>"] if rows else []


def _summary(student: str, results: list[tuple[Slot, dict]], manual: dict[Slot, list[dict]]) -> str:
    """HTML, every piece of text escaped (nothing read as markdown): per notebook its score and
    status, what was graded by hand, each failed test's message, then the grader's notes."""
    esc = html.escape
    items = []
    for slot, r in results:
        got = sum(s for s, _ in r["scores"].values())
        out_of = sum(m for _, m in r["scores"].values())
        items.append(f"<li><strong>{esc(slot[1])}</strong> ({esc(slot[2])}.ipynb): {got:g}/{out_of:g} "
                     f"points on the automatic tests{_by_hand(manual.get(slot, []))}, "
                     f"status: {esc(r['status'])}</li>")
    parts = [f"<h1>Feedback for {esc(student)}</h1>", "<ul>", *items, "</ul>", *_manual_section(results, manual)]
    failed = [(assignment, gid, r["scores"].get(gid), message)
              for (_, assignment, _), r in results
              for gid, message in sorted(r.get("messages", {}).items()) if message]
    if failed:
        parts.append("<h2>Tests that did not pass</h2>")
        for assignment, gid, score, message in failed:
            points = f" ({score[0]:g}/{score[1]:g})" if score else ""
            parts += [f"<h3>{esc(assignment)}: {esc(gid)}{points}</h3>", f"<pre>{esc(message)}</pre>"]
    notes = [(assignment, note) for (_, assignment, _), r in results for note in r.get("notes", [])]
    if notes:
        parts += ["<h2>Notes from the grader</h2>", "<ul>"]
        parts += [f"<li>{esc(assignment)}: {esc(note)}</li>" for assignment, note in notes]
        parts.append("</ul>")
    return "\n".join(parts)


def feedback_notebook(student: str, results: list[tuple[Slot, dict]],
                      manual: dict[Slot, list[dict]] | None = None) -> nbformat.NotebookNode:
    """The summary followed by every feedback notebook of ``results`` (sorted by slot), each cut to
    the leading cells within the feedback bounds, so that a huge submission gives a bounded page."""
    nb = nbformat.from_dict({"cells": [_html_cell(_summary(student, results, manual or {}))], "metadata": {},
                             "nbformat": 4, "nbformat_minor": 5})
    for (_, assignment, notebook), r in results:
        nb.cells.append(_html_cell(f"<h1>{html.escape(assignment)}: {html.escape(notebook)}.ipynb</h1>"))
        shown = r.get("feedback_notebook")
        cells = shown.get("cells") if isinstance(shown, dict) else None
        if not isinstance(cells, list):
            nb.cells.append(_html_cell("<p><em>(no notebook could be shown for this submission)</em></p>"))
            continue
        shown_cells = _within_budget([_inert(cell) for cell in cells[:FEEDBACK_MAX_CELLS] if isinstance(cell, dict)])
        nb.cells.extend(shown_cells)
        if len(shown_cells) < len(cells):
            nb.cells.append(_html_cell(
                f"<p><em>({len(cells) - len(shown_cells)} more cells are not shown: a page shows at most "
                f"{FEEDBACK_MAX_CELLS} cells and {FEEDBACK_MAX_CHARS:,} characters of a notebook)</em></p>"))
    for n, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{n}"
    return nb


def _within_budget(cells: list[nbformat.NotebookNode]) -> list[nbformat.NotebookNode]:
    """The leading cells whose text and outputs together stay within FEEDBACK_MAX_CHARS."""
    used = 0
    for count, cell in enumerate(cells):
        used += len(cell.get("source", "")) + len(json.dumps(cell.get("outputs", [])))
        if used > FEEDBACK_MAX_CHARS:
            return cells[:count]
    return cells


def _fallback_page(student: str, results: list[tuple[Slot, dict]], manual: dict, exc: Exception) -> str:
    """A plain page with the summary alone, for a student whose notebooks could not be rendered."""
    return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Feedback</title></head><body>\n"
            f"{_summary(student, results, manual)}\n<p><em>(the notebooks could not be shown: "
            f"{html.escape(type(exc).__name__)})</em></p>\n</body></html>\n")


TEMPLATES = Path(__file__).resolve().parent / "templates"
MATHJAX_FILES = ("tex-svg-full.js", "ui/safe.js")  # MathJax 3's self-contained SVG build, and its Safe extension


@functools.lru_cache(maxsize=1)
def _exporter():
    """One exporter per process, so that its caches serve every page."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_input_tags = {_RENDERED}
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.extra_template_paths = [str(TEMPLATES)]
    config.HTMLExporter.template_file = "feedback.html.j2"
    config.HTMLExporter.mathjax_url = "mathjax/" + MATHJAX_FILES[0]
    config.HTMLExporter.filters = {"clean_html": functools.lru_cache(maxsize=_CACHED_TEXTS)(clean_html),
                                   "highlight_code": _cached_highlighter()}
    return HTMLExporter(config=config)


def _cached_highlighter():
    """nbconvert's Python highlighting of a code cell, remembered by its source (the cells built
    here carry no language of their own)."""
    from nbconvert.filters.highlight import Highlight2HTML

    highlight = functools.lru_cache(maxsize=_CACHED_TEXTS)(Highlight2HTML(pygments_lexer="ipython3"))
    return lambda source, language=None, metadata=None: highlight(source, language)


def install_mathjax(feedback_dir: Path) -> None:
    """Copy MathJax from its installed package (django-static-mathjax: static files only, no Django)
    next to the pages, so that formulas render offline and the folder can be handed back as it is."""
    import mathjax

    origin = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    for name in MATHJAX_FILES:
        data = (origin / name).read_bytes()
        target = feedback_dir / "mathjax" / name
        if not target.exists() or target.read_bytes() != data:
            atomic_write(target, data)


def write_all(results: dict[Slot, dict], feedback_dir: Path,
              manual: dict[Slot, list[dict]] | None = None) -> list[Path]:
    """Write ``<feedback_dir>/<student>.html`` for each student whose results or manual grades changed.

    ``manual``: per slot, what a human graded (``GradebookWriter.manual_part``)."""
    manual = manual or {}
    by_student: dict[str, list[tuple[Slot, dict]]] = {}
    for slot, result in sorted(results.items()):
        by_student.setdefault(slot[0], []).append((slot, result))
    exporter, written = None, []
    for student, mine in by_student.items():
        by_hand = {slot: manual.get(slot, []) for slot, _ in mine}
        digest = _DIGEST.format(sha256(json.dumps([mine, sorted(by_hand.items())], sort_keys=True).encode()))
        path = feedback_dir / f"{student}.html"
        if path.exists() and path.open(encoding="utf-8").readline() == digest:
            continue
        if exporter is None:
            exporter = _exporter()
            install_mathjax(feedback_dir)
        try:
            body, _ = exporter.from_notebook_node(feedback_notebook(student, mine, by_hand))
        except Exception as exc:  # one student's page never stops the others'
            body = _fallback_page(student, mine, by_hand, exc)
        atomic_write(path, (digest + body).encode("utf-8", "replace"))
        written.append(path)
    return written
