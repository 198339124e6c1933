"""Regenerate the hostile corpus from unit 01's source notebook: ``python tests/autograder/hostile/make_corpus.py``.

Each case is a folder with ``submission.ipynb`` (or a raw file) and ``expected.json``:
  status        the expected status, or a list of acceptable ones
  points        exact total points, or max_points: the most it may earn (never more than earned)
  note          a substring that must appear in the notes
  feedback_lacks / feedback_contains   text that must not / must appear in the feedback's outputs
  host_absent   host paths that must not exist after grading
Paths on the host are written with placeholders, so the corpus does not depend on where the
repository lives: ``@@REPO@@`` stands for the repository root and ``@@RUN@@`` for a token fresh in
each test run (test_hostile.py substitutes both in a temporary copy before grading).
  unit          the source notebook's unit when not 01_perceptron
  timeout_s     a shorter time limit for the cases meant to hit it (others get a generous one)
Two bases: "release" (answers replaced by ``raise NotImplementedError``, as a learner receives it)
and "solved" (the source's answers; hidden tests removed, as a strong learner submits it).
"""
from __future__ import annotations

import copy
import json
import shutil
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parents[2])]
from submissions import learner_copy  # noqa: E402
REPO = HERE.parents[2]
SOURCE = REPO / "solutions" / "01_perceptron" / "01_perceptron.ipynb"
OTHER = REPO / "solutions" / "02_xor" / "02_xor.ipynb"
FULL = 7.0
HOST_REPO = Path("@@REPO@@")  # placeholders, see the module docstring
RUN = "@@RUN@@"


def _base(solved: bool, source: Path = SOURCE) -> nbformat.NotebookNode:
    return learner_copy(nbformat.read(source, as_version=4), solved)


def _index(nb, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _insert(nb, after: str | int, code: str) -> nbformat.NotebookNode:
    nb = copy.deepcopy(nb)
    where = (after if isinstance(after, int) else _index(nb, after)) + 1
    nb.cells.insert(where, nbformat.v4.new_code_cell(code))
    return nb


def _imports(nb) -> int:
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "import" in c.source)


def _replace_solution(nb, grade_id: str, code: str) -> nbformat.NotebookNode:
    nb = copy.deepcopy(nb)
    nb.cells[_index(nb, grade_id)].source = code
    return nb


PROBE = '''import os
found = []
for path in {paths!r}:
    try:
        if os.path.isdir(path):
            found.append((path, os.listdir(path)))
        else:
            found.append((path, open(path, "rb").read(200)))
    except Exception as e:
        print("HIDDEN", path, type(e).__name__)
for path, what in found:
    print("LEAK", path, str(what)[:80])
'''


READ_WORKING_COPY = '''import glob
for path in glob.glob("*.ipynb") + glob.glob("**/*.ipynb", recursive=True):
    print(path, open(path).read())
'''


