"""Run one notebook in a sandbox: bubblewrap namespaces, cgroup limits, a wall clock, a private channel.

Layers, each used when this machine allows it (``describe_protections()`` says which are on):
- bubblewrap (``bwrap``): a new root holding only the OS (/usr, /etc ...), the Python runtime,
  the venv and the nnkit package, all read-only; the repository (solutions, autograder, tests),
  gradebooks, workspaces and other submissions are simply absent. The learner's working copy
  (/home/student) and /tmp are fresh tmpfs mounts, so nothing is written to the host's disk.
  New PID, network (no interfaces but loopback), IPC and UTS namespaces; ``--die-with-parent``,
  ``--new-session``. Running as root, the runner keeps only CAP_SETUID/CAP_SETGID and starts the
  kernel under a fresh unprivileged uid with no capabilities.
- cgroups (v1 or v2, a child of this process's own cgroup): memory limit (tmpfs pages count
  too), peak memory, OOM-kill detection and a process/thread limit for the whole tree.
  Without a writable cgroup: RLIMIT_AS (memory) and, for a separate uid, RLIMIT_NPROC.
- A wall-clock deadline for the whole notebook: the process group and the cgroup are killed.
- The result channel is an inherited pipe the kernel neither inherits (``close_fds``) nor can open
  (other uid; the runner is non-dumpable). Outputs are capped by the runner.
Without bwrap the runner still runs in its own process group in a temporary working copy, with
the limits above, but can read the host's files: ``describe_protections`` says so.
"""
from __future__ import annotations

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
import uuid
from dataclasses import dataclass, field
from pathlib import Path

RUNNER = Path(__file__).with_name("kernel_runner.py")
_SANDBOX_RUNNER = "/opt/grader/kernel_runner.py"
_WORKDIR, _SCRATCH = "/home/student", "/run/grader"
_STDERR_CAP = 20_000


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


# ---------------------------------------------------------------- cgroups
class _Cgroup:
    """A child cgroup for one run: v1 (one per controller) or v2 (one for the listed controllers)."""

    def __init__(self, base: Path, version: int, controllers: frozenset[str]):
        self.base, self.version, self.controllers = base, version, controllers
        self.path = base / f"nnkit-grader-{os.getpid()}-{uuid.uuid4().hex[:8]}"

    def create(self, limits: Limits) -> None:
        self.path.mkdir()
        try:
            mem = str(limits.memory_mb * 1024 * 1024)
            if "memory" in self.controllers and self.version == 1:
                self._write("memory.limit_in_bytes", mem)
                self._write("memory.memsw.limit_in_bytes", mem, optional=True)
            elif "memory" in self.controllers:
                self._write("memory.max", mem)
                self._write("memory.swap.max", "0", optional=True)
            if "pids" in self.controllers:
                self._write("pids.max", str(limits.max_processes))
        except OSError:
            self.remove()
            raise

    def _write(self, name: str, value: str, optional: bool = False) -> None:
        try:
            (self.path / name).write_text(value)
        except OSError:
            if not optional:
                raise

    def _read(self, name: str) -> str:
        try:
            return (self.path / name).read_text()
        except OSError:
            return ""

    def peak_mb(self) -> float | None:
        raw = self._read("memory.max_usage_in_bytes" if self.version == 1 else "memory.peak").strip()
        return int(raw) / 2**20 if raw.isdigit() else None

    def oom_killed(self) -> bool:
        text = self._read("memory.oom_control" if self.version == 1 else "memory.events")
        counts = dict(line.split()[:2] for line in text.splitlines() if len(line.split()) >= 2)
        return counts.get("oom_kill", "0") != "0"

    def kill_all(self) -> None:
        if self.version == 2 and (self.path / "cgroup.kill").exists():
            self._write("cgroup.kill", "1", optional=True)
        for _ in range(50):
            pids = [int(p) for p in self._read("cgroup.procs").split()]
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.02)

    def remove(self) -> None:
        for _ in range(50):
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                self.kill_all()
                time.sleep(0.05)


def _cgroup_bases() -> list[tuple[Path, int, frozenset[str]]]:
    """(this process's cgroup directory, version, controllers there) for memory and pids."""
    own = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, names, path = line.split(":", 2)
        for name in (names.split(",") if names else ["v2"]):
            own[name] = path
    v1, v2 = [], []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        left, _, right = line.partition(" - ")
        fstype, _, options = (right.split() + ["", "", ""])[:3]
        mount = Path(left.split()[4])
        if fstype == "cgroup":
            v1 += [(mount / own[n].lstrip("/"), 1, frozenset([n])) for n in ("memory", "pids")
                   if n in options.split(",") and n in own]
        elif fstype == "cgroup2" and "v2" in own:
            base = mount / own["v2"].lstrip("/")
            control = base / "cgroup.subtree_control"
            enabled = frozenset(control.read_text().split()) & {"memory", "pids"} if control.exists() else frozenset()
            v2 += [(base, 2, enabled)] if enabled else []
    covered = {c for _, _, cs in v1 for c in cs}
    return v1 + [(b, v, cs - covered) for b, v, cs in v2 if cs - covered]


