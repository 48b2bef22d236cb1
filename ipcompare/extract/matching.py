"""Pairing a draft row with a curated row: the value each one reads, and a one-to-one assignment of ranked pairs.

Shared by ``extract.compare`` (what a reviewer sees) and ``benchmarks/extract_quality.py`` (how well the extractor
drafts), so both count the same pairs as the same statement.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from ipcompare.numbers import ValueParseError, parse_value

__all__ = ["UNREADABLE", "row_value", "same_value", "one_to_one"]

UNREADABLE = ("unreadable",)


def row_value(row: dict) -> tuple:
    """(value, value_high) of a row's value_text; ``UNREADABLE`` when flagged ocr_unreadable or not parseable."""
    if "ocr_unreadable" in str(row.get("flags") or ""):
        return UNREADABLE
    try:
        p = parse_value(str(row.get("value_text") or ""))
    except ValueParseError:
        return UNREADABLE
    return (p.value, p.value_high)


def same_value(a: tuple | None, b: tuple | None) -> bool:
    """Same reading: equal numbers (relative 1e-9), or both unreadable."""
    if a is None or b is None or len(a) != len(b):
        return False
    if a == UNREADABLE or b == UNREADABLE:
        return a == b
    return all((x is None and y is None) or (x is not None and y is not None and math.isclose(x, y, rel_tol=1e-9))
               for x, y in zip(a, b, strict=True))


def one_to_one(ranked: Iterable[tuple]) -> list[tuple[int, int]]:
    """Greedy assignment: pairs given as ``(*rank, i, j)`` are taken best rank first, each i and each j once."""
    used_i: set[int] = set()
    used_j: set[int] = set()
    out = []
    for *_, i, j in sorted(ranked):
        if i in used_i or j in used_j:
            continue
        used_i.add(i)
        used_j.add(j)
        out.append((i, j))
    return out
