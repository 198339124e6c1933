"""Unit 08 widget: per-layer gradient norms and the loss curve of a deep plain or residual net.

Plain update functions (testable without a browser): ``stability_view(depth, gain, residual, clip,
functions) -> StabilityView`` and ``StabilityPlot().show(view) -> Figure``. ``stability_explorer(functions)``
wires them to sliders and toggles. ``functions`` may hold the learner's ``residual_forward``,
``residual_backward`` and ``clip_by_global_norm``; a missing, unfinished or broken one is replaced
by nnkit's reference, with a note.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator

from nnkit import deepnet, stability
from nnkit.viz import plots
from nnkit.viz._output import call_learner, note_html, show_figure

__all__ = ["stability_explorer", "stability_view", "render_stability_view", "StabilityPlot"]

WIDTH, BATCH, STEPS, LR, MAX_NORM, MAX_DEPTH = 8, 16, 6, 0.2, 1.0, 50
GAINS = (0.02, 0.1, 0.5, 1.0, 1.41, 2.0)
_X, _T = deepnet.task(WIDTH, BATCH, rng=0)
_WEIGHTS = deepnet.draw(MAX_DEPTH, WIDTH, 1.0, rng=1)  # unit gain: each view scales them by its gain


@dataclass(frozen=True)
class StabilityView:
    """``signal: (depth,)`` gradient norms per layer at the start; ``loss: (steps + 1,)`` (inf once it overflows)."""

    depth: int
    gain: float
    residual: bool
    clip: bool
    signal: np.ndarray
    loss: np.ndarray
    note: str | None = None


def _params(depth: int, gain: float) -> list:
    return [{"W": gain * layer["W"], "b": layer["b"]} for layer in _WEIGHTS[:depth]]


def _run(depth, gain, residual, clip, forward, backward, clipper):
    """Train the view's net with the given residual block and clipping step."""
    return deepnet.train(_params(depth, gain), _X, _T, residual, STEPS, LR, MAX_NORM if clip else None,
                         forward=forward, backward=backward, clip=clipper)


def _accept(run: dict) -> dict:
    if run["signal"] is None or run["signal"].shape != (run["signal"].size,) or run["loss"].ndim != 1:
        raise ValueError("the gradients have the wrong shape")
    if np.any(np.isnan(run["signal"])):
        raise ValueError("the gradients hold nan")
    return run


NAMES = ("residual_forward", "residual_backward", "clip_by_global_norm")
REFERENCES = dict(zip(NAMES, (stability.residual_forward, stability.residual_backward,
                              stability.clip_by_global_norm)))


def _needed(residual: bool, clip: bool) -> list[str]:
    """The names of the functions a view calls."""
    return [*(NAMES[:2] if residual else ()), *(NAMES[2:] if clip else ())]


def _blamed(name: str, fn, raised: list):
    """``fn`` that appends ``name`` to ``raised`` when it raises, so that the note names the culprit."""
    def call(*args):
        try:
            return fn(*args)
        except Exception:
            raised.append(name)
            raise
    return call


def stability_view(depth: int = 30, gain: float = 1.0, residual: bool = False, clip: bool = False,
                   functions: dict | None = None) -> StabilityView:
    """Train the net of ``depth`` layers with weights N(0, gain²/width) for STEPS steps and measure it."""
    functions, needed, raised = functions or {}, _needed(residual, clip), []
    given = {n: functions[n] for n in needed if functions.get(n) is not None}
    chosen = [_blamed(n, given[n], raised) if n in given else REFERENCES[n] for n in NAMES]
    label = " / ".join(given)
    run, note = call_learner((lambda: _run(depth, gain, residual, clip, *chosen)) if given else None, (),
                             lambda: _run(depth, gain, residual, clip, *REFERENCES.values()), _accept, label)
    if given and note and raised:
        note = note.replace(label, raised[0], 1)
    if not given:
        note = f"No {' / '.join(needed)} of yours: showing nnkit's reference." if functions and needed else None
    return StabilityView(int(depth), float(gain), bool(residual), bool(clip), run["signal"], run["loss"], note)


