"""Static matplotlib helpers shared by the widgets and the notebooks.

Every helper draws on an ``Axes`` it is given, so it works with ``pyplot`` figures in a
notebook and with the pyplot-free figures the widgets render (``new_figure``).
Points are rows of ``X: (batch, 2)``; a line is ``w·x + b = 0`` with ``w: (2,)``.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

# Colour-blind-safe class colours (Okabe–Ito) and their light tints for half-planes.
POSITIVE, NEGATIVE = "#0072B2", "#E69F00"
POSITIVE_TINT, NEGATIVE_TINT = "#d6e6f2", "#fbedd0"
MISTAKE = "#C00000"


def new_figure(width: float = 5.0, height: float = 4.6, ncols: int = 1):
    """Return ``(fig, axes)``: a pyplot-free figure (no global state, nothing auto-shown)."""
    fig = Figure(figsize=(width, height), dpi=80)
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    return fig, (axes[0] if ncols == 1 else axes)


def figure_png(fig: Figure) -> bytes:
    """Encode ``fig`` as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", pil_kwargs={"compress_level": 1})  # speed over size
    return buf.getvalue()


def plot_points(ax, X, t, size: float = 36, labels=("t = +1", "t = −1")) -> None:
    """Scatter ``X: (batch, 2)`` by label ``t: (batch,)``: positive (> 0) as blue dots, the rest as orange squares."""
    X, t = np.asarray(X, float), np.asarray(t, float)
    pos = t > 0
    ax.scatter(X[pos, 0], X[pos, 1], s=size, c=POSITIVE, marker="o", edgecolors="white",
               linewidths=0.6, label=labels[0], zorder=3)
    ax.scatter(X[~pos, 0], X[~pos, 1], s=size, c=NEGATIVE, marker="s", edgecolors="white",
               linewidths=0.6, label=labels[1], zorder=3)


def ring_points(ax, X, color: str = MISTAKE, size: float = 150, label: str | None = None, **kw) -> None:
    """Draw hollow rings around the points ``X: (k, 2)`` (mistakes, the sample in use)."""
    X = np.asarray(X, float).reshape(-1, 2)
    ax.scatter(X[:, 0], X[:, 1], s=size, facecolors="none", edgecolors=color, linewidths=1.8,
               label=label if len(X) else None, zorder=4, **kw)


def line_points(w, b, xlim, ylim):
    """Two points of the line ``w·x + b = 0`` spanning the box, or ``None`` when ``w = 0``."""
    w1, w2 = (float(v) for v in np.asarray(w, float).ravel()[:2])
    if w1 == 0 and w2 == 0:
        return None
    if abs(w2) >= abs(w1):  # closer to horizontal: parametrise by x
        xs = np.array(xlim, float)
        return xs, -(w1 * xs + b) / w2
    ys = np.array(ylim, float)
    return -(w2 * ys + b) / w1, ys


def plot_boundary(ax, w, b, **style):
    """Draw the line ``w·x + b = 0`` across the current view; return the Line2D or ``None`` if ``w = 0``.

    The view limits are kept, so set them (or plot the data) first.
    """
    xlim, ylim = ax.get_xlim(), ax.get_ylim()
    pts = line_points(w, float(b), xlim, ylim)
    if pts is None:
        return None
    style = {"color": "black", "linewidth": 2.0, **style}
    (line,) = ax.plot(*pts, **style)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    return line


def shade_halfplanes(ax, w, b) -> None:
    """Tint the view blue where ``w·x + b >= 0`` (predicted +1) and orange elsewhere."""
    xlim, ylim = ax.get_xlim(), ax.get_ylim()
    box = np.array([[xlim[0], ylim[0]], [xlim[1], ylim[0]], [xlim[1], ylim[1]], [xlim[0], ylim[1]]])
    negative = clip_below(box, np.asarray(w, float), float(b))
    ax.fill(*box.T, color=POSITIVE_TINT, linewidth=0, zorder=0)
    if len(negative):
        ax.fill(*negative.T, color=NEGATIVE_TINT, linewidth=0, zorder=0)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)


def clip_below(polygon, w, b) -> np.ndarray:
    """The part ``(k, 2)`` of a convex ``polygon: (m, 2)`` where ``w·x + b < 0`` (one clipping pass)."""
    s = polygon @ w + b
    kept = []
    for j in range(len(polygon)):
        p, q, sp, sq = polygon[j], polygon[(j + 1) % len(polygon)], s[j], s[(j + 1) % len(polygon)]
        if sp < 0:
            kept.append(p)
        if (sp < 0) != (sq < 0):
            kept.append(p + sp / (sp - sq) * (q - p))
    return np.array(kept).reshape(-1, 2)


def shade_regions(ax, positive) -> None:
    """Tint a grid over the current view: ``positive: (rows, cols)`` truthy → blue, else orange."""
    xlim, ylim = ax.get_xlim(), ax.get_ylim()
    ax.imshow(np.asarray(positive, float), origin="lower", extent=(*xlim, *ylim), aspect="auto",
              cmap=ListedColormap([NEGATIVE_TINT, POSITIVE_TINT]), vmin=0, vmax=1,
              interpolation="nearest", zorder=0)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)


def plot_weight_arrow(ax, w, b, length: float = 0.18, label: str = "w") -> None:
    """Draw ``w`` as an arrow of fixed on-screen size standing on the line ``w·x + b = 0``.

    It points to the side classified +1 and starts at the point of the line nearest the
    view's centre from which the whole arrow stays in view. ``length`` is a fraction of the
    view's width.
    """
    w = np.asarray(w, float)
    norm = np.linalg.norm(w)
    pts = line_points(w, float(b), ax.get_xlim(), ax.get_ylim())
    if pts is None:
        return
    lo, hi = np.array([ax.get_xlim(), ax.get_ylim()]).T
    feet = np.linspace(*np.transpose(pts), 41)
    for scale in (1.0, 0.5, 0.25):  # shorten the arrow when the +1 side is a thin sliver
        arrow = w / norm * length * scale * (hi[0] - lo[0])
        ends = np.concatenate([feet, feet + 1.35 * arrow], axis=1)  # room for the label
        fits = feet[np.all((ends >= np.tile(lo, 2)) & (ends <= np.tile(hi, 2)), axis=1)]
        if len(fits):
            break
    else:
        return
    foot = fits[np.argmin(np.linalg.norm(fits - (lo + hi) / 2, axis=1))]
    ax.annotate("", xy=foot + arrow, xytext=foot, zorder=5,
                arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 2.0, "mutation_scale": 16})
    away = 11 * w / norm  # put the label just beyond the tip, whichever way w points
    ax.annotate(label, xy=foot + arrow, xytext=away, textcoords="offset points", ha="center",
                va="center", fontsize=12, fontweight="bold", zorder=5)


def plot_novikoff(ax, margins, updates, bounds) -> None:
    """Measured perceptron updates against Novikoff's bound ``(R/γ)²``, per margin γ (log y).

    ``margins, updates, bounds``: 1-D arrays of equal length (one entry per data set).
    A run with 0 updates is drawn at 1, the floor of the log axis.
    """
    margins, updates, bounds = (np.asarray(a, float) for a in (margins, updates, bounds))
    order = np.argsort(margins)
    ax.plot(margins[order], bounds[order], color="black", linewidth=2, label="bound (R/γ)²")
    ax.scatter(margins, np.maximum(updates, 1), color=POSITIVE, zorder=3, label="updates made")
    ax.set_yscale("log")
    ax.set_xlabel("margin γ")
    ax.set_ylabel("number of updates")
    ax.legend(frameon=False)
