"""What runs inside the sandbox: execute one notebook and report on a channel the kernel cannot touch.

Run as a script (never imported by the kernel); it imports only the standard library, nbformat,
nbclient and jupyter_client, so it works with the repository hidden behind a tmpfs.

    python kernel_runner.py run --result-fd N --workdir DIR --scratch DIR --kernel-tmp DIR [--kernel-uid U]
        reads a JSON request, one line on stdin: {"notebook", "guard_source" (kernel_guard.py's text),
        "working_copy" (the notebook written to the working folder, hidden tests removed),
        "notebook_name", "test_cells" (indices),
        "nonce", "imports" (lines re-run before each test), "hidden_seed" (the seed of the hidden
        cases, or null for nnkit's default), "graded_calls" ({cell index: [[exercise, function,
        hidden], ...]} for the test cells the grader decides), "second_line" (false: no guard, no
        restore; tests only), "max_output_bytes", "memory_mb",
        "max_processes", "rlimit_memory" (true when no memory cgroup applies),
        "font_cache" (matplotlib's font list {"name", "text"} or null),
        "forked_kernel" (true: ask the grader to fork the kernel, below)}
    python kernel_runner.py launch-kernel -f CONNECTION_FILE [--uid U] [--font-cache FILE] [...limits]
        the kernel command: lowers its own limits and privileges, copies the font list into its
        MPLCONFIGDIR (as the kernel's uid, so matplotlib may write there), then execs ipykernel.

Protocol, one JSON object per line on the result fd (an inherited pipe; the kernel is started
with ``close_fds`` and, in the sandbox, under another uid, so it can neither inherit nor open it):
  {"event": "cell", "index": i, "test": bool, "reply": "ok"|"error"|"aborted"|null,
   "marker": bool, "errors": [[ename, evalue], ...]}
  {"event": "kernel", "connection_file", "env", "cwd"}  with "forked_kernel": the grader forks the
      kernel into this sandbox (autograder/zygote.py) and answers {"kernel": {"pid": p}} on stdin, or
      {"kernel": {}}: this process starts the kernel spec's command as usual
  {"event": "decide", "index": i}  a test cell of checker calls: the grader decides it (below)
  {"event": "reply", "data": {...}}  the kernel's answer to the grader's last question
  {"event": "cell", "index": i, "test": true, "verdict": {"passed": bool, "message": str}, "guard"}
      the grader's verdict on that cell
  {"event": "dead", "index": i, "reason"}  the kernel died (or broke the protocol) in cell i
  {"event": "done", "notebook": {...}, "truncated": bool, "maxrss_kb": int, "timing": {...}}
      timing (``_Clock``): "started" (this process's monotonic clock at its start; the host's is the
      same clock) and, per phase, wall seconds and the CPU seconds of the runner and of the kernel

At start-up (before any learner code) the guard installs an audit hook (PEP 578; it cannot be
removed) that refuses gc object walks, trace/profile hooks, ctypes, and the audited changes
(``__code__``, ``__defaults__``, ``__bases__`` ...) to the functions and classes that modules of
ipykernel, jupyter_client, zmq, IPython, traitlets, numpy and nnkit hold at that moment. (Plain class attributes are not
audited by CPython; the restore below covers the ones grading depends on.)
Before every graded test cell a silent guard (``autograder/kernel_guard.py``, whose source the
request carries; installed before the first student cell) puts back the originals of numpy, nnkit (module dicts and function code),
builtins, sys.modules entries, the trace/profile hooks, IPython's traceback display, input/AST
transformers, event callbacks (keeping those matplotlib/ipywidgets added since, so plots still show)
and the source notebook's import aliases (``check``, ``np``...).

The verdict of a test cell made of nnkit checker calls (``check.predict(predict, hidden=True)``) is
decided by the grader, outside the sandbox (``autograder/verdicts.py``): the cell is not run as
code; for each call nnkit.checks.remote, there, builds the cases, asks (one JSON line on stdin per
question) for the guard's ``probe`` and ``calls`` on the case arguments, which this process puts
to the kernel as user expressions of empty execute requests (the reply carries the learner's
results as JSON data) and answers with a "reply" event; the grader computes the expected values
and the message and sends the verdict (``{"verdict": ...}``). The kernel sees arguments, never
expected values, and a forged reply can only fail a case. Any other test cell is run in the kernel with
``print(<marker>)`` and a per-run random nonce appended: it passes only if the kernel replied "ok",
produced no error output and printed the marker.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import time
from queue import Empty
from subprocess import DEVNULL

_MAX_FILE_BYTES = 256 * 2**20  # per file the kernel writes (tmpfs pages also count as memory)
_MAX_LINE_BYTES = 2**30  # a line on stdin: the request (two copies of a notebook), a question's arguments

def _json_line(fd: int, obj: dict) -> None:
    data = (json.dumps(obj) + "\n").encode()
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _cap_text(text: str, limit: int = 2000) -> str:
    return text if len(text) <= limit else text[:limit] + " ... (truncated)"


class _ForkedKernel:
    """The Popen-like handle jupyter_client's provisioner keeps, for a kernel forked by the grader's
    zygote (autograder/zygote.py): a process of this sandbox that is not this process's child."""

    def __init__(self, pid: int):
        self.pid, self.returncode = pid, None
        self.stdin = self.stdout = self.stderr = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                with open(f"/proc/{self.pid}/stat") as f:
                    state = f.read().rsplit(")", 1)[1].split()[0]
            except (OSError, IndexError):
                state = "X"
            if state in ("Z", "X"):
                self.returncode = -9  # its exit status goes to its parent, outside the sandbox
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
        while self.poll() is None:
            if time.monotonic() > deadline:
                import subprocess
                raise subprocess.TimeoutExpired("kernel", timeout)
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        self.send_signal(9)

    def terminate(self) -> None:
        self.send_signal(15)


