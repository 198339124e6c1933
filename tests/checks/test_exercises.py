"""Every checker accepts the reference and rejects each known mistake with that mistake's hint.

Parametrized over ``nnkit.checks.EXERCISES``: adding an exercise or a mutant adds its tests.
Learner-written answers are in the corpora (``test_learner_corpus.py``).
"""

import re
import time

import pytest

from nnkit import checks as check
from nnkit.checks import EXERCISES, core, runner

MUTANTS = [(name, m) for name, ex in EXERCISES.items() for m in ex.mutants]
CODINGS = [(name, m, k) for name, m in MUTANTS for k in range(len(m.codings()))]


def test_every_exercise_has_a_checker_and_known_mistakes_with_distinct_hints():
    for name, ex in EXERCISES.items():
        assert getattr(check, name).exercise is ex
        assert len(ex.mutants) >= 3, name
        assert len({m.hint for m in ex.mutants}) == len(ex.mutants), f"{name}: hints must differ"
        assert len({m.name for m in ex.mutants}) == len(ex.mutants), f"{name}: names must differ"


@pytest.mark.parametrize("name", EXERCISES)
def test_the_reference_passes_the_visible_check(name, capsys):
    getattr(check, name)(EXERCISES[name].public_reference)
    n = len(EXERCISES[name].case_list())
    assert capsys.readouterr().out == f"✓ {name} passes {n} check{'s' if n != 1 else ''}.\n"


@pytest.mark.parametrize("name", EXERCISES)
def test_the_cases_vary_every_dimension_the_spec_allows(name):
    ex = EXERCISES[name]
    assert ex.varies or not ex.case_list()[0].args, f"{name} takes arguments but declares no dimension"
    for dim in ex.varies:
        visible = {dim.of(c) for c in ex.case_list(hidden=False)}
        hidden = {dim.of(c) for c in ex.case_list(hidden=True)}
        assert {dim.values[0], dim.values[-1]} <= visible, f"{name}: visible {dim.name} {sorted(visible, key=str)}"
        assert set(dim.values) <= hidden, f"{name}: hidden {dim.name} only {sorted(hidden, key=str)}"


@pytest.mark.parametrize("name", EXERCISES)
def test_hidden_mode_has_more_cases_and_other_random_draws(name):
    ex = EXERCISES[name]
    visible, hidden = ex.case_list(False), ex.case_list(True)
    assert len(hidden) >= len(visible)
    if len(visible) > 1:  # exercises with arguments draw seeded random cases
        assert len(hidden) > len(visible)
        assert {c.label for c in hidden} - {c.label for c in visible}


@pytest.mark.parametrize(("name", "mutant", "k"), CODINGS, ids=[f"{n}-{m.name}-{k}" for n, m, k in CODINGS])
def test_each_coding_of_a_mutant_fails_with_its_own_hint_only(name, mutant, k):
    coding = mutant.codings()[k]
    with pytest.raises(AssertionError) as info:
        getattr(check, name)(coding)
    message = str(info.value)
    assert mutant.hint in message
    named = [m.name for m in core.examine(EXERCISES[name], coding).mutants]
    assert named == [mutant.name], f"{mutant.name}'s message names the mutants {named}"
    assert re.search(r"fails check \d+ of \d+", message)
    assert "expected:" in message and "got:" in message and "input:" in message


@pytest.mark.parametrize(("name", "mutant"), MUTANTS, ids=[f"{n}-{m.name}" for n, m in MUTANTS])
def test_each_mutant_fails_the_hidden_check_too(name, mutant):
    with pytest.raises(AssertionError):
        getattr(check, name)(mutant.fn, hidden=True)


def test_visible_checks_are_quick():
    # the budget is 0.5 s per check; measured well below it (benchmarks/bench_checks.py prints it)
    for name, ex in EXERCISES.items():
        getattr(check, name)(ex.public_reference)  # build the cases once
        start = time.perf_counter()
        getattr(check, name)(ex.public_reference)
        assert time.perf_counter() - start < 1.0, name


@pytest.mark.parametrize("name", EXERCISES)
def test_the_reference_passes_every_hidden_case_but_is_refused_as_an_answer(name):
    ex = EXERCISES[name]
    for number, case in enumerate(ex.case_list(hidden=True), 1):
        result = runner.attempt(ex, ex.public_reference, case, number)
        assert not result.problem and not result.broken, (number, result)
    with pytest.raises(AssertionError, match="your function calls nnkit's reference implementation"):
        getattr(check, name)(ex.public_reference, hidden=True)
