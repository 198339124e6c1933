"""Learner corpora: answers written the way learners write them, each marked right or wrong.

A unit's corpus is ``tests/checks/learners_unitNN_topic.py``; it registers answers with
``CORPUS.correct(exercise)`` and ``CORPUS.wrong(exercise, *mistakes)``, where ``mistakes``
are the tags of the mistakes the answer makes (a mutant's name or a generic diagnosis such
as ``transposed`` or ``factor:-1``). A diagnosis names an answer's mistake when one of its
tags is among them, and misleads when it has a tag that is not.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Answer:
    """One answer: ``mistakes`` is empty for a correct answer."""

    exercise: str
    fn: Callable
    mistakes: frozenset

    @property
    def id(self) -> str:
        return f"{self.exercise}-{self.fn.__name__}"


class Corpus:
    """The answers of one unit, registered by decorators."""

    def __init__(self):
        self.answers: list[Answer] = []

    def correct(self, exercise: str):
        return self._register(exercise, frozenset())

    def wrong(self, exercise: str, *mistakes: str):
        assert mistakes, "a wrong answer names the mistakes it makes"
        return self._register(exercise, frozenset(mistakes))

    def _register(self, exercise, mistakes):
        def register(fn):
            self.answers.append(Answer(exercise, fn, mistakes))
            return fn
        return register


def corpora() -> dict[str, Corpus]:
    """``{unit stem: corpus}`` for every ``learners_unitNN_topic.py`` here."""
    stems = sorted(p.stem.removeprefix("learners_") for p in HERE.glob("learners_unit*.py"))
    return {stem: importlib.import_module(f"learners_{stem}").CORPUS for stem in stems}


def answers(correct: bool | None = None) -> list[Answer]:
    """Every answer of every corpus; only the correct (or wrong) ones when ``correct`` is given."""
    found = [a for corpus in corpora().values() for a in corpus.answers]
    return [a for a in found if correct is None or (not a.mistakes) == correct]
