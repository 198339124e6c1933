"""Plots and ipywidgets explorers; each widget animates the function it is given.

Widgets render matplotlib figures as PNG into an ``ipywidgets.Output`` (no ipympl needed);
each has a plain update path (``stepper_step``, ``render_xor_line``, ``hidden_space``, ...).
"""

from nnkit.viz.perceptron_widget import perceptron_stepper, render_stepper, stepper_run, stepper_start, stepper_step
from nnkit.viz.plots import plot_boundary, plot_novikoff, plot_points, plot_weight_arrow, shade_halfplanes
from nnkit.viz.xor_widgets import hidden_space, render_hidden_space, render_xor_line, xor_hidden_space, xor_line_explorer

__all__ = [
    "perceptron_stepper", "stepper_start", "stepper_step", "stepper_run", "render_stepper",
    "xor_line_explorer", "render_xor_line", "xor_hidden_space", "hidden_space", "render_hidden_space",
    "plot_boundary", "plot_points", "plot_weight_arrow", "shade_halfplanes", "plot_novikoff",
]
