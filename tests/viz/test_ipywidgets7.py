"""The widgets on ipywidgets 7.7 (what Google Colab ships) as well as on 8.x (what the venv has).

ipywidgets 7.7.x is installed once into ``.venv/ipywidgets7`` (``pip install --target``, no
dependencies: the venv's traitlets, IPython and ipykernel serve both), and every unit's widget
tests (``tests/viz/test_unitNN_*.py``: construction, clicks, slider values, the update paths)
run again in a subprocess that imports it first. Skipped only if that version cannot be installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VERSION = "ipywidgets>=7.7,<7.8"
TARGET = Path(sys.prefix) / "ipywidgets7"
UNIT_TESTS = sorted(str(p.relative_to(REPO)) for p in (REPO / "tests" / "viz").glob("test_unit*.py"))


@pytest.fixture(scope="module")
def ipywidgets7_env() -> dict[str, str]:
    if not (TARGET / "ipywidgets").is_dir():
        done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(TARGET),
                               VERSION, "ipython_genutils"], capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            pytest.skip(f"cannot install {VERSION}: {done.stderr[-500:]}")
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(TARGET), *filter(None, [os.environ.get("PYTHONPATH")])]),
            "OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg"}


def test_the_subprocess_imports_ipywidgets_7_7(ipywidgets7_env):
    version = subprocess.run([sys.executable, "-c", "import ipywidgets; print(ipywidgets.__version__)"],
                             env=ipywidgets7_env, capture_output=True, text=True, check=True).stdout.strip()
    assert version.startswith("7.7."), version


def test_every_units_widget_tests_pass_on_ipywidgets_7_7(ipywidgets7_env):
    assert UNIT_TESTS
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *UNIT_TESTS],
                          cwd=REPO, env=ipywidgets7_env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:]
