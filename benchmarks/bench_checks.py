"""Exercise checkers: time of each visible check against its 0.5 s budget, hidden checks, hints.

For every exercise in ``nnkit.checks.EXERCISES``: the visible check of the reference cold
(building its cases) and warm, the hidden check, and a failing check of the slowest mutant
(which runs the mutant on every case, then every known mistake and the generic diagnoses).
"""

import contextlib
import io
import time

BUDGET = 0.5  # seconds per visible check


def _seconds(call) -> float:
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(AssertionError):
        call()
    return time.perf_counter() - start


def _hidden_check(core, runner, ex) -> None:
    """The hidden check of the reference: the guard, then every hidden case (which the guard
    would otherwise stop, since the reference is nnkit's own)."""
    core.reference_use(lambda *args: ex.public_reference(*args))
    runner.attempts(ex, ex.public_reference, ex.case_list(hidden=True))


def main() -> None:
    start = time.perf_counter()
    from nnkit import checks
    from nnkit.checks import core, runner

    print(f"import nnkit.checks: {time.perf_counter() - start:.3f} s (includes numpy if not yet loaded)")
    print(f"{'exercise':<18} {'cold':>7} {'warm':>7} {'budget':>7} {'hidden':>7} {'mutant':>7}")
    worst = 0.0
    for name, ex in checks.EXERCISES.items():
        checker = getattr(checks, name)
        core._cases.cache_clear()
        cold = _seconds(lambda: checker(ex.public_reference))
        warm = _seconds(lambda: checker(ex.public_reference))
        core._cases.cache_clear()
        hidden = _seconds(lambda: _hidden_check(core, runner, ex))
        mutant = max(_seconds(lambda m=m: checker(m.fn)) for m in ex.mutants)
        worst = max(worst, cold, mutant)
        print(f"{name:<18} {cold:7.3f} {warm:7.3f} {cold / BUDGET:6.0%} {hidden:7.3f} {mutant:7.3f}")
    share = worst / BUDGET
    print(f"slowest visible check (cold or failing): {worst:.3f} s = {share:.0%} of the {BUDGET} s budget")
