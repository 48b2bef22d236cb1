"""Statements → observations: values in base units, restatements folded, conflicts flagged.

Pure functions over plain rows (dicts); the build turns the result into DataFrames.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ipcompare.documents import DocumentMeta
from ipcompare.numbers import ParsedValue
from ipcompare.registry import Registry
from ipcompare.statements import RELATIVE_MEASURES, parse_statement_value, resolve_unit

__all__ = ["statement_records", "fold_observations", "same_words", "OBS_KEY"]

# Two mentions with the same key and the same value are one observation (a restatement); with different
# values they are a conflict, both kept.
OBS_KEY = ("geo_code", "indicator", "kind", "measure", "year", "month", "period_start", "period_end")


def statement_records(doc: DocumentMeta, rows: list[dict], registry: Registry,
                      parsed: Sequence[ParsedValue | None] | None = None) -> list[dict]:
    """Enrich one document's checked statement rows with ids, geography and parsed values.

    ``parsed`` is each row's value as the check parsed it (``check_and_parse``); without it, rows are parsed here.
    """
    out = []
    for i, row in enumerate(rows):
        ind = registry.indicator(row["indicator"])
        parsed_value = parse_statement_value(row) if parsed is None else parsed[i]
        rec = {k: v for k, v in row.items() if not k.startswith("_")}
        rec.update(
            stmt_id=f"{doc.doc_id}#{row['n']}",
            doc_id=doc.doc_id,
            geo_code=doc.geo_code,
            value=None if parsed_value is None else parsed_value.value,
            value_high=None if parsed_value is None else parsed_value.value_high,
            unit=resolve_unit(ind, row["measure"], "" if parsed_value is None else parsed_value.counter, registry),
            per=ind.per if row["measure"] not in RELATIVE_MEASURES else None,
            unit_mult=None if parsed_value is None else parsed_value.unit_mult,
        )
        out.append(rec)
    return out


def same_words(quote: str) -> str:
    """A quote with whitespace removed: OCR spaces (国 家知识产权…) do not make a restatement another part."""
    return "".join(quote.split())


def fold_observations(statements: list[dict]) -> list[dict]:
    """Fold restatements into one observation each and flag conflicting values.

    Statements are grouped by ``OBS_KEY`` and value; the first mention (in document order) supplies the quote
    and offsets, ``n_mentions`` counts them and ``mentions`` lists their statement ids. Unreadable values are
    never folded: two garbled numbers may differ; parts of a list (flag subtotal) fold only when restated in the
    same words, and are never conflicts.
    """
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for s in statements:
        key = tuple(s[k] for k in OBS_KEY)
        # Unreadable values stay one observation each: two garbled numbers may differ. Parts of a list (flag
        # subtotal: gold 6, silver 5 and excellence 152 patent awards under one code) are not restatements of
        # each other and different values among them are not conflicts; a part restated in the same words
        # (国家知识产权优势示范企业达60家 twice) is one observation. Equal values in other words are other parts
        # (Nanchang's five 扶持一家… institutions), so the words, not the value alone, identify a part.
        if s["value"] is None:
            value_key: tuple = ("own", s["stmt_id"])
        elif "subtotal" in (s["flags"] or "").split(";"):
            value_key = ("part", s["value"], s["value_high"], same_words(s["quote"]))
        else:
            value_key = (s["value"], s["value_high"])
        groups[(key, value_key)].append(s)
    values_per_key: dict[tuple, set] = defaultdict(set)
    for (key, value_key) in groups:
        if value_key[0] not in ("own", "part"):
            values_per_key[key].add(value_key)
    observations = []
    for (key, value_key), mentions in groups.items():
        first = mentions[0]
        flags = sorted({f for m in mentions for f in (m["flags"] or "").split(";") if f})
        if len(values_per_key[key]) > 1 and value_key[0] not in ("own", "part"):
            flags.append("conflict")
        if len({(m["comparator"], m["commitment"]) for m in mentions}) > 1:
            flags.append("inconsistent_restatement")
        notes = [m["note"] for m in mentions if m["note"]]
        observations.append(
            {
                "obs_id": first["stmt_id"],
                **{k: first[k] for k in OBS_KEY},
                "doc_id": first["doc_id"],
                "value": first["value"],
                "value_high": first["value_high"],
                "unit": first["unit"],
                "per": first["per"],
                "unit_mult": first["unit_mult"],
                "comparator": first["comparator"],
                "commitment": first["commitment"],
                "value_text": first["value_text"],
                "quote": first["quote"],
                "char_start": first["char_start"],
                "char_end": first["char_end"],
                "n_mentions": len(mentions),
                "mentions": ";".join(m["stmt_id"] for m in mentions),
                "flags": ";".join(sorted(set(flags))),
                "note": " | ".join(dict.fromkeys(notes)),
                # The folded mentions share indicator, kind, measure, year and value: a person who checked one
                # of them checked the fact.
                "curation": "human" if any(m.get("curation") == "human" for m in mentions)
                else first.get("curation"),
            }
        )
    observations.sort(key=lambda o: (o["geo_code"], o["doc_id"], o["char_start"], o["obs_id"]))
    return observations
