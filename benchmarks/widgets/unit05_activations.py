"""Unit 05's widget updates: the activation explorer's dropdown and sliders."""

import numpy as np

from nnkit import activations
from nnkit.viz import ActivationPlot, activation_view

NAMES = list(activations.ACTIVATIONS)


def cases(repeats: int) -> dict:
    rng = np.random.default_rng(0)
    means, stds = rng.uniform(-3, 3, size=repeats), rng.uniform(0.2, 4, size=repeats)
    depths = rng.integers(1, 51, size=repeats)
    plot = ActivationPlot()  # the explorer draws every update on one figure
    return {
        "activation_explorer: pick an activation":
            lambda k: plot.show(activation_view(NAMES[k % len(NAMES)], 0.0, 1.0, 10)),
        "activation_explorer: mean/std slider (gelu)":
            lambda k: plot.show(activation_view("gelu", means[k], stds[k], 10)),
        "activation_explorer: depth slider (sigmoid)":
            lambda k: plot.show(activation_view("sigmoid", 0.0, 1.0, int(depths[k]))),
    }


EXPLORER = "from nnkit import viz\nviz.activation_explorer()"


def browser_cases() -> dict:
    """How ``bench_browser`` drives this unit's widget: the cell that shows it, the control timed."""
    return {
        "activation_explorer: pick an activation": {"cell": EXPLORER, "control": ("dropdown", "activation")},
        "activation_explorer: key on mean of z": {"cell": EXPLORER, "control": ("slider", "mean of z")},
        "activation_explorer: key on layers L": {"cell": EXPLORER, "control": ("slider", "layers L")},
    }
