"""Column widths of report tables, measured from the font, so that WeasyPrint lays them out as fixed tables.

Why. With CSS automatic table layout WeasyPrint measures every cell's min- and max-content by shaping its text
line by line — for Chinese, one character per line for the minimum — about half of a report's PDF time (see
docs/decisions.md). Here the automatic algorithm is computed from the font's advance widths instead (a
dictionary lookup per character): each column gets its max-content width when the table fits the page,
otherwise its minimum plus a share of (max − min) proportional to that difference (css-tables-3 §3.9.3, as
WeasyPrint does); the table is then set with ``table-layout: fixed`` and those widths, and WeasyPrint only
wraps the text.

max-content is a cell's widest line (``<br>`` breaks lines, white space collapses), from the core font's
advances (every GB 2312 character, Latin, punctuation; kerning ignored, so never narrower than printed; a
character outside it counts 1 em if wide, 0.6 em otherwise). The minimum is chosen, not measured: a cell up to
``SHORT_EM`` stays on one line and a longer one wraps within ``SHORT_EM`` (WeasyPrint's own minimum, one
character, squeezes short labels such as 存量 into a column of single characters); a ``nowrap`` cell keeps its
width. Where WeasyPrint will not break a text the way this assumes, ``pdf._overflowing_cells`` sees the text
run past its cell and the table is laid out automatically again.

A table that is not a plain grid (``colspan``/``rowspan``, rows of different lengths), or that does not fit even
at the smallest type, keeps automatic layout, so the render-time fit check (``pdf._overflowing_tables``) still
catches a table too wide for the page.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["CONTENT_WIDTH_PT", "TYPE_LADDER", "CELL_PADDING_PT", "SHORT_EM", "advances", "text_width",
           "cell_widths", "column_widths", "nowrap_ids", "plan_table"]

MM = 72 / 25.4
CONTENT_WIDTH_PT = (210 - 18 - 18) * MM  # A4 less the left and right margins of report.css's @page
# Font size of a table's cells by class, largest first: report.css's table, .ipc-narrow, .ipc-narrower.
TYPE_LADDER: list[tuple[str, float]] = [("", 8.5), ("ipc-narrow", 7.0), ("ipc-narrower", 6.0)]
CELL_PADDING_PT = 2 * 5.0  # th, td { padding: 1.5pt 5pt }
SHORT_EM = 8.0  # a cell up to this wide (8 Chinese characters) is not wrapped; no column is squeezed below it
_SLACK_PT = 0.5  # per column, so that rounding never wraps a cell the measure says fits
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_ID = re.compile(r"#([A-Za-z0-9_-]+)")
_NOWRAP = re.compile(r"white-space\s*:\s*(nowrap|pre)\s*(;|!|$)")


@lru_cache(maxsize=1)
def advances() -> dict[int, float]:
    """Advance width in em of every character of the core font (read once per process, ~0.07 s)."""
    from fontTools.ttLib import TTFont

    from ipcompare.report.fonts import core_path

    font = TTFont(str(core_path()), lazy=True)
    upm = font["head"].unitsPerEm
    hmtx = font["hmtx"]
    return {cp: hmtx[name][0] / upm for cp, name in font.getBestCmap().items()}


def _advance(ch: str, adv: dict[int, float]) -> float:
    a = adv.get(ord(ch))
    if a is not None:
        return a
    if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d\ufeff\xad":
        return 0.0
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.6


def text_width(text: str, size_pt: float) -> float:
    """Width in pt of ``text`` on one line at ``size_pt``."""
    adv = advances()
    return sum(_advance(ch, adv) for ch in text) * size_pt


def _lines(cell) -> list[str]:
    """The cell's lines as CSS ``white-space: normal`` sets them: ``<br>`` breaks, white space collapses."""
    # Text nodes are bs4's NavigableString exactly (its subclasses are comments, CDATA, …, not printed).
    parts = ["\x00" if getattr(node, "name", None) == "br" else str(node) for node in cell.descendants
             if getattr(node, "name", None) == "br" or type(node).__name__ == "NavigableString"]
    return [" ".join(line.split()) for line in "".join(parts).split("\x00")]


