"""Unit 03 widget: a 2-H-1 network on a 2-D data set, each hidden unit's output beside the output.

The hidden layer is random (seeded): unit j's line ``x @ W1[:, j] + b1[j] = 0`` passes through a
random data point. The output layer is linear and fitted by least squares to the labels ±1,
which needs no training loop. Both passes run the given ``mlp_forward`` (the learner's), and
the hidden outputs are read from its caches. Plain update functions, testable without a browser:
``forward_state(forward_fn, width, activation, seed, dataset) -> ForwardState`` and
``ForwardPlot().show(state) -> Figure`` (``render_forward(state)`` on a new figure; the explorer keeps one
figure and moves its artists); ``forward_explorer(forward_fn)`` wires them to controls.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from nnkit import data, mlp
from nnkit._validate import lookup
from nnkit.viz import plots
from nnkit.viz._output import call_learner, note_html, show_figure

__all__ = ["forward_explorer", "forward_state", "render_forward", "ForwardPlot"]

MAX_WIDTH = 8
ACTIVATIONS = ("relu", "tanh", "sigmoid", "leaky_relu", "gelu")
DATASETS = {  # name: (points and labels ±1, view box (x0, x1, y0, y1))
    "moons": (lambda: data.moons(120, 0.12, 0), (-1.6, 2.6, -1.1, 1.6)),
    "circles": (lambda: data.circles(120, 0.06, 0.45, 0), (-1.5, 1.5, -1.5, 1.5)),
    "xor": (lambda: data.xor_cloud(120, 0.18, 0), (-0.8, 1.8, -0.8, 1.8)),
}
RIDGE = 1e-6  # keeps the least-squares fit of the output layer well posed


@dataclass(frozen=True)
class ForwardState:
    """One picture: data ``X: (n, 2)``, ``t: (n,)``; the grid's hidden outputs ``hidden: (g, g, H)``
    and network output ``output: (g, g)``; the weights; training accuracy; a note for the learner."""

    X: np.ndarray
    t: np.ndarray
    view: tuple
    hidden: np.ndarray
    output: np.ndarray
    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray
    activation: str
    accuracy: float
    note: str | None = None


def _hidden_layer(X, width: int, seed: int) -> dict:
    """Random unit directions; each unit's line passes through a random point of ``X``."""
    rng = np.random.default_rng(seed)
    W = rng.normal(scale=2.0, size=(2, width))
    through = X[rng.choice(len(X), size=width, replace=False)]
    return {"W": W, "b": -np.sum(through * W.T, axis=1)}


def _run_net(forward, X, layer: dict, activation: str, readout: dict):
    """``forward`` on the 2-H-1 net: its output ``(n, 1)`` and raw caches, as the function returned them."""
    return forward(X, [layer, readout], activation, None)


def _accept(n: int, width: int):
    """Check a forward pass's ``(out, caches)``; return the output ``(n,)`` and the hidden outputs ``(n, H)``
    (the input of layer 2, ``caches[1][0][0]``)."""
    def accept(result):
        try:
            out, caches = result
            hidden = np.asarray(caches[1][0][0], dtype=float)
            out = np.asarray(out, dtype=float)
        except (TypeError, ValueError, IndexError, KeyError) as exc:
            raise ValueError(f"expected (out, caches) with the hidden outputs in caches[1][0][0] ({exc})") from None
        if hidden.shape != (n, width) or out.shape != (n, 1):
            raise ValueError(f"expected an output ({n}, 1) and hidden outputs ({n}, {width}) in caches[1][0][0], "
                             f"got {out.shape} and {hidden.shape}")
        if not (np.all(np.isfinite(hidden)) and np.all(np.isfinite(out))):
            raise ValueError("it holds NaN or infinite values")
        return out[:, 0], hidden
    return accept


def _fit_readout(H, t) -> dict:
    """The output layer ``{"W": (H, 1), "b": (1,)}`` that fits ``H @ W + b`` to ``t`` by least squares."""
    design = np.column_stack([H, np.ones(len(H))])
    coef = np.linalg.solve(design.T @ design + RIDGE * np.eye(design.shape[1]), design.T @ t)
    return {"W": coef[:-1, None], "b": coef[-1:]}


