"""The canvas charts are rendered on for reports: matplotlib's Agg, with each string's measure and glyph layout
kept for the process instead of for one figure.

A chart's cost grows with its labels: every bar brings a place name and a value, and each text is measured
(``FT2Font.set_text``) when the layout engine places it and laid out again (``FT2Font._layout``) when it is
drawn — with Noto Sans SC about 40 µs a glyph for each, the glyph's outline read again every time. matplotlib
keeps measures per renderer, so per figure; a profile draws the same names in several charts (its peers recur
from indicator to indicator), the same value beside eleven bars ("≥7.5%") and the same tick numbers. Here both
results are kept, keyed on everything they depend on — the FreeType face object (its files, kerning factor and
thread, as matplotlib's own font cache keys it), size, dpi, load flags, string, font features and language —
so a chart is drawn with exactly the numbers matplotlib computes (``tests/test_chart_canvas.py`` compares the
pixels of every default chart with matplotlib's own canvas).

Uses two private matplotlib members, ``FT2Font._layout`` and ``RendererAgg._draw_text_glyphs_and_boxes`` (as
matplotlib's ``draw_text`` does): with a matplotlib that lacks them the stock renderer draws the text, with only
the measures kept.
"""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.ft2font import FT2Font

__all__ = ["KeptTextRenderer", "draw_rgba", "forget"]

_LIMIT = 20_000  # entries per cache; a long interactive session starts afresh past it
_MEASURES: dict[tuple, tuple[float, float, float]] = {}
_LAYOUTS: dict[tuple, list] = {}
_CAN_LAY_OUT = hasattr(FT2Font, "_layout") and hasattr(RendererAgg, "_draw_text_glyphs_and_boxes")


def forget() -> None:
    """Empty the caches (a benchmark timing charts as a new kernel draws them; tests)."""
    _MEASURES.clear()
    _LAYOUTS.clear()


def _kept(cache: dict, key: tuple, compute):
    value = cache.get(key)
    if value is None:
        if len(cache) >= _LIMIT:
            cache.clear()
        value = cache[key] = compute()
    return value


class KeptTextRenderer(RendererAgg):
    """:class:`RendererAgg` whose plain-text measures and glyph layouts are computed once per process."""

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath is not False:  # mathtext and TeX: matplotlib's own path
            return super().get_text_width_height_descent(s, prop, ismath)
        font = self._prepare_font(prop)  # the face (the key) and its size for a measure that is not kept yet
        key = (font, prop.get_size_in_points(), self.dpi, get_hinting_flag(), s)
        return _kept(_MEASURES, key, lambda: super(KeptTextRenderer, self).get_text_width_height_descent(
            s, prop, ismath))

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        language = mtext.get_language() if mtext is not None else None
        if ismath or not _CAN_LAY_OUT or not isinstance(language, str | None):  # ranges of languages: not kept
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        # As RendererAgg.draw_text, the glyph layout taken from the cache when this string was laid out before.
        font = self._prepare_font(prop)
        flags = get_hinting_flag()
        features = mtext.get_fontfeatures() if mtext is not None else None
        size = prop.get_size_in_points()
        key = (font, size, self.dpi, flags, s, features if features is None else tuple(features), language)
        items = _kept(_LAYOUTS, key, lambda: font._layout(s, flags=flags, features=features, language=language))
        self._draw_text_glyphs_and_boxes(
            gc, x, y, angle, ((item.ft_object, size, item.glyph_index, 0, 1, item.x, item.y) for item in items), [])


class _Canvas(FigureCanvasAgg):
    """An Agg canvas drawing with :class:`KeptTextRenderer` (a renderer per size and dpi, as Agg's own)."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = KeptTextRenderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer


def draw_rgba(fig, dpi: float):
    """Draw ``fig`` at ``dpi`` on a :class:`_Canvas`; return its RGBA buffer (a view, valid until the next
    draw). The figure's own canvas and dpi are given back after."""
    old_canvas, old_dpi = fig.canvas, fig.dpi
    canvas = _Canvas(fig)
    try:
        fig.dpi = dpi
        canvas.draw()
        return canvas.buffer_rgba()
    finally:
        fig.dpi = old_dpi
        fig.set_canvas(old_canvas)
