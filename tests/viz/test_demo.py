"""The presenter notebook (``make demo``): shipped clean, copied to a scratch folder, runs with a widget per section."""

import hashlib
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from nnkit.viz import demo

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sections(nb) -> dict[str, list]:
    """Code cells grouped under each ``## `` heading (cells before the first heading are left out)."""
    sections, current = {}, None
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            current = cell.source.splitlines()[0][3:]
            sections[current] = []
        elif cell.cell_type == "code" and current is not None:
            sections[current].append(cell)
    return sections


def test_shipped_notebook_is_valid_and_has_no_outputs():
    nb = nbformat.read(demo.NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)


def test_notebook_has_a_section_for_each_unit():
    titles = list(_sections(nbformat.read(demo.NOTEBOOK, as_version=4)))
    assert [t.split()[:2] for t in titles] == [["Unit", "01"], ["Unit", "02"]]


def test_prepare_copies_into_scratch_and_leaves_the_tracked_file_alone(tmp_path):
    before = _digest(demo.NOTEBOOK)
    scratch = tmp_path / "nested" / ".demo"
    copy = demo.prepare(scratch)
    assert copy == scratch / "demo.ipynb" and copy.read_bytes() == demo.NOTEBOOK.read_bytes()
    copy.write_text("{}")  # what autosave would do to the copy ...
    assert demo.prepare(scratch).read_bytes() == demo.NOTEBOOK.read_bytes()  # ... is undone by a fresh copy
    assert _digest(demo.NOTEBOOK) == before


def test_lab_command_serves_the_scratch_folder_and_opens_the_copy(tmp_path):
    nb = tmp_path / "demo.ipynb"
    cmd = demo.lab_command(nb, port=8999, browser=False, extra=["--allow-root"])
    assert cmd[:3] == [sys.executable, "-m", "jupyterlab"] and cmd[-1] == str(nb.resolve())
    assert {f"--ServerApp.root_dir={tmp_path.resolve()}", "--port=8999", "--no-browser", "--allow-root"} <= set(cmd)
    assert "--no-browser" not in demo.lab_command(nb) and not any(a.startswith("--port") for a in demo.lab_command(nb))


def test_main_copies_then_runs_jupyterlab(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(demo.subprocess, "call", lambda cmd: calls.append(cmd) or 0)
    assert demo.main(["--no-browser", "--port", "9001", "--dir", str(tmp_path), "--allow-root"]) == 0
    assert (tmp_path / "demo.ipynb").exists()
    assert calls == [demo.lab_command(tmp_path / "demo.ipynb", 9001, False, ["--allow-root"])]


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The scratch copy run top to bottom in a fresh kernel."""
    copy = demo.prepare(tmp_path_factory.mktemp("demo"))
    nb = nbformat.read(copy, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(copy.parent)}}).execute()
    return nb


def test_notebook_runs_clean_with_a_widget_in_every_section(executed):
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    sections = _sections(executed)
    for title, cells in sections.items():
        assert cells, f"section {title!r} has no code cell"
        for cell in cells:
            kinds = [set(o.get("data", {})) for o in cell.outputs]
            assert any(WIDGET_VIEW in k for k in kinds), f"{title!r}: {cell.source!r} shows no widget"
    assert sum(len(c) for c in sections.values()) == 3
