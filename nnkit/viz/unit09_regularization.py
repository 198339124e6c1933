"""Unit 09 widget: the L2 strength and the dropout rate against the decision boundary and the curves.

Plain update functions (testable without a browser): ``RegularizationRuns(functions)`` trains the
grid of ``LAMS`` x ``DROPS`` once, with the learner's ``l2_penalty``, ``dropout_forward`` and
``dropout_backward`` where they work (nnkit's otherwise, with a note); ``runs.view(lam, p)`` picks
one run, and ``RegularizationPlot().show(view)`` draws it (``render_regularization_view`` on a new
figure). ``regularization_explorer(functions)`` wires them to two sliders: an update only redraws.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from nnkit import overfitting
from nnkit import regularization as reg
from nnkit.viz import plots
from nnkit.viz._output import call_learner, note_html, show_figure

__all__ = ["regularization_explorer", "RegularizationRuns", "RegularizationPlot", "render_regularization_view"]

LAMS = (0.0, 1e-3, 1e-2, 0.1, 1.0)
DROPS = (0.0, 0.3, 0.6)
HIDDEN, EPOCHS, PATIENCE = (32, 32), 200, 20
EXTENT = (-1.6, 2.6, -1.3, 1.8)  # x0, x1, y0, y1 of the boundary plot
GRID = np.stack(np.meshgrid(np.linspace(*EXTENT[:2], 90), np.linspace(*EXTENT[2:], 70)), axis=-1).reshape(-1, 2)
ROLES = {"l2_penalty": "lam", "dropout_forward": "p", "dropout_backward": "p"}


@dataclass(frozen=True)
class RegularizationView:
    """One run of the grid: its curves (``overfitting.History``), the logits on ``GRID`` and the epoch to keep."""

    lam: float
    p: float
    history: overfitting.History
    grid_logits: np.ndarray
    best_epoch: int
    note: str | None = None


def _finite(history: overfitting.History) -> overfitting.History:
    curves = (history.train_loss, history.val_loss)
    if not all(np.all(np.isfinite(c)) for c in curves):
        raise ValueError("the training loss became inf or nan")
    return history


def _probe(split, name: str, fn):
    """A short run that uses the learner's ``fn`` for ``name`` (with L2 or dropout switched on)."""
    setting = {"lam": 0.01} if ROLES[name] == "lam" else {"p": 0.3}
    return lambda: overfitting.train_regularized(split, HIDDEN, epochs=5, **setting, **{name: fn})


def _accepted(split, functions: dict | None) -> tuple[dict, list[str]]:
    """The learner's functions that work, by name, and the notes about the others."""
    if functions is None:
        return {}, []
    chosen, notes = {}, []
    for name in ROLES:
        fn = functions.get(name)
        if fn is None:
            notes.append(f"No function of yours for {name}: using nnkit's.")
            continue
        reference = _probe(split, name, getattr(reg, name))
        with np.errstate(all="ignore"):
            _, note = call_learner(_probe(split, name, fn), (), reference, _finite, name)
        if note:
            notes.append(note.replace("showing the reference", "training with nnkit's"))
        else:
            chosen[name] = fn
    return chosen, notes


class RegularizationRuns:
    """Every (lam, p) run of the grid, trained once at construction with ``functions`` where they work."""

    def __init__(self, functions: dict | None = None, seed: int = 0):
        self.split = overfitting.noisy_moons(seed=seed)
        chosen, notes = _accepted(self.split, functions)
        self.note = " ".join(notes) or None
        self.runs = {}
        for lam in LAMS:
            for p in DROPS:
                history = overfitting.train_regularized(self.split, HIDDEN, lam=lam, p=p, epochs=EPOCHS,
                                                        seed=seed, **chosen)
                logits = overfitting.logits(history.params, GRID)[:, 0]
                self.runs[lam, p] = (history, logits, reg.early_stopping(history.val_loss, PATIENCE)[0])

    def view(self, lam: float, p: float) -> RegularizationView:
        """The run of ``lam`` in ``LAMS`` and ``p`` in ``DROPS``."""
        if (lam, p) not in self.runs:
            raise ValueError(f"lam must be one of {LAMS} and p one of {DROPS}; got lam = {lam}, p = {p}")
        return RegularizationView(lam, p, *self.runs[lam, p], note=self.note)


