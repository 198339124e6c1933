"""Unit 03's widget updates: width, activation, seed and data set of the forward-pass explorer."""

from nnkit.viz import ForwardPlot, forward_state
from nnkit.viz.unit03_forward import ACTIVATIONS, DATASETS, MAX_WIDTH


def cases(repeats: int) -> dict:
    names = list(DATASETS)
    plot = ForwardPlot()  # the explorer draws every update on one figure
    return {
        "forward_explorer: width":
            lambda k: plot.show(forward_state(width=1 + k % MAX_WIDTH)),
        "forward_explorer: activation (width 8)":
            lambda k: plot.show(forward_state(width=MAX_WIDTH, activation=ACTIVATIONS[k % len(ACTIVATIONS)])),
        "forward_explorer: seed (width 8)":
            lambda k: plot.show(forward_state(width=MAX_WIDTH, seed=k)),
        "forward_explorer: data set":
            lambda k: plot.show(forward_state(width=4, dataset=names[k % len(names)])),
    }


FORWARD = "from nnkit import viz\nviz.forward_explorer()"


def browser_cases() -> dict:
    """How ``bench_browser`` drives this unit's widget: the cell that shows it, the control timed."""
    return {
        "forward_explorer: key on width": {"cell": FORWARD, "control": ("slider", "width")},
        "forward_explorer: key on seed": {"cell": FORWARD, "control": ("slider", "seed")},
        "forward_explorer: pick an activation": {"cell": FORWARD, "control": ("dropdown", "activation")},
    }
