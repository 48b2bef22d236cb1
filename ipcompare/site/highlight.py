"""A source document as HTML with every statement's quote marked at its character offsets.

Each distinct span ``[char_start, char_end)`` becomes one ``<mark id="q-<start>-<end>">``: two statements that
quote the same words (a table row read as a baseline and a target) share one mark, and a span inside another
(a sub-clause of a longer sentence) is a mark nested in the outer one. The id is made from the offsets, so any
value of the site can link to its passage knowing only its document and offsets. After each mark, empty links
(their arrow is drawn by CSS, so the mark's text stays exactly the quote) lead back to the observations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape

__all__ = ["Span", "mark_id", "highlight", "spans_for"]


@dataclass(frozen=True)
class Span:
    """A quoted passage and the links back to what was read from it (``(href, label)`` pairs)."""

    start: int
    end: int
    back: tuple[tuple[str, str], ...] = ()


def mark_id(start: int, end: int) -> str:
    """The id of the mark of a passage: ``mark_id(10, 25)`` → ``'q-10-25'``."""
    return f"q-{int(start)}-{int(end)}"


def _merge(spans: Iterable[Span]) -> list[Span]:
    """One span per distinct offsets, back links merged in order, sorted outer-first."""
    by: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for s in spans:
        links = by.setdefault((s.start, s.end), [])
        links.extend(b for b in s.back if b not in links)
    return [Span(a, b, tuple(v)) for (a, b), v in sorted(by.items(), key=lambda kv: (kv[0][0], -kv[0][1]))]


_BLANK_RUN = re.compile(r"\n[ \t\u3000\xa0]*(?:\n[ \t\u3000\xa0]*)+")


def _text(s: str, inside: bool) -> str:
    # The page shows the text with `white-space: pre-wrap` (the plan's line breaks kept, long lines wrapped on a
    # phone). Runs of blank lines of the web copies are shown as one blank line, outside marks only: inside a
    # mark every character stays, so the mark's text is exactly the quote.
    return escape(s if inside else _BLANK_RUN.sub("\n\n", s), quote=False)


def highlight(text: str, spans: Iterable[Span], back_title: str = "") -> str:
    """``text`` as HTML with the spans marked (nested where one lies inside another).

    A span that crosses another's end (neither inside nor outside it) cannot nest; it is cut at the crossing
    and only its first piece carries the id, so a test comparing marks with quotes will notice.

    >>> highlight("到2025年达到12件。", [Span(1, 11)])
    '到<mark id="q-1-11">2025年达到12件</mark>。'
    >>> highlight("ab", [Span(0, 2, (("#o1", "obs 1"),))])
    '<mark id="q-0-2">ab</mark><a class="back" href="#o1" title="obs 1" aria-label="obs 1"></a>'
    """
    merged = _merge(spans)
    for s in merged:
        if not 0 <= s.start < s.end <= len(text):
            raise ValueError(f"span {s.start}-{s.end} outside the text (length {len(text)})")
    opens: dict[int, list[Span]] = {}
    for s in merged:
        opens.setdefault(s.start, []).append(s)
    bounds = sorted({0, len(text)} | {s.start for s in merged} | {s.end for s in merged})
    out: list[str] = []
    stack: list[Span] = []
    for pos, nxt in zip(bounds, bounds[1:] + [None], strict=True):
        # Close what ends here, innermost first; a crossing span is closed with them and reopened without id.
        reopen: list[Span] = []
        while any(s.end == pos for s in stack):
            s = stack.pop()
            out.append("</mark>")
            if s.end == pos:
                out.extend(f'<a class="back" href="{escape(h)}" title="{escape(t)}" aria-label="{escape(t)}"></a>'
                           for h, t in s.back)
            else:
                reopen.append(s)
        for s in reversed(reopen):
            out.append('<mark class="cont">')
            stack.append(s)
        for s in opens.get(pos, []):
            out.append(f'<mark id="{mark_id(s.start, s.end)}">')
            stack.append(s)
        if nxt is not None:
            out.append(_text(text[pos:nxt], inside=bool(stack)))
    return "".join(out)


def spans_for(statements: Iterable[Mapping], back: Mapping[str, list[tuple[str, str]]]) -> list[Span]:
    """Spans of a document's statements (rows with ``stmt_id``, ``char_start``, ``char_end``); ``back`` maps a
    statement id to its links back."""
    return [Span(int(r["char_start"]), int(r["char_end"]), tuple(back.get(str(r["stmt_id"]), ())))
            for r in statements]
