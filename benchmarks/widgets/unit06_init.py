"""Unit 06's widget updates: the initialization explorer's dropdowns and sliders, at 50 x 256 x 256 where it counts."""

import numpy as np

from nnkit.viz import InitPlot, init_view
from nnkit.viz.unit06_init import ACTIVATIONS, SCHEMES


def cases(repeats: int) -> dict:
    rng = np.random.default_rng(0)
    depths = rng.integers(2, 51, size=repeats)
    plot = InitPlot()  # the explorer draws every update on one figure
    return {
        "init_explorer: pick an activation (50 x 256 x 256)":
            lambda k: plot.show(init_view(ACTIVATIONS[k % len(ACTIVATIONS)], "he", 50, 256)),
        "init_explorer: pick an initialization (50 x 256 x 256)":
            lambda k: plot.show(init_view("relu", SCHEMES[k % len(SCHEMES)], 50, 256)),
        "init_explorer: depth slider (tanh, width 256)":
            lambda k: plot.show(init_view("tanh", "xavier", int(depths[k]), 256)),
        "init_explorer: width slider (relu + xavier, depth 50)":
            lambda k: plot.show(init_view("relu", "xavier", 50, (32, 64, 128, 256)[k % 4])),
    }


EXPLORER = "from nnkit import viz\nviz.init_explorer()"


def browser_cases() -> dict:
    """How ``bench_browser`` drives this unit's widget: the cell that shows it, the control timed."""
    return {
        "init_explorer: pick an activation": {"cell": EXPLORER, "control": ("dropdown", "activation")},
        "init_explorer: pick an initialization": {"cell": EXPLORER, "control": ("dropdown", "init")},
        "init_explorer: key on depth": {"cell": EXPLORER, "control": ("slider", "depth")},
        "init_explorer: key on width": {"cell": EXPLORER, "control": ("slider", "width")},
    }
