"""Unit 04's widget updates: the graph stepper's sliders and the training explorer's epoch slider."""

import numpy as np

from nnkit import graph, mlp
from nnkit.viz import GraphPlot, TrainingPlot, graph_state, training_run


def cases(repeats: int) -> dict:
    rng = np.random.default_rng(0)
    inputs = np.round(rng.uniform(-4, 4, size=(repeats, 4)) * 2) / 2   # the sliders' 0.5 steps
    state = graph_state(graph.scalar_graph_backward, 3.0, 2.0, -1.0, 2.0)
    run = training_run(mlp.mlp_backward)
    plot, graph_plot = TrainingPlot(run), GraphPlot()  # each widget draws every update on one figure
    return {
        "graph_stepper: backward slider": lambda k: graph_plot.show(state, k % (len(state.steps) + 1)),
        "graph_stepper: input slider":
            lambda k: graph_plot.show(graph_state(graph.scalar_graph_backward, *inputs[k]), 4),
        "training_explorer: snapshot slider": lambda k: plot.show((7 * k) % len(run.snapshots)),
    }


GRAPH = "from nnkit import graph, viz\nviz.graph_stepper(graph.scalar_graph_backward)"
TRAINING = "from nnkit import mlp, viz\nviz.training_explorer(mlp.mlp_backward)"


def browser_cases() -> dict:
    """How ``bench_browser`` drives this unit's widgets: the cell that shows one, the control timed."""
    return {
        "graph_stepper: key on backward": {"cell": GRAPH, "control": ("slider", "backward")},
        "graph_stepper: key on x": {"cell": GRAPH, "control": ("slider", "x")},
        "training_explorer: key on snapshot": {"cell": TRAINING, "control": ("slider", "snapshot")},
    }
