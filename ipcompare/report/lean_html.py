"""Print HTML that WeasyPrint styles once per kind of cell, not once per cell.

Why. WeasyPrint shares one computed style between elements with the same parent style, the same matching rules
and no declarations of their own; the properties of a shared style are computed once, when layout first asks
for them. Two things in a report's tables gave every cell declarations of its own: an inline ``style`` (each
parsed and cascaded on its own) and an ``id`` (WeasyPrint declares every id an anchor, a named destination in
the PDF). pandas' Styler writes an id on every cell (``T_84f92_row0_col1``) so that its ``<style>`` block can
set ``white-space: nowrap`` on them; nothing else refers to them. Without them the Suzhou profile's 723 cells
need 181 computed styles instead of 909, and its layout is about a fifth shorter.

What. Left-aligned text cells get the class ``ipc-text`` and pandas' nowrap cells the class ``ipc-nowrap``
(report.css gives both the effect the inline style and the id rule had), and a cell's id is dropped unless a
link or a style rule that does more than ``white-space: nowrap`` names it. The ``<style>`` rules that then name
only ids no element has are dropped too (:func:`drop_dead_rules`): WeasyPrint parsed and compiled pandas' list of
every cell of a table in each report (the city profiles' five blocks, about 2 % of the PDF step). And the line
breaks pandas writes between a table's rows and cells go (:func:`drop_table_whitespace`): white space between
table parts prints nothing (CSS 2 §17.2.1), but each was a node to parse twice, print, and turn into a box —
1 046 in the Suzhou profile, about 4 % of WeasyPrint's work on the 9 reports.
"""

from __future__ import annotations

import re

__all__ = ["TEXT_CLASS", "NOWRAP_CLASS", "needed_ids", "share_cell_styles", "drop_dead_rules",
           "drop_table_whitespace"]

TEXT_CLASS = "ipc-text"
NOWRAP_CLASS = "ipc-nowrap"
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_ID = re.compile(r"#([A-Za-z0-9_-]+)")
_ONLY_NOWRAP = re.compile(r"^\s*white-space\s*:\s*nowrap\s*;?\s*$")
_ID_SELECTOR = re.compile(r"^\s*#([A-Za-z0-9_-]+)\s*$")


def needed_ids(soup) -> set[str]:
    """Ids that something in the document refers to: a link (``href="#…"``), or a ``<style>`` rule whose
    declarations are anything other than pandas' ``white-space: nowrap`` (which a class replaces)."""
    ids = {a["href"][1:] for a in soup.find_all("a", href=True) if a["href"].startswith("#")}
    for style in soup.find_all("style"):
        css = style.get_text()
        # A rule the simple pattern cannot read (nested blocks, @media) keeps every id it mentions.
        if "@" in css or css.count("{") != len(_RULE.findall(css)):
            ids.update(_ID.findall(css))
            continue
        for selectors, body in _RULE.findall(css):
            if not _ONLY_NOWRAP.match(body):
                ids.update(_ID.findall(selectors))
    return ids


def share_cell_styles(soup, text_cells, nowrap: set[str]) -> None:
    """Mark ``text_cells`` (tags of ``soup``) left-aligned by class, pandas' ``nowrap`` cells (ids in ``nowrap``)
    by class, drop the ids of table cells that nothing refers to, then the rules that named only those."""
    for cell in text_cells:
        cell["class"] = [*cell.get("class", []), TEXT_CLASS]
    keep = needed_ids(soup)
    for cell in soup.find_all(("th", "td"), id=True):
        if cell["id"] in keep:
            continue  # its rules stay as they are
        if cell["id"] in nowrap:
            cell["class"] = [*cell.get("class", []), NOWRAP_CLASS]
        del cell["id"]
    drop_dead_rules(soup)


def _readable(css: str) -> bool:
    """Whether ``css`` is a flat list of rules the simple pattern reads whole (no @-rules, no nesting)."""
    return "@" not in css and css.count("{") == len(_RULE.findall(css))


def drop_dead_rules(soup) -> None:
    """Drop the ``<style>`` rules whose every selector is a bare ``#id`` that no element of ``soup`` has (and a
    ``<style>`` left empty); a block the simple pattern cannot read whole is kept as it is."""
    present = None
    for style in soup.find_all("style"):
        css = style.get_text()
        if not _readable(css) or "#" not in css:
            continue
        if present is None:
            present = {tag["id"] for tag in soup.find_all(id=True)}
        rules = _RULE.findall(css)
        live = [(sel, body) for sel, body in rules
                if not all((m := _ID_SELECTOR.match(part)) and m.group(1) not in present for part in sel.split(","))]
        if len(live) == len(rules):
            continue
        if live:
            from bs4.element import Stylesheet  # the text type of a <style>, which get_text() reads

            style.string = Stylesheet("\n" + "".join(f"{sel.strip()} {{{body}}}\n" for sel, body in live))
        else:
            style.decompose()


_TABLE_PARTS = ("thead", "tbody", "tfoot", "tr", "colgroup")


def drop_table_whitespace(table) -> None:
    """Remove the white-space-only text directly inside ``table`` and its row groups, rows and column groups —
    never inside a cell or a caption, where white space may print."""
    from bs4 import NavigableString

    for part in (table, *table.find_all(_TABLE_PARTS)):
        for child in list(part.children):
            if type(child) is NavigableString and not child.strip():
                child.extract()
