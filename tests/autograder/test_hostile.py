"""The hostile corpus: each case is contained, gets its expected status and never an unearned point.

Cases live in tests/autograder/hostile/<case>/ (regenerate with hostile/make_corpus.py). All cases
are graded once, two at a time, with short limits; each test then checks one case.
"""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from autograder.execute import Limits, grade_submission
from autograder.integrity import read_source, source_tests

HOSTILE = Path(__file__).resolve().parent / "hostile"
SOLUTIONS = HOSTILE.parents[2] / "solutions"
SOURCE = SOLUTIONS / "01_perceptron" / "01_perceptron.ipynb"
CASES = sorted(p.name for p in HOSTILE.iterdir() if (p / "expected.json").exists())


def _limits(case: str) -> Limits:
    """Short limits; the generous time limit keeps a loaded machine from timing out ordinary cases."""
    expected = json.loads((HOSTILE / case / "expected.json").read_text())
    return Limits(timeout_s=expected.get("timeout_s", 120), memory_mb=1024, max_output_bytes=200_000)


def _source(case: str) -> Path:
    unit = json.loads((HOSTILE / case / "expected.json").read_text()).get("unit", "01_perceptron")
    return SOLUTIONS / unit / f"{unit}.ipynb"


@pytest.fixture(scope="module")
def results():
    with ThreadPoolExecutor(2) as pool:
        futures = {c: pool.submit(grade_submission, HOSTILE / c / "submission.ipynb", _source(c), _limits(c))
                   for c in CASES}
        return {c: f.result() for c, f in futures.items()}


def test_corpus_is_large_enough():
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES)
def test_case(case, results):
    expected = json.loads((HOSTILE / case / "expected.json").read_text())
    result = results[case]
    statuses = expected["status"] if isinstance(expected["status"], list) else [expected["status"]]
    assert result.status in statuses, (result.status, result.notes, result.messages)
    earned = sum(s for s, _ in result.scores.values())
    if "points" in expected:
        assert earned == expected["points"], (result.scores, result.messages, result.notes)
    assert earned <= expected.get("max_points", expected.get("points")), result.scores
    assert set(result.scores) == set(source_tests(read_source(_source(case))))
    for gid, (score, points) in result.scores.items():
        assert score == points or result.messages.get(gid), f"silent 0 for {gid}"
    if "note" in expected:
        assert any(expected["note"] in n for n in result.notes), result.notes
    feedback = json.dumps(result.feedback_notebook or {})
    assert "BEGIN HIDDEN TESTS" not in feedback and "hidden=True" not in feedback
    outputs = json.dumps([c.get("outputs", []) for c in (result.feedback_notebook or {}).get("cells", [])])
    assert "grader-marker" not in outputs
    if "feedback_contains" in expected:
        assert expected["feedback_contains"] in outputs
    if "feedback_lacks" in expected:
        assert expected["feedback_lacks"] not in outputs, outputs
    for path in expected.get("host_absent", []):
        assert not Path(path).exists(), f"the submission wrote {path}"


RUNTIME_CASES = ["monkeypatch_checker", "monkeypatch_allclose", "monkeypatch_assertionerror",
                 "showtraceback_exploit", "reference_patched_from_scan", "rebind_checker"]


def test_runtime_layers_hold_without_the_static_scan(monkeypatch):
    """Defence in depth: with the scan switched off, the kernel-side guard still gives no point."""
    from autograder import execute
    monkeypatch.setattr(execute.static_scan, "scan", lambda *a, **k: [])
    with ThreadPoolExecutor(2) as pool:
        results = dict(zip(RUNTIME_CASES, pool.map(
            lambda c: grade_submission(HOSTILE / c / "submission.ipynb", SOURCE, _limits(c)), RUNTIME_CASES)))
    for case, result in results.items():
        assert result.status in ("graded", "tampered"), (case, result.status, result.notes)
        assert sum(s for s, _ in result.scores.values()) == 0, (case, result.scores)


def test_sandbox_holds_without_the_static_scan(monkeypatch):
    """The kernel cannot see the runner's files, descriptors or memory, even if the scan let it try."""
    from autograder import execute
    monkeypatch.setattr(execute.static_scan, "scan", lambda *a, **k: [])
    result = grade_submission(HOSTILE / "probe_runner" / "submission.ipynb", SOURCE, _limits("probe_runner"))
    outputs = json.dumps([c.get("outputs", []) for c in result.feedback_notebook["cells"]])
    assert result.status == "graded" and "uid " in outputs and "LEAK" not in outputs, outputs
    assert "uid 0" not in outputs or "WARNING" in " ".join(execute.describe_protections())
