"""The per-submission grading unit: integrity, static scan, scoring rules, and real runs on a tiny assignment."""
from __future__ import annotations

import copy
import os
import pickle
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from autograder import cgroups, execute, integrity, sandbox, static_scan
from autograder.execute import Limits, SubmissionResult, describe_protections, grade_submission
from submissions import learner_copy

MINI = Path(__file__).resolve().parent / "fixtures" / "mini_source.ipynb"
LIMITS = Limits(timeout_s=120, memory_mb=1024)


@pytest.fixture
def source():
    return nbformat.read(MINI, as_version=4)


def _gid(nb, grade_id):
    return next(i for i, c in enumerate(nb.cells) if integrity.nbgrader_meta(c).get("grade_id") == grade_id)


def _write(tmp_path, nb, name="submission.ipynb"):
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


# ---------------------------------------------------------------- interface
def test_interface_defaults_and_pickling():
    assert Limits() == Limits(timeout_s=120, memory_mb=2048, max_output_bytes=1_000_000, max_processes=64)
    result = SubmissionResult("graded", {"t": (1.0, 2.0)}, {"t": "AssertionError: x"}, ["n"], 1.5, 3.0, {"cells": []})
    assert pickle.loads(pickle.dumps(result)) == result
    assert pickle.loads(pickle.dumps(Limits(timeout_s=5))) == Limits(timeout_s=5)


def test_describe_protections_names_each_layer():
    lines = describe_protections()
    assert all(isinstance(line, str) and line for line in lines)
    for topic in ("sandbox", "memory limit", "process limit", "time limit"):
        assert any(line.lower().startswith(topic) or topic in line for line in lines), topic


# ---------------------------------------------------------------- reading
@pytest.mark.parametrize("content, status", [
    (b"", "empty"), (b"  \n", "empty"), (b'{"cells": [], "metadata": {}}', "empty"),
    (b'{"cells": [', "malformed notebook"), (b'{"nbformat": 4}', "malformed notebook"),
    (b"\xff\xfe", "malformed notebook"), (b'{"cells": [{"cell_type": "code", "source": 3}]}', "malformed notebook"),
])
def test_unreadable_submissions_get_a_status(tmp_path, content, status):
    path = tmp_path / "s.ipynb"
    path.write_bytes(content)
    with pytest.raises(integrity.SubmissionProblem) as problem:
        integrity.read_submission(path)
    assert problem.value.status == status and problem.value.message


def test_strip_hidden_tests_removes_only_the_block():
    text = "a = 1\n### BEGIN HIDDEN TESTS\nsecret()\n### END HIDDEN TESTS\nb = 2"
    assert integrity.strip_hidden_tests(text) == "a = 1\nb = 2"


# ---------------------------------------------------------------- reconcile
def test_edited_test_cell_is_restored_with_its_hidden_tests(source):
    sub = learner_copy(source, solved=True)
    sub.cells[_gid(sub, "test_add")].source = "pass"
    rec = integrity.reconcile(sub, source)
    cell = rec.notebook.cells[rec.tests["test_add"][0]]
    assert cell.source == source.cells[_gid(source, "test_add")].source
    assert any("test_add was edited" in n for n in rec.notes)
    assert rec.tests == {"test_add": (4, 2.0), "test_scale": (7, 3.0)}


def test_deleted_test_cell_goes_back_after_the_learners_added_cells(source):
    sub = learner_copy(source, solved=True)
    i = _gid(sub, "test_add")
    del sub.cells[i]
    sub.cells.insert(i, nbformat.v4.new_code_cell("helper = 1"))
    rec = integrity.reconcile(sub, source)
    index = rec.tests["test_add"][0]
    assert rec.notebook.cells[index - 1].source == "helper = 1"
    assert any("test_add was deleted" in n for n in rec.notes)


