"""WeasyPrint's user-agent stylesheet without the rules that give every element six pseudo-element styles.

Why. WeasyPrint 70's HTML stylesheet (``weasyprint/css/html5_ua.css``) has six rules whose selector is a bare
pseudo-element — ``::marker``, ``::footnote-call``, ``::footnote-marker``, ``::note-call``, ``::note-marker``,
``::note-callback`` — so every element of the page matches them, and the cascade computes a style for each of
the six pseudo-elements of every element: 6 762 pseudo-element styles for the Suzhou profile's 1 102 elements,
against 191 element styles. Those styles are only read for an element that is a list item (``::marker``), a
footnote (``float: footnote``) or a note (``position: note()``). Scoped to ``li``, and the note rules left out,
the report's cascade is about a third of what it was and the PDF is the same.

How. :func:`lean_ua_css` rewrites the stylesheet's text (``::marker`` → ``li::marker``, the five footnote and
note rules dropped, nothing else touched); :func:`html_class` returns a subclass of ``weasyprint.HTML`` that
hands WeasyPrint that sheet in place of its own through ``HTML._ua_stylesheets`` — the hook WeasyPrint's own
tests use, not a documented API. A page that could need the full sheet — one that mentions ``footnote``,
``note(`` or ``list-item`` anywhere, say an element made a list item by a style — keeps WeasyPrint's
(:func:`needs_full_sheet`), as does a WeasyPrint without the hook or without the rules this expects.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["lean_ua_css", "needs_full_sheet", "html_class"]

# Rules that start a line with a bare pseudo-element, as html5_ua.css writes them; anything else is left alone.
_PSEUDO_RULE = re.compile(r"(?m)^::([a-z-]+)(\s*\{[^{}]*\})[ \t]*$")
_DROPPED = {"footnote-call", "footnote-marker", "note-call", "note-marker", "note-callback"}
_SCOPED = {"marker": "li"}  # the pseudo-element → the only elements of ours that have one
# Text that means a page could use a pseudo-element the lean sheet no longer gives every element (CSS keywords
# are case-insensitive: looked for in the lower-cased text, 5 ms for a 0.9 MB page; a regex with IGNORECASE, 34).
_NEEDS_FULL = ("footnote", "note(", "list-item")


def lean_ua_css(ua_css: str) -> str | None:
    """``ua_css`` with ``::marker`` scoped to ``li`` and the footnote/note rules dropped; None when the text has
    not exactly the six bare pseudo-element rules this expects (another WeasyPrint: use its own sheet)."""
    found: list[str] = []

    def sub(m: re.Match) -> str:
        name = m.group(1)
        found.append(name)
        if name in _DROPPED:
            return ""
        if name in _SCOPED:
            return f"{_SCOPED[name]}::{name}{m.group(2)}"
        return m.group(0)

    lean = _PSEUDO_RULE.sub(sub, ua_css)
    if sorted(found) != sorted([*_DROPPED, *_SCOPED]):
        return None
    return lean


def needs_full_sheet(*texts: str) -> bool:
    """Whether a page made of ``texts`` (its HTML, its stylesheets) might use the rules the lean sheet lacks."""
    return any(word in low for low in (t.lower() for t in texts) for word in _NEEDS_FULL)


@lru_cache(maxsize=1)
def html_class():
    """``weasyprint.HTML``, or a subclass of it that styles with the lean user-agent sheet when this WeasyPrint
    has the hook and the rules expected."""
    import weasyprint
    from weasyprint import CSS
    from weasyprint import html as wp_html
    from weasyprint.css.counters import CounterStyle

    ua_text = getattr(wp_html, "UA", None)
    ua_sheet = getattr(wp_html, "UA_STYLESHEET", None)
    if not callable(getattr(weasyprint.HTML, "_ua_stylesheets", None)) or not isinstance(ua_text, str) \
            or ua_sheet is None:
        return weasyprint.HTML
    lean = lean_ua_css(ua_text)
    if lean is None:
        return weasyprint.HTML
    # Its @counter-style rules are already in WeasyPrint's UA counter styles; a throwaway store for the parse.
    lean_sheet = CSS(string=lean, counter_style=CounterStyle())

    class LeanUaHTML(weasyprint.HTML):
        """A page styled with the lean user-agent sheet (module docstring)."""

        def _ua_stylesheets(self, *args, **kwargs):
            return [lean_sheet if s is ua_sheet else s for s in super()._ua_stylesheets(*args, **kwargs)]

    return LeanUaHTML