def cell_widths(cell, size_pt: float, nowrap: bool = False) -> tuple[float, float]:
    """(min, max) width in pt of a table cell, padding included.

    max is the cell's widest line; min, what its column may be squeezed to: a short cell (up to ``SHORT_EM``)
    stays on one line, a longer one wraps within at least ``SHORT_EM``; a ``nowrap`` cell is never squeezed.
    """
    widest = max((text_width(line, size_pt) for line in _lines(cell)), default=0.0)
    narrowest = widest if nowrap else min(widest, SHORT_EM * size_pt)
    return narrowest + CELL_PADDING_PT, widest + CELL_PADDING_PT


def column_widths(mins: list[float], maxs: list[float], available: float) -> list[float] | None:
    """Automatic table layout: max-content widths if they fit, else min + a share of (max − min); None if
    even the min-content widths do not fit."""
    lo, hi = sum(mins), sum(maxs)
    if hi <= available:
        return list(maxs)
    if lo > available:
        return None
    share = (available - lo) / (hi - lo)
    return [m + (x - m) * share for m, x in zip(mins, maxs, strict=True)]


def _grid(table) -> list[list] | None:
    """The table's rows of cells, or None when it is not a plain grid."""
    rows = [tr.find_all(("th", "td"), recursive=False) for tr in table.find_all("tr")]
    rows = [r for r in rows if r]
    if not rows or any(c.get("colspan") not in (None, "1") or c.get("rowspan") not in (None, "1")
                       for r in rows for c in r):
        return None
    if len({len(r) for r in rows}) != 1 or table.find("table") is not None:
        return None
    return rows


def nowrap_ids(soup) -> set[str]:
    """Element ids that the document's ``<style>`` blocks set to ``white-space: nowrap`` (pandas' Styler writes
    one rule per table listing its cells as ``#T_…_row0_col1, …``)."""
    ids: set[str] = set()
    for style in soup.find_all("style"):
        for selectors, body in _RULE.findall(style.get_text()):
            if _NOWRAP.search(body.strip()):
                ids.update(_ID.findall(selectors))
    return ids


def plan_table(soup, table, start: str = "", nowrap: set[str] = frozenset()) -> bool:
    """Give ``table`` (a tag of ``soup``) fixed layout with measured column widths, at the largest type of the
    ladder from ``start`` at which it fits. Returns False, leaving it untouched, when it cannot.

    ``nowrap``: ids of cells that must stay on one line (:func:`nowrap_ids`); a cell's own ``style`` counts too."""
    rows = _grid(table)
    if rows is None or table.get("style"):
        return False  # not a plain grid, or the notebook styled the table itself: automatic layout
    names = [cls for cls, _ in TYPE_LADDER]
    for cls, size in TYPE_LADDER[names.index(start):]:
        measured = [[cell_widths(c, size, c.get("id") in nowrap or _NOWRAP.search(c.get("style") or "") is not None)
                     for c in col] for col in zip(*rows, strict=True)]
        mins = [max(w[0] for w in col) + _SLACK_PT for col in measured]
        maxs = [max(w[1] for w in col) + _SLACK_PT for col in measured]
        widths = column_widths(mins, maxs, CONTENT_WIDTH_PT - _SLACK_PT)
        if widths is None:
            continue
        kept = [c for c in table.get("class", []) if c not in names]
        table["class"] = [*kept, *([cls] if cls else []), "ipc-fixed"]
        table["style"] = f"width: {sum(widths):.2f}pt"
        group = soup.new_tag("colgroup")
        for w in widths:
            group.append(soup.new_tag("col", attrs={"style": f"width: {w:.2f}pt"}))
        table.insert(0, group)
        return True
    return False