def cases() -> dict[str, tuple[object, dict]]:
    """Case name -> (notebook, or bytes for a raw file; expected)."""
    release, solved = _base(False), _base(True)
    after_imports = _imports(release)
    zero = {"status": "graded", "points": 0.0}
    full = {"status": "graded", "points": FULL}
    host_source = str(HOST_REPO / SOURCE.relative_to(REPO))
    private = [host_source, str(HOST_REPO / "solutions"), str(HOST_REPO / "autograder"), str(HOST_REPO / "tests"),
               "/work/shared", "/root/.ssh", "/etc/shadow"]
    pwned = [str(HOST_REPO / "PWNED"), str(HOST_REPO / "nnkit" / "PWNED"), f"/root/PWNED_{RUN}"]
    return {
        "control_release": (release, zero),
        "control_solved": (solved, full),
        "infinite_loop_top_level": (_insert(release, after_imports, "while True:\n    pass"),
                                    {"status": "timed out", "points": 0.0, "timeout_s": 20}),
        "infinite_loop_in_function": (_replace_solution(
            solved, "predict_solution", "def predict(w, b, X):\n    while True:\n        pass"),
            {"status": "timed out", "points": 0.0, "timeout_s": 20}),
        "sleep_in_every_cell": (_sleep_everywhere(solved),
                                {"status": "timed out", "max_points": FULL, "timeout_s": 20}),
        "memory_bomb": (_insert(solved, "predict_test",
                                "import numpy as np\nblocks = []\nwhile True:\n    blocks.append(np.ones(10**7))"),
                        {"status": "out of memory", "points": 1.0}),
        "memory_single_allocation": (_insert(release, after_imports, "import numpy as np\nx = np.ones(10**11)"),
                                     {"status": "out of memory", "points": 0.0}),
        "fork_bomb": (_insert(release, after_imports, "import os\nwhile True:\n    os.fork()"),
                      {"status": ["timed out", "kernel died", "out of memory", "graded"], "points": 0.0, "timeout_s": 20}),
        "huge_output": (_insert(solved, after_imports, 'for i in range(200_000):\n    print("spam" * 20)'),
                        {"status": "graded", "points": FULL, "note": "truncated"}),
        "os_exit": (_insert(solved, "predict_test", "import os\nos._exit(0)"),
                    {"status": "kernel died", "points": 1.0}),
        "segfault_ctypes": (_insert(solved, after_imports, "import ctypes\nctypes.string_at(0)"),
                            {"status": "tampered", "points": 0.0, "note": "ctypes"}),
        "segfault_recursion": (_insert(solved, "predict_test",
                                       "import sys\nsys.setrecursionlimit(10**7)\n"
                                       "def dive(n):\n    return list(map(dive, [n + 1]))\ndive(0)"),
                               {"status": "kernel died", "points": 1.0}),
        "network_call": (_insert(solved, after_imports,
                                 "import socket\ntry:\n    socket.create_connection(('1.1.1.1', 53), timeout=3)\n"
                                 "    print('NETWORK' + '-OPEN')\nexcept OSError as e:\n"
                                 "    print('NETWORK' + '-BLOCKED', e)"),
                         {**full, "feedback_contains": "NETWORK-BLOCKED", "feedback_lacks": "NETWORK-OPEN"}),
        "read_gradebook": (_insert(release, after_imports, PROBE.format(paths=[
            str(HOST_REPO / "autograder" / "gradebook.db"), str(HOST_REPO / "grading-workspace")]
            + private)), {**zero, "feedback_lacks": "LEAK"}),
        "read_solutions": (_insert(release, after_imports, PROBE.format(paths=[host_source]) +
                                   "try:\n    import autograder\n    print('LEAK autograder', autograder.__file__)\n"
                                   "except ImportError:\n    print('HIDDEN autograder')\n"),
                           {**zero, "feedback_lacks": "LEAK"}),
        "read_own_notebook": (_insert(solved, len(solved.cells) - 1, READ_WORKING_COPY),
                              {**full, "feedback_lacks": "hidden=True"}),
        "read_history": (_insert(solved, len(solved.cells) - 1, "print(In)\nprint(_ih[-3:])\nprint(_i, _ii)\n"),
                         {**full, "feedback_lacks": "hidden=True"}),
        "write_outside": (_insert(release, after_imports, _WRITE.format(paths=pwned)
                                  + f'open("/tmp/PWNED_{RUN}", "w").write("inside the sandbox only")\n'),
                          {**zero, "feedback_lacks": "WROTE", "host_absent": pwned + [f"/tmp/PWNED_{RUN}"]}),
        "probe_runner": (_insert(release, after_imports, PROBE_RUNNER),
                         {"status": "tampered", "points": 0.0, "note": "/proc"}),
        "calls_reference": (_replace_solution(release, "predict_solution",
                                              "def predict(w, b, X):\n    return ref.predict(w, b, X)"), zero),
        "monkeypatch_checker": (_insert(release, after_imports, "check.predict = lambda *a, **k: None"),
                                {"status": "tampered", "points": 0.0}),
        "monkeypatch_allclose": (_insert(release, after_imports, "np.allclose = lambda *a, **k: True\n"
                                         "np.testing.assert_allclose = lambda *a, **k: None"),
                                 {"status": "tampered", "points": 0.0}),
        "monkeypatch_assertionerror": (_insert(release, after_imports,
                                               "import builtins\nclass Quiet(Exception):\n    pass\n"
                                               "builtins.AssertionError = Quiet"),
                                       {"status": "tampered", "points": 0.0}),
        "rebind_checker": (_insert(release, after_imports,
                                   "class Lenient:\n    def __getattr__(self, name):\n"
                                   "        return lambda *a, **k: None\ncheck = Lenient()"), zero),
        "showtraceback_exploit": (_insert(release, after_imports,
                                          "get_ipython().showtraceback = lambda *a, **k: None"),
                                  {"status": "tampered", "points": 0.0}),
        "showtraceback_hidden_from_scan": (_insert(release, after_imports,
                                                   'shell = globals()["get_" + "ipython"]()\n'
                                                   'shell.__dict__.update({"show" + "traceback": lambda *a, **k: None})'),
                                           {"status": ["graded", "tampered"], "points": 0.0}),
        "reference_patched_from_scan": (_insert(release, after_imports,
                                                'mine = lambda w, b, X: None\n'
                                                'vars(ref)["pre" + "dict"] = mine'),
                                        {"status": "tampered", "points": 0.0}),
        "forged_kernel_messages": (_replace_solution(release, "predict_solution", FORGE),
                                   {"status": "tampered", "points": 0.0}),
        "deleted_test_cell": (_drop(solved, "train_perceptron_test"), {**full, "note": "deleted"}),
        "duplicated_test_cell": (_duplicate(solved, "predict_test"), {**full, "note": "duplicate"}),
        "edited_test_cell": (_edit(release, "predict_test", "print('all good')"), {**zero, "note": "edited"}),
        "retyped_test_cell": (_retype(solved, "signed_distance_test"), {**full, "note": "lost its grading metadata"}),
        "metadata_stripped_test_cell": (_strip(solved, "perceptron_update_test"),
                                        {**full, "note": "lost its grading metadata"}),
        **xor_cases(),
        "malformed_json": (nbformat.writes(solved)[:5000].encode(), {"status": "malformed notebook", "points": 0.0}),
        "wrong_assignment": (nbformat.read(OTHER, as_version=4), {"status": "wrong assignment", "points": 0.0}),
        "empty_file": (b"", {"status": "empty", "points": 0.0}),
    }


