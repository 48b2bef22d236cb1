"""The extractor's vocabulary: the indicator registry's zh aliases, and their OCR variants.

Nothing here lists phrases of its own. Every alias of every indicator is matched (longest first); the OCR
confusions of ``textnorm.OCR_CONFUSIONS`` generate variants (知所权质押融资 for 知识产权质押融资) that are
recognised but flagged. A fuzzy fallback compares a clause with the aliases when no alias matches exactly
(知所权服务棚勾 ≈ 知所权服务机构), and says so in the candidate's reasons.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

from ipcompare.extract.naming import Namer
from ipcompare.extract.view import normalise_phrase
from ipcompare.registry import Indicator, Registry
from ipcompare.textnorm import OCR_CONFUSIONS

__all__ = ["AliasHit", "Vocabulary"]


@dataclass(frozen=True, slots=True)
class AliasHit:
    """An alias found in the view: ``[start, end)`` in view positions."""

    start: int
    end: int
    code: str
    alias: str  # as written in the registry
    ocr: bool  # matched through an OCR variant
    score: float = 1.0  # 1.0 for exact matches; the similarity for fuzzy ones


def _trie_pattern(words: list[str]) -> str:
    """A regex matching any of ``words``, longest alternative first at every branch."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict) -> str:
        end = node.get("") is True
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return "(?:" + body + ")?"
        return body

    return emit(trie)


class Vocabulary:
    """Alias matcher built from a registry. ``drop`` removes aliases (for leave-one-document-out runs)."""

    def __init__(self, registry: Registry, drop: frozenset[str] | set[str] = frozenset()):
        self.registry = registry
        self.indicators: dict[str, Indicator] = registry.indicators
        self.namer = Namer(registry, drop)
        entries: dict[str, tuple[str, str, bool]] = {}
        for ind in registry.indicators.values():
            for alias in ind.aliases:
                if alias in drop:
                    continue
                key = normalise_phrase(alias)
                if len(key) < 2:
                    continue
                # An alias listed under two codes keeps the first (registry order is alphabetical by code);
                # the registry's own checks are the place to forbid that.
                entries.setdefault(key, (ind.code, alias, False))
        for key, (code, alias, _) in list(entries.items()):
            for wrong, right in OCR_CONFUSIONS.items():
                w, r = normalise_phrase(wrong), normalise_phrase(right)
                if r in key:
                    entries.setdefault(key.replace(r, w), (code, alias, True))
        self._entries = entries
        words = sorted(entries, key=len, reverse=True)
        self._regex = re.compile(_trie_pattern(words)) if words else None
        # Character-bigram index for the fuzzy fallback.
        self._by_bigram: dict[str, set[str]] = defaultdict(set)
        for key in entries:
            for i in range(len(key) - 1):
                self._by_bigram[key[i : i + 2]].add(key)

    def __len__(self) -> int:
        return len(self._entries)

    def find(self, s: str, start: int = 0, end: int | None = None) -> list[AliasHit]:
        """Leftmost-longest, non-overlapping alias hits in ``s[start:end]``."""
        if self._regex is None:
            return []
        end = len(s) if end is None else end
        hits = []
        for m in self._regex.finditer(s, start, end):
            if m.end() == m.start():
                continue
            code, alias, ocr = self._entries[m.group()]
            hits.append(AliasHit(m.start(), m.end(), code, alias, ocr))
        return hits

    def fuzzy(self, region: str, offset: int, threshold: float = 0.65) -> AliasHit | None:
        """The alias most similar to the end of ``region`` (OCR-damaged wording before a number), or None.

        Similarity is the share of the alias's characters found in order in the region (difflib blocks), less
        a penalty for region characters left over after the alias (the head noun sits next to the number:
        知所权服务棚勾 is 知所权服务机构 with a garbled 机构, not 知所权托管服务). At least four characters
        must match and at most two of the alias's last characters may be missing.
        """
        if len(region) < 3:
            return None
        counts: dict[str, int] = defaultdict(int)
        for i in range(len(region) - 1):
            for key in self._by_bigram.get(region[i : i + 2], ()):
                counts[key] += 1
        best: tuple[float, int, str, int, int] | None = None
        # Only aliases sharing enough character pairs with the region can reach the threshold: a cheap filter
        # before difflib (an alias of k characters matching m of them in order shares at least m - blocks pairs).
        for key, n in counts.items():
            if n < 2 or len(key) < 4 or n < threshold * len(key) - 3:
                continue
            blocks = [b for b in SequenceMatcher(None, key, region, autojunk=False).get_matching_blocks() if b.size]
            matched = sum(b.size for b in blocks)
            if matched < 4:
                continue
            last = blocks[-1]
            missing_tail = len(key) - (last.a + last.size)
            if missing_tail > 2:
                continue
            left_over = len(region) - (last.b + last.size)
            score = matched / len(key) - 0.06 * max(0, left_over - missing_tail)
            if score < threshold:
                continue
            cand = (score, len(key), key, blocks[0].b, min(len(region), last.b + last.size + missing_tail))
            if best is None or cand[:3] > best[:3]:  # the key breaks ties: set order must not decide
                best = cand
        if best is None:
            return None
        score, _, key, a, b = best
        code, alias, ocr = self._entries[key]
        return AliasHit(offset + a, offset + b, code, alias, ocr, round(score, 2))
