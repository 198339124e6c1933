"""Unit 06 widget: activation x initialization x depth x width -> statistics through depth.

Plain update functions (testable without a browser): ``init_view(activation, scheme, depth, width,
functions) -> InitView`` and ``InitPlot().show(view) -> Figure`` (``render_init_view`` on a new figure).
``init_explorer(functions)`` wires them to dropdowns and sliders. ``functions`` maps the schemes
"lecun", "xavier", "he" to the learner's initializers ``(fan_in, fan_out, rng) -> W``; a missing,
unfinished or broken one is replaced by nnkit's, with a note.

Speed: nnkit's schemes share one standard-normal draw per width (``MAX_DEPTH`` layers), which the
layers scale (``experiments.layer_stats(scale=...)``): a scheme change draws nothing; a learner's
initializer draws once per (scheme, width). The experiment feeds ``N_SAMPLES`` = 32 inputs (per-layer
std within about 10 % of a 512-input run: a log-scale picture cannot tell); the frame (limits,
ticks, legends) never changes, so each update draws only the curves (``_blit``); the last views are kept.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator

from nnkit import experiments
from nnkit.viz import plots
from nnkit.viz._output import call_learner, note_html, show_figure

__all__ = ["init_explorer", "init_view", "render_init_view", "InitPlot"]

ACTIVATIONS = ("tanh", "relu", "gelu", "silu")
SCHEMES = ("tiny", "lecun", "xavier", "he", "large")
WIDTHS = (32, 64, 128, 256)
MAX_DEPTH, N_SAMPLES, N_HISTOGRAMS = 50, 32, 4
BINS, SPREAD = 40, 4.0  # histograms of a / std(a) on [-SPREAD, SPREAD]
LOG_RANGE = (-45, 45)  # decades shown: tiny weights reach 1e-40 after 50 layers, large ones 1e+40
HIST_LABELS = ("at depth/4", "at depth/2", "at 3 depth/4", "last layer")
#: c of the theory's factor n Var(w) c: GELU and SiLU behave like z/2 near 0 (c = 1/4 there)
#: and like ReLU for large z; the theory line for them uses ReLU's 1/2 as the rough guide.
THEORY_ACTIVATION = {"tanh": "tanh", "relu": "relu", "gelu": "relu", "silu": "relu"}


@dataclass(frozen=True)
class InitView:
    """What the explorer shows for one setting: per-layer ``std`` and ``grad_norm`` (depth,), the
    theory's ``gain`` of E[a²] per layer, and for the layers ``hist_layers`` the ``shares`` of a / std(a)
    in the bins ``edges`` (BINS + 1,)."""

    activation: str
    scheme: str
    width: int
    std: np.ndarray
    grad_norm: np.ndarray
    gain: float
    hist_layers: tuple
    shares: tuple
    edges: np.ndarray
    note: str | None = None


@functools.lru_cache(maxsize=len(WIDTHS))
def _standard(width: int) -> np.ndarray:
    """(MAX_DEPTH, width, width) standard normals from seed 0: every nnkit scheme here is a multiple of them."""
    return np.random.default_rng(0).standard_normal((MAX_DEPTH, width, width))


@functools.lru_cache(maxsize=8)
def _weights(scheme: str, width: int, learner) -> tuple:
    """``(weights, scale, note)``: ``MAX_DEPTH`` matrices (width, width) whose multiple by ``scale`` the
    network uses. nnkit's draw of ``scheme`` is sqrt(Var(w)) times the shared standard normals; the
    learner's initializer, when given, draws its own (scale 1)."""
    std = float(np.sqrt(experiments.WEIGHT_VARIANCE[scheme](width, width)))
    if learner is None:
        return tuple(_standard(width)), std, None

    def accept(ws):
        ws = [np.asarray(W, dtype=float) for W in ws]
        if len(ws) != MAX_DEPTH or any(W.shape != (width, width) or not np.all(np.isfinite(W)) for W in ws):
            raise ValueError(f"expected finite arrays of shape ({width}, {width})")
        return ws

    rng = np.random.default_rng(0)
    ws, note = call_learner(lambda: [learner(width, width, rng) for _ in range(MAX_DEPTH)], (),
                            lambda: [std * W for W in _standard(width)], accept, f"initializer for {scheme}")
    return tuple(ws), 1.0, note


def _histograms(outputs: list, layers: tuple) -> tuple:
    """Shares of each layer's outputs a / std(a) in ``BINS`` bins on [-SPREAD, SPREAD]; ``layers`` are 1-based."""
    edges = np.linspace(-SPREAD, SPREAD, BINS + 1)
    shares = []
    for layer in layers:
        A = outputs[layer - 1]
        scale = A.std()
        counts = np.histogram(A / scale if scale > 0 else A, bins=edges)[0]
        shares.append(counts / A.size)
    return tuple(shares), edges


def _hist_layers(depth: int) -> tuple:
    """The layers at a quarter, half, three quarters and all of ``depth`` (1-based)."""
    return tuple(max(1, round(depth * k / N_HISTOGRAMS)) for k in range(1, N_HISTOGRAMS + 1))


def init_view(activation: str = "relu", scheme: str = "he", depth: int = 50, width: int = 256,
              functions: dict | None = None) -> InitView:
    """Run the depth experiment for one setting; the learner's ``functions[scheme]`` draws the weights if given."""
    learner = (functions or {}).get(scheme)
    return _view(activation, scheme, int(depth), int(width), learner, bool(functions))


