"""Faster widget pictures: a figure's unchanging frame is drawn once, later figures draw only the rest.

A widget shows a stream of figures that differ mostly in their content: the same size and axes,
mostly the same limits, ticks, axis labels and legends, other points and lines and titles.
Drawing the frame's text (tick labels, legends) is most of matplotlib's cost, so a
:class:`FrameCache` keeps the frames as a pixel background and, for each later figure, restores
it and draws only that figure's content. The frame is kept per axes (:func:`axes_signature`):
when one axes' limits or ticks change, only that axes' frame is drawn again, into its own
patch of the background (or pasted, if it was drawn lately); another layout (size, dpi, axes
places, figure legends) is drawn in full. A legend over the axes belongs to the content (lines
pass under it) but is drawn once and then composited. ``keep_in_frame`` moves seldom-changing
artists into the frame. ``png(fig)`` returns the same picture ``figure_png(fig)`` would (tests
compare the pixels).
"""

from __future__ import annotations

import struct
import weakref
import zlib

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.text import Text
from matplotlib.transforms import Bbox

MARGIN = 8  # pixels around an axes' frame: tick marks, spines and anti-aliasing reach that far out


def save_dpi(fig) -> float:
    """The dpi ``fig.savefig`` would use (``savefig.dpi``, "figure" meaning the figure's own)."""
    dpi = matplotlib.rcParams["savefig.dpi"]
    return fig.dpi if dpi == "figure" else float(dpi)


def _ticks(axis) -> tuple:
    locs = tuple(axis.get_majorticklocs())
    return locs, tuple(axis.get_major_formatter().format_ticks(list(locs)))


def _legend(legend) -> tuple:
    return () if legend is None else tuple(t.get_text() for t in legend.get_texts())


_IN_FRAME: "weakref.WeakSet" = weakref.WeakSet()


def keep_in_frame(*artists) -> None:
    """Draw ``artists`` into the frame's background, not with the content of every picture: for artists
    that seldom change and lie under or beside the content (arrows of a fixed graph, a surface's
    contours). A change of their visibility, text or box colour counts as a new frame."""
    _IN_FRAME.update(artists)


def _look(artist) -> tuple:
    box = artist.get_bbox_patch() if isinstance(artist, Text) else None
    return (artist.get_visible(), artist.get_text() if isinstance(artist, Text) else None,
            None if box is None else tuple(box.get_facecolor()))


def axes_signature(ax) -> tuple:
    """What one axes' frame looks like: limits, scales, ticks, axis labels, legend, spines, kept artists."""
    return (ax.get_xlim(), ax.get_ylim(), ax.get_xscale(), ax.get_yscale(), _ticks(ax.xaxis), _ticks(ax.yaxis),
            ax.get_xlabel(), ax.get_ylabel(), _legend(ax.get_legend()),
            tuple(s.get_visible() for s in ax.spines.values()), ax.axison,
            tuple(_look(a) for a in ax.get_children() if a in _IN_FRAME))


def layout_signature(fig) -> tuple:
    """What the figure's frame is laid out as: size, dpi, each axes' place, the figure legends."""
    return (tuple(fig.get_size_inches()), fig.dpi, tuple(tuple(ax.get_position().bounds) for ax in fig.axes),
            tuple(_legend(g) for g in fig.legends))


def frame_signature(fig) -> tuple:
    """The whole frame: the layout and every axes' frame."""
    return layout_signature(fig), tuple(axes_signature(ax) for ax in fig.axes)


def _beside(legend, ax) -> bool:
    """True when ``legend`` is anchored outside ``ax`` (no line or image of the axes can pass under it)."""
    anchor, box = legend.get_bbox_to_anchor(), ax.bbox
    return not (anchor.x0 < box.x1 and box.x0 < anchor.x1 and anchor.y0 < box.y1 and box.y0 < anchor.y1)


def content(ax) -> list:
    """The axes' artists that change from picture to picture: all but its background, axes, spines and
    a legend beside it (a legend over the axes is drawn with the content, in its place by z-order)."""
    legend = ax.get_legend()
    frame = {ax.patch, ax.xaxis, ax.yaxis, *ax.spines.values(), *(a for a in ax.get_children() if a in _IN_FRAME)}
    if legend is not None and _beside(legend, ax):
        frame.add(legend)
    return [a for a in ax.get_children() if a not in frame]