def test_duplicates_and_stripped_metadata(source):
    sub = learner_copy(source, solved=True)
    add, scale_test = _gid(sub, "add"), _gid(sub, "test_scale")
    del sub.cells[scale_test].metadata["nbgrader"]
    sub.cells.insert(add + 1, copy.deepcopy(sub.cells[add]))
    sub.cells.append(copy.deepcopy(sub.cells[_gid(sub, "test_add")]))
    rec = integrity.reconcile(sub, source)
    ids = [integrity.nbgrader_meta(c).get("grade_id") for c in rec.notebook.cells]
    assert ids.count("test_add") == 1 and ids.count("add") == 1 and ids.count("test_scale") == 1
    assert sum("def add" in c.source for c in rec.notebook.cells) == 2  # the answer copy is kept, unmarked
    assert any("test_scale had lost its grading metadata" in n for n in rec.notes)
    assert any("duplicate of cell test_add" in n for n in rec.notes)


def test_retyped_copy_of_a_present_test_is_removed(source):
    sub = learner_copy(source, solved=True)
    sub.cells.append(nbformat.v4.new_code_cell(sub.cells[_gid(sub, "test_scale")].source + "\n"))
    rec = integrity.reconcile(sub, source)
    assert len(rec.notebook.cells) == len(source.cells)
    assert any("unmarked copy of test cell test_scale" in n for n in rec.notes)


def test_deleted_answer_cell_is_not_filled_from_the_source(source):
    sub = learner_copy(source, solved=False)
    del sub.cells[_gid(sub, "scale")]
    rec = integrity.reconcile(sub, source)
    assert not any("k * np.asarray" in c.source for c in rec.notebook.cells)
    assert any("answer cell scale was deleted" in n for n in rec.notes)


def test_foreign_notebook_is_wrong_assignment(source):
    other = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("check.xor_dataset(xor_dataset)")])
    other.cells[0].metadata["nbgrader"] = {"grade_id": "xor_dataset_test", "grade": True, "locked": True}
    with pytest.raises(integrity.SubmissionProblem) as problem:
        integrity.reconcile(other, source)
    assert problem.value.status == "wrong assignment"


# ---------------------------------------------------------------- static scan
BOUND = {"check": "nnkit.checks", "np": "numpy", "plt": "matplotlib.pyplot"}


@pytest.mark.parametrize("code", [
    "np.allclose = lambda *a, **k: True", "import numpy\nnumpy.testing.assert_allclose = print",
    "check.predict = None", "import builtins\nbuiltins.AssertionError = KeyError", "import ctypes",
    "get_ipython().showtraceback = print", "import sys\nsys.settrace(None)", "import gc\ngc.get_objects()",
    "setattr(np, 'allclose', max)", "globals()['check'] = 1", "import sys\nsys.stdout = None",
    "from nnkit import perceptron", "import nnkit.perceptron as p", "import nnkit\nnnkit.perceptron.predict",
    "exec('1')", "__import__('os')", "f.__code__ = g.__code__", "import sys\nsys.modules['numpy'] = 1",
    "get_ipython().ast_transformers.append(1)", "%load_ext autoreload", "get_ipython().kernel",
    "import sys\nsys._getframe(1).f_globals", "del np.allclose",
    "shell = globals()['get_' + 'ipython']()", "ip = get_ipython\nip().events", "import IPython",
    "import sys\nsys.stdout.session.send = print", "type(x).send = print", "getattr(np, 'all' + 'close')",
    "vars(check)['predict'] = 1", "print.__self__", "x.__class__.__mro__", "import inspect",
    "from operator import attrgetter", "import pickle", "open('/proc/self/mem', 'wb')",
    # a red-team review's ways round the names above
    "import sys\nf = getattr(sys, '_getframe')()", "b = getattr(frame, 'f_back')", "os.listdir('/proc')",
    "open('/pro' + 'c/self/status')", "ct = np.ctypeslib.ctypes", "p = np.zeros(3).ctypes.data",
    "class Anything:\n    def __array_function__(self, func, types, args, kwargs):\n        return True",
    "class Anything:\n    def __array_ufunc__(self, *a, **k):\n        return True",
])
def test_scan_flags_tampering(code):
    assert static_scan.scan([(0, code)], BOUND, {"nnkit.checks"}), code


