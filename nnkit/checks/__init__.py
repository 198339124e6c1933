"""Exercise checkers: ``check.<exercise>(fn)`` (self-check) or ``check.<exercise>(fn, hidden=True)``.

Each exercise is a declarative ``Exercise`` spec (reference, cases, known mistakes with their
hints, the notebook section it rests on) in the unit's module ``unitNN_topic.py``, named like
the unit's folder ``solutions/NN_topic/``. The unit modules are discovered, not listed:
``EXERCISES`` maps every exercise name to its spec, and this module exposes one checker
function per exercise, made by ``core.make_checker``. Two units defining the same exercise
name fail at import.

Adding a unit: write ``unitNN_topic.py`` with its ``Exercise`` specs, and in ``tests/checks``
a learner corpus ``learners_unitNN_topic.py``; nothing else is edited (see
``tests/test_layout.py``).
"""

import sys

from nnkit._units import merge_unique, unit_modules
from nnkit.checks.core import Case, Exercise, Mutant, make_checker


def exercises_of(module) -> dict[str, Exercise]:
    """The ``Exercise`` specs in a unit module's namespace, by name, in definition order."""
    return {v.name: v for v in vars(module).values() if isinstance(v, Exercise)}


EXERCISES: dict[str, Exercise] = merge_unique(
    [(m, exercises_of(m)) for m in unit_modules(sys.modules[__name__])], "exercise"
)

globals().update({name: make_checker(ex) for name, ex in EXERCISES.items()})

__all__ = ["EXERCISES", "Case", "Exercise", "Mutant", "exercises_of", *EXERCISES]
