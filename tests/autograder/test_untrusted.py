"""Cleaning text a submission controls, for the terminal, the CSV and stored pages (in process)."""

from __future__ import annotations

import csv
import io
import json

from autograder import feedback, report
from autograder.collect import Skipped
from autograder.untrusted import csv_cell, printable, scrub, scrub_tree


def test_printable_escapes_what_could_move_the_cursor_or_forge_a_line():
    assert printable("alice_toy.ipynb") == "alice_toy.ipynb"
    assert printable("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert printable("x\rgraded") == "x\\x0dgraded" and printable("x\ny") == "x\\x0ay"
    assert printable("\u202eevil") == "\\u202eevil"  # right-to-left override
    assert printable("bad \udcff byte") == "bad \\udcff byte"
    assert printable("élève 学生") == "élève 学生"


def test_csv_cells_never_start_a_formula():
    for value in ("=SUM(A1)", "+1", "-2", "@cmd"):
        assert csv_cell(value) == "'" + value
    assert csv_cell("\t=1") == "\\x09=1" and csv_cell("\r=1") == "\\x0d=1"  # escaped: no longer a formula
    assert csv_cell("alice") == "alice" and csv_cell("0") == "0"


def test_scrub_makes_every_string_encodable():
    tree = scrub_tree({"a\ud800": ["x\udcff", 3, {"k": "ok"}]})
    assert json.dumps(tree, ensure_ascii=False).encode("utf-8")
    assert scrub("fine") == "fine" and "\ufffd" in tree["a\ufffd"][0]


def test_skipped_report_is_clean_on_the_terminal_and_in_the_csv(tmp_path):
    skipped = [Skipped("\x1b[31mx_toy.ipynb", "student id '\x1b[31mx' is not valid"),
               Skipped("=HYPERLINK(1)_toy.ipynb", "matches no assignment", "")]
    text = report.skipped_text(skipped, tmp_path / "skipped.csv")
    assert "\x1b" not in text and "\\x1b[31mx_toy.ipynb" in text
    rows = list(csv.reader(io.StringIO(report.skipped_csv(skipped))))
    assert rows[2][0] == "'=HYPERLINK(1)_toy.ipynb" and "\x1b" not in rows[1][0]


def _result(notes, feedback_notebook=None):
    return {"status": "wrong assignment", "scores": {"t": [0.0, 1.0]}, "messages": {"t": "not graded"},
            "notes": notes, "seconds": 0.0, "peak_memory_mb": 0.0, "feedback_notebook": feedback_notebook}


def test_grader_notes_are_text_never_markdown(tmp_path):
    notes = ["its cells belong to another assignment (![x](http://evil.example/p.png), [c](javascript:alert(1)))"]
    [page] = feedback.write_all({("amy", "toy", "toy"): _result(notes)}, tmp_path)
    html = page.read_text(encoding="utf-8")
    assert "![x](http://evil.example/p.png)" in html  # shown as the text it is
    assert 'src="http://evil' not in html and 'href="javascript' not in html


def test_one_page_that_cannot_render_leaves_a_plain_page_and_the_others_intact(tmp_path, monkeypatch):
    real = feedback.feedback_notebook

    def fragile(student, results, manual=None):
        if student == "bob":
            raise ValueError("a notebook nbconvert cannot render")
        return real(student, results, manual)

    monkeypatch.setattr(feedback, "feedback_notebook", fragile)
    results = {("amy", "toy", "toy"): _result(["fine"]), ("bob", "toy", "toy"): _result(["lone \ud800"])}
    pages = {p.stem: p.read_text(encoding="utf-8") for p in feedback.write_all(results, tmp_path)}
    assert set(pages) == {"amy", "bob"}
    assert "could not be shown: ValueError" in pages["bob"] and "Feedback for bob" in pages["bob"]
    assert "could not be shown" not in pages["amy"]
