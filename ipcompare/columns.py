"""The tables and their columns as declared in ``registry/columns.yaml`` — plain data, no schema library.

Kept apart from :mod:`ipcompare.schema` (pandera, pydantic) so that reading the dataset (``ipcompare.load()``, every
report kernel) does not import the validation stack it never uses.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

__all__ = ["TABLE_ORDER", "column_specs", "table_specs"]

# The published tables, in the order of the data package and the Excel sheets.
TABLE_ORDER = ["observations", "statements", "indicators", "geographies", "documents", "reference", "outcomes"]

_COLUMNS_YAML = Path(__file__).parent / "registry" / "columns.yaml"


@lru_cache(maxsize=1)
def _columns_yaml() -> dict:
    return yaml.safe_load(_COLUMNS_YAML.read_text(encoding="utf-8"))


def column_specs() -> dict[str, dict]:
    """Column name → {type, description, min, max, pattern}."""
    return _columns_yaml()["columns"]


def table_specs() -> dict[str, dict]:
    """Table name → {primary_key, columns}."""
    return _columns_yaml()["tables"]
