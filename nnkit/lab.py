"""``python -m nnkit.lab [--no-browser] [--port N] [--dir D] [options]``: JupyterLab as a learner sees it.

Opens JupyterLab on ``course/`` (run from the repository's root) with nbgrader's instructor
tools switched off: its menu, the "Create Assignment" sidebar, the formgrader and course-list
links and their server extensions. Those stay installed for the instructor (``python -m autograder.formgrader`` uses them). The
switch is a page config in a temporary folder named by ``JUPYTER_CONFIG_PATH``, so nothing in the
learner's own Jupyter configuration is changed. Notebooks are served with the kernel's
``language_info`` (``nnkit._lab_contents``), so they do not show as modified on opening.
The presenter's ``nnkit.viz.demo`` uses it too.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

INSTRUCTOR_PLUGINS = ("@jupyter/nbgrader:menu", "@jupyter/nbgrader:create-assignment",
                      "@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:course-list")
CONTENTS_MANAGER = "nnkit._lab_contents.LearnerContentsManager"  # notebooks open unmodified (see there)
INSTRUCTOR_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")


def learner_config(folder: Path) -> dict[str, str]:
    """Write the learner's Jupyter config into ``folder``; the environment that makes Jupyter read it."""
    (folder / "labconfig").mkdir(parents=True, exist_ok=True)
    page = {"disabledExtensions": {plugin: True for plugin in INSTRUCTOR_PLUGINS}}
    (folder / "labconfig" / "page_config.json").write_text(json.dumps(page, indent=1))
    server = {"ServerApp": {"jpserver_extensions": {ext: False for ext in INSTRUCTOR_SERVER_EXTENSIONS},
                            "contents_manager_class": CONTENTS_MANAGER}}
    (folder / "jupyter_server_config.json").write_text(json.dumps(server, indent=1))
    paths = [str(folder), *filter(None, [os.environ.get("JUPYTER_CONFIG_PATH")])]
    return {**os.environ, "JUPYTER_CONFIG_PATH": os.pathsep.join(paths)}


def lab_command(root: Path, open_path: str | None = None, port: int | None = None, browser: bool = True,
                extra=()) -> list[str]:
    """JupyterLab serving ``root``; the URL it prints (and opens) shows ``open_path`` (relative to root)."""
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={Path(root).resolve()}"]
    if open_path:
        cmd.append(f"--LabApp.default_url=/lab/tree/{open_path}")
    if port is not None:
        cmd.append(f"--port={port}")
    if not browser:
        cmd.append("--no-browser")
    return cmd + list(extra)


def serve(cmd: list[str], env: dict) -> int:
    """Run the server ``cmd`` until it is stopped: Ctrl-C, or a SIGTERM to this process, which is
    passed on (so that stopping this process never leaves the server running on its own)."""
    server = subprocess.Popen(cmd, env=env)
    previous = signal.signal(signal.SIGTERM, lambda *_: server.terminate())
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        server.wait()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_lab(cmd: list[str]) -> int:
    """Run JupyterLab with the learner's config until it is stopped (Ctrl-C, SIGTERM)."""
    with tempfile.TemporaryDirectory(prefix="nnkit-lab-") as folder:
        return serve(cmd, learner_config(Path(folder)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nnkit.lab", description=__doc__.splitlines()[0])
    parser.add_argument("--no-browser", action="store_true", help="start the server without opening a browser")
    parser.add_argument("--port", type=int, help="port for JupyterLab (default: JupyterLab's own)")
    parser.add_argument("--dir", type=Path, default=Path("course"), help="folder to serve (default: course/)")
    args, extra = parser.parse_known_args(argv)
    return run_lab(lab_command(args.dir, port=args.port, browser=not args.no_browser, extra=extra))


if __name__ == "__main__":
    sys.exit(main())
