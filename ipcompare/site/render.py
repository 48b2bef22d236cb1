"""Turning library output into page fragments: Markdown to HTML, values into links, bars into an SVG chart,
and the Jinja2 environment that renders the templates shipped with the package."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from html import escape

import jinja2
import mistune
from markupsafe import Markup

__all__ = ["environment", "md", "link_values", "bar_chart"]

_MD = mistune.create_markdown(escape=False)


def environment() -> jinja2.Environment:
    """Templates from ``ipcompare/site/templates`` (package data), HTML-escaped, undefined names an error."""
    return jinja2.Environment(loader=jinja2.PackageLoader("ipcompare.site", "templates"),
                              autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                              lstrip_blocks=True, keep_trailing_newline=True)


def md(text: str) -> Markup:
    """The library's report Markdown (bold, numbered lists, ``<small>`` notes) as HTML.

    >>> str(md("**郑州** 11.5"))
    '<p><strong>郑州</strong> 11.5</p>\\n'
    """
    return Markup(_MD(text or "")) if text else Markup("")


def link_values(html: str, pairs: Iterable[tuple[str, str | None]]) -> Markup:
    """Wrap the first occurrence of each value text in ``html`` in a link to its source passage.

    ``pairs`` are ``(text as rendered, href)``; longer texts first so that '≥11.5件/万人' wins over '11.5件'.
    A text already inside an inserted link is not linked again. Texts are matched HTML-escaped.

    >>> str(link_values("<p>达到 ≥25亿元，全国 12</p>", [("≥25亿元", "d.html#q-1-9")]))
    '<p>达到 <a class="v" href="d.html#q-1-9">≥25亿元</a>，全国 12</p>'
    """
    out = str(html)
    slots: list[str] = []
    for text, href in sorted({(t, h) for t, h in pairs if t and h}, key=lambda p: (-len(p[0]), p)):
        needle = escape(text, quote=False)
        i = out.find(needle)
        if i < 0:
            continue
        slots.append(f'<a class="v" href="{escape(href)}">{needle}</a>')
        out = out[:i] + f"\x00{len(slots) - 1}\x00" + out[i + len(needle):]
    for k, a in enumerate(slots):
        out = out.replace(f"\x00{k}\x00", a)
    return Markup(out)


def _text_px(s: str) -> float:
    return sum(13.5 if ord(c) > 0x2E80 else 8.2 for c in str(s))  # bold type: the page's city


def bar_chart(title: str, unit: str, bars: Sequence[dict], caption: str = "") -> dict:
    """Layout of a horizontal bar chart drawn by the ``chart`` macro: one bar per place, largest first.

    ``bars``: dicts with ``label``, ``value`` (a number; a range at its midpoint), ``text`` (the value as
    written), ``href`` (its passage or None), ``highlight`` (the page's city), ``nation``.
    """
    rows = sorted(bars, key=lambda b: -b["value"] if not math.isnan(b["value"]) else math.inf)
    top = max([b["value"] for b in rows if b["value"] > 0] or [1.0])
    # Room for the longest label and value text (13px type: ~13.5px a hanzi, ~8px a Latin letter in bold), so nothing
    # is clipped; the SVG scales to the column's width.
    label_w = max([_text_px(b["label"]) for b in rows] or [60]) + 16
    text_w = max([_text_px(b["text"]) for b in rows] or [40]) + 10
    max_w, top_y, step = 230, 4, 28
    width = round(label_w + max_w + text_w)
    laid = [{**b, "y": top_y + i * step, "w": round(max(b["value"], 0) / top * max_w, 1) if b["value"] > 0 else 1}
            for i, b in enumerate(rows)]
    return {"title": title, "unit": unit, "bars": laid, "caption": caption, "width": width, "label_w": label_w,
            "height": top_y + len(rows) * step + 4}