def _remove_stale(base: Path) -> None:
    """Remove empty groups left by a grader that was killed: its process is gone and a minute has
    passed, or six hours have (rmdir fails on groups that still hold processes)."""
    for old in base.glob("nnkit-grader-*"):
        try:
            age = time.time() - old.stat().st_mtime
            creator = old.name.split("-")[2]
            if age > 6 * 3600 or (age > 60 and creator.isdigit() and not _alive(int(creator))):
                old.rmdir()
        except OSError:
            pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        pass
    return True


@functools.lru_cache(maxsize=1)
def _cgroup_plan() -> tuple[tuple[Path, int, frozenset[str]], ...]:
    """The cgroups this machine lets us create and limit, probed once."""
    try:
        bases = _cgroup_bases()
    except OSError:
        return ()
    plan = []
    for base, version, controllers in bases:
        _remove_stale(base)
        probe = _Cgroup(base, version, controllers)
        try:
            probe.create(Limits())
            probe.remove()
            plan.append((base, version, controllers))
        except OSError:
            continue
    return tuple(plan)


def _limited(kind: str) -> bool:
    return any(kind in controllers for _, _, controllers in _cgroup_plan())


# ---------------------------------------------------------------- bubblewrap
def _bind_paths() -> list[tuple[str, str]]:
    """(source, target) read-only binds: the Python runtime, the venv and the nnkit package."""
    import importlib.util
    paths = {os.path.realpath(sys.base_prefix), sys.prefix}
    spec = importlib.util.find_spec("nnkit")
    if spec and spec.submodule_search_locations:
        paths.update(spec.submodule_search_locations)
    real = os.path.realpath(sys.executable)
    if not any(real.startswith(p.rstrip("/") + "/") for p in paths):
        paths.add(os.path.dirname(os.path.dirname(real)))
    return [(p, p) for p in sorted(paths)]