@pytest.mark.parametrize("code", [
    "import numpy as np\nx = np.zeros((2, 3))\nx.shape = (3, 2)", "data = [1, 2]\nmax = 3",
    "%matplotlib inline", "from nnkit import checks as check", "rng = np.random.default_rng(0)",
    "def predict(w, b, X):\n    z = X @ w + b\n    return np.where(z >= 0, 1.0, -1.0)", "!ls",
    "class Model:\n    def __init__(self):\n        self.w = 0", "plt.rcParams['figure.dpi'] = 80",
    "for check in range(3):\n    pass", "from IPython.display import display", "getattr(model, 'w')",
    "get_ipython().run_line_magic('time', 'x = 1')", "import matplotlib as mpl\nmpl.rcParams['lines.linewidth'] = 2",
    "name = 'lay' + 'er'", "path = 'data/' + name + '.csv'", "def __call__(self, x):\n    return x",
])
def test_scan_accepts_ordinary_code(code):
    assert static_scan.scan([(0, code)], BOUND, {"nnkit.checks"}) == []


# ---------------------------------------------------------------- scoring rules
def _scored(source, events, **outcome):
    rec = integrity.reconcile(learner_copy(source, solved=True), source)
    run = sandbox.RunOutcome(events=events + [{"event": "done", "notebook": rec.notebook}], **outcome)
    return execute._score(rec, {i: g for g, (i, _) in rec.tests.items()}, run, LIMITS)


def _cell(index, reply="ok", marker=True, errors=(), guard="ok"):
    return {"event": "cell", "index": index, "reply": reply, "marker": marker, "errors": list(errors), "guard": guard}


def test_a_test_passes_only_with_ok_reply_no_error_and_the_marker(source):
    result = _scored(source, [_cell(4), _cell(7, reply="error", errors=[["AssertionError", "scale is off"]])])
    assert result.status == "graded"
    assert result.scores == {"test_add": (2.0, 2.0), "test_scale": (0.0, 3.0)}
    assert result.messages == {"test_scale": "AssertionError: scale is off"}


@pytest.mark.parametrize("bad", [dict(reply="error"), dict(marker=False), dict(guard="error")])
def test_a_misreported_test_makes_the_submission_tampered(source, bad):
    result = _scored(source, [_cell(4), _cell(7, **bad)])
    assert result.status == "tampered"
    assert all(score == 0 for score, _ in result.scores.values()) and len(result.messages) == 2


def test_time_limit_keeps_earlier_tests_and_explains_the_rest(source):
    result = _scored(source, [_cell(4)], timed_out=True)
    assert result.status == "timed out"
    assert result.scores == {"test_add": (2.0, 2.0), "test_scale": (0.0, 3.0)}
    assert "time limit" in result.messages["test_scale"]


