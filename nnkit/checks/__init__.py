"""Exercise checkers: ``check.<exercise>(fn)`` (self-check) or ``check.<exercise>(fn, hidden=True)``.

Each exercise is a declarative ``Exercise`` spec (reference, cases, known mistakes with their
hints, tolerance) in ``unit01``/``unit02``; ``EXERCISES`` maps every exercise name to its spec,
and this module exposes one checker function per exercise, made by ``core.make_checker``.
"""

from nnkit.checks import unit01, unit02
from nnkit.checks.core import Case, Exercise, Mutant, make_checker

EXERCISES: dict[str, Exercise] = {**unit01.EXERCISES, **unit02.EXERCISES}

globals().update({name: make_checker(ex) for name, ex in EXERCISES.items()})

__all__ = ["EXERCISES", "Case", "Exercise", "Mutant", *EXERCISES]
