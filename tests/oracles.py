"""Slow, obvious versions of what the package computes fast, for tests to compare against."""

from __future__ import annotations

import pandas as pd


def as_records(frame: pd.DataFrame) -> list[dict]:
    """The rows of ``frame`` as dicts holding what a row Series holds (a missing nullable value stays ``pd.NA``;
    ``to_dict("records")`` would make it None) — what ``pool.records`` and ``lookup.geo_records`` must give."""
    cols = list(frame.columns)
    return [dict(zip(cols, t, strict=True)) for t in frame.itertuples(index=False, name=None)]
