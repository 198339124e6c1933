"""From the attempts of a failing check to the message a learner reads.

``diagnosis`` looks at every case the learner's function was checked on: the generic
findings that hold on every failing case (``diagnose``), and the known mistakes (mutants)
that agree with the learner's results on every case. ``message`` writes it down for the
smallest failing case; when nothing explains the results it lists the entries that differ
and points to the notebook section the exercise rests on.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from nnkit.checks import diagnose, findings, runner
from nnkit.checks._compare import compare, show
from nnkit.checks.runner import Attempt, parameter_names

MAX_ENTRIES = 6  # differing entries listed when nothing explains the results


@dataclass(frozen=True)
class Diagnosis:
    """What went wrong: the case to show, what was seen on every failing case, the mutants that fit."""

    headline: Attempt
    failing: int
    findings: tuple
    mutants: tuple

    @property
    def tags(self) -> set[str]:
        """The mistakes named: finding tags and the parts of mutant names ("strict+zero_one")."""
        return {f.tag for f in self.findings} | {part for m in self.mutants for part in m.name.split("+")}


def diagnosis(ex, attempts: list[Attempt]) -> Diagnosis:
    """Diagnose the attempts of a failing check: a broken call, or at least one wrong value."""
    if not any(a.problem for a in attempts):
        broken = next(a for a in attempts if a.broken)
        named = (findings.Finding("in_place", broken.broken),) if broken.in_place else ()
        return Diagnosis(broken, 1, named, ())
    wrong = sorted((a for a in attempts if a.problem), key=lambda a: (_size(a.case), a.number))
    answered = wrong + [a for a in attempts if not a.problem and not a.broken]
    per_case = [_findings(ex, a) for a in wrong]
    mutants = tuple(m for m in ex.mutants if any(_explains(ex, coding, answered) for coding in m.codings()))
    return Diagnosis(wrong[0], len(wrong), tuple(diagnose.consistent(per_case)), mutants)


def _size(case) -> int:
    """How big a case is: the number of values in its arguments."""
    def count(value) -> int:
        if isinstance(value, (tuple, list)):
            return sum(map(count, value))
        if isinstance(value, dict):
            return sum(map(count, value.values()))
        return int(np.size(value)) if isinstance(value, np.ndarray) else 1
    return count([*case.args, *case.kwargs.values()])


def _findings(ex, a: Attempt) -> dict:
    """Findings on one failing case; with ``observe``, the raw result's structural ones and the
    findings on what is observed (the raw values may rightly differ from the reference's)."""
    ctx = findings.Context.of(ex.reference, a.case.args, a.case.kwargs)
    if ex.observe is None:
        return diagnose.case_findings(a.expected, a.got, ctx, ex.outputs, ex.parts)
    same_structure = compare(a.expected, a.got, "", ex.rtol, ex.atol, values=False) is None
    # the raw values' findings would be dropped: skip them (costly on large random arrays)
    found = {} if same_structure else diagnose.structural_only(
        diagnose.case_findings(a.expected, a.got, ctx, ex.outputs, ex.parts))
    try:
        seen = ex.observe(a.got)
    except Exception:
        return found
    return {**found, **diagnose.case_findings(ex.observe(a.expected), seen, ctx, (ex.observe_label,), {})}


def _explains(ex, coding, answered: list[Attempt]) -> bool:
    """Does this coding of a mistake give the learner's result on every answered case?"""
    for a in answered:
        try:
            with runner.floating_warnings() as seen:
                out = coding(*copy.deepcopy(a.case.args), **copy.deepcopy(a.case.kwargs))
            if ex.problem(out, a.got) is not None:
                return False
            if ex.quiet and bool(runner.first_warning(seen)) != bool(a.warned):
                return False
        except Exception:  # the mistake crashes here, or returns something not comparable
            return False
    return True


def header(ex, a: Attempt, total: int, failing: int = 1) -> str:
    """The first lines: which check fails, and its input."""
    smallest = f" (the smallest of the {failing} checks it fails)" if failing > 1 else ""
    return (f"{ex.name} fails check {a.number} of {total}: {a.case.label}{smallest}.\n"
            f"  input:    {_show_input(ex, a.case)}\n")


def message(ex, d: Diagnosis, total: int) -> str:
    """The learner's message for a failing check."""
    a = d.headline
    if a.broken:
        return header(ex, a, total) + "  " + a.broken
    text = header(ex, a, total, d.failing) + _expected_got(ex, a.expected, a.got) + f"  problem:  {a.problem}"
    for finding in d.findings:
        text += f"\n  seen:     {finding.text}"
    if d.mutants:
        return text + "\nHint: it looks like " + "\n  or: ".join(m.hint for m in d.mutants)
    if d.findings:
        return text
    entries = differing_entries(ex, a)
    if entries:
        text += "\n  differ:   " + "; ".join(entries)
    return text + (f"\nNo typical mistake explains all your results: read section \"{ex.section}\" of the "
                   "notebook again, and work the smallest failing check out by hand.")


def differing_entries(ex, a: Attempt) -> list[str]:
    """``path[i]: expected x, got y`` for the first differing numbers of the headline case."""
    if ex.observe is not None:
        return []
    root, names = ("", ex.outputs) if len(ex.outputs) > 1 else (ex.outputs[0], ex.parts.get(ex.outputs[0], ()))
    found = []
    for path, e, g, _ in diagnose.walk(root, a.expected, a.got, names, ex.parts):
        e_arr, g_arr = findings.as_numbers(e), findings.as_numbers(g)
        if isinstance(e, (tuple, list, dict)) or e_arr is None or g_arr is None or e_arr.shape != g_arr.shape:
            continue
        wrong = np.argwhere(~np.isclose(g_arr, e_arr, rtol=ex.rtol, atol=ex.atol)) if e_arr.ndim else [()]
        for index in wrong:
            at = f"[{', '.join(map(str, index))}]" if len(index) else ""
            found.append(f"{path}{at}: expected {e_arr[tuple(index)]:.4g}, got {g_arr[tuple(index)]:.4g}")
    if len(found) > MAX_ENTRIES:
        return found[:MAX_ENTRIES] + [f"... ({len(found)} entries differ)"]
    return found


def _show_input(ex, case) -> str:
    values = [*case.args, *case.kwargs.values()]
    if not values:
        return "(no arguments)"
    return ", ".join(f"{n} = {show(v)}" for n, v in zip(parameter_names(ex, case), values))


def _expected_got(ex, expected, got) -> str:
    if ex.observe is None:
        return f"  expected: {show(expected)}\n  got:      {show(got)}\n"
    try:
        seen = f"  ->  {ex.observe_label} = {show(ex.observe(got))}"
    except Exception:
        seen = ""
    return f"  expected: {ex.observe_label} = {show(ex.observe(expected))}\n  got:      {show(got)}{seen}\n"
