"""The presenter notebook (``make demo``): shipped clean, copied to a scratch folder, runs with a widget per section."""

import hashlib
import sys
from pathlib import Path

import nbformat

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
    with_widgets = sorted(p.name[4:6] for p in demo.NOTEBOOK.parent.glob("unit[0-9][0-9]_*.py"))
    assert [t.split()[:2] for t in titles] == [["Unit", n] for n in with_widgets]


def test_prepare_copies_into_scratch_and_leaves_the_tracked_file_alone(tmp_path):
    before = _digest(demo.NOTEBOOK)
    scratch = tmp_path / "nested" / ".demo"
    copy = demo.prepare(scratch)
    assert copy == scratch / "demo.ipynb" and copy.read_bytes() == demo.NOTEBOOK.read_bytes()
    copy.write_text("{}")  # what autosave would do to the copy ...
    assert demo.prepare(scratch).read_bytes() == demo.NOTEBOOK.read_bytes()  # ... is undone by a fresh copy
    assert _digest(demo.NOTEBOOK) == before


def test_lab_command_serves_the_scratch_folder_and_its_printed_url_opens_the_copy(tmp_path):
    from nnkit.lab import lab_command

    cmd = lab_command(tmp_path, "demo.ipynb", port=8999, browser=False, extra=["--allow-root"])
    assert cmd[:3] == [sys.executable, "-m", "jupyterlab"]
    assert {f"--ServerApp.root_dir={tmp_path.resolve()}", "--LabApp.default_url=/lab/tree/demo.ipynb",
            "--port=8999", "--no-browser", "--allow-root"} <= set(cmd)
    assert "--no-browser" not in lab_command(tmp_path) and not any(a.startswith("--port") for a in lab_command(tmp_path))
