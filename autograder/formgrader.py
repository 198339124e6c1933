"""Open nbgrader's formgrader on a graded workspace: ``python -m autograder.formgrader WORKSPACE``.

The workspace is an nbgrader course directory (the grader writes its ``nbgrader_config.py``,
``submitted/`` and ``autograded/``), so formgrader only needs a Jupyter server started there.
nbgrader reads ``nbgrader_config.py`` from the working directory; its ``alembic`` subprocess is
replaced by an in-process read (``nbgrader_schema``), and the venv's scripts are put on PATH for
anything else nbgrader starts. Other options go to Jupyter Server (e.g. ``--port 8890``).
After grading by hand, ``python -m autograder.handback WORKSPACE`` rewrites the feedback pages.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder.nbgrader_schema import read_schema_head_in_process


def server_argv(workspace: Path, extra: list[str]) -> list[str]:
    """Jupyter Server's arguments: served from the workspace, opening on formgrader."""
    argv = [f"--ServerApp.root_dir={workspace}", "--ServerApp.default_url=/formgrader", *extra]
    if os.geteuid() == 0 and "--allow-root" not in argv:  # containers and CI machines run as root
        argv.append("--allow-root")
    return argv


def check_workspace(workspace: Path) -> str | None:
    """Why ``workspace`` cannot be opened, or None."""
    if not workspace.is_dir():
        return f"{workspace} is not a folder"
    if not (workspace / "nbgrader_config.py").is_file():
        return f"{workspace} has no nbgrader_config.py: grade a class into it first (python -m autograder)"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.formgrader", description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path, help="a workspace the grader has written")
    args, extra = parser.parse_known_args(argv)
    workspace = args.workspace.resolve()
    problem = check_workspace(workspace)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    os.chdir(workspace)
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    read_schema_head_in_process()
    from jupyter_server.serverapp import ServerApp

    ServerApp.launch_instance(argv=server_argv(workspace, extra))
    return 0


if __name__ == "__main__":
    sys.exit(main())
