"""Run one notebook in a sandbox: bubblewrap namespaces, cgroup limits, a wall clock, a private channel.

Layers, each used when this machine allows it (``describe_protections()`` says which are on):
- the bubblewrap sandbox (``bubblewrap.py``): a new root with only the OS, Python, the venv and
  nnkit, read-only; fresh tmpfs working copy and /tmp; new PID, network, IPC and UTS namespaces;
  the kernel under a fresh unprivileged uid when the grader is root;
- cgroups (``cgroups.py``): memory and process limits for the whole tree, peak memory and OOM
  kills; without a writable cgroup, RLIMIT_AS (memory) and, for a separate uid, RLIMIT_NPROC;
- the kernel zygote (``zygote.py``), for a root grader: each kernel is forked from one process that
  imported ipykernel, numpy, matplotlib and nnkit once, into its sandbox's cgroups and namespaces,
  at the runner's request (a "kernel" event; without it, or if it fails, the runner starts one);
- here: a wall-clock deadline for the whole notebook (the process group and the cgroups are
  killed), and the result channel, an inherited pipe the kernel neither inherits
  (``close_fds``) nor can open (other uid; the runner is non-dumpable). The runner caps outputs.
Without bwrap the runner still runs in its own process group in a temporary working copy, with
the limits above, but can read the host's files: ``describe_protections`` says so.
"""
from __future__ import annotations

import atexit
import functools
import json
import os
import secrets
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from autograder import bubblewrap, cgroups, kernel_runner, zygote

_STDERR_CAP = 20_000
bwrap_available = bubblewrap.available


@dataclass(frozen=True)
class Limits:
    """Per-submission limits: whole-notebook wall clock, memory, total output, processes/threads."""

    timeout_s: float = 120
    memory_mb: int = 2048
    max_output_bytes: int = 1_000_000
    max_processes: int = 64


@dataclass
class RunOutcome:
    """What came back from one run: the runner's events and how the run ended."""

    events: list[dict] = field(default_factory=list)
    timed_out: bool = False
    out_of_memory: bool = False
    peak_memory_mb: float | None = None
    exit_code: int | None = None
    stderr: str = ""
    timing: dict = field(default_factory=dict)  # phase -> {"wall", "runner_cpu", "kernel_cpu"} seconds


def describe_protections() -> list[str]:
    """Which protections are active on this machine, one line each (for the grader's banner)."""
    lines = []
    if bubblewrap.available():
        lines += ["sandbox: bubblewrap; the learner's code sees only the OS, Python, the venv and nnkit "
                  "(read-only); solutions, tests, gradebooks and other submissions are not there",
                  "working copy and /tmp: fresh in-memory filesystems, discarded after the run",
                  "network: none (new network namespace)",
                  "processes: own PID namespace; the whole tree is killed at the time limit"]
        lines.append("privileges: the kernel runs as a fresh unprivileged uid without capabilities"
                     if bubblewrap.separate_uid() else
                     "privileges: the kernel runs as the grader's user (not root, so no uid switch)")
        if zygote.usable():
            lines.append("kernels: forked from a pre-imported process into each sandbox (no grading data in it)")
    else:
        lines += ["WARNING sandbox: bubblewrap unavailable; the learner's code runs as the grader's user "
                  "with network access and can read files on this machine",
                  "processes: own process group, killed at the time limit"]
    lines.append("memory limit: cgroup (whole sandbox)" if cgroups.limited("memory")
                 else "memory limit: RLIMIT_AS on the kernel (approximate; no writable cgroup)")
    lines.append("process limit: cgroup pids.max (whole sandbox)" if cgroups.limited("pids")
                 else "process limit: RLIMIT_NPROC on the kernel's uid" if bubblewrap.separate_uid()
                 else "process limit: NONE (no writable cgroup, no separate uid)")
    lines += ["time limit: one wall-clock limit for the whole notebook",
              "output: capped per submission; results return on a pipe the kernel cannot write"]
    return lines


