"""``python -m nnkit.viz.demo [--no-browser] [--port N] [--dir D] [JupyterLab options]``: the presenter's view.

Copies the presenter notebook shipped with nnkit (``nnkit/viz/demo.ipynb``, kept without
outputs) into a scratch folder (default ``.demo/``) and opens JupyterLab on the copy, so
JupyterLab's autosave never writes outputs into the tracked file. The URL JupyterLab prints opens
the notebook itself; nbgrader's instructor tools are off (``nnkit.lab``). Other options
(e.g. ``--allow-root``) are passed on to JupyterLab.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from nnkit.lab import lab_command, run_lab

NOTEBOOK = Path(__file__).with_name("demo.ipynb")
SCRATCH = Path(".demo")


def prepare(scratch: str | Path = SCRATCH) -> Path:
    """Copy the presenter notebook into ``scratch`` (created if needed, a previous copy replaced); return the copy's path."""
    scratch = Path(scratch)
    scratch.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(NOTEBOOK, scratch / NOTEBOOK.name))


def main(argv: list[str] | None = None) -> int:
    """Copy the notebook, then run JupyterLab on it until it is stopped (Ctrl-C)."""
    parser = argparse.ArgumentParser(prog="python -m nnkit.viz.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--no-browser", action="store_true", help="start the server without opening a browser")
    parser.add_argument("--port", type=int, help="port for JupyterLab (default: JupyterLab's own)")
    parser.add_argument("--dir", default=str(SCRATCH), help=f"scratch folder for the copy (default: {SCRATCH})")
    args, extra = parser.parse_known_args(argv)
    notebook = prepare(args.dir)
    print(f"Presenter notebook copied to {notebook}; opening JupyterLab on it (Ctrl-C to stop).")
    return run_lab(lab_command(notebook.parent, notebook.name, args.port, not args.no_browser, extra))


if __name__ == "__main__":
    sys.exit(main())
