"""The bubblewrap sandbox: a new root holding only the OS (/usr, /etc ...), the Python runtime,
the venv and the nnkit package, all read-only; the repository (solutions, autograder, tests),
gradebooks, workspaces and other submissions are absent. The learner's working copy
(/home/student) and /tmp are fresh tmpfs mounts. New PID, network (loopback only), IPC and UTS
namespaces; ``--die-with-parent``, ``--new-session``. Running as root, the runner keeps only
CAP_SETUID/CAP_SETGID/CAP_KILL and starts the kernel under a fresh unprivileged uid.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

from autograder import cgroups

RUNNER = Path(__file__).with_name("kernel_runner.py")
SANDBOX_RUNNER = "/opt/grader/kernel_runner.py"
WORKDIR, SCRATCH = "/home/student", "/run/grader"


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


def command(result_fd: int, kernel_uid: int | None) -> list[str]:
    """The bwrap command line that runs the kernel runner in a new root (``kernel_uid``: the uid
    the runner starts the kernel under, or None to keep the grader's)."""
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
    cmd += ["--perms", "0700", "--dir", os.path.dirname(SANDBOX_RUNNER)]  # the runner's, not the kernel's
    for source, target in binds:
        cmd += ["--ro-bind", source, target]
    cmd += ["--proc", "/proc", "--dev", "/dev",
            "--perms", "1777", "--tmpfs", WORKDIR,
            "--perms", "0700", "--tmpfs", SCRATCH,
            "--ro-bind", str(RUNNER), SANDBOX_RUNNER, "--chdir", WORKDIR]
    if kernel_uid is not None:
        cmd += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_KILL"]
    cmd += [sys.executable, SANDBOX_RUNNER, "run", "--result-fd", str(result_fd),
            "--workdir", WORKDIR, "--scratch", SCRATCH, "--kernel-tmp", "/tmp"]
    if kernel_uid is not None:
        cmd += ["--kernel-uid", str(kernel_uid)]
    return cmd


@functools.lru_cache(maxsize=1)
def available() -> bool:
    """True when bubblewrap can build the sandbox here (probed once with the real mounts)."""
    if not shutil.which("bwrap"):
        return False
    cmd = command(0, None)
    probe = "import sys; sys.modules.setdefault('rfc3987_syntax', None); import nnkit, nbclient"  # as the runner
    cmd = cmd[:cmd.index(sys.executable)] + [sys.executable, "-c", probe]
    try:
        return subprocess.run(cgroups.joining(cmd, []), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def separate_uid() -> bool:
    """Whether the kernel runs under a uid of its own (bwrap works and the grader is root)."""
    return available() and os.geteuid() == 0