def forward_state(forward_fn=None, width: int = 4, activation: str = "relu", seed: int = 0,
                  dataset: str = "moons", grid: int = 48) -> ForwardState:
    """Run the 2-``width``-1 network with ``forward_fn`` (None: ``nnkit.mlp.mlp_forward``) on the data set
    (to fit the output layer) and on a ``grid × grid`` sheet over its view. A broken ``forward_fn``
    falls back to the reference."""
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or not 1 <= width <= MAX_WIDTH:
        raise ValueError(f"width must be a whole number from 1 to {MAX_WIDTH}; got {width!r}")
    make, view = lookup(DATASETS, dataset, "data set")
    X, t = make()
    xs, ys = np.linspace(view[0], view[1], grid), np.linspace(view[2], view[3], grid)
    grid_X = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
    layer = _hidden_layer(X, width, seed)
    zero = {"W": np.zeros((width, 1)), "b": np.zeros(1)}
    forward = forward_fn
    (_, H), note = call_learner(forward and (lambda: _run_net(forward, X, layer, activation, zero)), (),
                                lambda: _run_net(mlp.mlp_forward, X, layer, activation, zero),
                                _accept(len(X), width), "mlp_forward")
    if note:
        forward = None  # the reference draws the whole picture
    readout = _fit_readout(H, t)
    (out, hidden), later = call_learner(forward and (lambda: _run_net(forward, grid_X, layer, activation, readout)),
                                        (), lambda: _run_net(mlp.mlp_forward, grid_X, layer, activation, readout),
                                        _accept(len(grid_X), width), "mlp_forward")
    if forward_fn is None:
        note = None  # the reference is the intended default here
    elif note is None:
        note = later or _difference_note(out, mlp.mlp_forward(grid_X, [layer, readout], activation, None)[0][:, 0])
    design = np.column_stack([H, np.ones(len(H))])
    accuracy = float(np.mean(np.sign(design @ np.r_[readout["W"][:, 0], readout["b"]]) == t))
    return ForwardState(X=X, t=t, view=view, hidden=hidden.reshape(grid, grid, width),
                        output=out.reshape(grid, grid), W1=layer["W"], b1=layer["b"], W2=readout["W"],
                        b2=readout["b"], activation=activation, accuracy=accuracy, note=note)


def _difference_note(got, expected) -> str | None:
    gap = float(np.max(np.abs(got - expected)))
    if gap <= 1e-6 * (1 + float(np.max(np.abs(expected)))):
        return None
    return (f"Your mlp_forward's output differs from nnkit's by up to {gap:.3g}: "
            "the picture shows yours.")


TILE_GAP = 0.22  # between the hidden units' tiles, as a fraction of a tile (room for the titles)


def _unit_line(w, b, view, origin, samples: int = 60):
    """The line ``x @ w + b = 0`` inside ``view``, mapped into the unit tile at ``origin`` (NaN outside)."""
    ends = plots.line_points(w, b, view[:2], view[2:])
    if ends is None:
        return None
    x, y = (np.linspace(a[0], a[1], samples) for a in ends)
    inside = (x >= view[0]) & (x <= view[1]) & (y >= view[2]) & (y <= view[3])
    u = np.where(inside, (x - view[0]) / (view[1] - view[0]), np.nan)
    v = np.where(inside, (y - view[2]) / (view[3] - view[2]), np.nan)
    return origin[0] + u, origin[1] + v


