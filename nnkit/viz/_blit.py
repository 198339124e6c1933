"""Faster widget pictures: a figure's unchanging frame is drawn once, later figures draw only the rest.

A widget shows a stream of figures that differ only in their content: the same size, axes,
limits, ticks, axis labels and legends, other points and lines and titles. Drawing the frame's
text (tick labels, legends) is most of matplotlib's cost, so a :class:`FrameCache` keeps the
first figure's frame as a pixel background and, for each later figure whose frame is the same
(:func:`frame_signature`), restores it and draws only that figure's content. A figure with
another frame is drawn in full and becomes the new background. ``png(fig)`` returns the same
picture ``figure_png(fig)`` would (tests compare the pixels).
"""

from __future__ import annotations

import io

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image


def save_dpi(fig) -> float:
    """The dpi ``fig.savefig`` would use (``savefig.dpi``, "figure" meaning the figure's own)."""
    dpi = matplotlib.rcParams["savefig.dpi"]
    return fig.dpi if dpi == "figure" else float(dpi)


def _ticks(axis) -> tuple:
    locs = tuple(axis.get_majorticklocs())
    return locs, tuple(axis.get_major_formatter().format_ticks(list(locs)))


def _legend(legend) -> tuple:
    return () if legend is None else tuple(t.get_text() for t in legend.get_texts())


def frame_signature(fig) -> tuple:
    """What the frame looks like: size, dpi, each axes' place, limits, ticks, labels and legend."""
    axes = tuple((tuple(ax.get_position().bounds), ax.get_xlim(), ax.get_ylim(), ax.get_xscale(), ax.get_yscale(),
                  _ticks(ax.xaxis), _ticks(ax.yaxis), ax.get_xlabel(), ax.get_ylabel(), _legend(ax.get_legend()),
                  tuple(s.get_visible() for s in ax.spines.values()))
                 for ax in fig.axes)
    return (tuple(fig.get_size_inches()), fig.dpi, axes, tuple(_legend(g) for g in fig.legends))


def content(ax) -> list:
    """The axes' artists that change from picture to picture: all but its background, axes and legend."""
    frame = {ax.patch, ax.xaxis, ax.yaxis, ax.get_legend(), *ax.spines.values()}
    return [a for a in ax.get_children() if a not in frame]


def _encode(canvas) -> bytes:
    width, height = canvas.get_width_height()
    buf = io.BytesIO()
    Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).save(
        buf, "png", compress_level=1)
    return buf.getvalue()


class FrameCache:
    """One widget's picture stream: the last frame's background, reused while frames agree."""

    def __init__(self):
        self.signature = None

    def png(self, fig) -> bytes:
        """``fig`` as PNG bytes, drawing its frame only when it differs from the previous figure's."""
        fig.set_dpi(save_dpi(fig))
        for ax in fig.axes:
            ax.apply_aspect()
        signature = frame_signature(fig)
        if signature != self.signature:
            self._draw_frame(fig, signature)
        self.canvas.restore_region(self.background)
        renderer = self.canvas.get_renderer()
        for ax in fig.axes:
            for artist in sorted(content(ax) + list(ax.spines.values()), key=lambda a: a.get_zorder()):
                artist.draw(renderer)
        for artist in fig.texts:
            artist.draw(renderer)
        return _encode(self.canvas)

    def _draw_frame(self, fig, signature) -> None:
        moving = [a for ax in fig.axes for a in content(ax)] + list(fig.texts)
        for artist in moving:
            artist.set_animated(True)
        self.canvas = FigureCanvasAgg(fig)
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(fig.bbox)
        self.signature = signature