class RegularizationPlot:
    """The explorer's figure, built once: ``show(view, split)`` updates its artists in place and returns it.

    Left: the boundary (probability of class 1 shaded, the 0.5 line drawn) over the training points.
    Right: train and validation loss per epoch, with the epoch early stopping keeps.
    """

    def __init__(self, split: overfitting.Split):
        self.fig, (self.space, self.curves) = plots.new_figure(10.5, 3.8, ncols=2)
        shape = (70, 90)
        self.image = self.space.imshow(np.zeros(shape), extent=EXTENT, origin="lower", cmap="RdBu",
                                       vmin=0, vmax=1, alpha=0.45, aspect="auto", interpolation="bilinear")
        self.line = None
        plots.plot_points(self.space, split.X_train, split.y_train[:, 0] * 2 - 1, size=28,
                          labels=("class 1", "class 0"))
        self.space.set(xlim=EXTENT[:2], ylim=EXTENT[2:])
        self.space.legend(fontsize=8, loc="lower left")
        self.train = self.curves.plot([0], [0], color=plots.POSITIVE, label="train")[0]
        self.val = self.curves.plot([0], [0], color=plots.NEGATIVE, label="validation")[0]
        self.best = self.curves.axvline(0, color="0.5", linestyle=":", label="early stopping keeps")
        self.curves.set(xlabel="epoch", ylabel="cross-entropy", xlim=(0, EPOCHS - 1), ylim=(0, 1.0))
        self.curves.legend(fontsize=8, loc="upper right")
        for ax in (self.space, self.curves):
            ax.xaxis.set_major_locator(MaxNLocator(5))
            ax.yaxis.set_major_locator(MaxNLocator(5))
        self.fig.subplots_adjust(left=0.05, right=0.98, top=0.9, bottom=0.14, wspace=0.2)

    def show(self, view: RegularizationView):
        """Draw ``view``; returns the figure."""
        probs = 0.5 * (1.0 + np.tanh(0.5 * view.grid_logits)).reshape(70, 90)
        self.image.set_data(probs)
        if self.line is not None:
            self.line.remove()
        self.line = self.space.contour(GRID[:, 0].reshape(70, 90), GRID[:, 1].reshape(70, 90), probs, levels=[0.5],
                                       colors="k", linewidths=1.2)
        history = view.history
        self.space.set_title(f"lambda = {view.lam:g}, dropout p = {view.p:g}: "
                             f"validation accuracy {history.val_acc[-1]:.0%}")
        epochs = np.arange(history.train_loss.size)
        self.train.set_data(epochs, history.train_loss)
        self.val.set_data(epochs, history.val_loss)
        self.best.set_xdata([view.best_epoch, view.best_epoch])
        self.curves.set_title(f"final loss: train {history.train_loss[-1]:.2f}, validation {history.val_loss[-1]:.2f}; "
                              f"best epoch {view.best_epoch}")
        return self.fig


def render_regularization_view(view: RegularizationView, split: overfitting.Split):
    """``view`` on a new figure (the explorer reuses one ``RegularizationPlot``)."""
    return RegularizationPlot(split).show(view)


def regularization_explorer(functions: dict | None = None, lam: float = 0.0, p: float = 0.0) -> widgets.VBox:
    """Sliders for the L2 strength and the dropout rate over a grid trained once with ``functions``."""
    runs = RegularizationRuns(functions)
    lam_slider = widgets.SelectionSlider(options=[(f"{v:g}", v) for v in LAMS], value=lam, description="lambda",
                                         continuous_update=False)
    p_slider = widgets.SelectionSlider(options=[(f"{v:g}", v) for v in DROPS], value=p, description="dropout p",
                                       continuous_update=False)
    note, out, plot = widgets.HTML(note_html(runs.note)), widgets.Output(), RegularizationPlot(runs.split)

    def update(_=None):
        show_figure(out, plot.show(runs.view(lam_slider.value, p_slider.value)))

    for control in (lam_slider, p_slider):
        control.observe(update, names="value")
    update()
    return widgets.VBox([widgets.HBox([lam_slider, p_slider]), note, out])
