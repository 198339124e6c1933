"""Any JSON at all, read and rebuilt: a submission problem with a reason, or a notebook; never a crash.

A crash here would become status "error" ("the grader failed: re-run"), and every re-run would
crash the same way. Hypothesis draws notebook-like JSON with wrong types in every field, plus
the shapes that once crashed (deep nesting, non-text sources, odd nbgrader metadata).
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograder import integrity, static_scan

MINI = Path(__file__).resolve().parent / "fixtures" / "mini_source.ipynb"
SOURCE = nbformat.read(MINI, as_version=4)
GRADE_IDS = [integrity.nbgrader_meta(c).get("grade_id") for c in SOURCE.cells if integrity.nbgrader_meta(c)]

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
                    st.sampled_from(GRADE_IDS + ["code", "markdown", "raw", "\ud800", "x\x00y"]))
anything = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                        max_leaves=20)
nbgrader_meta = st.dictionaries(st.sampled_from(["grade_id", "grade", "solution", "locked", "points", "task"]),
                                anything, max_size=5)
cell = st.fixed_dictionaries({}, optional={
    "cell_type": st.one_of(st.sampled_from(["code", "markdown", "raw"]), anything),
    "source": st.one_of(st.text(max_size=60), st.lists(st.text(max_size=20), max_size=3), anything),
    "metadata": st.one_of(st.fixed_dictionaries({"nbgrader": st.one_of(nbgrader_meta, anything)}), anything),
    "outputs": anything,
})
notebook = st.one_of(anything, st.fixed_dictionaries({"cells": st.one_of(st.lists(cell, max_size=8), anything)},
                                                     optional={"metadata": anything, "nbformat": anything}))


def _grade_path(tmp_path: Path, data: bytes) -> None:
    """What execute._grade does before the sandbox: read, reconcile, scan."""
    path = tmp_path / "s.ipynb"
    path.write_bytes(data)
    try:
        rec = integrity.reconcile(integrity.read_submission(path), SOURCE)
    except integrity.SubmissionProblem as problem:
        assert problem.status in ("empty", "malformed notebook", "wrong assignment") and problem.message
        return
    json.dumps(rec.notebook).encode("utf-8")  # storable and renderable: no lone surrogates left
    static_scan.scan([(i, c.source) for i, c in enumerate(rec.notebook.cells) if c.cell_type == "code"], {}, set())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(notebook)
def test_any_json_is_a_problem_or_a_notebook(tmp_path, value):
    _grade_path(tmp_path, json.dumps(value).encode())


def test_shapes_that_once_crashed(tmp_path):
    correct = json.loads(nbformat.writes(SOURCE))
    for data in (
        b'{"cells": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
        json.dumps({**correct, "metadata": {"x": json.loads("[" * 200 + "]" * 200)}}).encode(),
        json.dumps({"cells": [{"cell_type": "code", "source": ["a", 5]}]}).encode(),
        json.dumps({"cells": [{"cell_type": "code", "source": "x = '\ud800'"}]}).encode(),
        json.dumps({"cells": [{"cell_type": "code", "metadata": {"nbgrader": {"grade_id": ["a"]}},
                               "source": ""}]}).encode(),
        json.dumps({**correct, "cells": correct["cells"] + [{"cell_type": "code", "source": "a" + "+a" * 100_000}]}).encode(),
    ):
        _grade_path(tmp_path, data)
