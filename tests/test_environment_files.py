"""environment.yml (conda) and pyproject.toml (pip) must list the same dependencies."""

import re
from pathlib import Path

import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: pip vendors the same parser
    from pip._vendor import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(.*)$")  # pip extras: no conda analogue


def parse(requirement: str) -> tuple[str, str]:
    """'numpy >=1.26' -> ('numpy', '>=1.26'), names normalised as pip does, extras dropped."""
    name, spec = REQUIREMENT.match(requirement).groups()
    return re.sub(r"[-_.]+", "-", name).lower(), spec.replace(" ", "")


def pip_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    listed = project["dependencies"] + project["optional-dependencies"]["test"]
    return dict(parse(r) for r in listed)


def conda_requirements() -> dict[str, str]:
    """conda-forge packages, plus those only PyPI has, listed in the file's pip section."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip_only = [d for part in env["dependencies"] if isinstance(part, dict) for d in part["pip"]
                if not d.startswith("-")]
    return dict(parse(d) for d in conda + pip_only if parse(d)[0] not in ("python", "pip"))


def test_same_packages_and_bounds():
    assert conda_requirements() == pip_requirements()


def test_conda_installs_the_project_itself():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_part = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "--editable ." in pip_part


def test_python_floor_agrees():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert parse(conda_python)[1] == project["requires-python"]
