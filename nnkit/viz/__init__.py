"""Plots and ipywidgets explorers; each widget animates the function it is given.

Widgets render matplotlib figures as PNG into an ``ipywidgets.Output`` (no ipympl needed);
each has a plain update path (``stepper_step``, ``render_xor_line``, ``hidden_space``, ...).
A unit's widgets live in ``unitNN_topic.py`` (named like ``solutions/NN_topic/``); those
modules are discovered and their ``__all__`` re-exported here. Shared plots are in ``plots``.
While a notebook is graded, widgets are not built (``_grading``).
"""

import sys

from nnkit._units import merge_unique, unit_modules
from nnkit.viz._grading import is_widget_factory, not_built_while_grading
from nnkit.viz.plots import plot_boundary, plot_novikoff, plot_points, plot_weight_arrow, shade_halfplanes

_WIDGETS = merge_unique(
    [(m, {name: getattr(m, name) for name in m.__all__}) for m in unit_modules(sys.modules[__name__])],
    "widget function",
)
_WIDGETS = {name: not_built_while_grading(f) if is_widget_factory(f) else f for name, f in _WIDGETS.items()}
globals().update(_WIDGETS)

__all__ = [*_WIDGETS, "plot_boundary", "plot_points", "plot_weight_arrow", "shade_halfplanes", "plot_novikoff"]
