"""Unit 08's widget updates: the stability explorer's sliders and toggles."""

import numpy as np

from nnkit.viz import StabilityPlot, stability_view
from nnkit.viz.unit08_stability import GAINS, MAX_DEPTH


def cases(repeats: int) -> dict:
    rng = np.random.default_rng(0)
    depths = rng.integers(2, MAX_DEPTH + 1, size=repeats)
    plot = StabilityPlot()  # the explorer draws every update on one figure
    return {
        "stability_explorer: depth slider (plain)": lambda k: plot.show(stability_view(int(depths[k]), 1.0)),
        "stability_explorer: gain slider (residual, depth 50)":
            lambda k: plot.show(stability_view(MAX_DEPTH, GAINS[k % len(GAINS)], residual=True)),
        "stability_explorer: clipping on (depth 50, gain 2)":
            lambda k: plot.show(stability_view(MAX_DEPTH, 2.0, clip=True)),
    }


EXPLORER = "from nnkit import viz\nviz.stability_explorer()"


def browser_cases() -> dict:
    """How ``bench_browser`` drives this unit's widget: the cell that shows it, its setup clicks, the control."""
    return {
        "stability_explorer: key on depth": {"cell": EXPLORER, "control": ("slider", "depth")},
        "stability_explorer: key on weight gain (residual)": {"cell": EXPLORER, "setup": [("button", "residual")],
                                                              "control": ("slider", "weight gain")},
    }
