"""A scratch PostgreSQL server for the tests: Debian's ``postgresql`` binaries, a cluster in a temporary
folder, one free port on 127.0.0.1, run as an unprivileged user (``nobody`` when the tests run as
root, as PostgreSQL refuses root), stopped and deleted at the end.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

UNPRIVILEGED = "nobody"


def bin_dir() -> Path | None:
    """Where ``initdb`` and ``pg_ctl`` are: pg_config's answer, Debian's versioned folder, or PATH."""
    candidates = []
    if shutil.which("pg_config"):
        found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidates.append(found.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)
    candidates.append(str(Path(shutil.which("initdb") or "/nonexistent/initdb").parent))
    for folder in candidates:
        if folder and (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    return None


def _as_server_user(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", UNPRIVILEGED, "--", *cmd] if os.geteuid() == 0 else cmd


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def scratch_server(binaries: Path) -> Iterator[str]:
    """Run a fresh cluster; yield the URL of its ``postgres`` database (user ``grader``, trusted on 127.0.0.1)."""
    as_root = os.geteuid() == 0
    root = Path(tempfile.mkdtemp(prefix="autograder-pg-", dir="/tmp" if as_root else None))  # nobody reaches /tmp
    data, log = root / "data", root / "server.log"
    if as_root:
        shutil.chown(root, UNPRIVILEGED)
    port = _free_port()

    def run(program: str, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(_as_server_user([str(binaries / program), *args]), capture_output=True, text=True,
                              timeout=120, cwd=root)

    try:
        init = run("initdb", "-D", str(data), "-U", "grader", "--auth=trust", "--encoding=UTF8", "--no-sync")
        assert init.returncode == 0, init.stdout + init.stderr
        options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off"
        start = run("pg_ctl", "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start")
        assert start.returncode == 0, start.stdout + start.stderr + (log.read_text() if log.exists() else "")
        try:
            yield f"postgresql://grader@127.0.0.1:{port}/postgres"
        finally:
            run("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def create_database(server_url: str, name: str) -> str:
    """A new empty database on the server; its URL."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + "/" + name
