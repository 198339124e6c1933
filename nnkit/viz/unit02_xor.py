"""Unit 02 widgets: no single line separates XOR, but a hidden layer folds the plane so one does.

Plain update functions (testable without a browser): ``xor_line_mistakes(w1, w2, b)``,
``XorLinePlot().show(w1, w2, b) -> Figure`` (``render_xor_line(w1, w2, b)`` on a new figure),
``hidden_space(weights, steepness) -> HiddenSpace``, ``HiddenSpacePlot().show(state) -> Figure``
(``render_hidden_space(state)`` on a new figure; the widgets keep one figure each and move its
artists). ``xor_line_explorer()`` and
``xor_hidden_space(weights)`` wire them to sliders.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import to_rgba

from nnkit import activations, data, perceptron, xor
from nnkit._validate import as_float_array
from nnkit.viz import plots
from nnkit.viz._blit import keep_in_frame
from nnkit.viz._output import call_learner, note_html, show_figure

__all__ = ["xor_line_explorer", "render_xor_line", "xor_hidden_space", "hidden_space", "render_hidden_space",
           "HiddenSpacePlot", "XorLinePlot"]

VIEW = (-0.5, 1.5)
HIDDEN_VIEW = (-0.2, 1.2)
UNIT_COLORS = ("#009E73", "#CC79A7")
UNIT_TICKS = (0.0, 1.0)


def _weight_slider(name: str, value: float) -> widgets.FloatSlider:
    """A slider over [-3, 3] (widened to hold ``value``) that updates on release."""
    return widgets.FloatSlider(value=value, min=min(-3.0, value), max=max(3.0, value), step=0.05,
                               description=name, continuous_update=False)


# --- one line over XOR -------------------------------------------------------------------

def xor_line_mistakes(w1: float, w2: float, b: float) -> np.ndarray:
    """Indices (rows of ``data.xor_table()``) that the line ``w1·x1 + w2·x2 + b = 0`` gets wrong."""
    X, t = data.xor_table()
    return np.flatnonzero(perceptron.predict(np.array([w1, w2], float), float(b), X) != t)


def xor_line_status(w1: float, w2: float, b: float) -> str:
    """The misclassified count as a sentence (it is never 0)."""
    k = xor_line_mistakes(w1, w2, b).size
    return (f"misclassified: {k} of 4 — no line gets all four right; the best any line can do "
            "is 1 mistake.")


class XorLinePlot:
    """The line explorer's figure, built once: ``show(w1, w2, b)`` moves its artists and returns it.

    The four XOR points, the line ``w·x + b = 0`` with its +1 side tinted, mistakes ringed.
    """

    def __init__(self):
        self.fig, self.ax = plots.new_figure(6.2, 4.4)
        ax = self.ax
        X, t = data.xor_table()
        ax.set_xlim(VIEW)
        ax.set_ylim(VIEW)
        ax.set_aspect("equal")
        ax.set_xticks(UNIT_TICKS)
        ax.set_yticks(UNIT_TICKS)
        (self.tint,) = ax.fill(*BOX.T, color=plots.POSITIVE_TINT, linewidth=0, zorder=0)
        (self.negative,) = ax.fill(*BOX.T, color=plots.NEGATIVE_TINT, linewidth=0, zorder=0)
        plots.plot_points(ax, X, t, size=120, labels=("t = +1 (XOR = 1)", "t = −1 (XOR = 0)"))
        self.points = ax.collections[-2:]
        plots.ring_points(ax, X, size=420, label="misclassified")
        self.rings = ax.collections[-1]
        self.line = ax.plot([], [], color="black", linewidth=2.0, label="w·x + b = 0")[0]
        self.no_line = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", fontsize=10,
                               bbox={"fc": "white", "ec": "0.7"})
        self.arrow, self.legend_labels = [], None
        ax.set_xlabel("x₁")
        ax.set_ylabel("x₂")
        self.fig.subplots_adjust(left=0.1, right=0.64, top=0.92, bottom=0.11)

    def show(self, w1: float, w2: float, b: float):
        """Draw the line ``w1·x1 + w2·x2 + b = 0``; returns the figure."""
        X, _ = data.xor_table()
        ax, w = self.ax, np.array([w1, w2], float)
        wrong = xor_line_mistakes(w1, w2, b)
        negative = plots.clip_below(BOX, w, float(b))
        self.negative.set_visible(len(negative) > 0)
        if len(negative):
            self.negative.set_xy(negative)
        self.rings.set_offsets(X[wrong].reshape(-1, 2))
        pts = plots.line_points(w, float(b), VIEW, VIEW)
        self.line.set_visible(pts is not None)
        if pts is not None:
            self.line.set_data(*pts)
        for text in self.arrow:
            text.remove()
        count = len(ax.texts)
        plots.plot_weight_arrow(ax, w, b)
        self.arrow = ax.texts[count:]
        self.no_line.set_visible(not np.any(w))
        self.no_line.set_text(f"w = 0: no line; every point is predicted {'+1' if b >= 0 else '−1'}")
        ax.set_title(f"{wrong.size} of 4 misclassified (best possible: 1)", fontsize=12)
        handles = [*self.points, *([self.rings] if wrong.size else []), *([self.line] if pts is not None else [])]
        labels = tuple(h.get_label() for h in handles)
        if labels != self.legend_labels:
            ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.03, 1.0), fontsize=9, frameon=False,
                      markerscale=0.6)
            self.legend_labels = labels
        return self.fig


BOX = np.array([[VIEW[0], VIEW[0]], [VIEW[1], VIEW[0]], [VIEW[1], VIEW[1]], [VIEW[0], VIEW[1]]])


def render_xor_line(w1: float, w2: float, b: float):
    """The line ``w·x + b = 0`` over the XOR points on a new figure (the explorer reuses one ``XorLinePlot``)."""
    return XorLinePlot().show(w1, w2, b)


def xor_line_explorer(w1: float = 1.0, w2: float = 1.0, b: float = -0.5) -> widgets.VBox:
    """Sliders for ``w1, w2, b`` over the XOR table; the count of mistakes never reaches 0."""
    sliders = [_weight_slider(name, v) for name, v in (("w1", w1), ("w2", w2), ("b", b))]
    status, out, plot = widgets.HTML(), widgets.Output(), XorLinePlot()

    def update(_=None):
        values = [s.value for s in sliders]
        status.value = f"<b>{xor_line_status(*values)}</b>"
        show_figure(out, plot.show(*values))

    for s in sliders:
        s.observe(update, names="value")
    update()
    return widgets.VBox([widgets.HBox(sliders), status, out])


# --- the 2-2-1 network: input space beside hidden space ----------------------------------

@dataclass(frozen=True)
class HiddenSpace:
    """The XOR points ``X: (4, 2)`` with targets ``y: (4,)`` in {0,1}, their hidden images
    ``H: (4, 2)``, the weights, and a grid of inputs ``grid_X: (g, 2)`` with images ``grid_H``."""

    X: np.ndarray
    y: np.ndarray
    H: np.ndarray
    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray
    steepness: float | None
    grid_X: np.ndarray
    grid_H: np.ndarray
    note: str | None = None

    def output(self, H) -> np.ndarray:
        """The output unit on hidden vectors ``H: (batch, 2)``: step(H @ W2 + b2), in {0,1}."""
        return xor.step(H @ self.W2 + self.b2)[:, 0]

    @property
    def mistakes(self) -> np.ndarray:
        """Indices of the XOR points the network gets wrong."""
        return np.flatnonzero(self.output(self.H) != self.y)


def hidden_layer(X, W1, b1, steepness: float | None = None) -> np.ndarray:
    """Hidden activations ``(batch, 2)``: step(X @ W1 + b1), or sigmoid(steepness·(X @ W1 + b1))."""
    Z = X @ W1 + b1
    return xor.step(Z) if steepness is None else activations.sigmoid(steepness * Z)


def _accept_weights(weights):
    """Check ``(W1 (2,2), b1 (2,), W2 (2,1), b2 (1,))``; return float copies."""
    shapes = ((2, 2), (2,), (2, 1), (1,))
    if not isinstance(weights, (tuple, list)) or len(weights) != 4:
        raise ValueError(f"expected (W1, b1, W2, b2), got {type(weights).__name__}")
    try:
        arrays = [as_float_array(a, name).copy() for a, name in zip(weights, ("W1", "b1", "W2", "b2"))]
    except (TypeError, ValueError) as exc:
        raise ValueError(str(exc)) from None
    got = [a.shape for a in arrays]
    if got != list(shapes) or not all(np.all(np.isfinite(a)) for a in arrays):
        raise ValueError(f"expected finite arrays of shapes {list(shapes)}, got {got}")
    return tuple(arrays)


def hidden_space(weights=None, steepness: float | None = None, grid: int = 41) -> HiddenSpace:
    """Map the XOR points and a ``grid × grid`` sheet of inputs through the hidden layer.

    ``weights``: ``(W1, b1, W2, b2)``, a function returning them (e.g. the learner's
    ``xor_network``), or None for ``nnkit.xor.xor_network()``. ``steepness=None`` uses
    threshold units; a number uses sigmoid units of that steepness.
    """
    source = weights if callable(weights) or weights is None else (lambda: weights)
    (W1, b1, W2, b2), note = call_learner(source, (), xor.xor_network, _accept_weights, "xor_network")
    if weights is None:
        note = None  # the reference is the intended default here
    X, t = data.xor_table()
    g = np.linspace(*VIEW, grid)
    grid_X = np.stack(np.meshgrid(g, g), axis=-1).reshape(-1, 2)
    return HiddenSpace(X=X, y=(t > 0).astype(float), H=hidden_layer(X, W1, b1, steepness),
                       W1=W1, b1=b1, W2=W2, b2=b2, steepness=steepness, grid_X=grid_X,
                       grid_H=hidden_layer(grid_X, W1, b1, steepness), note=note)


LABEL_SPACING = 0.12  # hidden points closer than this (in h units) share one label


def _corner_groups(X, H) -> list:
    """``[(h, "(0,1) & (1,0)"), ...]``: the input corners whose hidden points land on or next to each
    other share one label (sigmoid units put (0,1) and (1,0) close together: one label, not two
    printed over each other)."""
    groups: list[tuple[np.ndarray, list[str]]] = []
    for x, h in zip(X, H):
        near = next((g for g in groups if np.max(np.abs(g[0] - h)) < LABEL_SPACING), None)
        name = f"({x[0]:.0f},{x[1]:.0f})"
        if near is None:
            groups.append((h, [name]))
        else:
            near[1].append(name)
    return [(h, " & ".join(names)) for h, names in groups]


def _set_line(line, w, b, view) -> bool:
    """Move ``line`` onto ``w·x + b = 0`` across ``view``; hide it (and return False) when ``w = 0``."""
    pts = plots.line_points(w, float(b), view, view)
    line.set_visible(pts is not None)
    if pts is not None:
        line.set_data(*pts)
    return pts is not None


FINE = np.linspace(*VIEW, 100)
FINE_X = np.stack(np.meshgrid(FINE, FINE), axis=-1).reshape(-1, 2)
HIDDEN_BOX = np.array([[HIDDEN_VIEW[0], HIDDEN_VIEW[0]], [HIDDEN_VIEW[1], HIDDEN_VIEW[0]],
                       [HIDDEN_VIEW[1], HIDDEN_VIEW[1]], [HIDDEN_VIEW[0], HIDDEN_VIEW[1]]])
SHEET_RGBA = np.array([to_rgba(plots.NEGATIVE, 0.35), to_rgba(plots.POSITIVE, 0.35)])


class HiddenSpacePlot:
    """The hidden-space figure, built once: ``show(state)`` moves its artists and returns it.

    Left: input space, the hidden units' lines and the network's regions. Right: hidden space,
    where the folded grid and the XOR points sit on either side of the output unit's line.
    """

    def __init__(self):
        self.fig, (left, right) = plots.new_figure(9.0, 4.5, ncols=2)
        self.right = right
        X, t = data.xor_table()
        left.set_xlim(VIEW)
        left.set_ylim(VIEW)
        plots.shade_regions(left, np.zeros((len(FINE), len(FINE))))
        self.regions = left.images[-1]
        self.units = [left.plot([], [], color=color, linestyle="--", linewidth=2.0,
                                label=f"hidden unit {j + 1} switches")[0] for j, color in enumerate(UNIT_COLORS)]
        plots.plot_points(left, X, t, size=120, labels=("XOR = 1", "XOR = 0"))
        self.input_points = left.collections[-2:]  # positive, negative
        self.left_rings = self._rings(left, "misclassified")
        keep_in_frame(left.set_title("input space (x₁, x₂)", fontsize=12))

        right.set_xlim(HIDDEN_VIEW)
        right.set_ylim(HIDDEN_VIEW)
        right.fill(*HIDDEN_BOX.T, color=plots.POSITIVE_TINT, linewidth=0, zorder=0)
        (self.negative,) = right.fill(*HIDDEN_BOX.T, color=plots.NEGATIVE_TINT, linewidth=0, zorder=0)
        self.sheet = right.scatter([], [], s=3, zorder=1, linewidths=0)
        plots.plot_points(right, X, t, size=120, labels=(None, None))
        self.hidden_points = right.collections[-2:]  # positive, negative
        self.right_rings = self._rings(right, None)
        self.corners = []
        self.output = right.plot([], [], color="black", linewidth=2.0, label="output unit's line")[0]
        for ax, names in ((left, ("x₁", "x₂")), (right, ("h₁", "h₂"))):
            ax.set_aspect("equal")
            ax.set_xticks(UNIT_TICKS)
            ax.set_yticks(UNIT_TICKS)
            ax.set_xlabel(names[0], labelpad=1)
            ax.set_ylabel(names[1])
        self.legend, self.legend_labels = None, None
        self.fig.subplots_adjust(left=0.06, right=0.98, top=0.93, bottom=0.16, wspace=0.2)

    @staticmethod
    def _rings(ax, label):
        plots.ring_points(ax, np.zeros((1, 2)), size=420, label=label)
        return ax.collections[-1]

    def show(self, state: HiddenSpace):
        """Draw ``state``; returns the figure."""
        positive = state.y > 0
        fine_out = state.output(hidden_layer(FINE_X, state.W1, state.b1, state.steepness))
        self.regions.set_data(fine_out.reshape(len(FINE), len(FINE)).astype(float))
        shown = [line for j, line in enumerate(self.units)
                 if _set_line(line, state.W1[:, j], state.b1[j], VIEW)]
        wrong = state.mistakes
        self.left_rings.set_offsets(state.X[wrong].reshape(-1, 2))

        negative = plots.clip_below(HIDDEN_BOX, state.W2[:, 0], float(state.b2[0]))
        self.negative.set_visible(len(negative) > 0)
        if len(negative):
            self.negative.set_xy(negative)
        self.sheet.set_visible(state.steepness is not None)  # threshold units send the whole sheet to the corners
        if state.steepness is not None:
            self.sheet.set_offsets(state.grid_H)
            self.sheet.set_facecolor(SHEET_RGBA[(state.output(state.grid_H) > 0).astype(int)])
        self.hidden_points[0].set_offsets(state.H[positive])
        self.hidden_points[1].set_offsets(state.H[~positive])
        self.right_rings.set_offsets(state.H[wrong].reshape(-1, 2))
        self._label_corners(state)
        has_output = _set_line(self.output, state.W2[:, 0], state.b2[0], HIDDEN_VIEW)
        verdict = "one line separates XOR" if wrong.size == 0 else f"{wrong.size} of 4 misclassified"
        self.right.set_title(f"hidden space (h₁, h₂): {verdict}", fontsize=12)
        handles = [*shown, *self.input_points, *([self.left_rings] if wrong.size else []),
                   *([self.output] if has_output else [])]
        self._legend(handles)
        return self.fig

    def _label_corners(self, state: HiddenSpace) -> None:
        for text in self.corners:
            text.remove()
        self.corners = []
        for h, label in _corner_groups(state.X, state.H):
            right_half = h[0] > np.mean(HIDDEN_VIEW)
            self.corners.append(self.right.annotate(label, xy=h, xytext=(-10 if right_half else 10, -16),
                                                    textcoords="offset points", ha="right" if right_half else "left",
                                                    fontsize=9, zorder=6))

    def _legend(self, handles: list) -> None:
        """One legend row under both spaces, made again only when its entries change."""
        labels = tuple(h.get_label() for h in handles)
        if labels == self.legend_labels:
            return
        if self.legend is not None:
            self.legend.remove()
        self.legend = self.fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=9,
                                      frameon=False, markerscale=0.7, handletextpad=0.3, columnspacing=1.2)
        self.legend_labels = labels


def render_hidden_space(state: HiddenSpace):
    """``state`` on a new figure (the widget reuses one ``HiddenSpacePlot``): input space beside hidden space."""
    return HiddenSpacePlot().show(state)


def xor_hidden_space(weights=None) -> widgets.VBox:
    """Input space beside hidden space for the 2-2-1 network; sliders move the hidden units.

    ``weights`` as in ``hidden_space`` (None → ``nnkit.xor.xor_network()``). The default
    units are thresholds; "sigmoid" with a steepness slider shows the folding gradually.
    The output unit keeps the given ``W2, b2``.
    """
    start = hidden_space(weights)
    W1_sliders = [[_weight_slider(f"W1[{i},{j}]", start.W1[i, j]) for j in range(2)] for i in range(2)]
    b1_sliders = [_weight_slider(f"b1[{j}]", start.b1[j]) for j in range(2)]
    units = widgets.ToggleButtons(options=["threshold", "sigmoid"], description="hidden units")
    steep = widgets.FloatLogSlider(value=5, base=10, min=0, max=2, step=0.05,
                                   description="steepness", disabled=True, continuous_update=False)
    status, note, out, plot = widgets.HTML(), widgets.HTML(), widgets.Output(), HiddenSpacePlot()
    fixed = f"W2 = {start.W2[:, 0].tolist()}, b2 = {start.b2.tolist()}"

    def update(_=None):
        W1 = np.array([[s.value for s in row] for row in W1_sliders])
        b1 = np.array([s.value for s in b1_sliders])
        steep.disabled = units.value == "threshold"
        state = hidden_space((W1, b1, start.W2, start.b2), None if steep.disabled else steep.value)
        hidden = "step(x @ W1 + b1)" if steep.disabled else f"sigmoid({steep.value:.3g} · (x @ W1 + b1))"
        status.value = (f"h = {hidden}, output = step(h @ W2 + b2) with {fixed}: "
                        f"<b>the network misclassifies {state.mistakes.size} of 4 points</b>")
        show_figure(out, plot.show(state))

    for control in (*W1_sliders[0], *W1_sliders[1], *b1_sliders, units, steep):
        control.observe(update, names="value")
    note.value = note_html(start.note)
    update()
    columns = [widgets.VBox([widgets.HTML(f'<b style="color:{color}">hidden unit {j + 1}</b>'),
                             W1_sliders[0][j], W1_sliders[1][j], b1_sliders[j]],
                            layout={"border": f"2px solid {color}", "padding": "2px"})
               for j, color in enumerate(UNIT_COLORS)]
    return widgets.VBox([note, widgets.HBox(columns), widgets.HBox([units, steep]), status, out])

