"""Loading the tidy dataset: ``ipcompare.load()`` → a :class:`Dataset` of pandas DataFrames.

pandas is the public API (see docs/decisions.md): papermill notebooks, matplotlib/seaborn and pandera all
speak it natively, and students meet it first. polars users can read the same Parquet files directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ipcompare.columns import TABLE_ORDER
from ipcompare.paths import tidy_dir
from ipcompare.tidy_io import read_checked_tables

__all__ = ["Dataset", "load", "DatasetNotBuiltError"]


class DatasetNotBuiltError(FileNotFoundError):
    """data/tidy has not been built."""


@dataclass(frozen=True)
class Dataset:
    """The tidy tables plus the dataset version."""

    observations: pd.DataFrame
    statements: pd.DataFrame
    indicators: pd.DataFrame
    geographies: pd.DataFrame
    documents: pd.DataFrame
    reference: pd.DataFrame
    outcomes: pd.DataFrame
    version: str

    def geo(self, key: str) -> pd.Series:
        """One geography's row, by code, slug, zh or en name.

        >>> load().geo("郑州")["name_en"]
        'Zhengzhou'
        """
        g = self.geographies
        k = str(key)
        hit = g[(g.geo_code == k) | (g.slug == k.lower()) | (g.name_zh == k) | (g.name_zh.str.rstrip("市") == k)
                | (g.name_en.str.lower() == k.lower())]
        if hit.empty:
            raise KeyError(f"unknown geography {key!r}; known: {', '.join(g.slug)}")
        return hit.iloc[0]

    def indicator(self, code: str) -> pd.Series:
        """One indicator's registry row; KeyError listing near codes otherwise."""
        hit = self.indicators[self.indicators.code == code]
        if hit.empty:
            near = [c for c in self.indicators.code if code.split("_")[0] in c][:8]
            raise KeyError(f"unknown indicator {code!r}; similar: {', '.join(near) or '(none)'}")
        return hit.iloc[0]

    def label(self, code: str, lang: str = "zh") -> str:
        """Indicator name in ``lang`` (zh or en)."""
        return str(self.indicator(code)[f"name_{lang}"])

    def geo_label(self, geo_code: str, lang: str = "zh") -> str:
        """Geography name in ``lang``."""
        return str(self.geo(geo_code)[f"name_{lang}"])


def load(path: Path | str | None = None) -> Dataset:
    """Load the tidy tables from ``data/tidy`` (or ``path``).

    >>> ds = load()
    >>> int((ds.observations.geo_code == "410100").sum()) > 0
    True
    """
    folder = Path(path) if path is not None else tidy_dir()
    missing = [n for n in TABLE_ORDER if not (folder / f"{n}.parquet").exists()]
    if missing:
        raise DatasetNotBuiltError(
            f"{folder}: no {', '.join(n + '.parquet' for n in missing)}; build the dataset with `ipcompare build` "
            "(or `make data`)"
        )
    tables, version = read_checked_tables(folder)
    return Dataset(**tables, version=version)