@functools.lru_cache(maxsize=1)
def _font_cache() -> dict | None:
    """matplotlib's font list, built once by the grader: each sandbox starts with an empty
    MPLCONFIGDIR, where the kernel's first plot would otherwise rebuild it (~0.2 s per notebook).
    ``{"name": file name, "text": JSON}``; fonts missing in the sandbox make matplotlib rebuild it."""
    try:
        from matplotlib import font_manager
    except ImportError:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        name = f"fontlist-v{font_manager.FontManager.__version__}.json"
        font_manager.json_dump(font_manager.fontManager, os.path.join(tmp, name))
        return {"name": name, "text": Path(tmp, name).read_text()}


@functools.lru_cache(maxsize=1)
def _compile_nnkit() -> None:
    """Byte-compile nnkit once per grading process. The sandbox mounts it read-only and kernels run
    with PYTHONDONTWRITEBYTECODE, so without this every runner and kernel compiles the modules it
    imports, in every notebook (~0.1 s each). Where nnkit is read-only this does nothing."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("nnkit")
    for path in (spec.submodule_search_locations or []) if spec else []:
        compileall.compile_dir(path, quiet=2)


@functools.lru_cache(maxsize=1)
def kernel_zygote() -> zygote.Zygote | None:
    """The grading run's kernel zygote, started once (None where it cannot work here). Its
    environment is the one the kernels import with (threads, matplotlib's backend and font list)."""
    if not zygote.usable():
        return None
    home = tempfile.mkdtemp(prefix="nnkit-zygote-")
    env = dict(kernel_runner.kernel_env(home, home), MPLBACKEND="module://matplotlib_inline.backend_inline")
    font = _font_cache()  # MPLBACKEND: as ipykernel sets it before the kernel imports matplotlib
    if font:
        os.makedirs(env["MPLCONFIGDIR"])
        Path(env["MPLCONFIGDIR"], font["name"]).write_text(font["text"])
    try:
        forker = zygote.Zygote(env)
    except (OSError, RuntimeError):
        shutil.rmtree(home, ignore_errors=True)
        return None

    def close() -> None:
        forker.close()
        shutil.rmtree(home, ignore_errors=True)
    atexit.register(close)
    return forker


def _kernel_forker(forker: zygote.Zygote, sandbox: int, uid: int, groups: list[cgroups.Cgroup],
                   limits: Limits, has_memory: bool) -> Callable[[dict], dict]:
    """The answer to the runner's "kernel" event: ``{"pid"}`` of a kernel forked into the sandbox
    (``sandbox``: bubblewrap's pid), or ``{}``: the runner starts the kernel itself."""
    def fork(event: dict) -> dict:
        env, path = event.get("env"), event.get("connection_file")
        if not (isinstance(env, dict) and all(isinstance(v, str) for v in env.values())
                and isinstance(path, str) and path.startswith("/")
                and event.get("cwd") == bubblewrap.WORKDIR):
            return {}
        try:
            with open(f"/proc/{sandbox}/task/{sandbox}/children") as f:
                inside = int(f.read().split()[0])  # bubblewrap's first child: the sandbox's init
        except (OSError, ValueError, IndexError):
            return {}
        answer = forker.fork_kernel({"sandbox": inside, "cgroups": [str(g.path / "cgroup.procs") for g in groups],
                                     "connection_file": path, "env": env, "cwd": bubblewrap.WORKDIR, "uid": uid,
                                     "memory_mb": 0 if has_memory else limits.memory_mb,
                                     "max_processes": limits.max_processes, "kernel_tmp": "/tmp"})
        if not isinstance(answer.get("pid"), int):
            if answer.get("error") == zygote.GONE:
                kernel_zygote.cache_clear()  # the next run starts a new one
            return {}
        return {"pid": answer["pid"]}
    return fork


def _plain_command(result_fd: int, workdir: str, scratch: str) -> list[str]:
    return [sys.executable, str(bubblewrap.RUNNER), "run", "--result-fd", str(result_fd),
            "--workdir", workdir, "--scratch", scratch, "--kernel-tmp", scratch]


def _drain(stream, sink: list[bytes]) -> None:
    size = 0
    for chunk in iter(lambda: stream.read(65536), b""):
        if size < _STDERR_CAP:
            sink.append(chunk[:_STDERR_CAP - size])
            size += len(chunk)


def _write(stream, data: bytes) -> bool:
    """Write and flush ``data``; False when the runner has gone (broken pipe) or ``stream`` is closed."""
    try:
        stream.write(data)
        stream.flush()
        return True
    except (OSError, ValueError):
        return False


class RunnerGone(Exception):
    """The runner stopped before answering the grader's question (the kernel died, the time ran out)."""


class _Events:
    """The runner's events, one JSON object per line on ``fd``, until EOF or ``deadline``."""

    def __init__(self, fd: int, deadline: float):
        self.fd, self.deadline, self.timed_out = fd, deadline, False
        self._buffer, self._lines = b"", []

    def next(self) -> dict | None:
        """The next event; None at EOF or at the deadline (then ``timed_out``)."""
        while not self._lines:
            left = self.deadline - time.monotonic()
            if left <= 0:
                self.timed_out = True
                return None
            ready, _, _ = select.select([self.fd], [], [], min(left, 1.0))
            if not ready:
                continue
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                last, self._buffer = _parse_line(self._buffer), b""
                return last
            *complete, self._buffer = (self._buffer + chunk).split(b"\n")
            self._lines = [e for e in map(_parse_line, complete) if e is not None]
        return self._lines.pop(0)


def _parse_line(line: bytes) -> dict | None:
    try:
        event = json.loads(line)
    except ValueError:
        return None
    return event if isinstance(event, dict) else None


class _Questions:
    """The grader's line to the learner's kernel while it decides a test: each question goes to the
    runner on stdin, the answer comes back as a "reply" event (``ask``)."""

    def __init__(self, events: _Events, stdin, seen: list[dict]):
        self.events, self.stdin, self.seen = events, stdin, seen

    def ask(self, question: dict) -> dict:
        """The kernel's answer (a dict); RunnerGone when the runner stopped first."""
        if not _send(self.stdin, question):
            raise RunnerGone("the runner stopped reading")
        while (event := self.events.next()) is not None:
            if event.get("event") == "reply":
                return event["data"] if isinstance(event.get("data"), dict) else {}
            self.seen.append(event)
            if event.get("event") in ("dead", "done"):
                break
        raise RunnerGone("the runner stopped before answering")


def _close(stream) -> None:
    try:
        stream.close()
    except (OSError, ValueError):
        pass


def _send(stdin, message: dict) -> bool:
    return _write(stdin, (json.dumps(message) + "\n").encode())


def _follow(events: _Events, seen: list[dict], stdin, feeder: threading.Thread, decide, fork_kernel) -> None:
    """Collect the runner's events into ``seen``; answer a "decide" event with ``decide(index,
    questions)``, the verdict on that test cell (the runner then reports the cell as usual), and a
    "kernel" event with ``fork_kernel(event)`` (or ``{}``: the runner starts the kernel).
    ``feeder``: the thread writing the request, done before the first answer is written."""
    while (event := events.next()) is not None:
        if event.get("event") == "kernel":
            feeder.join()
            _send(stdin, {"kernel": fork_kernel(event) if fork_kernel else {}})
            continue
        if event.get("event") != "decide":
            seen.append(event)
            continue
        if decide is None or not isinstance(event.get("index"), int):
            raise RuntimeError("the runner asked for a verdict nobody can give")
        feeder.join()
        try:
            verdict = decide(event["index"], _Questions(events, stdin, seen))
        except RunnerGone:
            continue  # the events that follow (dead, done) say what happened
        _send(stdin, {"verdict": verdict})


def _stop(proc: subprocess.Popen, groups: list[cgroups.Cgroup], kill: bool) -> None:
    """Wait briefly for a clean exit (unless ``kill``), then kill the process group and cgroups."""
    if not kill:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            kill = True
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass
    for g in groups:
        g.kill_all()
    proc.wait()


def _timing(events: list[dict], spawned: float, ended: float) -> dict:
    """Where the run's time went: the sandbox's start (bubblewrap and Python, until the runner's
    first line), the runner's phases (kernel_runner._Clock), then the sandbox's exit; {} when the
    runner did not finish."""
    done = next((e for e in events if e.get("event") == "done"), {})
    reported = done.get("timing") if isinstance(done.get("timing"), dict) else {}
    phases = reported.get("phases")
    started = reported.get("started")
    if not isinstance(phases, dict) or not isinstance(started, (int, float)):
        return {}
    timing = {"sandbox start": {"wall": max(0.0, started - spawned)}}
    for name, spent in phases.items():
        if isinstance(spent, dict):
            timing[str(name)] = {k: float(v) for k, v in spent.items() if isinstance(v, (int, float))}
    inside = sum(t.get("wall", 0.0) for t in timing.values())
    timing["sandbox exit"] = {"wall": max(0.0, ended - spawned - inside)}
    return timing


def run_notebook(request: dict, limits: Limits, decide: Callable[[int, _Questions], dict] | None = None) -> RunOutcome:
    """Execute ``request`` (see kernel_runner) within ``limits``; never raises for the learner's code.

    ``decide(index, questions)``: the verdict on a test cell of checker calls (``autograder.verdicts``),
    whose ``questions.ask`` puts a question to the learner's kernel."""
    started = time.monotonic()
    _compile_nnkit()
    groups = cgroups.for_run(limits.memory_mb, limits.max_processes)
    has_memory = any("memory" in g.controllers for g in groups)
    request = dict(request, memory_mb=limits.memory_mb, max_processes=limits.max_processes,
                   max_output_bytes=limits.max_output_bytes, rlimit_memory=not has_memory,
                   font_cache=_font_cache())
    temp = None if bwrap_available() else tempfile.mkdtemp(prefix="nnkit-grade-")
    forker = kernel_zygote() if temp is None else None
    request["forked_kernel"] = forker is not None
    read_fd, write_fd = os.pipe()
    outcome = RunOutcome()
    try:
        uid = None
        if temp is None:
            uid = secrets.randbelow(60000) + 100000 if os.geteuid() == 0 else None
            cmd = bubblewrap.command(write_fd, uid)
        else:
            os.makedirs(os.path.join(temp, "work"))
            cmd = _plain_command(write_fd, os.path.join(temp, "work"), temp)
        spawned = time.monotonic()
        proc = subprocess.Popen(cgroups.joining(cmd, [g.path / "cgroup.procs" for g in groups]),
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, pass_fds=(write_fd,), start_new_session=True,
                                env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": bubblewrap.SCRATCH},
                                cwd=temp or "/")
        os.close(write_fd)
        write_fd = -1
        errors: list[bytes] = []
        threads = [threading.Thread(target=_write, args=(proc.stdin, (json.dumps(request) + "\n").encode()), daemon=True),
                   threading.Thread(target=_drain, args=(proc.stderr, errors), daemon=True)]
        for t in threads:
            t.start()
        events = _Events(read_fd, started + limits.timeout_s)
        fork_kernel = _kernel_forker(forker, proc.pid, uid, groups, limits, has_memory) if forker else None
        try:
            _follow(events, outcome.events, proc.stdin, threads[0], decide, fork_kernel)
        except BaseException:  # the grader's own failure while deciding: nothing is left running
            _stop(proc, groups, kill=True)
            raise
        outcome.timed_out = events.timed_out
        _stop(proc, groups, outcome.timed_out)
        _close(proc.stdin)  # after the stop: a write still blocked on a runner that never read fails
        outcome.timing = _timing(outcome.events, spawned, time.monotonic())
        outcome.exit_code = proc.returncode
        threads[1].join(timeout=2)
        outcome.stderr = b"".join(errors).decode(errors="replace")
        for g in groups:
            if "memory" in g.controllers:
                outcome.peak_memory_mb = g.peak_mb()
                outcome.out_of_memory = g.oom_killed()
    finally:
        for fd in (read_fd, write_fd):
            if fd >= 0:
                os.close(fd)
        for g in groups:
            g.remove()
        if temp:
            shutil.rmtree(temp, ignore_errors=True)
    if outcome.peak_memory_mb is None:
        done = [e for e in outcome.events if e.get("event") == "done"]
        if done and done[-1].get("maxrss_kb"):
            outcome.peak_memory_mb = done[-1]["maxrss_kb"] / 1024
    return outcome
