"""Generic diagnosis: what a wrong result has in common with the expected one on every failing case.

``case_findings`` walks one failing case's result, from the whole down to its numbers, and
collects the ``findings`` of every part that differs; ``consistent`` keeps those that hold on
every failing case, on enough numbers to be more than a coincidence.
"""

from __future__ import annotations

import numbers

import numpy as np

from nnkit.checks.findings import (ATOL, RTOL, Context, Finding, agree, array_findings, as_numbers, length_finding,
                                   partial_finding, swapped_finding)

MIN_EVIDENCE = 3  # differing numbers a relation between values must hold on (one number fits anything)
SHAPE_TAGS = {"transposed", "extra_axis", "missing_axis", "flattened", "wrong_axis"}  # seen only when shapes differ


def walk(path: str, e, g, names: tuple, parts: dict):
    """``(role, e, g, names)`` for every differing node of the result, from the whole down to numbers.

    ``role`` names a place in the result, the same in every list entry (``history[…].index``);
    ``names`` are the item names of the tuples at or below it, ``parts`` those of each output.
    """
    if agree(e, g):
        return
    yield path, e, g, names
    if isinstance(e, dict) and isinstance(g, dict) and set(e) == set(g):
        for key in e:
            yield from walk(f"{path}[{key!r}]", e[key], g[key], (), parts)
        return
    if not (isinstance(e, (tuple, list)) and isinstance(g, (tuple, list)) and len(e) == len(g)):
        return
    named = isinstance(e, tuple) and len(names) == len(e)
    for k, (e_k, g_k) in enumerate(zip(e, g)):
        if named:
            child = f"{path}.{names[k]}" if path else names[k]
            yield from walk(child, e_k, g_k, parts.get(child, ()), parts)
        else:
            yield from walk(f"{path}[{k}]" if isinstance(e, tuple) else f"{path}[…]", e_k, g_k, names, parts)


def case_findings(e, g, ctx: Context, outputs: tuple, parts: dict) -> dict[str, tuple[set, int, bool]]:
    """``{role: (findings, differing numbers, shape differs)}`` on one failing case.

    A role met twice (list entries) keeps the findings common to all. Unless every differing
    leaf of the result has a finding, only the structural findings are kept: a relation
    between numbers that leaves part of the difference unexplained is likely a coincidence.
    """
    root, names = ("", outputs) if len(outputs) > 1 else (outputs[0], parts.get(outputs[0], ()))
    found: dict[str, tuple[set, int, bool]] = {}
    unexplained = False
    for role, e_node, g_node, node_names in walk(root, e, g, names, parts):
        here = set(_node_findings(role or "your result", e_node, g_node, ctx, node_names))
        unexplained |= _is_leaf(e_node, g_node) and not here
        before, count, reshaped = found.get(role, (here, 0, False))
        found[role] = (before & here, count + _differing(e_node, g_node), reshaped or _reshaped(e_node, g_node))
    return structural_only(found) if unexplained else found


def structural_only(found: dict) -> dict:
    """``case_findings`` output keeping only the structural findings."""
    return {role: ({f for f in here if f.structural}, *rest) for role, (here, *rest) in found.items()}


def _reshaped(e, g) -> bool:
    """Both are arrays (or numbers) of different shapes."""
    e_arr, g_arr = as_numbers(e), as_numbers(g)
    return e_arr is not None and g_arr is not None and e_arr.shape != g_arr.shape


def _is_leaf(e, g) -> bool:
    """A node whose difference is not split further: numbers, arrays, or sequences that do not pair up."""
    pairs = isinstance(e, (tuple, list)) and isinstance(g, (tuple, list)) and len(e) == len(g)
    same_keys = isinstance(e, dict) and isinstance(g, dict) and set(e) == set(g)
    return not (pairs or same_keys)


def _differing(e, g) -> int:
    """How many numbers of ``g`` differ from ``e`` (1 when they cannot be compared entry by entry)."""
    e_arr, g_arr = as_numbers(e), as_numbers(g)
    if isinstance(e, (tuple, list, dict)) or e_arr is None or g_arr is None or e_arr.shape != g_arr.shape:
        return 1
    return int((~np.isclose(g_arr, e_arr, rtol=RTOL, atol=ATOL)).sum())


def _node_findings(path, e, g, ctx, names) -> list[Finding]:
    if isinstance(e, tuple):
        return [f for f in (swapped_finding(path, e, g, names), partial_finding(path, e, g, names)) if f]
    if isinstance(e, dict):
        return []
    if isinstance(e, list):
        return [f] if isinstance(g, (tuple, list)) and (f := length_finding(path, e, g, ctx)) else []
    whole = isinstance(e, (numbers.Integral, np.integer)) and not isinstance(e, bool)
    return array_findings(path, e, g, ctx, whole_numbers=whole)


def consistent(per_case: list[dict[str, tuple[set, int, bool]]]) -> list[Finding]:
    """The findings that hold on every failing case where their part of the result differs
    (for a wrong shape: where its shape differs), and, unless structural, on at least
    ``MIN_EVIDENCE`` differing numbers in all.

    Texts come from the first case that has them (callers pass the smallest case first) and
    say on how many failing cases they were seen.
    """
    kept = []
    for role in dict.fromkeys(r for found in per_case for r in found):
        where = [found[role] for found in per_case if role in found]
        enough = sum(count for _, count, _ in where) >= MIN_EVIDENCE
        for finding in sorted(where[0][0], key=lambda f: f.text):
            seen = [here for here, _, reshaped in where if reshaped or finding.tag not in SHAPE_TAGS]
            if seen and all(finding.tag in {f.tag for f in here} for here in seen) and (enough or finding.structural):
                kept.append(Finding(finding.tag, _seen_on(len(seen), len(per_case)) + finding.text))
    return kept


def _seen_on(cases: int, failing: int) -> str:
    if failing == 1:
        return ""
    if cases == failing:
        return f"on all {failing} failing checks, "
    return f"on the {cases} failing checks where this part is wrong, " if cases > 1 else "on one failing check, "
