"""Unit 01 widget: step through perceptron training one update at a time.

The update path is plain functions a test can call without a browser:
``stepper_start(...) -> StepperState``, ``stepper_step(state, update_fn) -> StepperState``,
``stepper_run(state, update_fn)`` and ``StepperPlot().show(state) -> Figure`` (``render_stepper(state)``
on a new figure; the widget keeps one figure and moves its artists).
``perceptron_stepper(update_fn)`` wires them to ipywidgets controls. Updates follow the
order of ``nnkit.perceptron.train``: samples 0..n-1 in turn, each epoch, with the current weights.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import ipywidgets as widgets
import numpy as np

from nnkit import data, perceptron
from nnkit._validate import as_float_array
from nnkit.viz import plots
from nnkit.viz._output import call_learner, note_html, show_figure

__all__ = ["perceptron_stepper", "stepper_start", "stepper_step", "stepper_run", "render_stepper", "StepperPlot"]

MAX_UPDATES = 1000


@dataclass(frozen=True)
class StepperState:
    """Training so far. ``X: (n, 2)``, ``t: (n,)``, ``w: (2,)``; ``last`` = (index, w_old, b_old) or None."""

    X: np.ndarray
    t: np.ndarray
    w: np.ndarray
    b: float
    lr: float
    cursor: int = 0
    updates: int = 0
    last: tuple | None = None
    note: str | None = None
    max_updates: int = MAX_UPDATES

    @property
    def mistakes(self) -> np.ndarray:
        """Indices of the samples the current ``(w, b)`` misclassifies."""
        return np.flatnonzero(perceptron.predict(self.w, self.b, self.X) != self.t)

    @property
    def done(self) -> bool:
        """True once no sample is misclassified or the update cap is reached."""
        return self.mistakes.size == 0 or self.updates >= self.max_updates


def stepper_start(n: int = 40, margin: float = 0.2, seed: int = 1, lr: float = 1.0,
                  max_updates: int = MAX_UPDATES) -> StepperState:
    """A fresh run on ``nnkit.data.blobs(n, margin, seed)`` with ``w = 0``, ``b = 0``."""
    X, t = data.blobs(n, margin, seed)
    return StepperState(X=X, t=t, w=np.zeros(2), b=0.0, lr=float(lr), max_updates=max_updates)


def _accept_update(result):
    """Check a ``(w_new, b_new)`` result: ``w_new`` of shape (2,), both finite."""
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise ValueError(f"expected a pair (w_new, b_new), got {type(result).__name__}")
    try:
        w = as_float_array(result[0], "w_new", ndim=1)
        b_arr = as_float_array(result[1], "b_new")
    except (TypeError, ValueError) as exc:
        raise ValueError(str(exc)) from None
    if b_arr.size != 1:
        raise ValueError(f"b_new must be one number, got shape {b_arr.shape}")
    b = float(b_arr.ravel()[0])
    if w.shape != (2,) or not np.all(np.isfinite(w)) or not np.isfinite(b):
        raise ValueError(f"expected w_new of shape (2,) and finite numbers, got w_new={w}, b_new={b}")
    return w.copy(), b


def stepper_step(state: StepperState, update_fn=None) -> StepperState:
    """Make one update on the next misclassified sample (from ``state.cursor`` on, wrapping).

    ``update_fn(w, b, x, t, lr) -> (w_new, b_new)`` is the learner's rule; when it is None,
    unfinished or unusable, ``nnkit.perceptron.update`` is used and ``note`` says so.
    Once the state is done, it is returned unchanged.
    """
    if state.done:
        return state
    n = len(state.t)
    wrong = np.zeros(n, dtype=bool)
    wrong[state.mistakes] = True
    i = next(j % n for j in range(state.cursor, state.cursor + n) if wrong[j % n])
    args = (state.w.copy(), state.b, state.X[i].copy(), float(state.t[i]), state.lr)
    (w, b), note = call_learner(update_fn, args, perceptron.update, _accept_update, "perceptron_update")
    if note is None:  # the learner's own result: say so when it is not the rule's
        w_ref, b_ref = perceptron.update(state.w, state.b, state.X[i], state.t[i], state.lr)
        if not (np.allclose(w, w_ref) and np.isclose(b, b_ref)):
            note = (f"On sample {i} (misclassified, t = {state.t[i]:+.0f}) your perceptron_update "
                    f"gave w = {_pair(w)}, b = {b:.2f}; the rule gives w = {_pair(w_ref)}, "
                    f"b = {float(b_ref):.2f}. The picture follows yours.")
    return replace(state, w=w, b=b, cursor=(i + 1) % n, updates=state.updates + 1,
                   last=(i, state.w, state.b), note=note or state.note)


def _pair(v) -> str:
    """``(v0, v1)`` with two decimals."""
    return f"({v[0]:.2f}, {v[1]:.2f})"


def stepper_run(state: StepperState, update_fn=None, seconds: float = 2.0) -> StepperState:
    """Step until done (converged or ``max_updates``) or ``seconds`` of wall time have passed."""
    deadline = time.perf_counter() + seconds
    while not state.done and time.perf_counter() < deadline:
        state = stepper_step(state, update_fn)
    return state


def stepper_status(state: StepperState) -> str:
    """One line for the learner: update count, mistakes left, whether training has ended."""
    left = state.mistakes.size
    text = f"updates: {state.updates} · mistakes left: {left} of {len(state.t)}"
    if left == 0:
        return text + " · converged: every point is on its side"
    if state.updates >= state.max_updates:
        return text + f" · stopped at the cap of {state.max_updates} updates"
    return text


def stepper_detail(state: StepperState) -> str:
    """The numbers behind the picture: the last update and the current ``w, b``."""
    now = f"w = {_pair(state.w)}, b = {state.b:.2f}"
    if state.last is None:
        return f"start: {now}, so every point is predicted +1 (sign(0) = +1)"
    i = state.last[0]
    return (f"last update on sample {i} (t = {state.t[i]:+.0f}, x = {_pair(state.X[i])}, "
            f"η = {state.lr:.3g}); now {now}")


class StepperPlot:
    """The stepper's figure, built once per data set: ``show(state)`` moves its artists and returns it.

    The data, the old (dashed) and new boundary, ``w`` as an arrow and the sample just used.
    """

    def __init__(self):
        self.fig, self.ax = plots.new_figure(6.6, 4.8)
        self.X, self.legend_labels = None, None
        self.fig.subplots_adjust(left=0.09, right=0.68, top=0.92, bottom=0.1)

    def _start(self, X, t) -> None:
        """Artists for a new data set ``X: (n, 2)``, ``t: (n,)``: the view fits the points."""
        ax = self.ax
        ax.clear()
        lo, hi = X.min(axis=0), X.max(axis=0)
        pad = 0.12 * (hi - lo).max()
        ax.set_xlim(lo[0] - pad, hi[0] + pad)
        ax.set_ylim(lo[1] - pad, hi[1] + pad)
        ax.set_aspect("equal")
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        self.box = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
        (self.tint,) = ax.fill(*self.box.T, color=plots.POSITIVE_TINT, linewidth=0, zorder=0)
        (self.negative,) = ax.fill(*self.box.T, color=plots.NEGATIVE_TINT, linewidth=0, zorder=0)
        self.no_line = ax.text(0.5, 0.97, "w = 0: no boundary yet", transform=ax.transAxes, ha="center",
                               va="top", fontsize=10, bbox={"fc": "white", "ec": "0.7"})
        plots.plot_points(ax, X, t)
        self.points = ax.collections[-2:]
        self.wrong = self._rings(MISTAKE_STYLE, "misclassified now")
        self.before = ax.plot([], [], color="0.4", linestyle="--", linewidth=1.5, label="boundary before")[0]
        self.sample = self._rings(SAMPLE_STYLE, "sample used now")
        self.now = ax.plot([], [], color="black", linewidth=2.0, label="boundary now")[0]
        self.arrow = []
        ax.set_xlabel("x₁")
        ax.set_ylabel("x₂")
        self.X, self.legend_labels = X, None

    def _rings(self, style: dict, label: str):
        plots.ring_points(self.ax, np.zeros((1, 2)), label=label, **style)
        return self.ax.collections[-1]

    def show(self, state: StepperState):
        """Draw ``state``; returns the figure."""
        if state.X is not self.X:
            self._start(state.X, state.t)
        ax, lines = self.ax, []
        shaded = bool(np.any(state.w))
        negative = plots.clip_below(self.box, state.w, float(state.b))
        self.tint.set_visible(shaded)
        self.negative.set_visible(shaded and len(negative) > 0)
        if shaded and len(negative):
            self.negative.set_xy(negative)
        self.no_line.set_visible(not shaded)
        mistakes = state.mistakes
        self.wrong.set_offsets(state.X[mistakes].reshape(-1, 2))
        handles = [*self.points, *([self.wrong] if mistakes.size else [])]
        self.before.set_visible(False)
        self.sample.set_visible(state.last is not None)
        if state.last is not None:
            i, w_old, b_old = state.last
            if self._set_line(self.before, w_old, b_old):
                lines.append(self.before)
            self.sample.set_offsets(state.X[i].reshape(-1, 2))
            handles += [*lines, self.sample]
        if self._set_line(self.now, state.w, state.b):
            handles.append(self.now)
        for text in self.arrow:
            text.remove()
        count = len(ax.texts)
        plots.plot_weight_arrow(ax, state.w, state.b)
        self.arrow = ax.texts[count:]
        ax.set_title(f"update {state.updates} · mistakes left: {mistakes.size}", fontsize=12)
        self._legend(handles)
        return self.fig

    def _set_line(self, line, w, b) -> bool:
        """Move ``line`` onto ``w·x + b = 0`` across the view; hidden (False) when ``w = 0``."""
        pts = plots.line_points(w, float(b), self.ax.get_xlim(), self.ax.get_ylim())
        line.set_visible(pts is not None)
        if pts is not None:
            line.set_data(*pts)
        return pts is not None

    def _legend(self, handles: list) -> None:
        """The legend beside the axes, made again only when its entries change."""
        labels = tuple(h.get_label() for h in handles)
        if labels != self.legend_labels:
            self.ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.03, 1.0), fontsize=9, frameon=False,
                           title="tint = predicted class", title_fontsize=9)
            self.legend_labels = labels


MISTAKE_STYLE = {"color": plots.MISTAKE, "size": 90, "alpha": 0.6}
SAMPLE_STYLE = {"color": "black", "size": 260}


def render_stepper(state: StepperState):
    """``state`` on a new figure (the widget reuses one ``StepperPlot``): the data, the old (dashed) and
    new boundary, ``w`` as an arrow and the sample just used."""
    return StepperPlot().show(state)


def perceptron_stepper(update_fn=None, n: int = 40, margin: float = 0.2, seed: int = 1,
                       lr: float = 1.0, max_updates: int = MAX_UPDATES) -> widgets.VBox:
    """The stepper widget animating ``update_fn(w, b, x, t, lr) -> (w_new, b_new)`` (None → reference)."""
    lr_slider = widgets.FloatLogSlider(value=lr, base=10, min=-2, max=1, step=0.1,
                                       description="learning rate", readout_format=".2f",
                                       style={"description_width": "initial"})
    margin_slider = widgets.FloatSlider(value=margin, min=0.02, max=1.0, step=0.02,
                                        description="margin", readout_format=".2f")
    seed_box = widgets.BoundedIntText(value=seed, min=0, max=10**6, description="seed",
                                      layout={"width": "160px"})
    step_button = widgets.Button(description="step", button_style="primary", icon="step-forward")
    run_button = widgets.Button(description="run to end", icon="fast-forward")
    reset_button = widgets.Button(description="reset", icon="undo")
    status, note, out, plot = widgets.HTML(), widgets.HTML(), widgets.Output(), StepperPlot()
    holder = {}

    def show(state):
        holder["state"] = state
        status.value = f"<b>{stepper_status(state)}</b><br>{stepper_detail(state)}"
        note.value = note_html(state.note)
        show_figure(out, plot.show(state))
        step_button.disabled = run_button.disabled = state.done

    def reset(_=None):
        show(stepper_start(n, margin_slider.value, seed_box.value, lr_slider.value, max_updates))

    step_button.on_click(lambda _: show(stepper_step(holder["state"], update_fn)))
    run_button.on_click(lambda _: show(stepper_run(holder["state"], update_fn)))
    reset_button.on_click(reset)
    for control in (lr_slider, margin_slider, seed_box):
        control.observe(reset, names="value")
    reset()
    controls = widgets.HBox([step_button, run_button, reset_button])
    return widgets.VBox([widgets.HBox([lr_slider, margin_slider, seed_box]), controls, status, note, out])
