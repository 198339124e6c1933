"""Unit 05 widget: an activation, its derivative, its outputs for an input distribution, its gradient through depth.

Plain update functions (testable without a browser): ``activation_view(name, mean, std, depth,
functions) -> ActivationView`` and ``ActivationPlot().show(view) -> Figure`` (``render_activation_view``
on a new figure).
``activation_explorer(functions)`` wires them to a dropdown and sliders. ``functions`` maps
registry names to the learner's ``z -> (f(z), f'(z))``; a missing, unfinished or broken one is
replaced by nnkit's reference, with a note.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator

from nnkit import activations, experiments
from nnkit.viz import plots
from nnkit.viz._output import call_learner, note_html, show_figure

__all__ = ["activation_explorer", "activation_view", "render_activation_view", "ActivationPlot"]

GRID = np.linspace(-5.0, 5.0, 401)
N_SAMPLES, N_CHAINS, MAX_DEPTH = 20_000, 500, 50
_RNG = np.random.default_rng(0)
_STANDARD = _RNG.standard_normal(N_SAMPLES)  # drawn once: mean and std only shift and scale them
_CHAIN_X = _RNG.standard_normal(N_CHAINS)


@dataclass(frozen=True)
class ActivationView:
    """What the explorer shows: f and f' on ``GRID``, f of the ``samples`` drawn from N(mean, std²),
    and ``grad: (depth,)``, the mean |d a_L / d x| after each layer of chains (w = 1, b = 0) fed N(mean, std²)."""

    name: str
    mean: float
    std: float
    value: np.ndarray
    slope: np.ndarray
    outputs: np.ndarray
    grad: np.ndarray
    note: str | None = None


def _measure(pair, mean: float, std: float, depth: int) -> tuple:
    """f, f' on the grid, f of the samples and the mean gradient per layer, all with ``pair``."""
    value, slope = (np.asarray(a, dtype=float) for a in pair(GRID.copy()))
    outputs = np.asarray(pair(mean + std * _STANDARD)[0], dtype=float)
    grads = experiments.gradient_through_depth(pair, mean + std * _CHAIN_X, np.ones(depth), np.zeros(depth))
    return value, slope, outputs, np.abs(grads).mean(axis=0)


def _accept(result) -> tuple:
    value, slope, outputs, grad = result
    if value.shape != GRID.shape or slope.shape != GRID.shape or outputs.shape != _STANDARD.shape:
        raise ValueError(f"expected (value, derivative) of the shape of z, got shapes {value.shape}, {slope.shape}")
    if not (np.all(np.isfinite(value)) and np.all(np.isfinite(slope)) and np.all(np.isfinite(outputs))):
        raise ValueError("it holds inf or nan")
    return result


def activation_view(name: str = "sigmoid", mean: float = 0.0, std: float = 1.0, depth: int = 10,
                    functions: dict | None = None) -> ActivationView:
    """Measure the activation ``name`` (the learner's ``functions[name]`` if given) for inputs N(mean, std²)."""
    reference = activations.value_and_grad(name)
    learner = (functions or {}).get(name)
    with np.errstate(all="ignore"):
        result, note = call_learner(None if learner is None else (lambda: _measure(learner, mean, std, depth)), (),
                                    lambda: _measure(reference, mean, std, depth), _accept, name)
    if learner is None:
        note = f"No function of yours for {name}: showing nnkit's reference." if functions else None
    return ActivationView(name, float(mean), float(std), *result, note=note)


