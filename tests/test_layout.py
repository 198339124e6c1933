"""One stem per unit: everything about a unit is found from its folder ``solutions/NN_topic/``.

For each unit: ``nnkit/checks/unitNN_topic.py`` defines exactly the exercises whose solution
cells the notebook has (grade ids ``<exercise>_solution``), each resting on a section the
notebook has; ``tests/checks/learners_unitNN_topic.py`` holds a learner corpus for every
exercise; a widget module ``nnkit/viz/unitNN_topic.py`` has ``tests/viz/test_unitNN_topic.py``.
No unit module exists without its notebook. Adding a unit adds files and edits none.
"""

import importlib
import sys
import types
from pathlib import Path

import pytest

from nnkit import checks, viz
from nnkit._units import merge_unique, unit_modules

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests" / "checks"), str(REPO / "tests" / "notebooks")]
from notebook_tools import exercises as solution_ids  # noqa: E402  (exercise names from *_solution ids)
from notebook_tools import read, source_notebooks  # noqa: E402

UNITS = [path.parent.name for path in source_notebooks()]


def stem(unit: str) -> str:
    return f"unit{unit}"


def notebook(unit: str):
    return read(REPO / "solutions" / unit / f"{unit}.ipynb")


def headings(nb) -> set[str]:
    lines = (line for c in nb.cells if c.cell_type == "markdown" for line in c.source.splitlines())
    return {line.lstrip("#").strip() for line in lines if line.startswith("## ")}


def test_there_are_units():
    assert UNITS, "no solutions/NN_topic folder found"


@pytest.mark.parametrize("unit", UNITS)
def test_the_checks_module_defines_the_notebook_exercises(unit):
    module = importlib.import_module(f"nnkit.checks.{stem(unit)}")
    nb = notebook(unit)
    defined = checks.exercises_of(module)
    assert sorted(defined) == sorted(solution_ids(nb))
    for name, ex in defined.items():
        assert ex.section in headings(nb), f"{name}: the notebook has no section {ex.section!r}"
        assert checks.EXERCISES[name] is ex


@pytest.mark.parametrize("unit", UNITS)
def test_every_exercise_has_a_learner_corpus(unit):
    corpus = importlib.import_module(f"learners_{stem(unit)}").CORPUS
    for name in solution_ids(notebook(unit)):
        answers = [a for a in corpus.answers if a.exercise == name]
        assert any(not a.mistakes for a in answers), f"{name}: no correct answer in the corpus"
        assert sum(bool(a.mistakes) for a in answers) >= 5, f"{name}: fewer than 5 wrong answers"


@pytest.mark.parametrize("unit", UNITS)
def test_a_widget_module_has_its_tests(unit):
    if (REPO / "nnkit" / "viz" / f"{stem(unit)}.py").exists():
        assert (REPO / "tests" / "viz" / f"test_{stem(unit)}.py").exists()


@pytest.mark.parametrize("unit", UNITS)
def test_a_widget_module_is_exported_by_nnkit_viz(unit):
    if (REPO / "nnkit" / "viz" / f"{stem(unit)}.py").exists():
        module = importlib.import_module(f"nnkit.viz.{stem(unit)}")
        assert module.__all__ and all(getattr(viz, name) is getattr(module, name) for name in module.__all__)
        assert set(module.__all__) <= set(viz.__all__)


@pytest.mark.parametrize("package", [checks, viz], ids=["checks", "viz"])
def test_no_unit_module_without_its_notebook(package):
    assert {m.__name__.rpartition(".")[2] for m in unit_modules(package)} <= {stem(u) for u in UNITS}


def test_no_corpus_without_its_notebook():
    corpora = {p.stem.removeprefix("learners_") for p in (REPO / "tests" / "checks").glob("learners_*.py")}
    assert corpora == {stem(u) for u in UNITS}


def test_two_units_defining_the_same_exercise_fail_at_import(tmp_path, monkeypatch):
    """nnkit/checks/__init__.py run again with one more unit folder on the package path."""
    (tmp_path / "unit99_again.py").write_text("from nnkit.checks.unit01_perceptron import predict as again\n")
    package = types.ModuleType("nnkit.checks")
    package.__path__ = [*checks.__path__, str(tmp_path)]
    monkeypatch.setitem(sys.modules, "nnkit.checks", package)
    monkeypatch.delitem(sys.modules, "nnkit.checks.unit99_again", raising=False)
    code = compile(Path(checks.__file__).read_text(), checks.__file__, "exec")
    with pytest.raises(ImportError, match=r"the exercise 'predict' is defined twice, in "
                                          r"nnkit.checks.unit01_perceptron and in nnkit.checks.unit99_again"):
        exec(code, package.__dict__)
    sys.modules.pop("nnkit.checks.unit99_again", None)


def test_two_widget_modules_exporting_the_same_name_fail():
    first, second = types.ModuleType("nnkit.viz.unit01_a"), types.ModuleType("nnkit.viz.unit02_b")
    with pytest.raises(ImportError, match=r"'render' is defined twice, in nnkit.viz.unit01_a and in nnkit.viz.unit02"):
        merge_unique([(first, {"render": 1}), (second, {"render": 2})], "widget function")
