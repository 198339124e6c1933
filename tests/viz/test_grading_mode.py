"""While a notebook is graded (NNKIT_GRADING=1 in the grader's kernel) no widget is built."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

import nnkit.viz as viz
from nnkit._units import unit_modules
from nnkit.viz._grading import GRADING, is_widget_factory

FACTORIES = sorted(name for m in unit_modules(viz) for name in m.__all__ if is_widget_factory(getattr(m, name)))


def test_every_units_widget_functions_are_found():
    assert len(FACTORIES) >= 9 and {"perceptron_stepper", "xor_line_explorer", "regularization_explorer"} <= set(FACTORIES)
    assert not is_widget_factory(viz.render_stepper) and not is_widget_factory(viz.plot_points)


@pytest.mark.parametrize("name", FACTORIES)
def test_while_grading_a_widget_is_an_empty_box_and_calls_nothing(name, monkeypatch):
    monkeypatch.setenv(GRADING, "1")
    calls = []
    box = getattr(viz, name)(lambda *args, **kwargs: calls.append(args))
    assert isinstance(box, widgets.VBox) and box.children == () and calls == []


def test_outside_grading_the_widget_is_built(monkeypatch):
    monkeypatch.delenv(GRADING, raising=False)
    box = viz.xor_line_explorer()
    assert isinstance(box, widgets.VBox) and box.children
