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

from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

import pandas as pd

from ipcompare.analysis.memo import kept_per_dataset
from ipcompare.analysis.pool import resolved, rows_at
from ipcompare.dataset import Dataset

__all__ = ["geo_records", "reference_rows", "column_records", "group_by", "na_last_key", "sort_records",
           "place_labels"]

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


def group_by(items: Iterable[T], key: Callable[[T], K]) -> dict[K, list[T]]:
    """``items`` in lists by ``key(item)`` (an ``operator.itemgetter`` for records), each list in the items'
    order, keys in the order they first occur."""
    out: dict[K, list[T]] = {}
    for item in items:
        out.setdefault(key(item), []).append(item)
    return out


def column_records(frame: pd.DataFrame) -> list[dict]:
    """The rows of ``frame`` as dicts, built from each column's ``tolist`` (the values a row of
    row Series holds: native numbers, ``pd.NA`` kept) — one pass per column
    instead of a pandas row per row."""
    cols = list(frame.columns)
    values = [frame.iloc[:, k].tolist() for k in range(frame.shape[1])]
    return [dict(zip(cols, row, strict=True)) for row in zip(*values, strict=True)] if cols else []


@kept_per_dataset
def _by_geo(ds: Dataset) -> tuple[dict[str, list[int]], dict[str, list[dict]]]:
    # Row positions grouped by geography once; a geography's dicts (pool.rows_at, shared with the per-indicator
    # records) when it is first asked for, so the cost per dataset is one grouping, not a dict per row per index.
    frame = resolved(ds)  # a RangeIndex: index labels are positions
    return {str(g): list(map(int, p)) for g, p in frame.groupby("geo_code", sort=False).indices.items()}, {}


def geo_records(ds: Dataset, geo_code: str) -> list[dict]:
    """The rows of :func:`~ipcompare.analysis.pool.resolved` of one geography, in that frame's order, as dicts —
    what ``resolved(ds)[resolved(ds).geo_code == geo_code]`` holds."""
    positions, done = _by_geo(ds)
    found = done.get(geo_code)
    if found is None:
        found = done[geo_code] = rows_at(ds, positions.get(geo_code, []))
    return found


@kept_per_dataset
def _reference_by_geo(ds: Dataset) -> dict[str, list[tuple[int, dict]]]:
    recs = column_records(ds.reference[["geo_code", "variable", "year", "vintage", "ref_id", "usable", "value"]])
    return group_by(enumerate(recs), lambda pos_rec: pos_rec[1]["geo_code"])


def reference_rows(ds: Dataset, geo_code: str) -> list[tuple[int, dict]]:
    """The reference table's rows of one geography as (position in ``ds.reference``, record of the columns a
    denominator is chosen by: variable, year, vintage, ref_id, usable, value), in the table's order."""
    return _reference_by_geo(ds).get(geo_code, [])


def na_last_key(keys) -> Callable[[dict], tuple]:
    """A sort key on a record's ``keys`` that orders as ``DataFrame.sort_values`` does: missing values last."""
    def key(r: dict) -> tuple:
        return tuple((missing, 0 if missing else r[k]) for k in keys for missing in (pd.isna(r[k]),))

    return key


def sort_records(recs: list[dict], keys: list[str]) -> list[dict]:
    """``recs`` in the order ``DataFrame.sort_values(keys)`` gives (stable, missing values last)."""
    return sorted(recs, key=na_last_key(keys))


def place_labels(names: pd.Series, codes: pd.Series, fmt: str = "{name} ({code})") -> list[str]:
    """``names`` as labels that tell places apart: a name that places of different ``codes`` share (苏州 and 宿州
    are both Suzhou) gets its code, written by ``fmt``; every other name stays as it is.

    >>> place_labels(pd.Series(["Suzhou", "Suzhou", "Linhai"]), pd.Series(["320500", "341300", "331082"]))
    ['Suzhou (320500)', 'Suzhou (341300)', 'Linhai']
    """
    shared = codes.groupby(names.to_numpy()).transform("nunique").to_numpy() > 1
    return [fmt.format(name=n, code=c) if s else n for n, c, s in zip(names, codes, shared, strict=True)]
