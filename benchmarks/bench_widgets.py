"""Widget responsiveness: the time from a control event to a new picture in the Output widget.

Each case runs a widget's whole update path (state update, figure, PNG, Output) ``REPEATS``
times and prints the median and 95th percentile against the goal of 100 ms per update, in
wall-clock time and in this process's CPU time (the machine is shared: wall time includes
waiting for a core, CPU time does not).
"""

import os
import time

import ipywidgets as widgets
import numpy as np

from nnkit import perceptron
from nnkit.viz import hidden_space, render_hidden_space, render_stepper, render_xor_line, stepper_start, stepper_step
from nnkit.viz._output import show_figure

GOAL_MS = 100.0
REPEATS = 25


def _stepper_case():
    """One "step" click (the learner's function = the reference), restarting when done."""
    state = {"s": stepper_start(margin=0.05, seed=3)}

    def update(k):
        if state["s"].done:
            state["s"] = stepper_start(margin=0.05, seed=3 + k)
        state["s"] = stepper_step(state["s"], perceptron.update)
        return render_stepper(state["s"])
    return update


def _cases():
    rng = np.random.default_rng(0)
    lines = rng.uniform(-3, 3, size=(REPEATS, 3))
    biases = rng.uniform(-1, 2, size=(REPEATS, 2))
    reference = hidden_space()
    W1, W2, b2 = reference.W1, reference.W2, reference.b2
    return {
        "perceptron_stepper: step": _stepper_case(),
        "xor_line_explorer: slider": lambda k: render_xor_line(*lines[k]),
        "xor_hidden_space: slider (threshold)":
            lambda k: render_hidden_space(hidden_space((W1, biases[k], W2, b2))),
        "xor_hidden_space: slider (sigmoid)":
            lambda k: render_hidden_space(hidden_space((W1, biases[k], W2, b2), steepness=5.0)),
    }


def main() -> None:
    out = widgets.Output()
    print(f"{'widget update':38s} {'median ms':>9s} {'p95 ms':>7s} {'ratio':>6s} {'p95 ratio':>9s}"
          f" {'cpu median ms':>13s} {'cpu ratio':>9s}")
    for name, update in _cases().items():
        show_figure(out, update(0))  # warm-up: fonts, caches
        wall, cpu = [], []
        for k in range(REPEATS):
            start, start_cpu = time.perf_counter(), time.process_time()
            show_figure(out, update(k))
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        median, p95, cpu_median = np.median(wall), np.percentile(wall, 95), np.median(cpu)
        print(f"{name:38s} {median:9.1f} {p95:7.1f} {median / GOAL_MS:6.2f} {p95 / GOAL_MS:9.2f}"
              f" {cpu_median:13.1f} {cpu_median / GOAL_MS:9.2f}")
    print(f"goal: <= {GOAL_MS:.0f} ms per update (ratio <= 1.00); {REPEATS} updates each; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
