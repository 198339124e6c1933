"""The cache key's grading-code part changes with everything a score depends on, and only that."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import nnkit
from autograder import pipeline

GRADER = Path(pipeline.__file__).resolve().parent
NNKIT = Path(nnkit.__file__).resolve().parent


@pytest.fixture
def copies(tmp_path):
    grader, package = tmp_path / "autograder", tmp_path / "nnkit"
    shutil.copytree(GRADER, grader, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(NNKIT, package, ignore=shutil.ignore_patterns("__pycache__"))
    return grader, package


def _touch(path: Path) -> None:
    path.write_text(path.read_text() + "\n# changed\n")


@pytest.mark.parametrize("changed", ["nnkit/perceptron.py", "nnkit/xor.py", "nnkit/data.py",
                                     "nnkit/checks/core.py", "autograder/execute.py", "autograder/integrity.py"])
def test_a_change_to_a_reference_checker_or_grader_module_regrades(copies, changed):
    grader, package = copies
    before = pipeline.grader_fingerprint(grader, package)
    _touch(grader.parent / changed)
    assert pipeline.grader_fingerprint(grader, package) != before


@pytest.mark.parametrize("changed", ["autograder/report.py", "autograder/feedback.py", "autograder/collect.py"])
def test_a_change_to_the_batch_layer_keeps_every_grade(copies, changed):
    grader, package = copies
    before = pipeline.grader_fingerprint(grader, package)
    _touch(grader.parent / changed)
    assert pipeline.grader_fingerprint(grader, package) == before


def test_the_default_fingerprint_is_the_checkouts_own(copies):
    assert pipeline.grader_fingerprint() == pipeline.grader_fingerprint(*copies)
