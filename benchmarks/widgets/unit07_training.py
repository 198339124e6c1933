"""Unit 07's widget updates: the optimizer race's sliders (a rerun of all racers) and its step slider."""

import numpy as np

from nnkit.viz import RacePlot, race
from nnkit.viz.unit07_training import MAX_STEPS, SURFACES


def cases(repeats: int) -> dict:
    rng = np.random.default_rng(0)
    lrs, betas = 10 ** rng.uniform(-3.5, -1.5, size=repeats), rng.uniform(0, 0.99, size=repeats)
    steps = rng.integers(0, MAX_STEPS + 1, size=repeats)
    plot = RacePlot()  # the widget draws every update on one figure
    ready = race("rosenbrock")
    names = list(SURFACES)
    return {
        "optimizer_race: lr / beta slider (ravine)":
            lambda k: plot.show(race("ravine", float(lrs[k]), float(betas[k])), MAX_STEPS),
        "optimizer_race: step slider (rosenbrock)": lambda k: plot.show(ready, int(steps[k])),
        "optimizer_race: pick a surface": lambda k: plot.show(race(names[k % 2]), MAX_STEPS),
    }


RACE = "from nnkit import viz\nviz.optimizer_race()"


def browser_cases() -> dict:
    """How ``bench_browser`` drives this unit's widget: the cell that shows it, the control timed."""
    return {
        "optimizer_race: key on lr": {"cell": RACE, "control": ("slider", "lr")},
        "optimizer_race: key on step": {"cell": RACE, "control": ("slider", "step")},
        "optimizer_race: pick a surface": {"cell": RACE, "control": ("dropdown", "surface")},
    }
