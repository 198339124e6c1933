"""Kernels forked from the grading run's zygote (autograder/zygote.py): confined as tightly as an
exec'd kernel, seeing what it sees, graded the same; the grader falls back to exec'd kernels."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from autograder import execute, sandbox, zygote
from autograder.execute import Limits, grade_submission
from submissions import learner_copy

MINI = Path(__file__).resolve().parent / "fixtures" / "mini_source.ipynb"
REPO = MINI.parents[3]
LIMITS = Limits(timeout_s=120, memory_mb=1024)
GRAB = """
import asyncio, sys
GRABBED = {}
def grab():  # a callback of the kernel's main loop: its frames reach the bottom of the main thread
    frame, GRABBED["frames"] = sys._getframe(), []
    while frame is not None:
        GRABBED["frames"].append(frame)
        frame = frame.f_back
asyncio.get_event_loop().call_soon(grab)
"""
PROBE = f'''
import json, os, socket, sys
import matplotlib, numpy
frames = GRABBED["frames"]
status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines() if ":" in line)
print("PROBE" + json.dumps({{
    "preloaded": [m for m in ("matplotlib.pyplot", "ipywidgets", "nnkit.viz") if m in sys.modules],
    "uid": [os.getuid(), os.geteuid()],
    "caps": {{k: status[k].strip() for k in ("CapEff", "CapPrm", "CapBnd", "CapAmb", "NoNewPrivs")}},
    "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
    "repository": os.path.exists({str(REPO / "solutions")!r}),
    "cwd": os.getcwd(), "path0": sys.path[0],
    "grader_modules": [m for m in sys.modules if m.startswith("autograder")],
    "interfaces": [name for _, name in socket.if_nameindex()],
    "backend": matplotlib.get_backend(), "configdir": matplotlib.get_configdir(),
    "configdir_is_env": matplotlib.get_configdir() == os.environ.get("MPLCONFIGDIR"),
    "below": [f.f_code.co_name for f in frames],
    "libc_below": any(f.f_globals.get("_libc") is not None for f in frames),
    "request_below": any(isinstance(v, dict) and "cgroups" in v for f in frames for v in f.f_locals.values()),
    "repository_listed": [k for k in sys.path_importer_cache if k in ({str(REPO)!r}, {str(REPO / "autograder")!r})],
    "random": numpy.random.random(2).tolist(),
}}))
'''

needs_zygote = pytest.mark.skipif(not zygote.usable(), reason="kernels are forked only by a root grader with bubblewrap")


def _submission(tmp_path, solved=True, probe=True):
    nb = learner_copy(nbformat.read(MINI, as_version=4), solved)
    if probe:
        nb.cells[1:1] = [nbformat.v4.new_code_cell(GRAB), nbformat.v4.new_code_cell(PROBE)]
    path = tmp_path / f"submission-{solved}-{probe}.ipynb"
    nbformat.write(nb, path)
    return path


def _probe(result) -> dict:
    texts = [o.get("text", "") for c in result.feedback_notebook["cells"] for o in c.get("outputs", [])]
    line = next(t for t in texts if t.startswith("PROBE"))
    return json.loads(line[len("PROBE"):])


def _grade(path, monkeypatch, forked: bool):
    monkeypatch.setattr(execute.static_scan, "scan", lambda *a, **k: [])  # the probe reads /proc
    if not forked:
        monkeypatch.setattr(sandbox, "kernel_zygote", lambda: None)
    result = grade_submission(path, MINI, LIMITS)
    monkeypatch.undo()
    return result


@needs_zygote
def test_a_forked_kernel_is_confined_and_sees_what_an_execd_kernel_sees(tmp_path, monkeypatch):
    path = _submission(tmp_path)
    forked, execd = (_probe(_grade(path, monkeypatch, f)) for f in (True, False))
    assert forked["preloaded"] == ["matplotlib.pyplot", "ipywidgets", "nnkit.viz"], forked
    assert len(execd["preloaded"]) < 3, execd  # so the probe tells the two apart
    assert 0 not in forked["uid"]
    assert set(forked["caps"].values()) == {"0000000000000000", "1"} and forked["caps"]["NoNewPrivs"] == "1"
    assert len(forked["pids"]) <= 4 and max(forked["pids"]) < 50, forked["pids"]  # the sandbox's PID namespace
    assert forked["grader_modules"] == []
    for key in ("repository", "cwd", "path0", "interfaces", "backend", "configdir", "configdir_is_env"):
        assert forked[key] == execd[key], (key, forked[key], execd[key])
    assert forked["repository"] is False and forked["interfaces"] == ["lo"] and forked["configdir_is_env"]


@needs_zygote
def test_a_forked_kernel_finds_nothing_of_the_zygote(tmp_path, monkeypatch):
    """Below the kernel's frames lie the zygote's: no libc handle (function pointers looked up before
    the audit hook), no request (host paths), no import cache listing the repository; and numpy's
    global random state is the kernel's own, not the zygote's, which every kernel would share."""
    path = _submission(tmp_path)
    first, second = (_probe(_grade(path, monkeypatch, True)) for _ in range(2))
    for probe in (first, second):
        assert probe["preloaded"] == ["matplotlib.pyplot", "ipywidgets", "nnkit.viz"]
        assert "_become_kernel" in probe["below"] and "_run_module_as_main" in probe["below"], probe["below"]
        assert not probe["libc_below"] and not probe["request_below"] and probe["repository_listed"] == []
    assert first["random"] != second["random"]


@needs_zygote
def test_forked_and_execd_kernels_grade_alike(tmp_path, monkeypatch):
    for solved in (True, False):
        path = _submission(tmp_path, solved, probe=False)
        forked, execd = (_grade(path, monkeypatch, f) for f in (True, False))
        assert forked.status == execd.status == "graded"
        assert forked.scores == execd.scores and forked.messages == execd.messages
        assert all((s == p) == solved for s, p in forked.scores.values()), forked.scores


@needs_zygote
def test_a_failing_zygote_falls_back_to_an_execd_kernel(tmp_path, monkeypatch):
    monkeypatch.setattr(zygote.Zygote, "fork_kernel", lambda self, request: {"error": "broken"})
    monkeypatch.setattr(execute.static_scan, "scan", lambda *a, **k: [])
    result = grade_submission(_submission(tmp_path), MINI, LIMITS)
    assert result.status == "graded" and all(s == p for s, p in result.scores.values())
    assert len(_probe(result)["preloaded"]) < 3


def test_the_zygote_refuses_a_request_that_is_not_a_sandbox():
    """Its own process is not a sandbox: the child stops before forking a kernel."""
    import os
    if not zygote.usable():
        pytest.skip("kernels are forked only by a root grader with bubblewrap")
    forker = sandbox.kernel_zygote()
    answer = forker.fork_kernel({"sandbox": os.getpid(), "cgroups": [], "connection_file": "/nonexistent",
                                 "env": {}, "cwd": "/", "uid": 123456, "memory_mb": 0, "max_processes": 8,
                                 "kernel_tmp": "/tmp"})
    assert "pid" not in answer and answer["error"]


def test_a_zygote_that_stops_answering_is_stopped(tmp_path):
    """A hung zygote must not hang the grading run: the grader stops it and says it is gone."""
    if not zygote.usable():
        pytest.skip("kernels are forked only by a root grader with bubblewrap")
    import os
    import signal
    forker = zygote.Zygote({"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "MPLCONFIGDIR": str(tmp_path)})
    os.kill(forker.pid, signal.SIGSTOP)
    try:
        assert forker.fork_kernel({"sandbox": 1}, timeout=0.5) == {"error": zygote.GONE}
        assert forker.fork_kernel({"sandbox": 1}) == {"error": zygote.GONE}  # stopped: no new wait
    finally:
        forker.close()
