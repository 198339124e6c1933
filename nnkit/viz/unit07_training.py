"""Unit 07 widget: gradient descent, momentum and Adam racing on a 2-D loss surface.

Plain update functions (testable without a browser): ``race(surface, lr, beta, adam_lr, steps,
momentum_step, adam_step) -> Race`` computes the three paths, and ``RacePlot().show(race, step)``
draws them up to ``step`` (``render_race`` on a new figure). ``optimizer_race(momentum_step,
adam_step)`` wires them to sliders. The learner's ``momentum_step(p, g, velocity, lr, beta)`` and
``adam_step(p, g, state, lr, beta1)`` move the momentum and Adam racers; a missing, unfinished or
broken one is replaced by nnkit's reference, with a note.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator

from nnkit import optim, surfaces
from nnkit.viz import plots
from nnkit.viz._output import call_learner, note_html, show_figure

__all__ = ["optimizer_race", "race", "render_race", "RacePlot"]

MAX_STEPS = 200
FAR = 1e3  # a racer this far from the start has diverged: its path stops there
COLORS = {"gradient descent": "0.35", "momentum": plots.POSITIVE, "Adam": plots.NEGATIVE}


@dataclass(frozen=True)
class Surface:
    """A surface, where the racers start, the window drawn and default learning rates."""

    fn: object
    start: tuple
    xlim: tuple
    ylim: tuple
    minimum: tuple
    lr: float
    adam_lr: float


SURFACES = {
    "ravine": Surface(surfaces.ravine, (-4.5, 1.5), (-5.0, 5.0), (-2.2, 2.2), (0.0, 0.0), 0.02, 0.1),
    "rosenbrock": Surface(surfaces.rosenbrock, (-1.2, 1.6), (-2.0, 2.0), (-0.8, 2.6), (1.0, 1.0), 0.0015, 0.1),
}


@dataclass(frozen=True)
class Race:
    """The three paths (``(k + 1, 2)`` points each, k <= steps), their losses and the notes."""

    surface: str
    paths: dict
    losses: dict
    notes: tuple = ()


def _walk(step, start, grad_of, steps: int) -> np.ndarray:
    """Points p_0 .. p_k from ``step(p, g) -> p_new``; stops early where a racer leaves for infinity."""
    points = [np.array(start, dtype=float)]
    for _ in range(steps):
        p = np.asarray(step(points[-1].copy(), grad_of(points[-1])), dtype=float)
        if p.shape != (2,):
            raise ValueError(f"expected a new point of shape (2,), got shape {p.shape}")
        if not np.all(np.isfinite(p)) or np.abs(p - points[0]).max() > FAR:
            break
        points.append(p)
    return np.array(points)


def _momentum_walker(fn, lr: float, beta: float):
    """``step(p, g)`` moving one racer with ``fn(p, g, velocity, lr, beta)``, the velocity kept inside."""
    velocity = [np.zeros(2)]

    def step(p, g):
        p_new, velocity[0] = fn(p, g, velocity[0], lr, beta)
        return p_new
    return step


def _adam_walker(fn, lr: float, beta: float):
    """``step(p, g)`` moving one racer with ``fn(p, g, state, lr, beta1)``, the state kept inside."""
    state = [{"m": np.zeros(2), "s": np.zeros(2), "t": 0}]

    def step(p, g):
        p_new, state[0] = fn(p, g, state[0], lr, beta)
        return p_new
    return step


def _path(walker, fn, reference, surface: Surface, steps: int, name: str):
    """``(path, note)`` of one racer moved by the learner's ``fn``, or by ``reference`` when it is unusable."""
    def run(f):
        return _walk(walker(f), surface.start, lambda p: surface.fn(p)[1], steps)
    with np.errstate(all="ignore"):
        return call_learner(None if fn is None else (lambda: run(fn)), (), lambda: run(reference),
                            lambda path: path, name)


def race(surface: str = "ravine", lr: float | None = None, beta: float = 0.9, adam_lr: float | None = None,
         steps: int = MAX_STEPS, momentum_step=None, adam_step=None) -> Race:
    """Run gradient descent, momentum (``beta``) and Adam (beta1 = ``beta``) from the surface's start.

    With neither function given (the presenter's view), both racers use nnkit's references silently.
    """
    s = SURFACES[surface]
    lr, adam_lr = s.lr if lr is None else lr, s.adam_lr if adam_lr is None else adam_lr
    descent = _walk(lambda p, g: p - lr * g, s.start, lambda p: s.fn(p)[1], steps)
    heavy, heavy_note = _path(lambda f: _momentum_walker(f, lr, beta), momentum_step, optim.momentum_update,
                              s, steps, "momentum_step")
    adam, adam_note = _path(lambda f: _adam_walker(f, adam_lr, beta), adam_step, optim.adam_update,
                            s, steps, "adam_step")
    paths = {"gradient descent": descent, "momentum": heavy, "Adam": adam}
    losses = {name: s.fn(path)[0] for name, path in paths.items()}
    given = momentum_step is not None or adam_step is not None
    return Race(surface, paths, losses, tuple(n for n in (heavy_note, adam_note) if n and given))


