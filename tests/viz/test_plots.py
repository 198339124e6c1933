"""Static plot helpers: the drawn geometry satisfies the equations it claims to draw."""

import numpy as np
import pytest

from nnkit.viz import plot_boundary, plot_novikoff, plot_weight_arrow
from nnkit.viz.plots import figure_png, new_figure


def square_axes():
    fig, ax = new_figure()
    ax.set_xlim(-2, 2)
    ax.set_ylim(-1, 3)
    return fig, ax


@pytest.mark.parametrize("w, b", [((1.0, 2.0), 0.5), ((3.0, 0.1), -1.0), ((0.0, 1.0), -2.0), ((1.0, 0.0), 1.5)])
def test_boundary_points_lie_on_the_line_and_limits_stay(w, b):
    _, ax = square_axes()
    line = plot_boundary(ax, w, b)
    xs, ys = line.get_data()
    np.testing.assert_allclose(w[0] * np.asarray(xs) + w[1] * np.asarray(ys) + b, 0.0, atol=1e-12)
    assert ax.get_xlim() == (-2, 2) and ax.get_ylim() == (-1, 3)


def test_zero_weights_draw_nothing():
    _, ax = square_axes()
    assert plot_boundary(ax, (0.0, 0.0), 1.0) is None
    plot_weight_arrow(ax, (0.0, 0.0), 1.0)
    assert not ax.texts and not ax.lines


def test_weight_arrow_stands_on_the_line_and_points_along_w():
    _, ax = square_axes()
    w, b = np.array([1.0, 2.0]), -1.0
    plot_weight_arrow(ax, w, b)
    arrow = ax.texts[0]
    foot, tip = np.array(arrow.xyann), np.array(arrow.xy)
    assert w @ foot + b == pytest.approx(0.0, abs=1e-12)
    direction = (tip - foot) / np.linalg.norm(tip - foot)
    np.testing.assert_allclose(direction, w / np.linalg.norm(w), atol=1e-12)


def test_novikoff_plot_and_png():
    fig, ax = new_figure()
    plot_novikoff(ax, [0.5, 0.1, 0.2], [3, 40, 10], [16, 400, 100])
    assert ax.get_yscale() == "log" and len(ax.lines) == 1
    assert figure_png(fig)[:8] == b"\x89PNG\r\n\x1a\n"


def test_negative_side_polygon_is_exactly_where_the_score_is_negative():
    from nnkit.viz.plots import clip_below

    square = np.array([[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0]])
    # x1 - 1 < 0 is the left half: the rectangle [0, 1] x [0, 2], worked out by hand
    left = clip_below(square, np.array([1.0, 0.0]), -1.0)
    assert sorted(map(tuple, left.round(12))) == [(0.0, 0.0), (0.0, 2.0), (1.0, 0.0), (1.0, 2.0)]
    # x1 + x2 - 1 < 0 cuts off the corner triangle (0,0), (1,0), (0,1)
    corner = clip_below(square, np.array([1.0, 1.0]), -1.0)
    assert sorted(map(tuple, corner.round(12))) == [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0)]
    assert clip_below(square, np.zeros(2), 0.0).size == 0  # sign(0) = +1: nothing is negative