# ---------------------------------------------------------------- real runs
def test_mini_assignment_end_to_end(tmp_path, source):
    solved = learner_copy(source, solved=True)
    mutant = copy.deepcopy(solved)
    mutant.cells[_gid(mutant, "scale")].source = "def scale(x, k):\n    return abs(k) * np.asarray(x, dtype=float)"
    paths = [_write(tmp_path, nb, f"{name}.ipynb") for name, nb in
             [("solved", solved), ("release", learner_copy(source, solved=False)), ("mutant", mutant)]]
    with ThreadPoolExecutor(2) as pool:
        solved_r, release_r, mutant_r = pool.map(lambda p: grade_submission(p, MINI, LIMITS), paths)
    assert (solved_r.status, solved_r.scores, solved_r.messages) == \
        ("graded", {"test_add": (2.0, 2.0), "test_scale": (3.0, 3.0)}, {})
    assert release_r.scores == {"test_add": (0.0, 2.0), "test_scale": (0.0, 3.0)}
    assert all(m.startswith("NotImplementedError") for m in release_r.messages.values())
    assert mutant_r.scores == {"test_add": (2.0, 2.0), "test_scale": (0.0, 3.0)}
    assert mutant_r.messages == {"test_scale": "AssertionError: hidden case: scale with a negative factor"}
    feedback = nbformat.from_dict(mutant_r.feedback_notebook)
    text = nbformat.writes(feedback)
    assert "np.eye(2), -1" not in text and "HIDDEN" not in text and "grader-marker" not in text
    errors = [o for c in feedback.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors and all(o.traceback == [] for o in errors)
    assert 0 < mutant_r.seconds < LIMITS.timeout_s and solved_r.peak_memory_mb > 10
    assert pickle.loads(pickle.dumps(mutant_r)) == mutant_r and type(mutant_r.feedback_notebook) is dict


def test_unit_02_solved_scores_full_and_release_zero(tmp_path):
    source_path = MINI.parents[3] / "solutions" / "02_xor" / "02_xor.ipynb"
    source = nbformat.read(source_path, as_version=4)
    paths = [_write(tmp_path, learner_copy(source, solved), f"{solved}.ipynb") for solved in (True, False)]
    with ThreadPoolExecutor(2) as pool:
        solved_r, release_r = pool.map(lambda p: grade_submission(p, source_path, LIMITS), paths)
    assert solved_r.status == release_r.status == "graded", (solved_r.notes, release_r.notes)
    assert all(s == m > 0 for s, m in solved_r.scores.values()) and len(solved_r.scores) == 5
    assert all(s == 0 for s, _ in release_r.scores.values()) and set(release_r.messages) == set(release_r.scores)
    widgets = [o["data"] for c in solved_r.feedback_notebook["cells"] for o in c.get("outputs", [])
               if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(widgets) == 2 and all(w["text/plain"] == "VBox()" for w in widgets)  # not built while grading
    timing = solved_r.timing  # where the time went (benchmarks/bench_grading prints the class's means)
    assert list(timing) == ["sandbox start", "runner start", "kernel start", "guard and imports", "cells",
                            "tests", "shutdown", "sandbox exit", "grader"]
    assert all(v >= 0 for phase in timing.values() for v in phase.values())
    assert timing["kernel start"]["kernel_cpu"] > 0.05 and timing["guard and imports"]["kernel_cpu"] > 0
    assert timing["tests"]["runner_cpu"] > 0  # the runner decided the checker calls
    assert sum(t["wall"] for name, t in timing.items() if name != "grader") < solved_r.seconds


def test_without_bubblewrap_the_same_rules_hold(tmp_path, source, monkeypatch):
    monkeypatch.setattr(sandbox, "bwrap_available", lambda: False)
    result = grade_submission(_write(tmp_path, learner_copy(source, solved=True)), MINI, LIMITS)
    assert (result.status, result.scores) == ("graded", {"test_add": (2.0, 2.0), "test_scale": (3.0, 3.0)})


def test_grader_failure_is_a_status_not_an_exception(tmp_path, source, monkeypatch):
    monkeypatch.setattr(execute, "run_notebook", lambda *a: 1 / 0)
    result = grade_submission(_write(tmp_path, learner_copy(source, solved=True)), MINI, LIMITS)
    assert result.status == "error" and set(result.messages) == {"test_add", "test_scale"}


def test_stale_cgroups_of_dead_graders_are_removed(tmp_path):
    old = time.time() - 120
    dead, live, young = (tmp_path / f"nnkit-grader-{pid}-ab" for pid in (2**22 + 7, os.getpid(), 2**22 + 8))
    for path in (dead, live, young):
        path.mkdir()
    os.utime(dead, (old, old))
    os.utime(live, (old, old))
    cgroups.remove_stale(tmp_path)
    assert not dead.exists() and live.exists() and young.exists()
