"""One big document in parts: where a text may be cut, and the little state one part leaves to the next.

A part ends at the start of a line, after a sentence's end: a line ending in 。/!/?, or a blank line after a
paragraph ending in no mark at all (which the view reads as a paragraph break, not after ：/；, where the sentence
runs on), and before a character the view keeps (not a space, quote mark or digit, so no OCR page number
follows). Cut there, every part's view is the matching slice of the whole text's view and no sentence,
clause, number or table row spans two parts; what the context reader needs from before the part — the plan's
heading and period, the current section heading, an indicator table's header, the last lead year phrase of that section (到2025年,…),
whether a 《…》 title is open, the text just before (a quote mark) — travels in :class:`Carry`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["PART_SIZE", "LOOKAHEAD", "Carry", "split_parts"]

PART_SIZE = 256_000  # characters: a few hundred KB per part keeps memory flat and per-part overhead small
LOOKAHEAD = 200  # characters of the next part a part's view also holds (heading titles, closing quotes)
# Carried headings and the carried lead phrase sit at this view position, before everything of the part.
CARRIED = -2

_BREAK = re.compile(r"\n\s*")
# What the view removes (view._REMOVED), plus digits: a part must start with a character the view keeps.
_NOT_FIRST = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff“”‘’\"'「」『』〝〞]|\d")
_REMOVED_CHAR = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff“”‘’\"'「」『』〝〞]")
# A paragraph ending in one of these does not end its sentence in the view (；: the sentence runs on).
_RUNS_ON = set("；;：:")
# A line ending in one of these ends its sentence; the view drops the line break after it.
_ENDS = set("。！？!?")


@dataclass
class Carry:
    """What the earlier parts of a document leave to the next part (empty for the first part)."""

    first: bool = True
    issue_year: int | None = None
    top: tuple | None = None  # the last top-level heading (position CARRIED, mode, title, True)
    heading: tuple | None = None  # the last heading of any level, when it is not ``top``
    lead: Any = None  # context._Phrase at CARRIED: the section's last lead year phrase (到2025年,…)
    lead_text: str = ""
    in_book: bool = False  # the last 《 or 》 seen was 《
    before: str = ""  # the last characters of the previous part's text
    table: dict | None = None  # the header of an indicator table whose rows go on in this part (tables.py)


def split_parts(chunks: Iterable[str], size: int = PART_SIZE) -> Iterator[tuple[int, str]]:
    """Cut a text given in chunks (any sizes) into parts of about ``size`` characters: (offset, part) pairs.

    Each cut is the first allowed one at or after ``size`` characters into the part; a text without one stays
    whole. Concatenated, the parts are the text.
    """
    buf, pos, offset, scanned = "", 0, 0, 0  # the part being built is buf[pos:]; it starts at ``offset``
    for chunk in chunks:
        buf = buf[pos:] + chunk if pos else buf + chunk  # copies only what is left when new text arrives
        pos = 0
        while len(buf) - pos > size:
            # Look again only at the new text (and a little before it): a text without cuts stays linear.
            cut = _cut(buf, pos + max(size, scanned - 256))
            if cut is None:
                scanned = len(buf) - pos
                break
            yield offset, buf[pos:cut]
            offset += cut - pos
            pos, scanned = cut, 0
    if len(buf) > pos:
        yield offset, buf[pos:]


def _cut(buf: str, lo: int) -> int | None:
    """The first allowed cut at or after ``lo`` in ``buf``, or None (look again when more text arrives)."""
    for m in _BREAK.finditer(buf, lo):
        b = m.end()
        if b >= len(buf):
            return None  # the run of spaces may go on in the next chunk
        if _NOT_FIRST.match(buf, b):
            continue
        a = m.start()
        while a > 0 and _REMOVED_CHAR.match(buf, a - 1):
            a -= 1
        before = buf[a - 1] if a else ""
        if before in _ENDS or (before and before not in _RUNS_ON and m.group().count("\n") >= 2):
            return m.start() + m.group().rindex("\n") + 1  # at the line's start (a table row keeps its cells)
    return None
