"""A normalised view of a plan's text for matching, with a map back to the stored text's offsets.

Plans break phrases with spaces, line breaks (PDF line wraps, OCR page breaks) and stray quote marks
(知识产权贯标”认证企业). Matching runs on a view with those characters removed, full-width forms made
half-width, ASCII lower-cased, Kangxi radicals (from PDF text layers) read as ideographs and traditional
characters as simplified (OpenCC's character table); every position in
the view maps back to the stored text, so quotes and offsets are always verbatim.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field

from ipcompare.textnorm import to_halfwidth, traditional_to_simplified

__all__ = ["PARAGRAPH", "TextView", "build_view", "normalise_phrase"]

# Removed from the view: whitespace, zero-width characters and quotation marks.
_REMOVED = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff“”‘’\"'「」『』〝〞]+")
# An OCR page break: a newline followed by a page number and 、 (…服务基\n14、地) in the middle of a sentence.
_PAGE_MARK = re.compile(r"\d{1,3}、")
_SENTENCE_END = set("。；;！!？?：:")
# What a paragraph break leaves in the view: one newline, read as the end of a sentence.
PARAGRAPH = "\n"
_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
# PDF text layers often give Kangxi radicals (⼈ U+2F08) or compatibility ideographs for ordinary characters (人):
# their one-character NFKC forms, so that 知识产权⼈才 still reads as 知识产权人才.
_RADICALS = {
    cp: ord(unicodedata.normalize("NFKC", chr(cp)))
    for cp in (*range(0x2E80, 0x2EF4), *range(0x2F00, 0x2FD6), *range(0xF900, 0xFB00))
    if len(unicodedata.normalize("NFKC", chr(cp))) == 1 and unicodedata.normalize("NFKC", chr(cp)) != chr(cp)
}
# textnorm.to_halfwidth's mapping, read off the function itself, so the view needs one pass of str.translate.
_HALFWIDTH = {
    cp: ord(to_halfwidth(chr(cp)))
    for cp in (*range(0x2000, 0x3100), *range(0xFF00, 0xFF70))
    if len(to_halfwidth(chr(cp))) == 1 and to_halfwidth(chr(cp)) != chr(cp)
}
# Traditional characters (知識產權, 億元) are read through OpenCC's table, so plans reposted in traditional
# script match the registry's simplified aliases; radicals first, then their traditional forms too.
_VIEW_TABLE = str.maketrans({
    **traditional_to_simplified(),
    **{k: traditional_to_simplified().get(v, v) for k, v in _RADICALS.items()},
    **_HALFWIDTH, **{k: _LOWER.get(v, v) for k, v in _HALFWIDTH.items()}, **_LOWER,
})


def normalise_phrase(phrase: str) -> str:
    """The form a registry phrase takes in the view (half-width, lower-case ASCII, no spaces or quotes)."""
    return _REMOVED.sub("", phrase.translate(_VIEW_TABLE))


@dataclass(frozen=True)
class TextView:
    """``norm`` is the matching view of ``text``; ``start``/``end`` map view offsets back to ``text``."""

    text: str
    norm: str
    _cpos: array = field(repr=False)  # machine integers: one pair per removed run, millions in a big file
    _cum: array = field(repr=False)
    # Page numbers removed from inside sentences, as (start, end) offsets in ``text``.
    page_marks: list[tuple[int, int]] = field(default_factory=list, repr=False)

    def start(self, i: int) -> int:
        """Offset in ``text`` of the character at view position ``i``."""
        k = bisect_right(self._cpos, i)
        return i + (self._cum[k - 1] if k else 0)

    def end(self, j: int) -> int:
        """Offset in ``text`` just after the character at view position ``j - 1`` (an exclusive end)."""
        if j <= 0:
            return self.start(0) if self.norm else 0
        return self.start(j - 1) + 1

    def line_start_before(self, i: int) -> bool:
        """True when only whitespace separates view position ``i`` from the start of its line in ``text``."""
        o = self.start(i)
        k = self.text.rfind("\n", 0, o)
        return not self.text[k + 1 : o].strip()


def build_view(text: str) -> TextView:
    """Build the matching view of ``text`` in one pass (linear in the text's length).

    A paragraph break (a blank line) or a line opening a list item ends a sentence even without 。: the view
    keeps that run's first newline (``PARAGRAPH``), which the context stage reads as a sentence mark.
    """
    pieces: list[str] = []
    cpos = array("q")
    cum = array("q")
    marks: list[tuple[int, int]] = []
    pos = removed = 0

    def drop(x: int, y: int) -> None:
        nonlocal removed
        if y > x:
            cpos.append(x - removed)
            removed += y - x
            cum.append(removed)

    for m in _REMOVED.finditer(text):
        a, b = m.start(), m.end()
        if a < pos:  # swallowed by a page mark
            continue
        pieces.append(text[pos:a])
        pos = b
        if "\n" in m.group():
            before = _last_visible(text, a)
            pm = _PAGE_MARK.match(text, b)
            if pm and before and before not in _SENTENCE_END and not text[pm.end() : pm.end() + 1].isdigit():
                marks.append((pm.start(), pm.end()))
                pos = b = pm.end()
                tail = _REMOVED.match(text, b)
                if tail:
                    pos = b = tail.end()
            elif before and before not in _SENTENCE_END and _is_paragraph_break(text, m):
                nl = text.index("\n", a, b)
                drop(a, nl)
                pieces.append(PARAGRAPH)
                a = nl + 1
        drop(a, b)
    pieces.append(text[pos:])
    norm = "".join(pieces).translate(_VIEW_TABLE)
    return TextView(text, norm, cpos, cum, marks)


# A line that opens a list item: 一、 (一) （1） 1. 1、 ① • — the marks plans number their items with.
_LIST_ITEM = re.compile(r"(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十0-9]{1,3}[)）]|[0-9]{1,2}[.．、](?![0-9])"
                        r"|[①-⑳]|[•·●▪■◆◇○□-](?![0-9]))")


def _last_visible(text: str, a: int) -> str:
    """The last non-space character before offset ``a`` (bounded look-back: runs of spaces are short)."""
    k = a - 1
    while k >= 0 and text[k].isspace():
        k -= 1
    return text[k] if k >= 0 else ""


def _is_paragraph_break(text: str, m: re.Match) -> bool:
    """A blank line, or a new line opening a list item: the end of a sentence, 。 or not."""
    return m.group().count("\n") >= 2 or bool(_LIST_ITEM.match(text, m.end()))
