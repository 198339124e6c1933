"""Shared plumbing of the widgets: show a figure in an Output widget, call a learner's function safely.

Figures are sent as PNG display data straight into ``Output.outputs`` (one atomic
replacement): no ipympl, no pyplot state, and it works inside and outside a kernel. Each Output
keeps a ``FrameCache`` (``_blit``): while the figures' frames agree, only their content is drawn.
"""

from __future__ import annotations

import base64
import html
import weakref

import ipywidgets as widgets

from nnkit.viz._blit import FrameCache

NOTE_STYLE = ("background:#fff4ce;border-left:4px solid #c28f00;padding:4px 8px;"
              "margin:2px 0;color:#3d2e00")


_FRAMES: "weakref.WeakKeyDictionary[widgets.Output, FrameCache]" = weakref.WeakKeyDictionary()


def show_figure(out: widgets.Output, fig) -> None:
    """Replace what ``out`` shows by ``fig`` rendered as a PNG image (its frame reused from the last one)."""
    png = base64.b64encode(_FRAMES.setdefault(out, FrameCache()).png(fig)).decode("ascii")
    out.outputs = ({"output_type": "display_data", "metadata": {},
                    "data": {"image/png": png, "text/plain": "<figure>"}},)


def note_html(text: str | None) -> str:
    """A highlighted note box for ``text`` (empty string when there is nothing to say)."""
    return f'<div style="{NOTE_STYLE}">{html.escape(text)}</div>' if text else ""


def call_learner(fn, args: tuple, reference, accept, name: str):
    """Call ``fn(*args)``; fall back to ``reference(*args)`` if ``fn`` is missing, unfinished or unusable.

    ``accept(result)`` returns the cleaned result or raises ``ValueError`` saying why it is
    unusable. Returns ``(result, note)``: ``note`` is ``None`` when the learner's result was
    used, otherwise a sentence for the learner ending in "showing the reference".
    """
    if fn is None:
        return accept(reference(*args)), f"No {name} was given — showing the reference."
    try:
        result = fn(*args)
    except NotImplementedError:
        reason = f"your {name} is not finished yet"
    except Exception as exc:  # a learner's bug must not break the widget
        reason = f"your {name} raised {type(exc).__name__}: {exc}"
    else:
        try:
            return accept(result), None
        except ValueError as exc:
            reason = f"your {name} returned something unusable: {exc}"
    return accept(reference(*args)), f"{reason[0].upper()}{reason[1:]} — showing the reference."
