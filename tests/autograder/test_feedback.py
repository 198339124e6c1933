"""Feedback pages from hand-made results, in process: summary on top, hostile text inert, rewritten only on change."""

from __future__ import annotations

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder import feedback

EVIL = "<script>alert('x')</script>"


def _result(status="graded", message=None):
    nb = new_notebook(cells=[new_markdown_cell(f"My answer {EVIL}"), new_code_cell("def add(a, b):\n    return a - b")])
    return {"status": status, "scores": {"add_visible": [0.0, 1.0], "add_hidden": [2.0, 2.0]},
            "messages": {"add_visible": message or f"AssertionError: expected 3, got -1 {EVIL}"},
            "notes": [], "seconds": 1.0, "peak_memory_mb": 10.0, "feedback_notebook": dict(nb)}


def test_summary_lists_failed_tests_before_the_notebook_and_escapes_everything(tmp_path):
    [page] = feedback.write_all({("bob", "toy", "toy"): _result()}, tmp_path)
    html = page.read_text()
    assert page.name == "bob.html"
    assert html.index("Tests that did not pass") < html.index("add_visible") < html.index("toy: toy.ipynb")
    assert "expected 3, got -1" in html and "2/3 points" in html
    assert "<script>alert" not in html  # neither from the message nor from the learner's markdown


def test_pages_are_rewritten_only_when_a_students_results_change(tmp_path):
    results = {("bob", "toy", "toy"): _result(), ("amy", "toy", "toy"): _result()}
    assert len(feedback.write_all(results, tmp_path)) == 2
    assert feedback.write_all(results, tmp_path) == []
    results[("bob", "toy", "toy")] = _result(message="AssertionError: still wrong")
    assert [p.name for p in feedback.write_all(results, tmp_path)] == ["bob.html"]


def test_learner_markdown_renders_as_formatting_and_rich_outputs_are_cleaned(tmp_path):
    nb = new_notebook(cells=[
        new_markdown_cell("## My heading\n\nSome **bold** [link](javascript:alert(1)) <img src=x onerror=alert(2)>"),
        new_code_cell("1", outputs=[{"output_type": "display_data", "metadata": {},
                                      "data": {"text/html": "<b>ok</b><script>alert(3)</script>",
                                               "application/javascript": "alert(4)",
                                               "text/plain": "shown"}}]),
    ])
    result = {**_result(), "feedback_notebook": dict(nb)}
    [page] = feedback.write_all({("amy", "toy", "toy"): result}, tmp_path)
    html = page.read_text()
    assert "<h2" in html and "My heading" in html and "&lt;h2" not in html
    assert "<strong>bold</strong>" in html and "<b>ok</b>" in html
    for attack in ("javascript:alert", "onerror", "<script>alert(3)", "alert(4)"):
        assert attack not in html, attack


def test_a_widget_shows_a_note_not_its_constructor(tmp_path):
    widget = {"output_type": "display_data", "metadata": {},
              "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2,
                                                                    "version_minor": 0},
                       "text/plain": "VBox(children=(HBox(children=(FloatSlider(value=1.0, description='w1'"}}
    nb = new_notebook(cells=[new_code_cell("viz.xor_line_explorer()", outputs=[widget])])
    [page] = feedback.write_all({("amy", "toy", "toy"): {**_result(), "feedback_notebook": dict(nb)}}, tmp_path)
    html = page.read_text()
    assert feedback.WIDGET_NOTE in html and "FloatSlider" not in html and "model_id" not in html