class ActivationPlot:
    """The explorer's figure, built once: ``show(view)`` updates its artists in place and returns it.

    Left: f and f'. Middle: histogram of f(z), z ~ N(mean, std²). Right: gradient left after each layer.
    Reusing the axes and their ticks is what keeps an update fast.
    """

    def __init__(self):
        self.fig, (self.curve, self.hist, self.depth) = plots.new_figure(11.5, 3.6, ncols=3)
        self.value = self.curve.plot(GRID, GRID, color=plots.POSITIVE, label="f(z)")[0]
        self.slope = self.curve.plot(GRID, GRID, color=plots.NEGATIVE, label="f'(z)")[0]
        self.curve.axhline(0, color="0.8", linewidth=0.8)
        self.span = self.curve.axvspan(-1, 1, color="0.9", label="mean ± std of z")
        self.curve.set(xlabel="z", xlim=(GRID[0], GRID[-1]))
        self.curve.legend(fontsize=8, loc="upper left")
        self.bars = self.hist.stairs([1], [0, 1], fill=True, color=plots.POSITIVE, alpha=0.8)
        self.hist.set(xlabel="f(z)", yticks=[])
        self.summary = self.hist.text(0.98, 0.95, "", transform=self.hist.transAxes, ha="right", va="top",
                                      fontsize=8)
        self.grad = self.depth.semilogy([1], [1], color=plots.POSITIVE, marker=".", label="f")[0]
        self.bound = self.depth.semilogy([1], [1], "k--", label="0.25^L")[0]
        self.depth.set(xlabel="layers L")
        self.depth.yaxis.set_minor_locator(NullLocator())
        self.depth.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"1e{np.log10(v):.0f}"))  # no mathtext
        self.legend = self.depth.legend(fontsize=8, loc="lower left")
        for ax in (self.curve, self.hist, self.depth):  # few ticks: drawing them is most of an update's time
            ax.xaxis.set_major_locator(MaxNLocator(4, integer=ax is self.depth))
        self.curve.yaxis.set_major_locator(MaxNLocator(4))
        self.fig.subplots_adjust(left=0.05, right=0.98, top=0.9, bottom=0.15, wspace=0.25)

    def show(self, view: ActivationView):
        """Draw ``view``; returns the figure."""
        self.value.set_ydata(view.value)
        self.slope.set_ydata(view.slope)
        self.span.set_x(view.mean - view.std)
        self.span.set_width(2 * view.std)
        both = np.concatenate([view.value, view.slope])
        pad = 0.05 * max(np.ptp(both), 1e-9)
        self.curve.set(ylim=(both.min() - pad, both.max() + pad), title=f"{view.name} and its derivative")

        counts, edges = np.histogram(view.outputs, bins=60)
        self.bars.set_data(counts, edges)
        self.hist.set(xlim=(edges[0], edges[-1]), ylim=(0, 1.05 * counts.max()),
                      title=f"outputs for z ~ N({view.mean:.2g}, {view.std:.2g}²)")
        self.summary.set_text(f"exactly 0: {np.mean(view.outputs == 0):.0%}\nmean {view.outputs.mean():.3g}")

        layers = np.arange(1, view.grad.size + 1)
        self.grad.set_data(layers, np.maximum(view.grad, 1e-300))
        self.bound.set_data(layers, 0.25 ** layers)
        self.legend.get_texts()[0].set_text(view.name)
        last = view.grad[-1]
        low = max(-30, min(-3, int(np.floor(np.log10(last))) - 1 if last > 0 else -30))
        self.depth.set(xlim=(0.5, view.grad.size + 0.5), ylim=(10.0**low, 10),
                       title=f"gradient after {view.grad.size} layers: {last:.2g}")
        self.depth.yaxis.set_major_locator(FixedLocator(10.0 ** np.arange(low, 1, max(1, -low // 5))))
        return self.fig


def render_activation_view(view: ActivationView):
    """``view`` on a new figure (the explorer reuses one ``ActivationPlot``)."""
    return ActivationPlot().show(view)


def activation_explorer(functions: dict | None = None, name: str = "sigmoid") -> widgets.VBox:
    """Pick an activation; sliders for the inputs' mean and std and for the depth of the chain."""
    pick = widgets.Dropdown(options=list(activations.ACTIVATIONS), value=name, description="activation")
    mean = widgets.FloatSlider(value=0.0, min=-4.0, max=4.0, step=0.1, description="mean of z",
                               continuous_update=False)
    std = widgets.FloatSlider(value=1.0, min=0.1, max=5.0, step=0.1, description="std of z", continuous_update=False)
    depth = widgets.IntSlider(value=10, min=1, max=MAX_DEPTH, description="layers L", continuous_update=False)
    note, out, plot = widgets.HTML(), widgets.Output(), ActivationPlot()

    def update(_=None):
        view = activation_view(pick.value, mean.value, std.value, depth.value, functions)
        note.value = note_html(view.note)
        show_figure(out, plot.show(view))

    for control in (pick, mean, std, depth):
        control.observe(update, names="value")
    update()
    return widgets.VBox([widgets.HBox([pick, depth]), widgets.HBox([mean, std]), note, out])
