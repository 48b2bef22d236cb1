"""Rows looked up, not filtered: indexes built once per loaded dataset.

The analysis asks the same small questions many times per report — one geography's resolved rows, one place's
population figures — and a boolean mask over a whole table costs the same whatever it keeps: with the tables'
Arrow-backed string columns each mask is a take per column (about 1 ms on the real data, more on a large
corpus). Here each table is split once into plain dicts keyed by what the callers ask for, as
:func:`~ipcompare.analysis.pool.records` does per indicator; a lookup then costs the rows it returns.
Everything is kept for the dataset most recently used (one at a time: a report loads one); callers must not
modify what they get.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TypeVar

import pandas as pd

from ipcompare.analysis.pool import resolved
from ipcompare.dataset import Dataset

__all__ = ["geo_records", "reference_rows", "column_records", "sort_records"]

T = TypeVar("T")


def _per_dataset_index(build: Callable[[Dataset], T]) -> Callable[[Dataset], T]:
    """``build(ds)`` once per dataset (the last one seen), handed out as it is: no copy."""
    kept: list = []

    def get(ds: Dataset) -> T:
        if not kept or kept[0]() is not ds:
            kept[:] = [weakref.ref(ds), build(ds)]
        return kept[1]

    return get


def column_records(frame: pd.DataFrame) -> list[dict]:
    """The rows of ``frame`` as dicts, built from each column's ``tolist`` (the values a row of
    :func:`~ipcompare.analysis.pool.as_records` holds: native numbers, ``pd.NA`` kept) — one pass per column
    instead of a pandas row per row."""
    cols = list(frame.columns)
    values = [frame.iloc[:, k].tolist() for k in range(frame.shape[1])]
    return [dict(zip(cols, row, strict=True)) for row in zip(*values, strict=True)] if cols else []


def _by_geo(ds: Dataset) -> tuple[list[str], list[list], dict[str, list[int]], dict[str, list[dict]]]:
    # Each column made a list once and the row positions grouped by geography; a geography's dicts are built
    # when it is first asked for, so the cost per dataset is a pass per column, not a dict per row of every city.
    frame = resolved(ds)  # a RangeIndex: index labels are positions
    positions = {str(g): list(map(int, p)) for g, p in frame.groupby("geo_code", sort=False).indices.items()}
    return list(frame.columns), [frame.iloc[:, k].tolist() for k in range(frame.shape[1])], positions, {}


_geo_index = _per_dataset_index(_by_geo)


def geo_records(ds: Dataset, geo_code: str) -> list[dict]:
    """The rows of :func:`~ipcompare.analysis.pool.resolved` of one geography, in that frame's order, as dicts —
    what ``resolved(ds)[resolved(ds).geo_code == geo_code]`` holds."""
    cols, values, positions, done = _geo_index(ds)
    found = done.get(geo_code)
    if found is None:
        found = done[geo_code] = [dict(zip(cols, (v[i] for v in values), strict=True))
                                  for i in positions.get(geo_code, [])]
    return found


def _reference_by_geo(ds: Dataset) -> dict[str, list[tuple[int, dict]]]:
    ref = ds.reference
    out: dict[str, list[tuple[int, dict]]] = {}
    for pos, rec in enumerate(column_records(ref[["geo_code", "variable", "year", "vintage", "ref_id", "usable",
                                                  "value"]])):
        out.setdefault(rec["geo_code"], []).append((pos, rec))
    return out


_reference_index = _per_dataset_index(_reference_by_geo)


def reference_rows(ds: Dataset, geo_code: str) -> list[tuple[int, dict]]:
    """The reference table's rows of one geography as (position in ``ds.reference``, record of the columns a
    denominator is chosen by: variable, year, vintage, ref_id, usable, value), in the table's order."""
    return _reference_index(ds).get(geo_code, [])


def sort_records(recs: list[dict], keys: list[str]) -> list[dict]:
    """``recs`` in the order ``DataFrame.sort_values(keys)`` gives (stable, missing values last)."""
    def key(r: dict) -> tuple:
        return tuple((pd.isna(r[k]), r[k] if not pd.isna(r[k]) else 0) for k in keys)

    return sorted(recs, key=key)