def _frame_region(ax, renderer) -> Bbox:
    """Where ``ax``'s frame is drawn (display pixels): the axes, its tick labels, axis labels, legend, kept artists."""
    parts = [ax.bbox] if ax.axison else []
    if ax.axison:
        parts += [axis.get_tightbbox(renderer) for axis in (ax.xaxis, ax.yaxis)]
    legend = ax.get_legend()
    if legend is not None and _beside(legend, ax):
        parts.append(legend.get_window_extent(renderer))
    parts += [a.get_window_extent(renderer) for a in ax.get_children() if a in _IN_FRAME and a.get_visible()]
    parts = [b for b in parts if b is not None and b.width >= 0 and b.height >= 0]
    return Bbox.union(parts).padded(MARGIN) if parts else Bbox.null()


def _overlaps(a: Bbox, b: Bbox) -> bool:
    return not (a.x1 < b.x0 or b.x1 < a.x0 or a.y1 < b.y0 or b.y1 < a.y0)


def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def _encode(canvas) -> bytes:
    """The canvas as an RGBA PNG with no row filters: a third of PIL's time (its filters cost more than the
    compression) for a file of about the same size, since a plot is mostly flat colour."""
    width, height = canvas.get_width_height()
    rows = np.zeros((height, 1 + 4 * width), np.uint8)  # each row: filter type 0, then its pixels
    rows[:, 1:] = np.asarray(canvas.buffer_rgba()).reshape(height, -1)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits per channel, RGBA
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
            + _chunk(b"IEND", b""))


def _pixels(box: Bbox, height: int, width: int) -> tuple:
    """The rows and columns of a canvas buffer (top row first) under the display box ``box``."""
    x0, x1 = (int(np.clip(v, 0, width)) for v in (np.floor(box.x0), np.ceil(box.x1)))
    y0, y1 = (int(np.clip(height - v, 0, height)) for v in (np.ceil(box.y1), np.floor(box.y0)))
    return slice(y0, y1), slice(x0, x1)


