"""``python -m nnkit.viz.present [--no-browser] [--port N] [Voila options]``: the presenter's dashboard.

Serves the presenter notebook shipped with nnkit (``nnkit/viz/demo.ipynb``) with Voila: the
widgets and the prose, no code cells, no editing. It works offline: Voila's ``lab`` template
links two Font Awesome stylesheets from a CDN, so the page uses nnkit's ``offline`` template
(``nnkit/viz/share/voila/templates/offline``), which leaves them out; the icon font itself is
bundled with Voila's static files. Voila only reads the notebook: the tracked file stays clean.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from nnkit.lab import serve

NOTEBOOK = Path(__file__).with_name("demo.ipynb")
SHARE = Path(__file__).with_name("share")  # a Jupyter data folder: voila/templates/offline
TEMPLATE = "offline"


def voila_command(port: int | None = None, browser: bool = True, extra=()) -> list[str]:
    """Voila serving the presenter notebook on 127.0.0.1 with the offline template."""
    cmd = [sys.executable, "-m", "voila", str(NOTEBOOK), f"--template={TEMPLATE}", "--Voila.ip=127.0.0.1"]
    if port is not None:
        cmd.append(f"--port={port}")
    if not browser:
        cmd.append("--no-browser")
    return cmd + list(extra)


def voila_env() -> dict[str, str]:
    """The environment in which Voila finds the offline template (``JUPYTER_PATH`` extended)."""
    paths = [str(SHARE), *filter(None, [os.environ.get("JUPYTER_PATH")])]
    return {**os.environ, "JUPYTER_PATH": os.pathsep.join(paths)}


def main(argv: list[str] | None = None) -> int:
    """Run Voila on the presenter notebook until it is stopped (Ctrl-C, SIGTERM)."""
    parser = argparse.ArgumentParser(prog="python -m nnkit.viz.present", description=__doc__.splitlines()[0])
    parser.add_argument("--no-browser", action="store_true", help="start the server without opening a browser")
    parser.add_argument("--port", type=int, help="port for Voila (default: Voila's own, 8866)")
    args, extra = parser.parse_known_args(argv)
    return serve(voila_command(args.port, not args.no_browser, extra), voila_env())


if __name__ == "__main__":
    sys.exit(main())
