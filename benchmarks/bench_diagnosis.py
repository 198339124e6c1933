"""Diagnosis: per unit, the share of the learner corpus's wrong answers whose message names their mistake.

The corpora are ``tests/checks/learners_unitNN_topic.py``: answers written the way learners
write them, each wrong one tagged with the mistakes it makes. For each unit (visible checks):
named = the diagnosis names one of the answer's mistakes; misleading = it names one the
answer does not make; accepted = a wrong answer passes the visible or the hidden check;
rejected = a correct answer fails either.
"""

import contextlib
import io
import sys
import time
from pathlib import Path

GOAL = 0.70


def _passes(checker, fn, hidden: bool) -> bool:
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            checker(fn, hidden=hidden)
        except AssertionError:
            return False
    return True


def _unit_figures(checks, core, corpus) -> dict:
    wrong = [a for a in corpus.answers if a.mistakes]
    right = [a for a in corpus.answers if not a.mistakes]
    named = misleading = 0
    slowest = 0.0
    for a in wrong:
        start = time.perf_counter()
        verdict = core.examine(checks.EXERCISES[a.exercise], a.fn)
        slowest = max(slowest, time.perf_counter() - start)
        tags = verdict.tags if verdict else set()
        named += bool(tags & a.mistakes)
        misleading += bool(tags - a.mistakes)
    accepted = sum(any(_passes(getattr(checks, a.exercise), a.fn, h) for h in (False, True)) for a in wrong)
    rejected = sum(not all(_passes(getattr(checks, a.exercise), a.fn, h) for h in (False, True)) for a in right)
    return {"wrong": len(wrong), "named": named, "misleading": misleading, "accepted": accepted,
            "correct": len(right), "rejected": rejected, "slowest": slowest}


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "checks"))
    import warnings

    from corpus import corpora

    from nnkit import checks
    from nnkit.checks import core

    warnings.simplefilter("ignore")
    print(f"{'unit':<18} {'wrong':>5} {'named':>7} {'misled':>6} {'accepted':>8} {'correct':>7} "
          f"{'rejected':>8} {'slowest':>8}")
    total = {"wrong": 0, "named": 0}
    for stem, corpus in corpora().items():
        f = _unit_figures(checks, core, corpus)
        total["wrong"] += f["wrong"]
        total["named"] += f["named"]
        print(f"{stem:<18} {f['wrong']:5d} {f['named'] / f['wrong']:7.0%} {f['misleading']:6d} "
              f"{f['accepted']:8d} {f['correct']:7d} {f['rejected']:8d} {f['slowest']:7.3f}s")
    share = total["named"] / total["wrong"]
    print(f"all units: {total['named']} of {total['wrong']} wrong answers named ({share:.0%}; goal {GOAL:.0%}); "
          "'slowest' is the slowest failing visible check")
