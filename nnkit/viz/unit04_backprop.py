"""Unit 04 widgets: a scalar graph's backward pass node by node, and a network learning moons.

Plain update functions (testable without a browser): ``graph_state(fn, x, y, z, w) -> GraphState``,
``GraphPlot().show(state, step) -> Figure`` (``render_graph(state, step)`` on a new figure),
``training_run(backward, ...) -> TrainingRun`` and
``TrainingPlot(run).show(index) -> Figure`` (``render_training(run, index)`` on a new figure; the explorer
keeps one figure and moves its artists). ``graph_stepper(fn)`` and ``training_explorer(backward)``
wire them to sliders. Both use the learner's function and fall back to the reference with a note.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from nnkit import data, graph, losses, mlp, optim
from nnkit.viz import plots
from nnkit.viz._blit import keep_in_frame
from nnkit.viz._output import call_learner, note_html, show_figure

__all__ = ["graph_stepper", "graph_state", "render_graph", "training_explorer", "training_run", "render_training",
           "GraphPlot", "TrainingPlot"]

# --- the scalar graph ----------------------------------------------------------------------------

POSITION = {"x": (0.0, 3.9), "y": (0.0, 2.6), "z": (0.0, 1.3), "w": (0.0, 0.0),
            "a": (1.3, 3.25), "m": (1.3, 1.95), "s": (2.6, 2.6), "f": (3.9, 1.3)}
SYMBOL = {"mul": "×", "add": "+", "max": "max", "input": ""}
FORWARD_COLOR, BACKWARD_COLOR, ACTIVE = "#1b5e20", "#C00000", "#fff4ce"


@dataclass(frozen=True)
class GraphState:
    """Forward values of every node, the backward steps (``nnkit.graph.backward_steps``) and the
    learner's ``(f, dx, dy, dz, dw)``; ``note`` says when the reference stands in for it."""

    values: dict
    steps: list
    learner: tuple
    note: str | None = None

    @property
    def agrees(self) -> bool:
        """The learner's result equals the graph's value and input gradients."""
        final = self.steps[-1][1]
        right = (self.values["f"], *(final[name] for name in graph.INPUTS))
        return bool(np.allclose(self.learner, right, rtol=1e-7, atol=1e-9))


def _accept_five(result) -> tuple:
    """``(f, dx, dy, dz, dw)`` as five finite floats, or ValueError saying why not."""
    if not isinstance(result, (tuple, list)) or len(result) != 5:
        raise ValueError(f"expected (f, dx, dy, dz, dw), got {type(result).__name__}")
    try:
        values = tuple(float(v) for v in result)
    except (TypeError, ValueError):
        raise ValueError("expected five numbers") from None
    if not np.all(np.isfinite(values)):
        raise ValueError("expected finite numbers")
    return values


def graph_state(fn, x: float, y: float, z: float, w: float) -> GraphState:
    """The graph ``f = (x·y + max(y, z))·w`` at these inputs, with ``fn``'s (the learner's
    ``scalar_graph_backward``) result; the reference's when ``fn`` is None, unfinished or broken."""
    args = (float(x), float(y), float(z), float(w))
    learner, note = call_learner(fn, args, graph.scalar_graph_backward, _accept_five, "scalar_graph_backward")
    values = graph.graph_forward(*args)
    state = GraphState(values=values, steps=graph.backward_steps(values), learner=learner, note=note)
    if note is None and not state.agrees:
        names = ", ".join(f"{k} = {v:.4g}" for k, v in zip(("f", "dx", "dy", "dz", "dw"), learner))
        state = GraphState(values, state.steps, learner,
                           f"Your scalar_graph_backward gives {names}: the graph below disagrees "
                           "(it is computed by nnkit, gate by gate).")
    return state


def _edges():
    return [(i, node.name) for node in graph.GRAPH for i in node.inputs]