class RacePlot:
    """The race's figure, built once: ``show(race, step)`` updates its artists and returns it.

    Left: the surface's contours (log-spaced levels, redrawn only when the surface changes) with
    each racer's path up to ``step``. Right: each racer's loss against the step (log scale).
    """

    def __init__(self):
        self.fig, (self.map, self.curve) = plots.new_figure(10.5, 4.2, ncols=2)
        self.surface, self.contours = None, {}
        self.lines, self.heads, self.curves = {}, {}, {}
        for name, color in COLORS.items():
            self.lines[name] = self.map.plot([], [], color=color, lw=1.4, marker=".", ms=3, label=name)[0]
            self.heads[name] = self.map.plot([], [], "o", color=color, ms=7, mec="k")[0]
            self.curves[name] = self.curve.semilogy([1], [1], color=color, label=name)[0]
        self.goal = self.map.plot([], [], "*", color="k", ms=12, label="minimum")[0]
        self.map.set(xlabel="x", ylabel="y")
        self.map.legend(fontsize=8, loc="lower right")
        self.curve.set(xlabel="step", xlim=(0, MAX_STEPS))
        self.curve.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        self.curve.yaxis.set_minor_locator(NullLocator())
        self.curve.yaxis.set_major_locator(LogLocator(numticks=4))
        self.map.set(xticks=[], yticks=[])  # the star marks the minimum; tick labels would be most of a redraw
        self.curve.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"1e{np.log10(v):.0f}"))  # no mathtext
        self.fig.subplots_adjust(left=0.06, right=0.98, top=0.9, bottom=0.13, wspace=0.2)

    def _draw_surface(self, name: str) -> None:
        """Show the contours of ``name`` (computed on its first use, then only made visible again)."""
        s = SURFACES[name]
        if name not in self.contours:
            xs, ys = np.linspace(*s.xlim, 120), np.linspace(*s.ylim, 90)
            values = s.fn(np.stack(np.meshgrid(xs, ys), axis=-1))[0]
            levels = np.geomspace(max(values.min(), 1e-3), values.max(), 14)
            self.contours[name] = self.map.contour(xs, ys, values, levels=levels, colors="0.75", linewidths=0.7)
        for other, contour in self.contours.items():
            contour.set_visible(other == name)
        self.goal.set_data([s.minimum[0]], [s.minimum[1]])
        self.map.set(xlim=s.xlim, ylim=s.ylim)
        self.surface = name

    def show(self, race: Race, step: int = MAX_STEPS):
        """Draw ``race`` up to ``step``; returns the figure."""
        if race.surface != self.surface:
            self._draw_surface(race.surface)
        finals = []
        for name, path in race.paths.items():
            shown = path[: step + 1]
            self.lines[name].set_data(shown[:, 0], shown[:, 1])
            self.heads[name].set_data(shown[-1:, 0], shown[-1:, 1])
            loss = np.maximum(race.losses[name][: step + 1], 1e-12)
            self.curves[name].set_data(np.arange(loss.size), loss)
            gone = " (diverged)" if len(path) <= step and len(path) <= MAX_STEPS else ""
            finals.append(f"{name} {loss[-1]:.2g}{gone}")
        top = 30 * float(SURFACES[race.surface].fn(np.array(SURFACES[race.surface].start))[0])
        self.curve.set(ylim=(1e-10, top), title="loss  " + ", ".join(finals))  # fixed axes: a fast redraw
        self.curve.title.set_fontsize(9)
        self.map.set_title(f"{race.surface}: step {min(step, MAX_STEPS)}")
        return self.fig


def render_race(race: Race, step: int = MAX_STEPS):
    """``race`` on a new figure (the widget reuses one ``RacePlot``)."""
    return RacePlot().show(race, step)


def optimizer_race(momentum_step=None, adam_step=None, surface: str = "ravine") -> widgets.VBox:
    """Sliders for the learning rates and beta, a surface picker, and a step slider with a play button."""
    pick = widgets.Dropdown(options=list(SURFACES), value=surface, description="surface")
    lr = widgets.FloatLogSlider(value=SURFACES[surface].lr, base=10, min=-4, max=0, step=0.05,
                                description="lr", readout_format=".2g", continuous_update=False)
    adam_lr = widgets.FloatLogSlider(value=SURFACES[surface].adam_lr, base=10, min=-3, max=0, step=0.05,
                                     description="Adam lr", readout_format=".2g", continuous_update=False)
    beta = widgets.FloatSlider(value=0.9, min=0.0, max=0.99, step=0.01, description="beta (β, β1)",
                               continuous_update=False)
    step = widgets.IntSlider(value=MAX_STEPS, min=0, max=MAX_STEPS, description="step")
    play = widgets.Play(value=MAX_STEPS, min=0, max=MAX_STEPS, step=2, interval=60, description="play")
    widgets.jslink((play, "value"), (step, "value"))
    note, out, plot = widgets.HTML(), widgets.Output(), RacePlot()
    current = {"hold": False}

    def rerun(_=None):
        if current["hold"]:
            return
        current["race"] = race(pick.value, lr.value, beta.value, adam_lr.value, MAX_STEPS, momentum_step, adam_step)
        note.value = "".join(note_html(n) for n in current["race"].notes)
        redraw()

    def redraw(_=None):
        show_figure(out, plot.show(current["race"], step.value))

    def new_surface(_=None):
        current["hold"] = True  # the surface's own learning rates, then one rerun
        lr.value, adam_lr.value = SURFACES[pick.value].lr, SURFACES[pick.value].adam_lr
        current["hold"] = False
        rerun()

    pick.observe(new_surface, names="value")
    for control in (lr, adam_lr, beta):
        control.observe(rerun, names="value")
    step.observe(redraw, names="value")
    rerun()
    return widgets.VBox([widgets.HBox([pick, beta]), widgets.HBox([lr, adam_lr]), widgets.HBox([play, step]),
                         note, out])
