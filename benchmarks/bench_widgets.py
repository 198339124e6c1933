"""Widget responsiveness: the time from a control event to a new picture in the Output widget.

Each case (one per control, from ``benchmarks/widgets/unitNN_topic.py``) runs a widget's
whole update path (state update, figure, PNG, Output) ``REPEATS`` times and prints the median and 95th percentile against the goal of 100 ms per update, in
wall-clock time and in this process's CPU time (the machine is shared: wall time includes
waiting for a core, CPU time does not).
"""

import os
import time

import ipywidgets as widgets
import numpy as np

from benchmarks import widgets as unit_cases
from nnkit._units import merge_unique, unit_modules
from nnkit.viz._output import show_figure

GOAL_MS = 100.0
REPEATS = 25


def _cases() -> dict:
    """Every unit's ``{name: update}`` from ``benchmarks/widgets/unitNN_topic.py``, in unit order."""
    modules = unit_modules(unit_cases)
    return merge_unique([(m, m.cases(REPEATS)) for m in modules], "widget benchmark case")


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
