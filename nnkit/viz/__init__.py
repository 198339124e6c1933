"""Plots and ipywidgets explorers; each widget animates the function it is given.

Widgets render matplotlib figures as PNG into an ``ipywidgets.Output`` (no ipympl needed);
each has a plain update path (``stepper_step``, ``render_xor_line``, ``hidden_space``, ...).
A unit's widgets live in ``unitNN_topic.py`` (named like ``solutions/NN_topic/``); those
modules are discovered and their ``__all__`` re-exported here. Shared plots are in ``plots``.
While a notebook is graded, widgets are not built (``_grading``).
"""

import sys

from nnkit._units import merge_unique, unit_modules
from nnkit.viz._grading import wrap_widget_factories
from nnkit.viz.plots import plot_boundary, plot_novikoff, plot_points, plot_weight_arrow, shade_halfplanes

_MODULES = unit_modules(sys.modules[__name__])
for _module in _MODULES:
    wrap_widget_factories(_module)

_WIDGETS = merge_unique([(m, {name: getattr(m, name) for name in m.__all__}) for m in _MODULES], "widget function")
globals().update(_WIDGETS)

__all__ = [*_WIDGETS, "plot_boundary", "plot_points", "plot_weight_arrow", "shade_halfplanes", "plot_novikoff"]