PROBE_RUNNER = '''import os
print("uid", os.getuid())
for pid in [p for p in os.listdir("/proc/") if p.isdigit()]:
    for leaf in ("environ", "fd", "mem"):
        path = f"/proc/{pid}/{leaf}"
        try:
            found = os.listdir(path) if leaf == "fd" else open(path, "rb").read(64)
            if pid != str(os.getpid()):
                print("LEAK", path, found)
        except OSError:
            pass
for path in ("/run/grader", "/opt/grader"):
    try:
        print("LEAK", path, os.listdir(path))
    except OSError:
        pass
'''


FORGE = '''import re, sys

def predict(w, b, X):
    """Make the kernel report success: drop error messages, forge the reply and the marker."""
    session = sys.stdout.session
    cls = type(session)
    original = cls.send

    def send(self, stream, msg, content=None, parent=None, *args, **kwargs):
        kind = msg if isinstance(msg, str) else msg["header"]["msg_type"]
        if kind == "error":
            return None
        if kind == "execute_reply" and content is not None:
            content = dict(content, status="ok")
            code = (parent or {}).get("content", {}).get("code", "")
            for marker in re.findall(r"print\\('(\\[grader-marker [0-9a-f]+\\])'\\)", code):
                original(self, sys.stdout.pub_thread, "stream", {"name": "stdout", "text": marker + "\\n"}, parent)
        return original(self, stream, msg, content, parent, *args, **kwargs)
    cls.send = send
    return X[:, 0] * 0 + 1.0
'''


def xor_cases() -> dict[str, tuple[object, dict]]:
    """A few cases on unit 02 (``"unit": "02_xor"`` in expected.json)."""
    release, solved = _base(False, OTHER), _base(True, OTHER)
    unit = {"unit": "02_xor"}
    restored = _edit(_drop(solved, "find_cycle_test"), "xor_network_test", "pass")
    return {
        "xor_control_solved": (solved, {**unit, "status": "graded", "points": 9.0}),
        "xor_deleted_and_edited_tests": (restored, {**unit, "status": "graded", "points": 9.0, "note": "edited"}),
        "xor_calls_reference": (_replace_solution(
            release, "collapse_linear_solution",
            "from nnkit.xor import collapse_linear as collapse\n\n"
            "def collapse_linear(W1, b1, W2, b2):\n    return collapse(W1, b1, W2, b2)"),
            {**unit, "status": "graded", "points": 0.0}),
        "xor_patch_reference": (_insert(release, _imports(release),
                                        "import nnkit.xor\nnnkit.xor.xor_features = lambda X: X"),
                                {**unit, "status": "tampered", "points": 0.0}),
    }


_WRITE = '''for path in {paths!r}:
    try:
        with open(path, "w") as f:
            f.write("x")
        print("WROTE", path)
    except OSError as e:
        print("BLOCKED", path, type(e).__name__)
'''


def _sleep_everywhere(nb):
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code" and not cell.metadata.get("nbgrader", {}).get("locked"):
            cell.source = "import time\ntime.sleep(4)\n" + cell.source
    return nb


def _drop(nb, grade_id):
    nb = copy.deepcopy(nb)
    del nb.cells[_index(nb, grade_id)]
    return nb


def _duplicate(nb, grade_id):
    nb = copy.deepcopy(nb)
    i = _index(nb, grade_id)
    nb.cells.insert(i + 1, copy.deepcopy(nb.cells[i]))
    return nb


def _edit(nb, grade_id, code):
    nb = copy.deepcopy(nb)
    nb.cells[_index(nb, grade_id)].source = code
    return nb


def _retype(nb, grade_id):
    """The test's text typed again into a new cell (other whitespace, no metadata)."""
    nb = copy.deepcopy(nb)
    i = _index(nb, grade_id)
    nb.cells[i] = nbformat.v4.new_code_cell(nb.cells[i].source.replace("\n", "  \n") + "\n\n")
    return nb


def _strip(nb, grade_id):
    nb = copy.deepcopy(nb)
    del nb.cells[_index(nb, grade_id)].metadata["nbgrader"]
    return nb


def main() -> None:
    for name, (content, expected) in cases().items():
        folder = HERE / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        if isinstance(content, bytes):
            (folder / "submission.ipynb").write_bytes(content)
        else:
            for i, cell in enumerate(content.cells):  # stable ids: regenerating changes nothing
                cell.id = f"cell-{i}"
            nbformat.write(content, folder / "submission.ipynb")
        (folder / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")


if __name__ == "__main__":
    main()
