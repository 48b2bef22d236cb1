"""Two versions, written down once (see README, "Versions").

- The **code** version (``ipcompare.__version__``, semantic versioning) changes with the package's behaviour.
- The **dataset** version is ``data-`` plus the first 12 hex digits of a SHA-256 over the tidy tables' values
  (each table's name and its plain UTF-8 CSV rendering, tables in name order). It therefore changes exactly when
  a value, row or column of a published table changes, and not when the code version, a file format (BOM,
  Excel styling) or the documentation around the data changes. Reports, the Excel README sheet,
  datapackage.json and data/tidy/README.md all carry it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

__all__ = ["dataset_version", "table_csv", "installed_dataset_version", "describe_versions"]


def table_csv(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Each table's plain CSV rendering (no index, ``\n`` line ends): what the version hashes and, with a BOM,
    what the CSV files hold — rendered once for both (a second rendering cost 1 CPU-s at 600 documents)."""
    return {name: df.to_csv(index=False, lineterminator="\n") for name, df in tables.items()}


def dataset_version(tables: dict[str, pd.DataFrame], csv: dict[str, str] | None = None) -> str:
    """Content version of the tidy tables: ``data-<12 hex>``; ``csv`` is ``table_csv(tables)`` when at hand.

    >>> t = {"a": pd.DataFrame({"x": [1]})}
    >>> dataset_version(t) == dataset_version({"a": pd.DataFrame({"x": [1]})})
    True
    >>> dataset_version(t) != dataset_version({"a": pd.DataFrame({"x": [2]})})
    True
    """
    csv = table_csv(tables) if csv is None else csv
    h = hashlib.sha256()
    for name in sorted(tables):
        h.update(name.encode() + b"\0" + csv[name].encode() + b"\0")
    return "data-" + h.hexdigest()[:12]


def installed_dataset_version(tidy: Path) -> str:
    """The version recorded in ``tidy/datapackage.json``, or "not built"."""
    try:
        return str(json.loads((tidy / "datapackage.json").read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return "not built"


def describe_versions() -> str:
    """What ``ipcompare --version`` prints: code version, dataset version and where the dataset is read from."""
    from ipcompare import __version__
    from ipcompare.paths import tidy_dir

    tidy = tidy_dir()
    return f"ipcompare {__version__} (code)\ndataset {installed_dataset_version(tidy)} ({tidy})"
