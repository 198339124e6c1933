"""What runs inside the sandbox: execute one notebook and report on a channel the kernel cannot touch.

Run as a script (never imported by the kernel); it imports only the standard library, nbformat,
nbclient and jupyter_client, so it works with the repository hidden behind a tmpfs.

    python kernel_runner.py run --result-fd N --workdir DIR --scratch DIR --kernel-tmp DIR [--kernel-uid U]
        reads a JSON request on stdin: {"notebook", "guard_source" (kernel_guard.py's text),
        "working_copy" (the notebook written to the working folder, hidden tests removed),
        "notebook_name", "test_cells" (indices),
        "nonce", "imports" (lines re-run before each test), "hidden_seed" (the seed of the hidden
        cases, or null for nnkit's default), "max_output_bytes", "memory_mb",
        "max_processes", "rlimit_memory" (true when no memory cgroup applies),
        "font_cache" (matplotlib's font list {"name", "text"} or null)}
    python kernel_runner.py launch-kernel -f CONNECTION_FILE [--uid U] [--font-cache FILE] [...limits]
        the kernel command: lowers its own limits and privileges, copies the font list into its
        MPLCONFIGDIR (as the kernel's uid, so matplotlib may write there), then execs ipykernel.

Protocol, one JSON object per line on the result fd (an inherited pipe; the kernel is started
with ``close_fds`` and, in the sandbox, under another uid, so it can neither inherit nor open it):
  {"event": "cell", "index": i, "test": bool, "reply": "ok"|"error"|"aborted"|null,
   "marker": bool, "errors": [[ename, evalue], ...]}
  {"event": "dead", "index": i, "reason"}  the kernel died (or broke the protocol) in cell i
  {"event": "done", "notebook": {...}, "truncated": bool, "maxrss_kb": int}

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
The runner then appends ``print(<marker>)`` with a per-run random nonce to the test cell: a test
cell passes only if the kernel replied "ok", produced no error output and printed the marker.
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

def _json_line(fd: int, obj: dict) -> None:
    data = (json.dumps(obj) + "\n").encode()
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _cap_text(text: str, limit: int = 2000) -> str:
    return text if len(text) <= limit else text[:limit] + " ... (truncated)"


def _kernel_manager_class() -> type:
    """jupyter_client's async manager without two fixed waits that every notebook paid (~0.3 s):
    - after kernel_info, 0.2 s of IOPub silence awaited to flush leftovers: nbclient and ``silent``
      below match replies and outputs by parent id, so leftovers are ignored anyway (the check
      that IOPub is connected, one message received, is kept);
    - 0.1 s polls while the killed kernel exits (0.01 s here)."""
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

    return Manager


async def _run(args: argparse.Namespace, request: dict) -> None:
    # nbformat -> jsonschema imports the optional IRI checker rfc3987_syntax when installed; it builds
    # its grammar at import (~1 s CPU in every sandbox). Notebooks have no IRI formats to check.
    sys.modules.setdefault("rfc3987_syntax", None)
    import nbformat
    from nbclient import NotebookClient
    from jupyter_core.utils import ensure_async
    from nbclient.exceptions import DeadKernelError

    nonce = request["nonce"]
    marker = f"[grader-marker {nonce}]"
    test_cells = set(request["test_cells"])
    cap = int(request["max_output_bytes"])
    nb = nbformat.from_dict(request["notebook"])
    fd = args.result_fd

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

    state = {"bytes": 0, "truncated": False, "marker": set(), "errors": {}}

    class Client(NotebookClient):
        def output(self, outs, msg, display_id, cell_index):
            content = msg["content"]
            kind = msg["msg_type"]
            if kind == "stream" and marker in content.get("text", ""):
                state["marker"].add(cell_index)
                content["text"] = content["text"].replace(marker + "\n", "").replace(marker, "")
                if not content["text"]:
                    return None
            if kind == "error":
                state["errors"].setdefault(cell_index, []).append(
                    [_cap_text(str(content.get("ename", ""))), _cap_text(str(content.get("evalue", "")))])
            size = len(json.dumps(content))
            if state["bytes"] + size > cap:
                if not state["truncated"]:
                    state["truncated"] = True
                    outs.append(nbformat.v4.new_output(
                        "stream", name="stderr",
                        text=f"[grader] output truncated: more than {cap} bytes of output\n"))
                return None
            state["bytes"] += size
            return super().output(outs, msg, display_id, cell_index)

    replies: dict[int, str | None] = {}

    def record_reply(cell, cell_index, execute_reply):
        replies[cell_index] = (execute_reply or {}).get("content", {}).get("status")

    client = Client(nb, kernel_name="grader", allow_errors=True, timeout=None,
                    startup_timeout=120, record_timing=False, iopub_timeout=10,
                    shutdown_kernel="immediate", on_cell_executed=record_reply,
                    kernel_manager_class=_kernel_manager_class())
    kernel_env = {
        "PATH": os.path.dirname(sys.executable) + ":/usr/bin:/bin",
        "HOME": args.workdir, "LANG": "C.UTF-8",
        "IPYTHONDIR": os.path.join(args.kernel_tmp, "ipython"),
        "MPLCONFIGDIR": os.path.join(args.kernel_tmp, "mpl"),
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    guard_name = f"_grader_guard_{nonce[:12]}"
    guard_call = f"__import__('sys').modules[{guard_name!r}].restore()"
    dead_at = None

    async def silent(code: str) -> str | None:
        """Run grader code without history or output; its reply status."""
        msg_id = client.kc.execute(code, silent=True, store_history=False)
        while True:
            try:
                msg = await client.kc.shell_channel.get_msg(timeout=1)
            except Empty:
                if not await ensure_async(client.km.is_alive()):
                    raise DeadKernelError("Kernel died") from None
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg["content"].get("status")

    async with client.async_setup_kernel(env=kernel_env, cwd=args.workdir, stdin=DEVNULL,
                                         stdout=DEVNULL, stderr=None):
        status = await silent(request["guard_source"] + f"\n_nnkit_grader_install({guard_name!r}, "
                              f"{request.get('imports', '')!r}, {request.get('hidden_seed')!r})\n"
                              "del _nnkit_grader_install\n")
        if status != "ok":
            _json_line(fd, {"event": "guard_failed"})
            return
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            is_test = index in test_cells
            original = cell.source
            guard = None
            try:
                if is_test:
                    guard = await silent(guard_call)
                    cell.source = original + f"\n\nprint({marker!r})\n"
                await client.async_execute_cell(cell, index, store_history=not is_test)  # not in In/_ih
            except DeadKernelError:
                dead_at, reason = index, "the kernel died"
            except Exception as e:  # a kernel that breaks the protocol (bad signature ...)
                dead_at, reason = index, f"the kernel broke the messaging protocol ({type(e).__name__})"
            finally:
                cell.source = original
            if dead_at is not None:
                _json_line(fd, {"event": "dead", "index": index, "reason": reason})
                break
            _json_line(fd, {"event": "cell", "index": index, "test": is_test,
                            "reply": replies.get(index), "guard": guard,
                            "marker": index in state["marker"],
                            "errors": state["errors"].get(index, [])})

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    _json_line(fd, {"event": "done", "notebook": nb, "truncated": state["truncated"],
                    "maxrss_kb": usage.ru_maxrss})


def _launch_kernel(args: argparse.Namespace) -> None:
    """Lower limits and privileges of this process, then exec the IPython kernel."""
    try:
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")
    except OSError:
        pass
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (_MAX_FILE_BYTES, _MAX_FILE_BYTES))
    if args.memory_mb:
        limit = args.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    with open(args.f) as f:
        connection = f.read()
    path = args.f
    if args.uid is not None:
        os.setgroups([])
        os.setgid(args.uid)
        os.setuid(args.uid)
        path = os.path.join(args.scratch, "kernel-connection.json")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.write(fd, connection.encode())
        os.close(fd)
        resource.setrlimit(resource.RLIMIT_NPROC, (args.max_processes, args.max_processes))
    mpl_dir = os.environ.get("MPLCONFIGDIR")
    if args.font_cache and mpl_dir:
        os.makedirs(mpl_dir, exist_ok=True)
        with open(args.font_cache) as src, open(os.path.join(mpl_dir, os.path.basename(args.font_cache)), "w") as dst:
            dst.write(src.read())
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", "-f", path])


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
    request = json.loads(sys.stdin.buffer.read())
    with open(os.path.join(args.workdir, request.get("notebook_name", "submission.ipynb")), "w") as f:
        json.dump(request["working_copy"], f)  # what the learner may read: no hidden tests
    asyncio.run(_run(args, request))


if __name__ == "__main__":
    main()