class GraphPlot:
    """The graph's figure, built once: ``show(state, step)`` sets its texts and returns it.

    Forward values (green, above each node) and, after ``step`` backward steps (0 = forward only),
    the gradients df/d(node) known so far (red, below); the gate of the current step is highlighted.
    """

    def __init__(self):
        self.fig, self.ax = plots.new_figure(8.0, 4.4)
        ax = self.ax
        ax.set_xlim(-0.6, 4.6)
        ax.set_ylim(-0.75, 4.45)
        ax.axis("off")
        starts = np.array([POSITION[src] for src, _ in _edges()]) + [0.28, 0.0]
        ends = np.array([POSITION[dst] for _, dst in _edges()]) - [0.28, 0.0]
        arrows = ax.quiver(*starts.T, *(ends - starts).T, angles="xy", scale_units="xy", scale=1, color="0.45",
                           width=0.003, headwidth=5, headlength=6, zorder=1)
        self.labels, self.values, self.grads = {}, {}, {}
        for node in graph.GRAPH:
            px, py = POSITION[node.name]
            label = node.name if node.op == "input" else f"{node.name} = {SYMBOL[node.op]}"
            self.labels[node.name] = ax.text(px, py, label, ha="center", va="center", fontsize=11, zorder=3,
                                             bbox={"boxstyle": "round,pad=0.35", "fc": "white", "ec": "0.3"})
            self.values[node.name] = ax.text(px, py + 0.36, "", ha="center", fontsize=10, color=FORWARD_COLOR)
            self.grads[node.name] = ax.text(px, py - 0.42, "", ha="center", fontsize=10, color=BACKWARD_COLOR,
                                            fontweight="bold")
        key = ax.text(-0.55, -0.7, "green: forward values   red: gradients ∂f/∂(node)", fontsize=9, color="0.3")
        keep_in_frame(arrows, key, *self.labels.values())  # the values and gradients lie beside them
        self.fig.subplots_adjust(left=0.01, right=0.99, top=0.92, bottom=0.01)

    def show(self, state: GraphState, step: int):
        """Draw ``state`` after ``step`` backward steps (clipped to 0..len(steps)); returns the figure."""
        step = int(np.clip(step, 0, len(state.steps)))
        grads = state.steps[step - 1][1] if step else {}
        active = state.steps[step - 1][0] if step else None
        for name, label in self.labels.items():
            label.get_bbox_patch().set_facecolor(ACTIVE if name == active else "white")
            self.values[name].set_text(f"{state.values[name]:.3g}")
            self.grads[name].set_text(f"∂f/∂{name} = {grads[name]:.3g}" if name in grads else "")
            self.grads[name].set_visible(name in grads)
        title = ("forward pass: every node's value" if step == 0 else
                 f"backward step {step} of {len(state.steps)}: gate {active} passes its gradient on")
        self.ax.set_title(title, fontsize=12)
        return self.fig


def render_graph(state: GraphState, step: int):
    """``state`` after ``step`` backward steps on a new figure (the stepper reuses one ``GraphPlot``)."""
    return GraphPlot().show(state, step)


def _graph_status(state: GraphState, step: int) -> str:
    if step < len(state.steps):
        return f"f = {state.values['f']:.4g}; step {step} of {len(state.steps)}: move the slider to go backwards"
    verdict = "matches the graph" if state.agrees else "differs from the graph"
    got = ", ".join(f"{v:.4g}" for v in state.learner[1:])
    return f"done. (dx, dy, dz, dw) from scalar_graph_backward = ({got}): {verdict}"


