"""Margins of a one-panel chart from the measured extents of its own labels, computed inside the one draw.

matplotlib's tight layout engine gave the charts their margins, and cost about half of each chart: it measures
the axes' tight bounding box twice (the second pass only to return the margins of the first when a ``rect`` is
given), and that box walks every child artist (bars, grid lines, spines, patches of the legend) and re-positions
the title by measuring the y axis again. Our charts have one axes whose decorations are known: tick labels, axis
labels, the title, the value labels written beside bars, annotations and a legend; every other artist is clipped
to the axes. :class:`LabelLayout` measures exactly those, once, with the renderer of the draw (so the text
metrics it computes are reused by the draw), and applies tight layout's own arithmetic (pad of 1.08 font sizes,
margins measured at the subplot's default position, then shifted into ``rect``). The result is the margins tight
layout gave (a test compares them), except where tight layout cut text off at the figure's right edge: values
beside bars that long place names pushed out, and a left title too long for the room right of the y labels; ``tests/test_chart_layout.py`` checks that every chart's
drawn content lies inside the figure.
"""

from __future__ import annotations

import matplotlib as mpl
from matplotlib.layout_engine import LayoutEngine, TightLayoutEngine
from matplotlib.transforms import Bbox

__all__ = ["LabelLayout"]


class LabelLayout(LayoutEngine):
    """Tight-layout margins for a figure with one axes, from the extents of its labels, titles, texts and legend.

    ``rect`` is the part of the figure (left, bottom, right, top, in figure fractions) the axes and its labels
    go into — charts keep the bottom strip for their source line; ``pad`` is in font sizes, as tight layout's.
    """

    _adjust_compatible = True
    _colorbar_gridspec = True

    def __init__(self, rect: tuple[float, float, float, float] = (0, 0, 1, 1), pad: float = 1.08) -> None:
        super().__init__()
        self._params.update(rect=rect, pad=pad)

    def execute(self, fig) -> None:
        """Set the figure's subplot parameters so that the axes' labels fit inside ``rect``."""
        if len(fig.axes) != 1:  # not one of our one-panel charts (a colorbar or a second panel added): tight layout
            TightLayoutEngine(pad=self._params["pad"], rect=self._params["rect"]).execute(fig)
            return
        (ax,) = fig.axes
        # The renderer of the draw (as tight layout's engine gets it): text measured here is measured once.
        renderer = fig._get_renderer()
        box = Bbox.union([ax.bbox, *_decorations(ax, renderer)])
        frame = fig.transFigure.inverted()
        pos, tight = frame.transform_bbox(ax.bbox), frame.transform_bbox(box)
        w_in, h_in = fig.get_size_inches()
        pad_in = self._params["pad"] * mpl.rcParams["font.size"] / 72
        left, bottom, right, top = self._params["rect"]
        kw = dict(left=left + max(pos.xmin - tight.xmin, 0) + pad_in / w_in,
                  right=right - max(tight.xmax - pos.xmax, 0) - pad_in / w_in,
                  bottom=bottom + max(pos.ymin - tight.ymin, 0) + pad_in / h_in,
                  top=top - max(tight.ymax - pos.ymax, 0) - pad_in / h_in)
        if kw["left"] < kw["right"] and kw["bottom"] < kw["top"]:  # else leave the default margins, as tight layout
            fig.subplots_adjust(**kw)
            # Only what would be cut off is moved: a value reaching into the padding stays where tight layout put it.
            _keep_texts_inside(fig, ax, renderer, fig.bbox.x1)
        _keep_title_inside(fig, ax, renderer, pad_in * fig.dpi)


def _keep_texts_inside(fig, ax, renderer, limit_px: float) -> None:
    """Texts placed at data positions (the values beside bars) move with the axes: tight layout measured them
    at the default axes position, and once long place names narrowed the axes a value near the right edge was cut
    off. For each such text at fraction f of the axes width with width w, the axes' right edge R must satisfy
    L + f·(R − L) + w ≤ limit; R is set to the least of those bounds (the texts' positions are linear in R)."""
    left, right = ax.bbox.x0, ax.bbox.x1
    bound = right
    for text in ax.texts:
        if not (text.get_visible() and text.get_in_layout() and text.get_text()):
            continue
        bb = text.get_window_extent(renderer)
        f = (bb.x0 - left) / (right - left)
        if bb.x1 > limit_px and f > 0:
            bound = min(bound, left + (limit_px - bb.width - left) / f)
    if left < bound < right:
        fig.subplots_adjust(right=bound / fig.bbox.width)


def _keep_title_inside(fig, ax, renderer, pad_px: float) -> None:
    """A left-aligned title starts at the axes' left edge; after long place names it can run past the figure's
    right edge (tight layout ignores a title's width, and cut it off). Such a title is moved left, as far as
    needed and no further than the figure's padding; every other title stays where it was."""
    title = ax._left_title
    if not title.get_text():
        return
    width = title.get_window_extent(renderer).width
    left_px = ax.bbox.x0
    room = fig.bbox.x1 - pad_px - left_px
    if width > room:
        start = max(pad_px, fig.bbox.x1 - pad_px - width)
        title.set_x((start - left_px) / ax.bbox.width)


def _decorations(ax, renderer) -> list[Bbox]:
    """Window extents of what an axes draws outside itself: axis tick labels and labels, titles (centre only:
    a title's width does not move the margins, as in tight layout), texts and annotations, the legend."""
    out = []
    for axis in (ax.xaxis, ax.yaxis):
        if axis.get_visible():
            bb = axis.get_tightbbox(renderer, for_layout_only=True)
            if bb is not None:
                out.append(bb)
    for title in (ax.title, ax._left_title, ax._right_title):
        if title.get_visible() and title.get_text():
            bt = title.get_window_extent(renderer)
            mid = (bt.x0 + bt.x1) / 2
            out.append(Bbox([[mid - 0.5, bt.y0], [mid + 0.5, bt.y1]]))
    for text in ax.texts:
        if text.get_visible() and text.get_in_layout() and text.get_text():
            out.append(text.get_window_extent(renderer))
    legend = ax.get_legend()
    if legend is not None and legend.get_visible():
        out.append(legend.get_window_extent(renderer))
    return out
