"""Exercise checkers: ``check.<exercise>(fn)`` (self-check) or ``check.<exercise>(fn, hidden=True)``.

Each exercise is a declarative ``Exercise`` spec (reference, cases, known mistakes with their
hints, tolerance) in ``unit01``/``unit02``; ``EXERCISES`` maps every exercise name to its spec,
and this module exposes one checker function per exercise, made by ``core.make_checker``.

Adding an exercise: write its ``Exercise`` (reference from ``_guard.private_copy``, fixed edge
cases plus ``core.seeded_cases``, at least three ``Mutant``s with distinct hints) in a unit
module, list it in that module's ``EXERCISES``, and merge that dict here. The tests in
``tests/checks`` then check it (reference passes, each mutant fails with its own hint) once a
learner-style solution is added to ``tests/checks/learner_solutions.py``.
"""

from nnkit.checks import unit01, unit02
from nnkit.checks.core import Case, Exercise, Mutant, make_checker

EXERCISES: dict[str, Exercise] = {**unit01.EXERCISES, **unit02.EXERCISES}

globals().update({name: make_checker(ex) for name, ex in EXERCISES.items()})

__all__ = ["EXERCISES", "Case", "Exercise", "Mutant", *EXERCISES]
