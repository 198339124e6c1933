"""The hostile corpus: each case is contained, gets its expected status and never an unearned point.

Cases live in tests/autograder/hostile/<case>/ (regenerate with hostile/make_corpus.py). Host paths
in them are placeholders (``@@REPO@@``, ``@@RUN@@``), filled in a temporary copy with this checkout's
root and a fresh token, so a clone anywhere tests its own paths. All cases are graded once, two at a
time, with short limits; each test then checks one case.
"""
from __future__ import annotations

import json
import secrets
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from autograder import sandbox
from autograder.execute import Limits, grade_submission
from autograder.integrity import read_source, source_tests

HOSTILE = Path(__file__).resolve().parent / "hostile"
REPO = HOSTILE.parents[2]
SOLUTIONS = REPO / "solutions"
SOURCE = SOLUTIONS / "01_perceptron" / "01_perceptron.ipynb"
CASES = sorted(p.name for p in HOSTILE.iterdir() if (p / "expected.json").exists())
RUN = secrets.token_hex(6)


def _fill(text: str) -> str:
    """The corpus text with its placeholders replaced (the path lands in JSON and Python strings)."""
    assert not set(str(REPO)) & set("'\"\\\n"), f"a repository path the corpus cannot quote: {REPO}"
    return text.replace("@@REPO@@", str(REPO)).replace("@@RUN@@", RUN)


def _expected(case: str) -> dict:
    return json.loads(_fill((HOSTILE / case / "expected.json").read_text()))


def _limits(case: str) -> Limits:
    """Short limits; the generous time limit keeps a loaded machine from timing out ordinary cases."""
    return Limits(timeout_s=_expected(case).get("timeout_s", 120), memory_mb=1024, max_output_bytes=200_000)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A copy of the corpus with this checkout's paths; refuses to run it unsandboxed where bwrap exists."""
    _require_sandbox()
    root = tmp_path_factory.mktemp("hostile")
    for case in CASES:
        shutil.copytree(HOSTILE / case, root / case)
        submission = root / case / "submission.ipynb"
        raw = submission.read_bytes()
        if b"@@" in raw:
            submission.write_text(_fill(raw.decode()))
    return root


def _require_sandbox() -> None:
    if shutil.which("bwrap"):
        warnings = [line for line in sandbox.describe_protections() if "WARNING" in line]
        assert sandbox.bwrap_available() and not warnings, (
            "bubblewrap is installed but the sandbox did not start: the grader would fall back to the "
            f"unsandboxed runner ({warnings})")


def test_bubblewrap_sandbox_is_used_where_installed():
    """The unsandboxed fallback (for machines without bwrap) must never hide a broken sandbox."""
    if not shutil.which("bwrap"):
        pytest.skip("bubblewrap is not installed")
    _require_sandbox()


def _source(case: str) -> Path:
    unit = _expected(case).get("unit", "01_perceptron")
    return SOLUTIONS / unit / f"{unit}.ipynb"


def test_corpus_names_no_machine_path():
    """Generated elsewhere, the corpus would test (and attack) that machine's paths."""
    for case in CASES:
        for name in ("submission.ipynb", "expected.json"):
            text = (HOSTILE / case / name).read_bytes().decode(errors="replace")
            assert str(REPO) not in text and "/work/main" not in text, (case, name)


def _grade_cases(corpus: Path, cases: list[str]) -> dict:
    with ThreadPoolExecutor(2) as pool:
        futures = {c: pool.submit(grade_submission, corpus / c / "submission.ipynb", _source(c), _limits(c))
                   for c in cases}
        return {c: f.result() for c, f in futures.items()}


@pytest.fixture(scope="module")
def results(corpus):
    return _grade_cases(corpus, CASES)


def test_corpus_is_large_enough():
    assert len(CASES) >= 20


# Kernels are forked from the zygote where the grader is root (autograder/zygote.py); these cases
# also run with exec'd kernels, the path of a grader that is not root or whose zygote failed.
EXEC_CASES = ["fork_bomb", "memory_bomb", "network_call", "os_exit", "probe_runner", "read_gradebook",
              "read_own_notebook", "read_solutions", "segfault_ctypes", "write_outside"]


