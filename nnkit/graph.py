"""Unit-04 reference: a small scalar computational graph, forward and backward, node by node.

``f(x, y, z, w) = (x·y + max(y, z)) · w`` has a multiply, a max and an add gate, and the
input ``y`` feeds two gates, so its gradient is a sum of two paths. Each gate's local
gradients sit beside its forward rule (``LOCAL``): multiply sends each input the other
input, add sends 1 to both, max sends 1 to the larger input (to the first one on a tie).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Node(NamedTuple):
    """One node: its name, its gate ("input", "mul", "add", "max") and the names it reads."""

    name: str
    op: str
    inputs: tuple = ()


#: The graph in forward (topological) order.
GRAPH = (
    Node("x", "input"), Node("y", "input"), Node("z", "input"), Node("w", "input"),
    Node("a", "mul", ("x", "y")),
    Node("m", "max", ("y", "z")),
    Node("s", "add", ("a", "m")),
    Node("f", "mul", ("s", "w")),
)
INPUTS = ("x", "y", "z", "w")

FORWARD = {"mul": lambda p, q: p * q, "add": lambda p, q: p + q, "max": max}
LOCAL = {  # d(out)/d(first input), d(out)/d(second input)
    "mul": lambda p, q: (q, p),
    "add": lambda p, q: (1.0, 1.0),
    "max": lambda p, q: (1.0, 0.0) if p >= q else (0.0, 1.0),
}


def graph_forward(x, y, z, w) -> dict[str, float]:
    """The value of every node, by name, for the inputs ``x, y, z, w`` (numbers)."""
    values = {name: float(v) for name, v in zip(INPUTS, (x, y, z, w))}
    for node in GRAPH:
        if node.op != "input":
            values[node.name] = float(FORWARD[node.op](*(values[i] for i in node.inputs)))
    return values


def backward_steps(values: dict[str, float]) -> list[tuple[str, dict[str, float]]]:
    """The backward pass one node at a time, from ``f`` back to the inputs.

    Returns ``[(gate, grads), ...]``, one step per gate: at each step the gate's gradient df/d(node) is complete
    and has been passed on to its inputs; ``grads`` holds every df/d(.) known after that step
    (a node fed into two gates collects the sum of both contributions).
    """
    grads = {"f": 1.0}
    steps = []
    for node in reversed(GRAPH):
        if node.op == "input":
            continue
        local = LOCAL[node.op](*(values[i] for i in node.inputs))
        for name, d in zip(node.inputs, local):
            grads[name] = grads.get(name, 0.0) + d * grads[node.name]
        steps.append((node.name, dict(grads)))
    return steps


def scalar_graph_backward(x, y, z, w) -> tuple[float, float, float, float, float]:
    """``(f, df/dx, df/dy, df/dz, df/dw)`` of ``f = (x·y + max(y, z)) · w``, by backpropagation."""
    for name, v in zip(INPUTS, (x, y, z, w)):
        if not np.isscalar(v) or isinstance(v, (bool, str, complex)):
            raise TypeError(f"{name} must be a real number; got {type(v).__name__}")
    values = graph_forward(x, y, z, w)
    grads = backward_steps(values)[-1][1]
    return (values["f"], *(grads[name] for name in INPUTS))
