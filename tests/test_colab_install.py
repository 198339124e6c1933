"""The Colab path end to end, in a fresh venv that has only what a Colab runtime brings for the
course (numpy, matplotlib, ipywidgets 7.7, IPython/ipykernel): with ``google.colab`` faked into
``sys.modules``, the set-up cell installs this repository (its committed HEAD, through
``git+file://``, standing in for the published address), and then a unit's imports and every
widget work there. About a minute with a warm pip cache; skipped if the packages cannot be had."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from nnkit import colab

REPO = Path(__file__).resolve().parents[1]
COLAB_LIKE = ["numpy", "matplotlib", "ipywidgets>=7.7,<7.8"]

SESSION = textwrap.dedent("""
    import importlib, sys, types
    sys.modules["google.colab"] = types.ModuleType("google.colab")
    exec(compile(sys.argv[1], "<set-up cell>", "exec"), {})
    importlib.invalidate_caches()
    import ipywidgets, nnkit
    from nnkit import checks, data, perceptron, viz, xor
    assert ipywidgets.__version__.startswith("7.7."), ipywidgets.__version__
    assert "site-packages" in nnkit.__file__, nnkit.__file__
    stepper = viz.perceptron_stepper(perceptron.update)
    stepper.children[1].children[0].click()
    assert "updates: 1" in stepper.children[2].value
    line = viz.xor_line_explorer()
    line.children[0].children[0].value = 0.3
    viz.xor_hidden_space(xor.xor_network)
    print("ok")
""")


@pytest.fixture(scope="module")
def colab_like_python(tmp_path_factory) -> Path:
    venv = tmp_path_factory.mktemp("colab") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    done = subprocess.run([str(python), "-m", "pip", "install", "--quiet", *COLAB_LIKE],
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        pytest.skip(f"cannot install {COLAB_LIKE}: {done.stderr[-500:]}")
    return python


def test_the_setup_cell_installs_the_course_and_the_widgets_work_on_ipywidgets_7(colab_like_python):
    cell = colab.SETUP_CELL.replace(colab.REQUIREMENT, f"{colab.DISTRIBUTION} @ git+file://localhost{REPO}")
    assert cell != colab.SETUP_CELL
    done = subprocess.run([str(colab_like_python), "-c", SESSION, cell], cwd="/", capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0 and done.stdout.strip().endswith("ok"), done.stderr[-3000:]
