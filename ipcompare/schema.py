"""Table schemas generated from ``registry/columns.yaml`` and the registry's code lists (pandera).

``validate_tables`` checks every table lazily and reports every failure at once, each naming the table, the
row (and its document where the table has one) and the column.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from ipcompare.columns import column_specs, table_specs
from ipcompare.outcomes import SOURCE_GRADES
from ipcompare.reference import GRADES, VINTAGES
from ipcompare.registry import Registry

__all__ = ["column_specs", "table_specs", "table_schema", "validate_tables", "TableValidationError", "DTYPES"]

DTYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}


class TableValidationError(ValueError):
    """Every schema failure of every table, one per line."""


def _allowed(table: str, column: str, registry: Registry) -> list | None:
    if column == "indicator" or (table == "reference" and column == "variable") or (table == "indicators" and column == "code"):
        base = list(registry.indicators)
        return base + ["population_census_2020", "population_resident_yearend", "gdp"] if column == "variable" else base
    if column == "geo_code":
        return list(registry.geographies)
    if column in ("kind",):
        return ["target", "baseline", "actual"] if table == "reference" else registry.allowed("kind")
    if column in ("measure", "comparator", "commitment"):
        return registry.allowed(column)
    if column == "unit":
        return list(registry.units)
    if column == "per":
        return ["10k_population", "10k_enterprises"]
    if column == "group":
        return ["creation", "utilisation", "protection", "management", "service", "talent", "funding", "economy"]
    if column == "source_grade":
        return list(dict.fromkeys([*GRADES, *SOURCE_GRADES]))
    if column == "vintage":
        return list(VINTAGES)
    return None


def table_schema(table: str, registry: Registry) -> pa.DataFrameSchema:
    """The pandera schema of one tidy table."""
    spec = table_specs()[table]
    cols = column_specs()
    columns = {}
    for name in spec["columns"]:
        c = cols[name]
        checks = []
        if "min" in c:
            checks.append(pa.Check.ge(c["min"]))
        if "max" in c:
            checks.append(pa.Check.le(c["max"]))
        if "pattern" in c:
            checks.append(pa.Check.str_matches(c["pattern"]))
        allowed = _allowed(table, name, registry)
        if allowed is not None:
            checks.append(pa.Check.isin(allowed))
        if name == "flags":
            known = set(registry.allowed("flags"))
            checks.append(
                pa.Check(lambda s, known=known: s.fillna("").map(lambda v: all(f in known for f in v.split(";") if f)),
                         name="known_flags", error="flags not in vocab.yaml")
            )
        nullable = name not in spec["primary_key"] and name not in ("doc_id", "indicator", "kind", "measure", "year", "geo_code", "quote")
        columns[name] = pa.Column(DTYPES[c["type"]], checks=checks, nullable=nullable)
    checks = []
    if table in ("observations", "statements"):
        checks += [
            pa.Check(_percent_in_range, name="percent_and_points_within_0_100", error="percent/points value outside 0-100"),
            pa.Check(lambda df: df["char_end"] > df["char_start"], name="char_end_after_start"),
        ]
    return pa.DataFrameSchema(columns, strict=True, ordered=True, unique=spec["primary_key"], checks=checks,
                              name=table)


def _percent_in_range(df: pd.DataFrame) -> pd.Series:
    bounded = df["unit"].isin(["percent", "points"]) & (df["measure"] != "growth_rate")
    ok = df["value"].isna() | ((df["value"] >= 0) & (df["value"] <= 100))
    return ~bounded | ok


def validate_tables(tables: dict[str, pd.DataFrame], registry: Registry) -> None:
    """Validate every table; raise TableValidationError listing every failure (table, row, doc, column)."""
    lines: list[str] = []
    for name, df in tables.items():
        try:
            table_schema(name, registry).validate(df, lazy=True)
        except SchemaErrors as exc:
            for _, f in exc.failure_cases.iterrows():
                idx = f.get("index")
                where = ""
                if idx is not None and not pd.isna(idx) and "doc_id" in df.columns and idx in df.index:
                    key = df.loc[idx, table_specs()[name]["primary_key"][0]]
                    where = f" ({key})"
                lines.append(f"{name}: row {idx}{where}: column {f.get('column')}: {f.get('check')}: "
                             f"failure case {f.get('failure_case')!r}")
    if lines:
        raise TableValidationError(f"{len(lines)} schema failure(s):\n" + "\n".join(lines))
