"""Unit 02's widget updates: the XOR line sliders and the hidden-space sliders."""

import numpy as np

from nnkit.viz import HiddenSpacePlot, XorLinePlot, hidden_space


def cases(repeats: int) -> dict:
    rng = np.random.default_rng(0)
    lines = rng.uniform(-3, 3, size=(repeats, 3))
    biases = rng.uniform(-1, 2, size=(repeats, 2))
    reference = hidden_space()
    W1, W2, b2 = reference.W1, reference.W2, reference.b2
    plot, line = HiddenSpacePlot(), XorLinePlot()  # each widget draws every update on one figure
    return {
        "xor_line_explorer: slider": lambda k: line.show(*lines[k]),
        "xor_hidden_space: slider (threshold)":
            lambda k: plot.show(hidden_space((W1, biases[k], W2, b2))),
        "xor_hidden_space: slider (sigmoid)":
            lambda k: plot.show(hidden_space((W1, biases[k], W2, b2), steepness=5.0)),
    }


HIDDEN_SPACE = "from nnkit import viz, xor\nviz.xor_hidden_space(xor.xor_network)"


def browser_cases() -> dict:
    """How ``bench_browser`` drives this unit's widgets: the cell that shows one, its setup clicks, the control."""
    return {
        "xor_line_explorer: key on w1": {"cell": "from nnkit import viz\nviz.xor_line_explorer()",
                                         "control": ("slider", "w1")},
        "xor_hidden_space: key on b1[0] (threshold)": {"cell": HIDDEN_SPACE, "control": ("slider", "b1[0]")},
        "xor_hidden_space: key on b1[0] (sigmoid)": {"cell": HIDDEN_SPACE, "setup": [("button", "sigmoid")],
                                                     "control": ("slider", "b1[0]")},
        "xor_hidden_space: key on steepness": {"cell": HIDDEN_SPACE, "setup": [("button", "sigmoid")],
                                               "control": ("slider", "steepness")},
    }