def graph_stepper(fn=None, x: float = 3.0, y: float = 2.0, z: float = -1.0, w: float = 2.0) -> widgets.VBox:
    """Sliders for the inputs and for the backward step; ``fn`` is the learner's scalar_graph_backward."""
    inputs = [widgets.FloatSlider(value=v, min=-4, max=4, step=0.5, description=name, continuous_update=False)
              for name, v in zip(graph.INPUTS, (x, y, z, w))]
    step = widgets.IntSlider(value=0, min=0, max=len(graph.GRAPH) - len(graph.INPUTS),
                             description="backward", continuous_update=False)
    note, status, out, plot = widgets.HTML(), widgets.HTML(), widgets.Output(), GraphPlot()

    def update(_=None):
        state = graph_state(fn, *(s.value for s in inputs))
        note.value = note_html(state.note)
        status.value = f"<b>{_graph_status(state, step.value)}</b>"
        show_figure(out, plot.show(state, step.value))

    for control in (*inputs, step):
        control.observe(update, names="value")
    update()
    return widgets.VBox([note, widgets.HBox(inputs[:2]), widgets.HBox(inputs[2:]), step, status, out])


# --- training on moons ---------------------------------------------------------------------------

VIEW = ((-1.6, 2.6), (-1.2, 1.7))


@dataclass(frozen=True)
class TrainingRun:
    """A full-batch training run: ``X: (n, 2)``, labels ``y: (n,)`` in {0, 1}, the parameters
    after each epoch in ``epochs`` (``snapshots``), ``losses[k]`` the loss after k updates
    (k = 0..epochs), and a note."""

    X: np.ndarray
    y: np.ndarray
    activation: str
    lr: float
    epochs: np.ndarray
    snapshots: list
    losses: np.ndarray
    note: str | None = None

    @functools.cached_property
    def accuracies(self) -> np.ndarray:
        """Training accuracy of each snapshot."""
        return np.array([np.mean(mlp.mlp_forward(self.X, p, self.activation)[0].argmax(axis=1) == self.y)
                         for p in self.snapshots])

    def accuracy(self, index: int) -> float:
        """Training accuracy of snapshot ``index``."""
        return float(self.accuracies[index])


def _accept_grads_like(reference):
    """An ``accept`` that wants a list of {"W", "b"} dicts with the shapes and (nearly) the
    values of the reference's gradients ``reference``."""
    def accept(grads):
        try:
            ok = len(grads) == len(reference) and all(
                np.allclose(np.asarray(g["W"], float), r["W"], rtol=1e-6, atol=1e-9)
                and np.allclose(np.asarray(g["b"], float), r["b"], rtol=1e-6, atol=1e-9)
                for g, r in zip(grads, reference))
        except Exception as exc:
            raise ValueError(f"not a list of {{'W', 'b'}} gradients like params ({type(exc).__name__})") from None
        if not ok:
            raise ValueError("its gradients differ from the reference's on the first step")
        return grads
    return accept


def training_run(backward=None, n: int = 200, noise: float = 0.15, sizes=(2, 16, 16, 2),
                 activation: str = "relu", lr: float = 0.5, epochs: int = 600, every: int = 10,
                 seed: int = 0) -> TrainingRun:
    """Train an MLP on ``data.moons(n, noise, seed)`` with softmax cross-entropy and plain SGD.

    ``backward(dout, caches) -> grads`` is the learner's ``mlp_backward``; it is used when its
    first gradients match the reference's, else ``nnkit.mlp.mlp_backward`` is, with a note.
    Keeps the parameters every ``every`` epochs (and before the first).
    """
    X, t = data.moons(n, noise, seed)
    y = (t > 0).astype(np.int64)
    params = mlp.init_mlp(list(sizes), seed, "he_normal")
    out, caches = mlp.mlp_forward(X, params, activation)
    dout = losses.softmax_cross_entropy(out, y)[1]
    _, note = call_learner(backward, (dout, caches), mlp.mlp_backward,
                           _accept_grads_like(mlp.mlp_backward(dout, caches)), "mlp_backward")
    step_grads = mlp.mlp_backward if note else backward
    snapshots, kept, history = [params], [0], []
    for epoch in range(1, epochs + 1):
        out, caches = mlp.mlp_forward(X, params, activation)
        loss, dout = losses.softmax_cross_entropy(out, y)
        history.append(loss)
        params = optim.sgd_update(params, step_grads(dout, caches), lr)
        if epoch % every == 0:
            snapshots.append(params)
            kept.append(epoch)
    history.append(losses.softmax_cross_entropy(mlp.mlp_forward(X, params, activation)[0], y)[0])
    return TrainingRun(X, y, activation, lr, np.array(kept), snapshots, np.array(history), note)


