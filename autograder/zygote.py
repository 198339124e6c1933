"""The kernel zygote: one process per grading run that imports ipykernel, numpy, matplotlib and nnkit
once, then forks each learner's kernel into that learner's sandbox, so no kernel pays for its
interpreter start and imports (~0.9 s CPU per notebook).

Only for a root grader with bubblewrap (``usable()``). The zygote is started fresh (exec, a clean
environment): it holds no hidden test, seed or gradebook, only the imported modules, so a kernel
forked from it starts with nothing the exec'd kernel would not have. For each kernel:
- a child joins the run's cgroups, then the sandbox's cgroup, IPC, UTS, network, PID and mount
  namespaces (setns, as ``nsenter`` does) and forks the kernel, which is inside the sandbox's PID
  namespace and sees only the sandbox's files;
- the kernel checks that each namespace is the sandbox's, drops every capability from its
  bounding set, sets no_new_privs, lowers its limits and becomes the fresh unprivileged uid
  (``kernel_runner.lower_privileges``, as the exec'd kernel does), closes every inherited file,
  takes the runner's environment and working folder and starts ipykernel in-process;
- any failure before that ends the process: nothing runs with the zygote's privileges.

Protocol (``python -m autograder.zygote``): one JSON request per line on stdin, one answer per line
on stdout. Request: {"sandbox": host pid of a process in the sandbox, "cgroups": [cgroup.procs
paths], "connection_file", "env", "cwd" (paths in the sandbox), "uid", "memory_mb" (0: no
RLIMIT_AS), "max_processes", "kernel_tmp"}. Answer: {"pid": the kernel's pid in the sandbox} or
{"error": "..."}.
"""
from __future__ import annotations

import ctypes
import json
import os
import select
import signal
import subprocess
import sys
import threading

from autograder import kernel_runner

NAMESPACES = ("cgroup", "ipc", "uts", "net", "pid", "mnt")  # mnt last: from then on, paths are the sandbox's
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "numpy", "matplotlib.pyplot", "ipywidgets",
           "nnkit", "nnkit.checks", "nnkit.viz")
_CAP_LAST = 63  # PR_CAPBSET_DROP of an unknown capability fails with EINVAL; _confine checks the result
_PR_CAPBSET_DROP, _PR_SET_NO_NEW_PRIVS, _PR_SET_PDEATHSIG = 24, 38, 1
_libc = ctypes.CDLL(None, use_errno=True)
GONE = "the kernel zygote is gone"


def usable() -> bool:
    """Whether kernels can be forked into sandboxes here: a root grader, bubblewrap and setns."""
    from autograder import bubblewrap
    return sys.platform == "linux" and bubblewrap.separate_uid() and hasattr(_libc, "setns")


def _preload() -> None:
    """Import what every grading kernel imports; matplotlib's inline backend is left to the kernel
    (it hooks into the running shell when imported)."""
    import importlib
    import pkgutil

    for name in PRELOAD:
        module = importlib.import_module(name)
        if name in ("nnkit.checks", "nnkit.viz"):
            for info in pkgutil.iter_modules(module.__path__, name + "."):
                importlib.import_module(info.name)
    if "matplotlib_inline.backend_inline" in sys.modules or threading.active_count() != 1:
        raise RuntimeError("preloading started the inline backend or a thread")


def _forget_matplotlib_dirs() -> None:
    """matplotlib remembers its config and cache folders (the zygote's); the kernel's are in its
    MPLCONFIGDIR, found again on first use."""
    import matplotlib
    for getter in (matplotlib.get_configdir, matplotlib.get_cachedir):
        cells = dict(zip(getter.__code__.co_freevars, getter.__closure__ or ()))
        cells["called"].cell_contents = False  # KeyError on another matplotlib: the zygote stops


def _check(call: int, what: str) -> None:
    if call != 0:
        raise OSError(ctypes.get_errno(), what)


def _enter(request: dict) -> dict[str, int]:
    """Join the run's cgroups and the sandbox's namespaces; the namespaces' inode numbers."""
    for procs in request["cgroups"]:
        with open(procs, "w") as f:
            f.write(str(os.getpid()))
    fds = {name: os.open(f"/proc/{int(request['sandbox'])}/ns/{name}", os.O_RDONLY) for name in NAMESPACES}
    inodes = {name: os.fstat(fd).st_ino for name, fd in fds.items()}
    if inodes["mnt"] == os.stat("/proc/self/ns/mnt").st_ino:
        raise RuntimeError("the target is not in a sandbox")
    for name, fd in fds.items():
        _check(_libc.setns(fd, 0), f"setns {name}")
        os.close(fd)
    return inodes


