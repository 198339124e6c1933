"""Cgroups (v1 or v2) for one sandboxed run: a child of this process's own cgroup, with a memory
limit (tmpfs pages count too), peak memory, OOM-kill detection and a process/thread limit for the
whole tree. ``plan()`` probes once what this machine allows; ``for_run`` creates the groups.
"""
from __future__ import annotations

import functools
import os
import signal
import time
import uuid
from pathlib import Path


class Cgroup:
    """A child cgroup for one run: v1 (one per controller) or v2 (one for the listed controllers)."""

    def __init__(self, base: Path, version: int, controllers: frozenset[str]):
        self.base, self.version, self.controllers = base, version, controllers
        self.path = base / f"nnkit-grader-{os.getpid()}-{uuid.uuid4().hex[:8]}"

    def create(self, memory_mb: int, max_processes: int) -> None:
        self.path.mkdir()
        try:
            mem = str(memory_mb * 1024 * 1024)
            if "memory" in self.controllers and self.version == 1:
                self._write("memory.limit_in_bytes", mem)
                self._write("memory.memsw.limit_in_bytes", mem, optional=True)
            elif "memory" in self.controllers:
                self._write("memory.max", mem)
                self._write("memory.swap.max", "0", optional=True)
            if "pids" in self.controllers:
                self._write("pids.max", str(max_processes))
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


def _bases() -> list[tuple[Path, int, frozenset[str]]]:
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


def remove_stale(base: Path) -> None:
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
def plan() -> tuple[tuple[Path, int, frozenset[str]], ...]:
    """The cgroups this machine lets us create and limit, probed once."""
    try:
        bases = _bases()
    except OSError:
        return ()
    plan = []
    for base, version, controllers in bases:
        remove_stale(base)
        probe = Cgroup(base, version, controllers)
        try:
            probe.create(memory_mb=2048, max_processes=64)
            probe.remove()
            plan.append((base, version, controllers))
        except OSError:
            continue
    return tuple(plan)


def limited(kind: str) -> bool:
    """Whether a cgroup limits ``kind`` ("memory" or "pids") on this machine."""
    return any(kind in controllers for _, _, controllers in plan())


def for_run(memory_mb: int, max_processes: int) -> list[Cgroup]:
    """Fresh cgroups for one run, limited; those that cannot be created are left out."""
    groups = []
    for base, version, controllers in plan():
        group = Cgroup(base, version, controllers)
        try:
            group.create(memory_mb, max_processes)
            groups.append(group)
        except OSError:
            pass
    return groups


def joining(cmd: list[str], cgroup_procs: list[Path]) -> list[str]:
    """``cmd`` started by a shell that joins the cgroups and sets umask 022 (bwrap's new dirs)."""
    return ["/bin/sh", "-c", 'umask 022; while [ "$1" != -- ]; do echo $$ > "$1" || exit 97; shift; done; '
            'shift; exec "$@"', "sh", *map(str, cgroup_procs), "--", *cmd]