def _kernel_manager_class(fork=None) -> type:
    """jupyter_client's async manager without two fixed waits that every notebook paid (~0.3 s):
    - after kernel_info, 0.2 s of IOPub silence awaited to flush leftovers: nbclient and ``silent``
      below match replies and outputs by parent id, so leftovers are ignored anyway (the check
      that IOPub is connected, one message received, is kept);
    - 0.1 s polls while the killed kernel exits (0.01 s here).
    ``fork(connection_file, env, cwd)``: the pid of a kernel the grader forked for this sandbox
    (instead of running the kernel spec's command), or None to run the command."""
    from jupyter_client import AsyncKernelClient, AsyncKernelManager

    class ReadyClient(AsyncKernelClient):
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
            while True:
                self.kernel_info()
                try:
                    msg = await self.shell_channel.get_msg(timeout=1)
                    if msg["msg_type"] == "kernel_info_reply":
                        await self.iopub_channel.get_msg(timeout=0.2)  # IOPub is connected
                        self._handle_kernel_info_reply(msg)
                        return
                except Empty:
                    pass
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")

    class Manager(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.client_factory = ReadyClient

        async def _async_wait(self, pollinterval: float = 0.01) -> None:
            await super()._async_wait(pollinterval)

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
            cwd = str(kw.get("cwd") or os.getcwd())
            pid = await fork(self.connection_file, kw["env"], cwd) if fork else None
            if pid is None:
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            provisioner = self.provisioner
            provisioner.process, provisioner.pid, provisioner.pgid = _ForkedKernel(pid), pid, pid
            provisioner.cwd = cwd
            self._reconcile_connection_info(provisioner.connection_info)

    return Manager


_CLOCK_STARTED = time.monotonic()
_FORMAT_CHECKERS = ("rfc3987_syntax", "rfc3987", "rfc3986_validator", "rfc3339_validator", "fqdn", "idna",
                    "webcolors", "jsonpointer", "uri_template", "isoduration")


class _Clock:
    """Where a run's time goes: per phase, wall seconds and the CPU seconds of this process and of
    the kernel (read from /proc; 0 where that is not readable)."""

    PHASES = ("runner start", "kernel start", "guard and imports", "cells", "tests", "shutdown")

    def __init__(self):
        self.kernel_pid: int | None = None
        self.phases = {p: {"wall": 0.0, "runner_cpu": 0.0, "kernel_cpu": 0.0} for p in self.PHASES}
        self._last = (_CLOCK_STARTED, 0.0, 0.0)  # the runner's CPU counts from its own start

    def _kernel_cpu(self) -> float:
        try:
            with open(f"/proc/{self.kernel_pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
        except (OSError, ValueError, IndexError, TypeError):
            return self._last[2]

    def lap(self, phase: str, kernel_gone: bool = False) -> None:
        """Charge the time since the last lap to ``phase`` (``kernel_gone``: read the exited
        kernel's CPU from this process's children instead)."""
        if kernel_gone:
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
            kernel = usage.ru_utime + usage.ru_stime
        else:
            kernel = self._kernel_cpu()
        now = (time.monotonic(), time.process_time(), kernel)
        spent = self.phases[phase]
        for key, before, after in zip(("wall", "runner_cpu", "kernel_cpu"), self._last, now):
            spent[key] += max(0.0, after - before)
        self._last = now

    def report(self) -> dict:
        return {"started": _CLOCK_STARTED,
                "phases": {p: {k: round(v, 4) for k, v in t.items()} for p, t in self.phases.items()}}


def _kernel_pid(client) -> int | None:
    process = getattr(getattr(client.km, "provisioner", None), "process", None)
    return getattr(process, "pid", None)


class KernelLost(Exception):
    """The kernel died, or did not stop at the time limit even when interrupted."""


class GraderFault(Exception):
    """The runner's own failure while deciding a test (never the learner's doing)."""


async def _shell_reply(client, msg_id: str, timeout: float) -> dict | None:
    """The shell reply to ``msg_id``, or None after ``timeout`` s; KernelLost if the kernel died."""
    from jupyter_core.utils import ensure_async

    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            msg = await client.kc.shell_channel.get_msg(timeout=min(1.0, left))
        except Empty:
            if not await ensure_async(client.km.is_alive()):
                raise KernelLost("the kernel died") from None
            continue
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg["content"]
    return None


async def _user_expression(client, expression: str, timeout: float) -> dict:
    """Evaluate ``expression`` in the kernel (an empty, silent execute request) and return the JSON
    data of its value; past ``timeout`` the kernel is interrupted (then ``{"timed_out": True}``)."""
    from jupyter_core.utils import ensure_async

    msg_id = client.kc.execute("", silent=True, store_history=False, user_expressions={"r": expression})
    reply = await _shell_reply(client, msg_id, timeout)
    if reply is None:
        await ensure_async(client.km.interrupt_kernel())
        if await _shell_reply(client, msg_id, 5.0) is None:
            raise KernelLost("the kernel did not stop at the time limit")
        return {"timed_out": True}
    value = reply.get("user_expressions", {}).get("r", {})
    if not isinstance(value, dict) or value.get("status") != "ok":
        value = value if isinstance(value, dict) else {}
        return {"raised": _cap_text(f"{value.get('ename', 'error')}: {value.get('evalue', '')}")}
    data = value.get("data", {}).get("application/json") if isinstance(value.get("data"), dict) else None
    return data if isinstance(data, dict) else {"unreadable": "the kernel's reply carries no result"}


class _GraderLine:
    """This process's side of deciding a test cell of checker calls: the grader (outside the sandbox)
    decides, with nnkit.checks.remote; each of its questions (on stdin) is put to the guard's
    ``probe`` or ``calls`` as a user expression, and the answer goes back on the result fd."""

    def __init__(self, client, guard_name: str, stdin: asyncio.StreamReader, fd: int):
        self.client, self.stdin, self.fd = client, stdin, fd
        self.guard = f"__import__('sys').modules[{guard_name!r}]"

    async def _answer(self, question: dict) -> dict:
        if "probe" in question:
            q = question["probe"]
            call = f"probe({q['fn']!r}, {q['exercise']!r}, {bool(q['hidden'])!r})"
            return await _user_expression(self.client, f"{self.guard}.{call}", 30.0)
        q = question["calls"]
        call = f"calls({q['fn']!r}, {json.dumps(q['request'])!r})"
        return await _user_expression(self.client, f"{self.guard}.{call}", float(q["timeout"]))

    async def decide(self, index: int) -> dict:
        """The grader's verdict on test cell ``index``: ``{"passed", "message", "printed"}``."""
        _json_line(self.fd, {"event": "decide", "index": index})
        while True:
            line = await self.stdin.readline()
            if not line:
                raise GraderFault("the grader stopped answering")
            message = json.loads(line)
            if "verdict" in message:
                return message["verdict"]
            _json_line(self.fd, {"event": "reply", "data": await self._answer(message)})


def _fork_by_grader(stdin: asyncio.StreamReader, fd: int):
    """``fork`` for ``_kernel_manager_class``: asks the grader (a "kernel" event) to fork the kernel
    into this sandbox; None when the grader answers that the kernel spec's command should run."""
    async def fork(connection_file: str, env: dict, cwd: str) -> int | None:
        _json_line(fd, {"event": "kernel", "connection_file": connection_file, "env": env, "cwd": cwd})
        line = await stdin.readline()
        if not line:
            raise GraderFault("the grader stopped answering")
        answer = json.loads(line).get("kernel", {})
        pid = answer.get("pid") if isinstance(answer, dict) else None
        return pid if isinstance(pid, int) and pid > 1 else None
    return fork


def _verdict_outputs(verdict: dict) -> list:
    """The outputs a decided test cell shows: the lines of its passed calls, then the failure."""
    import nbformat

    outputs = []
    if verdict["printed"]:
        outputs.append(nbformat.v4.new_output("stream", name="stdout", text="\n".join(verdict["printed"]) + "\n"))
    if not verdict["passed"]:
        outputs.append(nbformat.v4.new_output("error", ename="CheckFailed", evalue=verdict["message"],
                                              traceback=["CheckFailed: " + verdict["message"]]))
    return outputs


def _write_kernel_spec(args: argparse.Namespace, request: dict) -> None:
    """The ``grader`` kernelspec in the scratch folder: ``launch-kernel`` with the request's limits."""
    kernel_dir = os.path.join(args.scratch, "kernels", "grader")
    os.makedirs(kernel_dir, exist_ok=True)
    argv = [sys.executable, os.path.abspath(__file__), "launch-kernel", "-f", "{connection_file}",
            "--memory-mb", str(request["memory_mb"] if request.get("rlimit_memory") else 0),
            "--max-processes", str(request["max_processes"]),
            "--scratch", args.kernel_tmp]
    if args.kernel_uid is not None:
        argv += ["--uid", str(args.kernel_uid)]
    font = request.get("font_cache")
    if font:  # world-readable in the kernel's /tmp, owned by the runner: the kernel cannot change it
        seed = os.path.join(args.kernel_tmp, os.path.basename(font["name"]))
        with open(os.open(seed, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644), "w") as f:
            f.write(font["text"])
        argv += ["--font-cache", seed]
    with open(os.path.join(kernel_dir, "kernel.json"), "w") as f:
        json.dump({"argv": argv, "display_name": "grader", "language": "python"}, f)
    os.environ["JUPYTER_PATH"] = args.scratch
    os.environ["JUPYTER_RUNTIME_DIR"] = os.path.join(args.scratch, "runtime")


def kernel_env(workdir: str, kernel_tmp: str) -> dict:
    """The grading kernel's environment (also the kernel zygote's, which imports with it)."""
    return {
        "PATH": os.path.dirname(sys.executable) + ":/usr/bin:/bin",
        "HOME": workdir, "LANG": "C.UTF-8",
        "IPYTHONDIR": os.path.join(kernel_tmp, "ipython"),
        "MPLCONFIGDIR": os.path.join(kernel_tmp, "mpl"),
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "NNKIT_GRADING": "1",  # widgets are not built (nnkit.viz._grading): the feedback page cannot run them
    }


def _capturing_client(nb, marker: str, cap: int, fork=None):
    """An nbclient client for ``nb`` that strips and records ``marker``, records error outputs and
    reply statuses per cell, and caps the total output at ``cap`` bytes; and its record."""
    import nbformat
    from nbclient import NotebookClient

    seen = {"bytes": 0, "truncated": False, "marker": set(), "errors": {}, "replies": {}}

    class Client(NotebookClient):
        def output(self, outs, msg, display_id, cell_index):
            content, kind = msg["content"], msg["msg_type"]
            if kind == "stream" and marker in content.get("text", ""):
                seen["marker"].add(cell_index)
                content["text"] = content["text"].replace(marker + "\n", "").replace(marker, "")
                if not content["text"]:
                    return None
            if kind == "error":
                seen["errors"].setdefault(cell_index, []).append(
                    [_cap_text(str(content.get("ename", ""))), _cap_text(str(content.get("evalue", "")))])
            size = len(json.dumps(content))
            if seen["bytes"] + size > cap:
                if not seen["truncated"]:
                    seen["truncated"] = True
                    outs.append(nbformat.v4.new_output(
                        "stream", name="stderr", text=f"[grader] output truncated: more than {cap} bytes of output\n"))
                return None
            seen["bytes"] += size
            return super().output(outs, msg, display_id, cell_index)

    def record_reply(cell, cell_index, execute_reply):
        seen["replies"][cell_index] = (execute_reply or {}).get("content", {}).get("status")

    client = Client(nb, kernel_name="grader", allow_errors=True, timeout=None,
                    startup_timeout=120, record_timing=False, iopub_timeout=10,
                    shutdown_kernel="immediate", on_cell_executed=record_reply,
                    kernel_manager_class=_kernel_manager_class(fork))
    return client, seen


async def _silent(client, code: str) -> str | None:
    """Run grader code without history or output; its reply status (KernelLost if the kernel died)."""
    msg_id = client.kc.execute(code, silent=True, store_history=False)
    return (await _shell_reply(client, msg_id, float("inf")) or {}).get("status")


class _Cells:
    """Runs the notebook's code cells one by one and reports each on the result fd."""

    def __init__(self, client, seen: dict, request: dict, stdin: asyncio.StreamReader, fd: int):
        self.client, self.seen = client, seen
        self.marker = f"[grader-marker {request['nonce']}]"
        self.guard_name = f"_grader_guard_{request['nonce'][:12]}"
        self.grader = _GraderLine(client, self.guard_name, stdin, fd)
        self.test_cells = set(request["test_cells"])
        self.decided = {int(i) for i in request.get("graded_calls", {})}  # the grader decides these
        self.second_line = request.get("second_line", True)

    async def install_guard(self, request: dict) -> bool:
        status = await _silent(self.client, request["guard_source"] + f"\n_nnkit_grader_install("
                               f"{self.guard_name!r}, {request.get('imports', '')!r}, "
                               f"{request.get('hidden_seed')!r}, {self.second_line!r})\n"
                               "del _nnkit_grader_install\n")
        return status == "ok"

    async def run(self, index: int, cell) -> dict:
        """The cell's event; raises DeadKernelError or KernelLost when the kernel is gone."""
        is_test = index in self.test_cells
        guard = None
        if is_test:
            restore = f"__import__('sys').modules[{self.guard_name!r}].restore()"
            guard = await _silent(self.client, restore) if self.second_line else "off"
        if index in self.decided:
            verdict = await self.grader.decide(index)
            cell.outputs = _verdict_outputs(verdict)
            return {"event": "cell", "index": index, "test": True, "guard": guard,
                    "verdict": {"passed": verdict["passed"], "message": _cap_text(verdict["message"])}}
        original = cell.source
        try:
            if is_test:
                cell.source = original + f"\n\nprint({self.marker!r})\n"
            await self.client.async_execute_cell(cell, index, store_history=not is_test)  # not in In/_ih
        finally:
            cell.source = original
        return {"event": "cell", "index": index, "test": is_test, "reply": self.seen["replies"].get(index),
                "guard": guard, "marker": index in self.seen["marker"], "errors": self.seen["errors"].get(index, [])}


async def _run(args: argparse.Namespace, request: dict, stdin: asyncio.StreamReader) -> None:
    # nbformat -> jsonschema imports its optional format checkers when installed, e.g. the IRI checker
    # rfc3987_syntax, which builds its grammar at import (~1 s CPU); all of them ~0.04 s more in every
    # sandbox. The runner never validates a format: each import fails, and jsonschema skips that format.
    for name in _FORMAT_CHECKERS:
        sys.modules.setdefault(name, None)
    import nbformat
    from nbclient.exceptions import DeadKernelError

    clock = _Clock()
    nb = nbformat.from_dict(request["notebook"])
    _write_kernel_spec(args, request)
    fd = args.result_fd
    fork = _fork_by_grader(stdin, fd) if request.get("forked_kernel") else None
    client, seen = _capturing_client(nb, f"[grader-marker {request['nonce']}]", int(request["max_output_bytes"]), fork)
    cells = _Cells(client, seen, request, stdin, fd)
    clock.lap("runner start")
    async with client.async_setup_kernel(env=kernel_env(args.workdir, args.kernel_tmp), cwd=args.workdir, stdin=DEVNULL,
                                         stdout=DEVNULL, stderr=None):
        clock.kernel_pid = _kernel_pid(client)
        clock.lap("kernel start")
        installed = await cells.install_guard(request)
        clock.lap("guard and imports")
        if not installed:
            _json_line(fd, {"event": "guard_failed"})
            return
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            try:
                event = await cells.run(index, cell)
            except (DeadKernelError, KernelLost) as e:
                event = {"event": "dead", "index": index,
                         "reason": str(e) if isinstance(e, KernelLost) else "the kernel died"}
            except GraderFault:
                raise
            except Exception as e:  # a kernel that breaks the protocol (bad signature ...)
                event = {"event": "dead", "index": index,
                         "reason": f"the kernel broke the messaging protocol ({type(e).__name__})"}
            clock.lap("tests" if index in cells.test_cells else "cells")
            _json_line(fd, event)
            if event["event"] == "dead":
                break

    clock.lap("shutdown", kernel_gone=True)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    _json_line(fd, {"event": "done", "notebook": nb, "truncated": seen["truncated"],
                    "maxrss_kb": usage.ru_maxrss, "timing": clock.report()})


async def _serve(args: argparse.Namespace) -> None:
    """Read the request (the first line on stdin; the grader's answers follow), write the learner's
    working copy, run the notebook."""
    stdin = asyncio.StreamReader(limit=_MAX_LINE_BYTES)
    await asyncio.get_running_loop().connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdin), sys.stdin)
    request = json.loads(await stdin.readline())
    with open(os.path.join(args.workdir, request.get("notebook_name", "submission.ipynb")), "w") as f:
        json.dump(request["working_copy"], f)  # what the learner may read: no hidden tests
    await _run(args, request, stdin)