class TrainingPlot:
    """A run's figure, built once: ``show(index)`` shows snapshot ``index`` and returns it.

    Left: the decision regions and the points after ``run.epochs[index]`` epochs.
    Right: the loss curve, with the current epoch marked.
    """

    def __init__(self, run: TrainingRun, grid: int = 60):
        self.run, self.grid = run, grid
        self.fig, (self.left, right) = plots.new_figure(8.4, 3.6, ncols=2)
        gx, gy = np.linspace(*VIEW[0], grid), np.linspace(*VIEW[1], grid)
        self.G = np.stack(np.meshgrid(gx, gy), axis=-1).reshape(-1, 2)
        self.left.set_xlim(VIEW[0])
        self.left.set_ylim(VIEW[1])
        plots.shade_regions(self.left, np.zeros((grid, grid)))
        self.regions = self.left.images[-1]
        plots.plot_points(self.left, run.X, 2 * run.y - 1, size=14, labels=("class 1", "class 0"))
        self.left.set_aspect("equal")
        self.left.set_xticks([])
        self.left.set_yticks([])
        right.plot(np.arange(len(run.losses)), run.losses, color="0.3", linewidth=1.5)
        self.marker = right.scatter([0], [run.losses[0]], color=plots.MISTAKE, zorder=3)
        right.set_ylim(0.0, 1.05 * float(np.max(run.losses)))
        right.set_xticks(np.linspace(0, len(run.losses) - 1, 5).round())
        right.set_yticks(np.linspace(0, float(np.max(run.losses)), 4).round(2))
        right.set_xlabel("epoch")
        right.set_ylabel("cross-entropy loss")
        right.set_title("loss curve", fontsize=11)
        self.fig.subplots_adjust(left=0.06, right=0.98, top=0.9, bottom=0.14, wspace=0.25)

    def show(self, index: int):
        """Draw snapshot ``index`` (clipped to the run); returns the figure."""
        run = self.run
        index = int(np.clip(index, 0, len(run.snapshots) - 1))
        epoch = int(run.epochs[index])
        out, _ = mlp.mlp_forward(self.G, run.snapshots[index], run.activation)
        self.regions.set_data((out.argmax(axis=1) == 1).reshape(self.grid, self.grid).astype(float))
        self.left.set_title(f"epoch {epoch}: training accuracy {run.accuracy(index):.1%}", fontsize=11)
        self.marker.set_offsets([[epoch, run.losses[epoch]]])
        return self.fig


def render_training(run: TrainingRun, index: int, grid: int = 60):
    """Snapshot ``index`` of ``run`` on a new figure (the explorer reuses one ``TrainingPlot``)."""
    return TrainingPlot(run, grid).show(index)


def training_explorer(backward=None, **kwargs) -> widgets.VBox:
    """A slider over the epochs of ``training_run(backward, **kwargs)``: boundary and loss curve."""
    run = training_run(backward, **kwargs)
    slider = widgets.IntSlider(value=0, min=0, max=len(run.snapshots) - 1, description="snapshot",
                               continuous_update=False)
    status, out, plot = widgets.HTML(), widgets.Output(), TrainingPlot(run)

    def update(_=None):
        epoch = int(run.epochs[slider.value])
        status.value = (f"after <b>{epoch}</b> epochs of full-batch SGD (lr = {run.lr:g}): "
                        f"loss {run.losses[epoch]:.4f}")
        show_figure(out, plot.show(slider.value))

    slider.observe(update, names="value")
    update()
    return widgets.VBox([widgets.HTML(note_html(run.note)), slider, status, out])
