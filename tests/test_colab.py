"""The Colab set-up cell (nnkit.colab): every unit starts with the same one, it parses, it does
nothing outside Colab, inside Colab it installs the course's own distribution, and that
requirement names what pyproject.toml builds (not the unrelated ``nnkit`` on the public index)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import types
from pathlib import Path

import nbformat
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from nnkit import colab

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: pip vendors the same parser
    from pip._vendor import tomli as tomllib

REPO = Path(__file__).resolve().parents[1]
UNITS = sorted(p for p in (REPO / "solutions").glob("*/*.ipynb"))  # new units add themselves
TOOLING = {"nbgrader", "jupyterlab", "notebook", "voila", "nbclient", "nbconvert", "jupyter_server",
           "sqlalchemy", "bleach", "yaml"}  # the project's dependencies that Colab lacks or has other versions of


def first_code(path: Path) -> str:
    notebook = nbformat.read(path, as_version=4)
    return notebook.cells[colab.first_code_cell(notebook)].source


@pytest.mark.parametrize("notebook", UNITS + [REPO / "course" / p.parent.name / p.name for p in UNITS],
                         ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}")
def test_every_unit_starts_with_the_one_setup_cell(notebook):
    assert first_code(notebook) == colab.SETUP_CELL, \
        f"run: python -m nnkit.colab {notebook.relative_to(REPO)} (then make course)"


def test_the_cell_parses():
    ast.parse(colab.SETUP_CELL)


def run_cell(monkeypatch, in_colab: bool) -> list:
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda *args, **kwargs: calls.append((args, kwargs)))
    if in_colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(compile(colab.SETUP_CELL, "<setup cell>", "exec"), {})
    return calls


def test_outside_colab_the_cell_does_nothing(monkeypatch):
    assert run_cell(monkeypatch, in_colab=False) == []


def test_inside_colab_the_cell_pip_installs_the_requirement_without_touching_colabs_packages(monkeypatch):
    [(args, kwargs)] = run_cell(monkeypatch, in_colab=True)
    command = args[0]
    assert command[:4] == [sys.executable, "-m", "pip", "install"]
    assert command[-1] == colab.REQUIREMENT and "--no-deps" in command
    assert kwargs.get("check") is True  # a failed install stops the notebook there, not at a confusing import


def test_the_requirement_names_the_projects_own_distribution():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    requirement = Requirement(colab.REQUIREMENT)  # PEP 508, or InvalidRequirement
    assert canonicalize_name(requirement.name) == canonicalize_name(project["name"]) == colab.DISTRIBUTION
    assert canonicalize_name(project["name"]) != "nnkit"  # the unrelated package on the public index
    assert requirement.url == f"git+{colab.REPOSITORY_URL}.git"


def test_the_repository_url_is_written_in_one_place():
    holders = [p.relative_to(REPO).as_posix() for p in REPO.glob("**/*") if p.suffix in {".py", ".md", ".toml", ".yml", ".cfg"}
               and ".venv" not in p.parts and colab.REPOSITORY_URL in p.read_text(errors="ignore")]
    assert holders == ["nnkit/colab.py"]


def test_pip_resolves_the_requirement_to_this_repository(tmp_path):
    """The requirement with the repository swapped for this checkout: pip builds it and finds the name it asks for."""
    local = f"{colab.DISTRIBUTION} @ {REPO.as_uri()}"
    report = tmp_path / "report.json"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps",
                           "--quiet", "--report", str(report), local], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    [item] = json.loads(report.read_text())["install"]
    assert canonicalize_name(item["metadata"]["name"]) == colab.DISTRIBUTION


def nnkit_modules_the_units_import() -> set[str]:
    modules = {"nnkit"}
    for path in UNITS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "nnkit":
                    modules |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
                elif isinstance(node, ast.Import):
                    modules |= {a.name for a in node.names if a.name.split(".")[0] == "nnkit"}
    return modules


def test_what_the_units_import_needs_none_of_the_tooling_colab_lacks():
    """The install is --no-deps: a unit's imports must not reach JupyterLab, nbgrader, Voila and the like."""
    modules = sorted(nnkit_modules_the_units_import())
    probe = ("import importlib, sys\n"
             f"for m in {modules!r}:\n"
             "    try: importlib.import_module(m)\n"
             "    except ModuleNotFoundError: pass  # a name imported from a module, not a module\n"
             "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    loaded = set(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                                cwd=REPO).stdout.split())
    assert "nnkit" in loaded and "numpy" in loaded
    assert loaded & TOOLING == set()


@pytest.mark.parametrize("notebook", UNITS, ids=lambda p: p.parent.name)
def test_the_cell_is_read_only_for_nbgrader(notebook):
    """The grader takes a locked cell from the source: a hand-in cannot turn the pip call into something else."""
    nb = nbformat.read(notebook, as_version=4)
    assert nb.cells[colab.first_code_cell(nb)].metadata.get("nbgrader") == colab.NBGRADER