def lower_privileges(connection_file: str, uid: int | None, memory_mb: int, max_processes: int,
                     kernel_tmp: str) -> str:
    """Lower this process's limits and privileges to the kernel's (``uid``: the kernel's own uid, or
    None to keep this one's; ``memory_mb`` 0: no RLIMIT_AS); the connection file the kernel reads."""
    try:
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")
    except OSError:
        pass
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (_MAX_FILE_BYTES, _MAX_FILE_BYTES))
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if uid is None:
        return connection_file
    with open(connection_file) as f:
        connection = f.read()
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    path = os.path.join(kernel_tmp, "kernel-connection.json")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.write(fd, connection.encode())
    os.close(fd)
    resource.setrlimit(resource.RLIMIT_NPROC, (max_processes, max_processes))
    return path


KERNEL_OPTIONS = ["--HistoryManager.enabled=False"]  # no SQLite history: nothing reads it (~0.05 s CPU per kernel)


def _launch_kernel(args: argparse.Namespace) -> None:
    """Lower limits and privileges of this process, then exec the IPython kernel."""
    path = lower_privileges(args.f, args.uid, args.memory_mb, args.max_processes, args.scratch)
    mpl_dir = os.environ.get("MPLCONFIGDIR")
    if args.font_cache and mpl_dir:
        os.makedirs(mpl_dir, exist_ok=True)
        with open(args.font_cache) as src, open(os.path.join(mpl_dir, os.path.basename(args.font_cache)), "w") as dst:
            dst.write(src.read())
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", "-f", path, *KERNEL_OPTIONS])


def _non_dumpable() -> None:
    """Hide this process's /proc entries (and so its result fd) from same-uid processes."""
    import ctypes
    try:
        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except (OSError, AttributeError):
        pass


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run")
    run.add_argument("--result-fd", type=int, required=True)
    run.add_argument("--workdir", required=True)
    run.add_argument("--scratch", required=True)
    run.add_argument("--kernel-tmp", required=True)
    run.add_argument("--kernel-uid", type=int)
    launch = sub.add_parser("launch-kernel")
    launch.add_argument("-f", required=True)
    launch.add_argument("--uid", type=int)
    launch.add_argument("--memory-mb", type=int, default=0)
    launch.add_argument("--max-processes", type=int, default=64)
    launch.add_argument("--scratch", required=True)
    launch.add_argument("--font-cache")
    args = parser.parse_args(argv)
    if args.command == "launch-kernel":
        _launch_kernel(args)
        return
    _non_dumpable()
    asyncio.run(_serve(args))
    sys.stderr.flush()
    os._exit(0)  # everything is reported and the kernel is gone: skip the interpreter's teardown (~0.2 s)


if __name__ == "__main__":
    main()
