"""Unit 09's widget updates: the regularization explorer's two sliders (the runs are trained before, once)."""

from nnkit.viz import RegularizationPlot, RegularizationRuns
from nnkit.viz.unit09_regularization import DROPS, LAMS


def cases(repeats: int) -> dict:
    runs = RegularizationRuns()  # what the explorer does when it is built
    plot = RegularizationPlot(runs.split)
    return {
        "regularization_explorer: lambda slider": lambda k: plot.show(runs.view(LAMS[k % len(LAMS)], 0.0)),
        "regularization_explorer: dropout slider": lambda k: plot.show(runs.view(0.01, DROPS[k % len(DROPS)])),
    }


EXPLORER = "from nnkit import viz\nviz.regularization_explorer()"


def browser_cases() -> dict:
    """How ``bench_browser`` drives this unit's widget: the cell that shows it, the control timed."""
    return {
        "regularization_explorer: key on lambda": {"cell": EXPLORER, "control": ("slider", "lambda")},
        "regularization_explorer: key on dropout p": {"cell": EXPLORER, "control": ("slider", "dropout p")},
    }