def _bwrap_command(result_fd: int, kernel_uid: int | None) -> list[str]:
    cmd = [shutil.which("bwrap") or "bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc",
           "--unshare-uts", "--unshare-cgroup-try", "--die-with-parent", "--new-session",
           "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            cmd += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            cmd += ["--ro-bind", top, top]
    # /tmp first: a later tmpfs there would hide binds of a checkout or venv that lives under /tmp.
    cmd += ["--perms", "1777", "--tmpfs", "/tmp"]
    binds = _bind_paths()
    parents = {str(p) for _, t in binds for p in Path(t).parents if str(p) not in ("/", "/tmp")}
    for path in sorted(parents | {"/opt", "/run", "/home"}):
        cmd += ["--perms", "0755", "--dir", path]
    cmd += ["--perms", "0700", "--dir", os.path.dirname(_SANDBOX_RUNNER)]  # the runner's, not the kernel's
    for source, target in binds:
        cmd += ["--ro-bind", source, target]
    cmd += ["--proc", "/proc", "--dev", "/dev",
            "--perms", "1777", "--tmpfs", _WORKDIR,
            "--perms", "0700", "--tmpfs", _SCRATCH,
            "--ro-bind", str(RUNNER), _SANDBOX_RUNNER, "--chdir", _WORKDIR]
    if kernel_uid is not None:
        cmd += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_KILL"]
    cmd += [sys.executable, _SANDBOX_RUNNER, "run", "--result-fd", str(result_fd),
            "--workdir", _WORKDIR, "--scratch", _SCRATCH, "--kernel-tmp", "/tmp"]
    if kernel_uid is not None:
        cmd += ["--kernel-uid", str(kernel_uid)]
    return cmd


def _wrapped(cmd: list[str], cgroup_procs: list[Path]) -> list[str]:
    """``cmd`` started by a shell that joins the cgroups and sets umask 022 (bwrap's new dirs)."""
    return ["/bin/sh", "-c", 'umask 022; while [ "$1" != -- ]; do echo $$ > "$1" || exit 97; shift; done; '
            'shift; exec "$@"', "sh", *map(str, cgroup_procs), "--", *cmd]


@functools.lru_cache(maxsize=1)
def bwrap_available() -> bool:
    """True when bubblewrap can build the sandbox here (probed once with the real mounts)."""
    if not shutil.which("bwrap"):
        return False
    cmd = _bwrap_command(0, None)
    probe = "import sys; sys.modules.setdefault('rfc3987_syntax', None); import nnkit, nbclient"  # as the runner
    cmd = cmd[:cmd.index(sys.executable)] + [sys.executable, "-c", probe]
    try:
        return subprocess.run(_wrapped(cmd, []), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _separate_uid() -> bool:
    return bwrap_available() and os.geteuid() == 0


def describe_protections() -> list[str]:
    """Which protections are active on this machine, one line each (for the grader's banner)."""
    lines = []
    if bwrap_available():
        lines += ["sandbox: bubblewrap; the learner's code sees only the OS, Python, the venv and nnkit "
                  "(read-only); solutions, tests, gradebooks and other submissions are not there",
                  "working copy and /tmp: fresh in-memory filesystems, discarded after the run",
                  "network: none (new network namespace)",
                  "processes: own PID namespace; the whole tree is killed at the time limit"]
        lines.append("privileges: the kernel runs as a fresh unprivileged uid without capabilities"
                     if _separate_uid() else
                     "privileges: the kernel runs as the grader's user (not root, so no uid switch)")
    else:
        lines += ["WARNING sandbox: bubblewrap unavailable; the learner's code runs as the grader's user "
                  "with network access and can read files on this machine",
                  "processes: own process group, killed at the time limit"]
    lines.append("memory limit: cgroup (whole sandbox)" if _limited("memory")
                 else "memory limit: RLIMIT_AS on the kernel (approximate; no writable cgroup)")
    lines.append("process limit: cgroup pids.max (whole sandbox)" if _limited("pids")
                 else "process limit: RLIMIT_NPROC on the kernel's uid" if _separate_uid()
                 else "process limit: NONE (no writable cgroup, no separate uid)")
    lines += ["time limit: one wall-clock limit for the whole notebook",
              "output: capped per submission; results return on a pipe the kernel cannot write"]
    return lines


# ---------------------------------------------------------------- running
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


def _plain_command(result_fd: int, workdir: str, scratch: str) -> list[str]:
    return [sys.executable, str(RUNNER), "run", "--result-fd", str(result_fd),
            "--workdir", workdir, "--scratch", scratch, "--kernel-tmp", scratch]


def _drain(stream, sink: list[bytes]) -> None:
    size = 0
    for chunk in iter(lambda: stream.read(65536), b""):
        if size < _STDERR_CAP:
            sink.append(chunk[:_STDERR_CAP - size])
            size += len(chunk)


def _feed(stream, data: bytes) -> None:
    try:
        stream.write(data)
        stream.close()
    except OSError:
        pass


def _read_until(fd: int, deadline: float) -> tuple[bytes, bool]:
    """Everything written to ``fd`` until EOF, and whether the deadline came first."""
    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return b"".join(chunks), True
        ready, _, _ = select.select([fd], [], [], min(left, 1.0))
        if ready:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks), False
            chunks.append(chunk)


def _parse(data: bytes) -> list[dict]:
    events = []
    for line in data.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict):
            events.append(event)
    return events


def _stop(proc: subprocess.Popen, groups: list[_Cgroup], kill: bool) -> None:
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


def run_notebook(request: dict, limits: Limits) -> RunOutcome:
    """Execute ``request`` (see kernel_runner) within ``limits``; never raises for the learner's code."""
    started = time.monotonic()
    groups = []
    for base, version, controllers in _cgroup_plan():
        group = _Cgroup(base, version, controllers)
        try:
            group.create(limits)
            groups.append(group)
        except OSError:
            pass
    has_memory = any("memory" in g.controllers for g in groups)
    request = dict(request, memory_mb=limits.memory_mb, max_processes=limits.max_processes,
                   max_output_bytes=limits.max_output_bytes, rlimit_memory=not has_memory,
                   font_cache=_font_cache())
    temp = None if bwrap_available() else tempfile.mkdtemp(prefix="nnkit-grade-")
    read_fd, write_fd = os.pipe()
    outcome = RunOutcome()
    try:
        if temp is None:
            uid = secrets.randbelow(60000) + 100000 if os.geteuid() == 0 else None
            cmd = _bwrap_command(write_fd, uid)
        else:
            os.makedirs(os.path.join(temp, "work"))
            cmd = _plain_command(write_fd, os.path.join(temp, "work"), temp)
        proc = subprocess.Popen(_wrapped(cmd, [g.path / "cgroup.procs" for g in groups]),
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, pass_fds=(write_fd,), start_new_session=True,
                                env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": _SCRATCH},
                                cwd=temp or "/")
        os.close(write_fd)
        write_fd = -1
        errors: list[bytes] = []
        threads = [threading.Thread(target=_feed, args=(proc.stdin, json.dumps(request).encode()), daemon=True),
                   threading.Thread(target=_drain, args=(proc.stderr, errors), daemon=True)]
        for t in threads:
            t.start()
        data, outcome.timed_out = _read_until(read_fd, started + limits.timeout_s)
        outcome.events = _parse(data)
        _stop(proc, groups, outcome.timed_out)
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
