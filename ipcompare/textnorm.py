"""Character normalisation that keeps offsets: every function maps one character to one character.

Quotes and offsets always refer to the stored text; these normalised views exist only for matching.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

__all__ = ["to_halfwidth", "to_simplified", "traditional_to_simplified", "OCR_CONFUSIONS"]

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


@cache
def traditional_to_simplified() -> dict[int, int]:
    """OpenCC's character table (TSCharacters.txt, from opencc-python-reimplemented): traditional → simplified.

    One character for one, so offsets never move: the first simplified form of each traditional character
    (OpenCC's default), and never a change to a character that is itself simplified (麽 stays 麽). Phrase tables
    are not used: the view only needs characters to match, and 瞭解/了解 style choices do not change a match.
    """
    table = files("opencc") / "dictionary"
    simplified = {line.split("\t", 1)[0] for line in _lines(table / "STCharacters.txt")}
    out: dict[int, int] = {}
    for line in _lines(table / "TSCharacters.txt"):
        trad, _, forms = line.partition("\t")
        simp = forms.split(" ")[0]
        if len(trad) == 1 and len(simp) == 1 and simp != trad and trad not in simplified:
            out[ord(trad)] = ord(simp)
    return out


def _lines(path) -> list[str]:
    return [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]


def to_simplified(text: str) -> str:
    """Traditional characters read as simplified, one character for one.

    >>> to_simplified("知識產權質押融資突破25億元")
    '知识产权质押融资突破25亿元'
    """
    return text.translate(traditional_to_simplified())
