"""Every checker accepts correct code and rejects each known mistake with that mistake's hint.

Parametrized over ``nnkit.checks.EXERCISES``: adding an exercise or a mutant adds its tests.
"""

import re
import time

import pytest
from learner_solutions import SOLUTIONS

from nnkit import checks as check
from nnkit.checks import EXERCISES, core

MUTANTS = [(name, m) for name, ex in EXERCISES.items() for m in ex.mutants]


def test_the_registry_matches_the_module_and_every_exercise_has_a_solution():
    assert set(EXERCISES) == {
        "predict", "signed_distance", "perceptron_update", "train_perceptron",
        "xor_dataset", "collapse_linear", "xor_features", "xor_network", "find_cycle",
    }
    assert set(SOLUTIONS) == set(EXERCISES)
    for name, ex in EXERCISES.items():
        assert getattr(check, name).exercise is ex
        assert len(ex.mutants) >= 3, name
        assert len({m.hint for m in ex.mutants}) == len(ex.mutants), f"{name}: hints must differ"


@pytest.mark.parametrize("name", EXERCISES)
def test_the_reference_passes_the_visible_check(name, capsys):
    getattr(check, name)(EXERCISES[name].public_reference)
    n = len(EXERCISES[name].case_list())
    assert capsys.readouterr().out == f"✓ {name} passes {n} check{'s' if n != 1 else ''}.\n"


@pytest.mark.parametrize("name", EXERCISES)
@pytest.mark.parametrize("hidden", [False, True])
def test_a_learner_solution_passes(name, hidden, capsys):
    getattr(check, name)(SOLUTIONS[name], hidden=hidden)
    assert capsys.readouterr().out.startswith(f"✓ {name} passes")


@pytest.mark.parametrize("name", EXERCISES)
def test_hidden_mode_has_more_cases_and_other_random_draws(name):
    ex = EXERCISES[name]
    visible, hidden = ex.case_list(False), ex.case_list(True)
    assert len(hidden) >= len(visible)
    if len(visible) > 1:  # exercises with arguments draw seeded random cases
        assert len(hidden) > len(visible)
        assert {c.label for c in hidden} - {c.label for c in visible}


@pytest.mark.parametrize(("name", "mutant"), MUTANTS, ids=[f"{n}-{m.name}" for n, m in MUTANTS])
def test_each_mutant_fails_with_its_own_hint_only(name, mutant):
    with pytest.raises(AssertionError) as info:
        getattr(check, name)(mutant.fn)
    message = str(info.value)
    assert mutant.hint in message
    others = [m.name for m in EXERCISES[name].mutants if m is not mutant and m.hint in message]
    assert not others, f"{mutant.name}'s message also shows the hints of {others}"
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
    for number, case in enumerate(ex.case_list(hidden=True)):
        core._run_case(ex, ex.public_reference, case, f"hidden case {number}", passed=())
    with pytest.raises(AssertionError, match="your function calls nnkit's reference implementation"):
        getattr(check, name)(ex.public_reference, hidden=True)