def _mosaic(hidden: np.ndarray) -> np.ndarray:
    """The units' maps ``hidden: (g, g, H)``, each scaled to [0, 1], as tiles of one image (NaN between)."""
    g, width = hidden.shape[0], hidden.shape[-1]
    step = int(round(g * (1 + TILE_GAP)))
    image = np.full((g + step, 3 * step + g), np.nan)
    for j in range(width):
        low, high = hidden[:, :, j].min(), hidden[:, :, j].max()
        scaled = (hidden[:, :, j] - low) / (high - low) if high > low else np.full((g, g), 0.5)
        row, col = (1 - j // 4) * step, (j % 4) * step
        image[row:row + g, col:col + g] = scaled
    return image


class ForwardPlot:
    """The explorer's figure, built once: ``show(state)`` moves its artists and returns it.

    Left: one heat map per hidden unit (two rows of four) with its line, titled with its output
    weight. Right: the output surface, its zero contour (the decision boundary) and the data.
    Few words: text is the slowest part to draw, so the widget's status line explains the rest.
    """

    def __init__(self, grid: int = 48):
        self.fig = Figure(figsize=(10.0, 4.0), dpi=80)
        tiles = self.fig.add_axes((0.01, 0.02, 0.6, 0.9))
        step = round(grid * (1 + TILE_GAP)) / grid  # a tile is 1 unit wide, tiles start every ``step``
        self.corners = [((j % 4) * step, (1 - j // 4) * step) for j in range(MAX_WIDTH)]
        shape = _mosaic(np.zeros((grid, grid, 1))).shape
        self.mosaic = tiles.imshow(np.zeros(shape), origin="lower", extent=(0, shape[1] / grid, 0, shape[0] / grid),
                                   cmap="viridis", vmin=0, vmax=1, interpolation="nearest")
        self.weights = [tiles.text(x0 + 0.5, y0 + 1.02, "", ha="center", va="bottom", fontsize=9)
                        for x0, y0 in self.corners]
        self.unit_lines = tiles.plot([], [], color="white", linestyle="--", linewidth=1.2)[0]
        tiles.set_xlim(-0.02, 3 * step + 1.02)
        tiles.set_ylim(-0.02, step + 1.15)
        tiles.set_aspect("equal")
        tiles.set_axis_off()  # ticks cost more to draw than the pictures
        self.ax = self.fig.add_axes((0.64, 0.04, 0.34, 0.88))
        self.surface = self.ax.imshow(np.zeros((grid, grid)), origin="lower", aspect="auto", cmap="RdBu",
                                      interpolation="bilinear")
        self.boundary = None
        plots.plot_points(self.ax, np.zeros((2, 2)), np.array([1.0, -1.0]), size=14)
        self.points = self.ax.collections[-2:]  # positive, negative
        self.ax.set_axis_off()
        self.title = self.ax.text(0.5, 1.01, "", transform=self.ax.transAxes, ha="center", va="bottom",
                                  fontsize=10)  # a title would lay out the (hidden) ticks: slow

    def show(self, state: ForwardState):
        """Draw ``state``; returns the figure."""
        self.mosaic.set_data(_mosaic(state.hidden))
        lines = [[], []]
        for j, text in enumerate(self.weights):
            unit = j < state.hidden.shape[-1]
            text.set_text(f"h{j + 1}: {state.W2[j, 0]:+.2f}" if unit else "")
            text.set_visible(unit)
            line = _unit_line(state.W1[:, j], state.b1[j], state.view, self.corners[j]) if unit else None
            if line is not None:
                lines[0] += [*line[0], np.nan]
                lines[1] += [*line[1], np.nan]
        self.unit_lines.set_data(*lines)

        extent = state.view
        limit = max(1.0, float(np.max(np.abs(state.output))))
        self.surface.set_data(state.output)
        self.surface.set_extent(extent)
        self.surface.set_clim(-limit, limit)
        if self.boundary is not None:
            self.boundary.remove()
            self.boundary = None
        if state.output.min() < 0 < state.output.max():
            xs = np.linspace(extent[0], extent[1], state.output.shape[1])
            ys = np.linspace(extent[2], extent[3], state.output.shape[0])
            self.boundary = self.ax.contour(xs, ys, state.output, levels=[0.0], colors="black", linewidths=1.5)
        positive = state.t > 0
        self.points[0].set_offsets(state.X[positive])
        self.points[1].set_offsets(state.X[~positive])
        self.ax.set_xlim(extent[:2])
        self.ax.set_ylim(extent[2:])
        self.title.set_text(f"output ({state.accuracy:.0%} right)")
        return self.fig


def render_forward(state: ForwardState):
    """``state`` on a new figure (the explorer reuses one ``ForwardPlot``)."""
    return ForwardPlot(state.hidden.shape[0]).show(state)


def forward_explorer(forward_fn=None, width: int = 4, activation: str = "relu", seed: int = 0,
                     dataset: str = "moons") -> widgets.VBox:
    """Controls for width, activation, seed and data set over ``forward_state``/``render_forward``."""
    controls = {
        "width": widgets.IntSlider(value=width, min=1, max=MAX_WIDTH, description="width",
                                   continuous_update=False),
        "activation": widgets.Dropdown(options=ACTIVATIONS, value=activation, description="activation"),
        "seed": widgets.IntSlider(value=seed, min=0, max=20, description="seed", continuous_update=False),
        "dataset": widgets.ToggleButtons(options=list(DATASETS), value=dataset, description="data"),
    }
    note, status, out, plot = widgets.HTML(), widgets.HTML(), widgets.Output(), ForwardPlot()

    def update(_=None):
        state = forward_state(forward_fn, **{k: c.value for k, c in controls.items()})
        note.value = note_html(state.note)
        status.value = (f"2-{state.hidden.shape[-1]}-1 network, {state.activation} hidden units "
                        f"h = {state.activation}(x @ W1 + b1), zero on the dashed lines; over each map its "
                        "weight in the output h @ W2 + b2, fitted by least squares: "
                        f"<b>{state.accuracy:.0%} of the training points classified right</b>")
        show_figure(out, plot.show(state))

    for control in controls.values():
        control.observe(update, names="value")
    update()
    c = controls
    return widgets.VBox([note, widgets.HBox([c["width"], c["activation"], c["seed"]]), c["dataset"], status, out])