class FrameCache:
    """One widget's picture stream: the frames' background, reused while they agree, axes by axes.

    The last ``KEPT`` axes frames drawn are kept as pixels too, so that going back to a setting
    seen before (a menu, a slider moved back) pastes its frame instead of drawing it again.
    """

    KEPT = 24

    def __init__(self):
        self.signature = None
        self.kept = {}  # (layout, axes index, axes signature) -> (region, pixels), oldest first
        self.legends = {}  # (layout, axes index, legend texts) -> (rows and columns, colour, alpha)

    def png(self, fig) -> bytes:
        """``fig`` as PNG bytes, drawing only the axes frames that differ from the previous figure's."""
        fig.set_dpi(save_dpi(fig))
        for ax in fig.axes:
            ax.apply_aspect()
        signature = frame_signature(fig)
        if signature != self.signature and not self._redraw_axes(fig, signature):
            self._draw_frame(fig, signature)
        self.canvas.restore_region(self.background)
        renderer = self.canvas.get_renderer()
        for i, ax in enumerate(fig.axes):
            spines = list(ax.spines.values()) if ax.axison and ax.get_frame_on() else []  # as Axes.draw does
            for artist in sorted(content(ax) + spines, key=lambda a: a.get_zorder()):
                if artist is ax.get_legend() and artist._loc:  # placed by a fixed "loc", not "best"
                    self._paste_legend(artist, (signature[0], i, _legend(artist)))
                else:
                    artist.draw(renderer)
        for artist in fig.texts:
            artist.draw(renderer)
        return _encode(self.canvas)

    @staticmethod
    def _animate_content(fig) -> None:
        for artist in [a for ax in fig.axes for a in content(ax)] + list(fig.texts):
            artist.set_animated(True)

    def _paste_legend(self, legend, key) -> None:
        """Draw a legend that lies over the axes' content: its pixels are drawn once on a transparent
        canvas and then laid over the picture (alpha compositing), since its text is slow to draw."""
        pixels = np.asarray(self.canvas.get_renderer().buffer_rgba())
        if key not in self.legends:
            height, width = pixels.shape[:2]
            alone = RendererAgg(width, height, legend.figure.dpi)  # transparent
            legend.draw(alone)
            layer = np.asarray(alone.buffer_rgba())
            rows, cols = (np.flatnonzero(np.any(layer[:, :, 3] > 0, axis=k)) for k in (1, 0))
            if not rows.size:
                return
            box = slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)
            self.legends[key] = box, layer[box][:, :, :3].astype(np.float32), layer[box][:, :, 3:] / np.float32(255)
        box, color, alpha = self.legends[key]
        under = pixels[box][:, :, :3]
        pixels[box + (slice(0, 3),)] = np.round(color * alpha + under * (1 - alpha)).astype(np.uint8)

    def _draw_frame(self, fig, signature) -> None:
        self._animate_content(fig)
        self.canvas = FigureCanvasAgg(fig)
        self.canvas.draw()
        renderer = self.canvas.get_renderer()
        self.regions = [_frame_region(ax, renderer) for ax in fig.axes]
        self.background, self.signature = self.canvas.copy_from_bbox(fig.bbox), signature
        pixels = np.asarray(renderer.buffer_rgba())
        others = [legend.get_window_extent(renderer) for legend in fig.legends]
        for i, region in enumerate(self.regions):  # kept only where no other frame reaches in
            if not any(_overlaps(region, box) for box in others + self.regions[:i] + self.regions[i + 1:]):
                self._keep((signature[0], i, signature[1][i]), region, pixels[_pixels(region, *pixels.shape[:2])])

    def _keep(self, key, region: Bbox, pixels: np.ndarray) -> None:
        self.kept.pop(key, None)
        self.kept[key] = region, pixels.copy()
        while len(self.kept) > self.KEPT:
            self.kept.pop(next(iter(self.kept)))

    def _draw_alone(self, ax, paper: np.ndarray) -> tuple:
        """``ax``'s frame drawn on a blank canvas: ``(region, pixels)``, the region being where it drew
        (exact, and cheaper than asking matplotlib where its tick labels are)."""
        width, height = self.canvas.get_width_height()
        renderer = RendererAgg(width, height, ax.figure.dpi)
        pixels = np.asarray(renderer.buffer_rgba())
        pixels[:] = paper
        ax.draw(renderer)
        inked = pixels.view(np.uint32)[:, :, 0] != paper.view(np.uint32)[0]
        rows, cols = np.flatnonzero(inked.any(axis=1)), np.flatnonzero(inked.any(axis=0))
        if not rows.size:
            return Bbox.null(), pixels[:0, :0]
        region = Bbox([[cols[0], height - rows[-1] - 1], [cols[-1] + 1, height - rows[0]]])
        return region, pixels[_pixels(region, height, width)]

    def _redraw_axes(self, fig, signature) -> bool:
        """Draw again (or take from ``kept``) only the frames of the axes that changed, if the layout is
        the same and the changed frames' regions (old and new) stay clear of the others; False if not."""
        if self.signature is None or signature[0] != self.signature[0]:
            return False
        renderer = self.canvas.get_renderer()
        paper = np.round(np.array(fig.patch.get_facecolor()) * 255).astype(np.uint8)
        changed = [i for i, (new, old) in enumerate(zip(signature[1], self.signature[1])) if new != old]
        self._animate_content(fig)
        keys = {i: (signature[0], i, signature[1][i]) for i in changed}
        fresh = {i: self._draw_alone(fig.axes[i], paper) for i in changed if keys[i] not in self.kept}
        patches = {i: fresh.get(i) or self.kept[keys[i]] for i in changed}
        regions = [patches[i][0] if i in patches else self.regions[i] for i in range(len(fig.axes))]
        cleared = [Bbox.union([regions[i], self.regions[i]]) for i in changed]
        fixed = [regions[j] for j in range(len(regions)) if j not in patches]
        fixed += [legend.get_window_extent(renderer) for legend in fig.legends]
        if any(_overlaps(box, other) for box in cleared for other in fixed):
            return False
        self.canvas.restore_region(self.background)
        pixels = np.asarray(renderer.buffer_rgba())
        for box in cleared:
            pixels[_pixels(box, *pixels.shape[:2])] = paper
        for region, patch in patches.values():
            pixels[_pixels(region, *pixels.shape[:2])] = patch
        for i, (region, patch) in fresh.items():
            self._keep(keys[i], region, patch)
        self.background, self.signature, self.regions = self.canvas.copy_from_bbox(fig.bbox), signature, regions
        return True
