"""Loading the tidy dataset: ``ipcompare.load()`` → a :class:`Dataset` of pandas DataFrames.

pandas is the public API (see docs/decisions.md): papermill notebooks, matplotlib/seaborn and pandera all
speak it natively, and students meet it first. polars users can read the same Parquet files directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from ipcompare.columns import TABLE_ORDER
from ipcompare.paths import tidy_dir
from ipcompare.tidy_io import read_checked_tables

__all__ = ["Dataset", "load", "preload", "DatasetNotBuiltError"]


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
        k = str(key)
        exact, lower, rows = self._geo_keys
        hits = [i for i in (exact.get(k), lower.get(k.lower())) if i is not None]
        if not hits:
            raise KeyError(f"unknown geography {key!r}; known: {', '.join(self.geographies.slug)}")
        return rows[min(hits)].copy()

    @cached_property
    def _geo_keys(self) -> tuple[dict[str, int], dict[str, int], list[pd.Series]]:
        # Code, zh name with or without 市 (exact), slug and en name (any case) → the first row that has it.
        exact: dict[str, int] = {}
        lower: dict[str, int] = {}
        rows = [r for _, r in self.geographies.iterrows()]
        for i, r in enumerate(rows):
            for k in (str(r.geo_code), str(r.name_zh), str(r.name_zh).rstrip("市")):
                exact.setdefault(k, i)
            for k in (str(r.slug), str(r.name_en).lower()):
                lower.setdefault(k, i)
        return exact, lower, rows

    def indicator(self, code: str) -> pd.Series:
        """One indicator's registry row; KeyError listing near codes otherwise."""
        hit = self._indicator_rows.get(code)
        if hit is None:
            near = [c for c in self.indicators.code if code.split("_")[0] in c][:8]
            raise KeyError(f"unknown indicator {code!r}; similar: {', '.join(near) or '(none)'}")
        return hit.copy()

    @cached_property
    def _indicator_rows(self) -> dict[str, pd.Series]:
        # Looked up hundreds of times per report (every label); a frozen dataclass still has a __dict__ for this.
        return {str(r.code): r for _, r in self.indicators.iterrows()}

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
    kept = _KEPT.pop(str(folder.resolve()), None) if _KEPT else None
    if kept is not None and kept[0] == _stamp(folder):
        return kept[1]
    return _read(folder)


def _read(folder: Path) -> Dataset:
    missing = [n for n in TABLE_ORDER if not (folder / f"{n}.parquet").exists()]
    if missing:
        raise DatasetNotBuiltError(
            f"{folder}: no {', '.join(n + '.parquet' for n in missing)}; build the dataset with `ipcompare build` "
            "(or `make data`)"
        )
    tables, version = read_checked_tables(folder)
    return Dataset(**tables, version=version)


# A report batch's kernels are forks of one process that has loaded the dataset (report/data_preload.py). The
# first load() of the same folder in such a kernel takes that copy — read and hash-checked once per batch, its
# whole-dataset results already computed — if no file of the folder has been replaced since; later calls read
# the files, so every load() still gives a Dataset of its own. A fork's copy is its own: a job that modifies
# its tables changes nothing for another job.
_KEPT: dict[str, tuple[tuple, Dataset]] = {}


def _stamp(folder: Path) -> tuple:
    """What identifies the folder's files without reading them: a rebuild writes new files (new inode, time)."""
    out = []
    for name in [*(f"{n}.parquet" for n in TABLE_ORDER), "datapackage.json"]:
        try:
            st = (folder / name).stat()
        except OSError:
            out.append((name,))
            continue
        out.append((name, st.st_ino, st.st_size, st.st_mtime_ns))
    return tuple(out)


def preload(path: Path | str | None = None) -> Dataset:
    """Load the dataset and keep it for the next :func:`load` of the same folder in this process or a fork of it."""
    folder = Path(path) if path is not None else tidy_dir()
    before = _stamp(folder)
    ds = _read(folder)
    if _stamp(folder) == before:  # not rebuilt while being read
        _KEPT[str(folder.resolve())] = (before, ds)
    return ds