def _decades(low: int, high: int) -> np.ndarray:
    """At most about six powers of ten from 10**low to 10**high."""
    return 10.0 ** np.arange(low, high + 1, max(1, (high - low) // 5))


class StabilityPlot:
    """The explorer's figure, built once: ``show(view)`` updates its artists in place and returns it."""

    def __init__(self):
        self.fig, (self.layers, self.curve) = plots.new_figure(10, 3.4, ncols=2)
        self.signal = self.layers.semilogy([1], [1], color=plots.POSITIVE, marker=".")[0]
        self.layers.set(xlabel="layer (1 = input side)", ylabel="gradient norm")
        self.loss = self.curve.semilogy([0], [1], color=plots.NEGATIVE, marker=".")[0]
        self.overflow = self.curve.text(0.5, 0.5, "", transform=self.curve.transAxes, ha="center",
                                        color=plots.NEGATIVE)
        self.curve.set(xlabel="SGD step", ylabel="loss", xlim=(-0.5, STEPS + 0.5))
        for ax in (self.layers, self.curve):  # few ticks: drawing them is most of an update's time
            ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
            ax.yaxis.set_minor_locator(NullLocator())
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"1e{np.log10(v):.0f}"))  # no mathtext
        self.fig.subplots_adjust(left=0.08, right=0.98, top=0.88, bottom=0.16, wspace=0.3)

    def show(self, view: StabilityView):
        """Draw ``view``; returns the figure."""
        layers = np.arange(1, view.depth + 1)
        signal = np.clip(view.signal, 1e-300, 1e300)
        self.signal.set_data(layers, signal)
        low, high = int(np.floor(np.log10(signal.min()) - 0.5)), int(np.ceil(np.log10(signal.max()) + 0.5))
        self.layers.yaxis.set_major_locator(FixedLocator(_decades(low, high)))
        self.layers.set(xlim=(0.5, view.depth + 0.5), ylim=(10.0**low, 10.0**high),
                        title=f"{'residual' if view.residual else 'plain'}, gain {view.gain:g}: "
                              f"layer 1 gets {view.signal[0]:.2g}")
        finite = np.isfinite(view.loss)
        steps = np.arange(view.loss.size)
        self.loss.set_data(steps[finite], view.loss[finite])
        low, high = (int(np.floor(np.log10(view.loss[finite].min()))), int(np.ceil(np.log10(view.loss[finite].max()))))
        high = max(high, low + 1)
        self.curve.yaxis.set_major_locator(FixedLocator(_decades(low, high)))
        self.curve.set(ylim=(10.0**low, 10.0**high),
                       title=f"loss {'with' if view.clip else 'without'} clipping: {view.loss[-1]:.3g}")
        self.overflow.set_text("" if finite.all() else "overflow: the loss became inf")
        return self.fig


def render_stability_view(view: StabilityView):
    """``view`` on a new figure (the explorer reuses one ``StabilityPlot``)."""
    return StabilityPlot().show(view)


def stability_explorer(functions: dict | None = None) -> widgets.VBox:
    """Sliders for depth and gain, toggles for plain / residual and for clipping at global norm 1."""
    depth = widgets.IntSlider(value=30, min=2, max=MAX_DEPTH, description="depth", continuous_update=False)
    gain = widgets.SelectionSlider(options=GAINS, value=1.0, description="weight gain", continuous_update=False)
    kind = widgets.ToggleButtons(options=["plain", "residual"], value="plain", description="net")
    clip = widgets.Checkbox(value=False, description=f"clip at global norm {MAX_NORM:g}")
    note, out, plot = widgets.HTML(), widgets.Output(), StabilityPlot()

    def update(_=None):
        view = stability_view(depth.value, gain.value, kind.value == "residual", clip.value, functions)
        note.value = note_html(view.note)
        show_figure(out, plot.show(view))

    for control in (depth, gain, kind, clip):
        control.observe(update, names="value")
    update()
    return widgets.VBox([widgets.HBox([depth, gain]), widgets.HBox([kind, clip]), note, out])