@pytest.fixture(scope="module")
def execd_results(corpus):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sandbox, "kernel_zygote", lambda: None)
        return _grade_cases(corpus, EXEC_CASES)


@pytest.mark.parametrize("case", CASES)
def test_case(case, results):
    _check(case, results[case])


@pytest.mark.parametrize("case", EXEC_CASES)
def test_case_with_an_execd_kernel(case, execd_results):
    _check(case, execd_results[case])


def _check(case: str, result) -> None:
    expected = _expected(case)
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


def test_runtime_layers_hold_without_the_static_scan(monkeypatch, corpus):
    """Defence in depth: with the scan switched off and every test cell run in the kernel (no
    verdict decided outside it), the kernel-side guard and the marker still give no point."""
    from autograder import execute
    monkeypatch.setattr(execute.static_scan, "scan", lambda *a, **k: [])
    monkeypatch.setattr(execute, "_graded_calls", lambda *a, **k: {})
    with ThreadPoolExecutor(2) as pool:
        results = dict(zip(RUNTIME_CASES, pool.map(
            lambda c: grade_submission(corpus / c / "submission.ipynb", SOURCE, _limits(c)), RUNTIME_CASES)))
    for case, result in results.items():
        assert result.status in ("graded", "tampered"), (case, result.status, result.notes)
        assert sum(s for s, _ in result.scores.values()) == 0, (case, result.scores)


ATTACKS = [c for c in CASES if _expected(c)["status"] == "tampered"
           or any(word in c for word in ("reference", "forged", "monkeypatch", "rebind", "showtraceback"))]


def test_every_attack_fails_at_the_first_line_alone(corpus):
    """The verdict decided outside the kernel is enough by itself: with the static scan, the audit
    hook and the restores all off, no attack earns a point its submission's own answers do not."""
    assert len(ATTACKS) >= 8
    with ThreadPoolExecutor(2) as pool:
        results = dict(zip(ATTACKS, pool.map(
            lambda c: grade_submission(corpus / c / "submission.ipynb", _source(c), _limits(c),
                                       second_line=False), ATTACKS)))
    for case, result in results.items():
        expected = _expected(case)
        earned = sum(s for s, _ in result.scores.values())
        assert result.status in ("graded", "kernel died"), (case, result.status, result.notes)
        assert earned <= expected.get("max_points", expected.get("points")), (case, result.scores, result.messages)


def test_sandbox_holds_without_the_static_scan(monkeypatch, corpus):
    """The kernel cannot see the runner's files, descriptors or memory, even if the scan let it try."""
    from autograder import execute
    monkeypatch.setattr(execute.static_scan, "scan", lambda *a, **k: [])
    result = grade_submission(corpus / "probe_runner" / "submission.ipynb", SOURCE, _limits("probe_runner"))
    outputs = json.dumps([c.get("outputs", []) for c in result.feedback_notebook["cells"]])
    assert result.status == "graded" and "uid " in outputs and "LEAK" not in outputs, outputs
    assert "uid 0" not in outputs or "WARNING" in " ".join(execute.describe_protections())


LOOPS_PAST_THE_ALARM = '''
import signal
import sys

def predict(w, b, X):
    if sys._getframe(1).f_code.co_name == "call_here":  # in the graded checks only
        signal.setitimer(signal.ITIMER_REAL, 0)  # cancel the check's time limit, then never return
        while True:
            pass
    return np.where(X @ w + b >= 0, 1, -1)
'''


def test_a_function_that_cancels_its_time_limit_is_interrupted_and_grading_goes_on(tmp_path):
    """Past its time limit the runner interrupts the kernel; that test fails, the others count."""
    import nbformat

    from autograder.samples import notebook
    nb = notebook("solutions", "01_perceptron")
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "predict_solution")
    cell.source = LOOPS_PAST_THE_ALARM
    nbformat.write(nb, tmp_path / "01_perceptron.ipynb")
    result = grade_submission(tmp_path / "01_perceptron.ipynb", SOURCE, Limits(timeout_s=120, memory_mb=1024),
                              second_line=False)
    assert result.status == "graded", (result.status, result.notes)
    assert result.scores["predict_test"] == (0.0, 1.0) and "did not finish within" in result.messages["predict_test"]
    assert all(s == p for g, (s, p) in result.scores.items() if g != "predict_test"), result.scores
