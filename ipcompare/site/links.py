"""Where each page lives and how a value links to its source. The only module that knows the site's layout.

Layout (flat per language, so every internal link is a plain file name and works from ``file://``)::

    index.html                 language choice
    assets/                    style.css, browse.js (hand-written, nothing from a CDN)
    downloads/                 the tidy dataset files as published, with the codebook
    zh/ en/                    index.html, data.html, reference.html,
                               city-<slug>.html, indicator-<code>.html, doc-<doc_id>.html
"""

from __future__ import annotations

import re

import pandas as pd

from ipcompare.site.highlight import mark_id

__all__ = ["LANGS", "city_page", "indicator_page", "doc_page", "obs_anchor", "obs_href", "passage_href",
           "Linker", "ref_anchor"]

LANGS = ("zh", "en")


def _safe(s: str) -> str:
    """An id- and file-name-safe form: ``linhai_2021_2025#3`` → ``linhai_2021_2025-3``."""
    return re.sub(r"[^A-Za-z0-9_.-]", "-", str(s))


def city_page(slug: str) -> str:
    """``city_page("suzhou")`` → ``'city-suzhou.html'``."""
    return f"city-{_safe(slug)}.html"


def indicator_page(code: str) -> str:
    return f"indicator-{_safe(code)}.html"


def doc_page(doc_id: str) -> str:
    return f"doc-{_safe(doc_id)}.html"


def obs_anchor(obs_id: str) -> str:
    """The id of an observation's row in the dataset browser: ``o-zhengzhou_2022_2025-3``."""
    return "o-" + _safe(obs_id)


def obs_href(obs_id: str) -> str:
    return f"data.html#{obs_anchor(obs_id)}"


def ref_anchor(ref_id: str) -> str:
    return "r-" + _safe(ref_id)


def passage_href(doc_id: str, start: int, end: int) -> str:
    """A value's highlighted passage: ``doc-<doc_id>.html#q-<start>-<end>``."""
    return f"{doc_page(doc_id)}#{mark_id(start, end)}"


class Linker:
    """Links from any value of the site to its source, built once from the observations."""

    def __init__(self, observations) -> None:
        self._obs: dict[str, str] = {}
        self._quote: dict[tuple[str, str], str] = {}
        self._value: dict[tuple[str, int, float], list[str]] = {}
        for r in observations.itertuples(index=False):
            href = passage_href(r.doc_id, r.char_start, r.char_end)
            self._obs[str(r.obs_id)] = href
            self._quote.setdefault((str(r.doc_id), str(r.quote)), href)
            if pd.notna(r.value):
                self._value.setdefault((str(r.doc_id), int(r.year), round(float(r.value), 9)), []).append(href)

    def source(self, source, quote=None, year=None, value=None) -> str | None:
        """The passage of a value known by its ``source`` (``doc:<doc_id>`` or ``reference:<ref_id>``, as in
        analysis results) and its quote, or else its year and value. None for several sources (a median) or
        a value that is not in the plan as such (an intensity computed from it)."""
        source = str(source or "")
        if ";" in source or ":" not in source:
            return None
        kind, key = source.split(":", 1)
        if kind == "reference":
            return f"reference.html#{ref_anchor(key)}"
        if quote is not None and (key, str(quote)) in self._quote:
            return self._quote[(key, str(quote))]
        if pd.notna(year) and pd.notna(value):
            hits = set(self._value.get((key, int(year), round(float(value), 9)), []))
            return hits.pop() if len(hits) == 1 else None
        return None

    def obs(self, obs_id) -> str | None:
        """The passage of an observation (by id), None if unknown."""
        return self._obs.get(str(obs_id))

    def row(self, row) -> str | None:
        """Where a value of an analysis row comes from: its passage in a plan, or its reference row (national
        actuals and the 十四五 national targets come from sourced reference pages, not from a plan); None for a
        computed value (a median, an intensity) that has no single source."""
        source = str(getattr(row, "source", "") or "")
        if source.startswith("reference:"):
            return self.source(source)
        return self.obs(getattr(row, "obs_id", ""))