def _confine(request: dict, inodes: dict[str, int]) -> str:
    """In the kernel process: make sure it is in the sandbox, then drop privileges; the connection
    file the kernel reads."""
    for name, inode in inodes.items():
        if os.stat(f"/proc/self/ns/{name}").st_ino != inode:
            raise RuntimeError(f"not in the sandbox's {name} namespace")
    os.setsid()
    for cap in range(_CAP_LAST + 1):
        _libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0)
    _check(_libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    path = kernel_runner.lower_privileges(request["connection_file"], int(request["uid"]),
                                          int(request["memory_mb"]), int(request["max_processes"]),
                                          request["kernel_tmp"])
    with open("/proc/self/status") as f:
        status = dict(line.split(":", 1) for line in f.read().splitlines() if ":" in line)
    caps = {status[k].strip() for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")}
    if os.getuid() != int(request["uid"]) or os.geteuid() == 0 or caps != {"0" * 16} \
            or status["NoNewPrivs"].strip() != "1":
        raise RuntimeError("the kernel kept a privilege")
    return path


def _forget_the_zygote() -> None:
    """What the kernel must not find of the zygote: its libc handle (function pointers looked up
    before the audit hook), the grader's modules, the import caches listing the repository's
    files; and numpy's global random state, seeded once at import, which every kernel would share."""
    import importlib
    import linecache

    import numpy
    globals().update(_libc=None, ctypes=None, kernel_runner=None)
    for name in [m for m in sys.modules if m == "autograder" or m.startswith("autograder.")]:
        del sys.modules[name]
    sys.path.pop(0)  # the zygote's folder; ipykernel puts the working folder first, as for any kernel
    sys.path_importer_cache.clear()
    importlib.invalidate_caches()
    linecache.clearcache()
    numpy.random.seed()
    _forget_matplotlib_dirs()


def _become_kernel(request: dict, inodes: dict[str, int], report: int) -> None:
    """The kernel: confined, with the runner's environment, then ipykernel in this process. Called
    from ``main`` once the zygote's loop has unwound, so no frame below it holds a request."""
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        connection = _confine(request, inodes)
        env, cwd = request["env"], request["cwd"]
        request.clear()
        options = kernel_runner.KERNEL_OPTIONS
        os.write(report, str(os.getpid()).encode())
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.closerange(3, 1 << 20)
        os.environ.clear()
        os.environ.update(env)
        os.chdir(cwd)
        _forget_the_zygote()
        from ipykernel.kernelapp import IPKernelApp

        sys.argv = [sys.executable, "-f", connection, *options]
        sys.orig_argv = [sys.executable, "-m", "ipykernel_launcher", *sys.argv[1:]]
        app = IPKernelApp.instance()
        app.initialize(sys.argv[1:])
        import ipywidgets
        ipywidgets.register_comm_target()  # done at import when a shell exists (ipywidgets._handle_ipython)
        app.start()
    finally:
        os._exit(0)


def _between(request: dict, read: int, write: int) -> dict[str, int]:
    """The process between the zygote and a kernel: joins the sandbox, forks the kernel and waits
    for it. Returns (the namespaces' inodes) only in the kernel."""
    try:
        os.close(read)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        inodes = _enter(request)
        kernel = os.fork()  # the first process that is inside the sandbox's PID namespace
        if kernel == 0:
            return inodes
        os.close(write)
        os.waitpid(kernel, 0)
    except BaseException:
        pass
    os._exit(0)


def _fork_kernel(request: dict, read: int, write: int) -> dict | tuple:
    """Fork a kernel into the request's sandbox: in the zygote, its pid there or the error; in the
    kernel, what ``_become_kernel`` needs."""
    if os.fork() == 0:
        return request, _between(request, read, write), write
    os.close(write)
    with os.fdopen(read, "rb") as f:
        reported = f.read(32)
    return {"pid": int(reported)} if reported.isdigit() else {"error": "the kernel could not enter the sandbox"}


def _requests():
    """The grader's requests, one JSON object per line on stdin (read unbuffered: no copy of a
    request stays in a buffer a kernel inherits)."""
    pending = b""
    while chunk := os.read(0, 65536):
        *lines, pending = (pending + chunk).split(b"\n")
        yield from lines


def _serve() -> tuple | None:
    """Answer requests until stdin closes; in a forked kernel, return what it needs."""
    for line in _requests():
        try:
            request = json.loads(line)
            read, write = os.pipe()
        except (ValueError, OSError) as e:
            print(json.dumps({"error": f"{type(e).__name__}: {e}"}), flush=True)
            continue
        try:
            answer = _fork_kernel(request, read, write)
        except Exception as e:  # a request without a field, a failed fork: the grader falls back to exec
            answer = {"error": f"{type(e).__name__}: {e}"}
            for fd in (read, write):
                try:
                    os.close(fd)
                except OSError:
                    pass
        if isinstance(answer, tuple):
            return answer
        print(json.dumps(answer), flush=True)
    return None


def main() -> None:
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the children that joined a sandbox are reaped at once
    _preload()
    _forget_matplotlib_dirs()  # fails here, before any kernel, on a matplotlib without that cache
    print(json.dumps({"ready": True}), flush=True)
    kernel = _serve()
    if kernel is not None:
        _become_kernel(*kernel)


class Zygote:
    """The grader's side: starts the zygote once, then asks it for kernels, one request at a time."""

    def __init__(self, env: dict[str, str]):
        from pathlib import Path
        root = Path(__file__).resolve().parents[1]
        self._lock = threading.Lock()
        self._proc = subprocess.Popen([sys.executable, "-m", "autograder.zygote"], cwd=root, env=env,
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=subprocess.DEVNULL, text=True)
        ready = self._proc.stdout.readline()
        if not ready.strip().startswith('{"ready"'):
            self.close()
            raise RuntimeError("the kernel zygote did not start")

    @property
    def pid(self) -> int:
        return self._proc.pid

    def fork_kernel(self, request: dict, timeout: float = 30.0) -> dict:
        """``{"pid"}`` of a kernel forked into a sandbox, or ``{"error"}`` (a zygote that does not
        answer within ``timeout`` s is stopped: GONE)."""
        with self._lock:
            try:
                self._proc.stdin.write(json.dumps(request) + "\n")
                self._proc.stdin.flush()
                if not select.select([self._proc.stdout], [], [], timeout)[0]:
                    self._proc.kill()
                    self._proc.wait()
                    return {"error": GONE}
                answer = self._proc.stdout.readline()
            except (OSError, ValueError):
                return {"error": GONE}
        try:
            return json.loads(answer)
        except ValueError:
            return {"error": GONE}

    def close(self) -> None:
        for stream in (self._proc.stdin, self._proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self._proc.wait()


if __name__ == "__main__":
    main()