@functools.lru_cache(maxsize=64)
def _view(activation: str, scheme: str, depth: int, width: int, learner, had_functions: bool) -> InitView:
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; expected one of {SCHEMES}")
    weights, scale, note = _weights(scheme, width, learner)
    if learner is None and had_functions and scheme in ("lecun", "xavier", "he"):
        note = f"No initializer of yours for {scheme}: showing nnkit's."
    outputs: list = []
    with np.errstate(all="ignore"):
        stats = experiments.layer_stats(activation, list(weights[:depth]), n_samples=N_SAMPLES, rng=1, keep=outputs,
                                        scale=scale)
        layers = _hist_layers(depth)
        shares, edges = _histograms(outputs, layers)
    gain = experiments.predicted_gain(THEORY_ACTIVATION[activation], scheme, width)
    return InitView(activation, scheme, width, stats["std"], stats["grad_norm"], gain, layers, shares, edges, note)


class InitPlot:
    """The explorer's figure, built once: ``show(view)`` updates its artists in place and returns it.

    Left: std per layer (log) with the theory. Middle: histograms of a few layers. Right: gradient norms.
    """

    def __init__(self):
        self.fig, (self.std_ax, self.hist, self.grad_ax) = plots.new_figure(12, 3.7, ncols=3)
        self.std = self.std_ax.semilogy([1], [1], color=plots.POSITIVE, marker=".", label="measured")[0]
        self.std_theory = self.std_ax.semilogy([1], [1], "k--", linewidth=0.9, label="theory")[0]
        self.grad = self.grad_ax.semilogy([1], [1], color=plots.NEGATIVE, marker=".", label="measured")[0]
        self.grad_theory = self.grad_ax.semilogy([1], [1], "k--", linewidth=0.9, label="theory")[0]
        edges = np.linspace(-SPREAD, SPREAD, BINS + 1)
        self.bars = [self.hist.stairs(np.zeros(BINS), edges, color=f"C{k}", label=label)
                     for k, label in enumerate(HIST_LABELS)]
        self.hist.set(xlabel="a / std(a)", xlim=(-SPREAD, SPREAD), ylim=(0, 0.65), ylabel="share of entries")
        low, high = LOG_RANGE
        for ax in (self.std_ax, self.grad_ax):
            ax.set(xlabel="layer l", xlim=(0.5, MAX_DEPTH + 0.5), ylim=(10.0**low, 10.0**high))
            ax.yaxis.set_major_locator(FixedLocator(10.0 ** np.arange(low, high + 1, 15)))
            ax.yaxis.set_minor_locator(NullLocator())
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"1e{np.log10(v):.0f}"))  # no mathtext
            ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
            ax.legend(fontsize=8, loc="lower left")
        self.hist.xaxis.set_major_locator(MaxNLocator(4))
        self.hist.yaxis.set_major_locator(FixedLocator([0, 0.25, 0.5]))
        self.hist.legend(fontsize=8, loc="upper right")
        self.fig.subplots_adjust(left=0.06, right=0.98, top=0.9, bottom=0.15, wspace=0.25)

    def show(self, view: InitView):
        """Draw ``view``; returns the figure."""
        depth = view.std.size
        layers = np.arange(1, depth + 1)
        root = np.sqrt(view.gain)
        std_theory = view.std[0] * root ** (layers - 1.0)
        grad_theory = view.grad_norm[-1] * root ** (depth - layers)
        self.std.set_data(layers, np.maximum(view.std, 1e-300))
        self.std_theory.set_data(layers, std_theory)
        self.grad.set_data(layers, np.maximum(view.grad_norm, 1e-300))
        self.grad_theory.set_data(layers, grad_theory)
        self.std_ax.set_title(f"{view.activation} + {view.scheme}, width {view.width}: std of A_l "
                              f"(theory x{root:.3g}/layer)", fontsize=9)
        self.grad_ax.set_title(f"gradient norm |dL/dA_l|: layer 1 gets {view.grad_norm[0]:.2g}", fontsize=9)
        for bars, shares in zip(self.bars, view.shares):
            bars.set_data(shares, view.edges)
        self.hist.set_title(f"outputs of layers {', '.join(map(str, view.hist_layers))}", fontsize=9)
        return self.fig


def render_init_view(view: InitView):
    """``view`` on a new figure (the explorer reuses one ``InitPlot``)."""
    return InitPlot().show(view)


def init_explorer(functions: dict | None = None, activation: str = "relu", scheme: str = "he") -> widgets.VBox:
    """Dropdowns for the activation and the initialization; sliders for the depth and the width."""
    pick_act = widgets.Dropdown(options=ACTIVATIONS, value=activation, description="activation")
    pick_init = widgets.Dropdown(options=SCHEMES, value=scheme, description="init")
    depth = widgets.IntSlider(value=MAX_DEPTH, min=2, max=MAX_DEPTH, description="depth", continuous_update=False)
    width = widgets.SelectionSlider(options=WIDTHS, value=WIDTHS[-1], description="width", continuous_update=False)
    note, out, plot = widgets.HTML(), widgets.Output(), InitPlot()

    def update(_=None):
        view = init_view(pick_act.value, pick_init.value, depth.value, width.value, functions)
        note.value = note_html(view.note)
        show_figure(out, plot.show(view))

    for control in (pick_act, pick_init, depth, width):
        control.observe(update, names="value")
    update()
    return widgets.VBox([widgets.HBox([pick_act, pick_init]), widgets.HBox([depth, width]), note, out])
