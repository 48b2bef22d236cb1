"""Character normalisation that keeps offsets: every function maps one character to one character.

Quotes and offsets always refer to the stored text; these normalised views exist only for matching.
"""

from __future__ import annotations

__all__ = ["to_halfwidth", "OCR_CONFUSIONS"]

# Full-width ASCII variants (U+FF01–U+FF5E) map to ASCII by a fixed offset; the ideographic space to a space.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
# Dashes and tildes used in ranges (2－3家, 5～10期) become ASCII so one pattern reads them all.
_FULLWIDTH.update({ord("－"): ord("-"), ord("—"): ord("-"), ord("–"): ord("-"), ord("～"): ord("~")})
_TABLE = str.maketrans(_FULLWIDTH)

# OCR misreadings seen in the seed texts (wrong → right). Lengths differ (知所权 stands for 知识产权), so
# they are used to widen the vocabulary the extractor recognises, never to rewrite the stored text.
OCR_CONFUSIONS: dict[str, str] = {
    "知所权": "知识产权",
    "知丽权": "知识产权",
    "知四产权": "知识产权",
    "力口": "加",
}


def to_halfwidth(text: str) -> str:
    """Map full-width digits, letters and punctuation to ASCII, one character for one.

    >>> to_halfwidth("１２．５％")
    '12.5%'
    """
    return text.translate(_TABLE)
