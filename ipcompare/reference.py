"""Reference numbers (population, GDP, national targets and actuals) from ``data/raw/reference/``.

Every row keeps its source URL and quote. Rows the source itself marks as doubtful are kept, with
``usable = False``, so that the choice is visible rather than silent.
"""

from __future__ import annotations

import re
from pathlib import Path

from ipcompare.csvfile import read_csv_rows
from ipcompare.numbers import parse_value
from ipcompare.registry import Registry
from ipcompare.yamlfile import load_yaml

__all__ = ["build_reference", "ReferenceError", "vintage_of", "is_usable"]

_DOUBT = re.compile(r"SUSPECT|LOW-QUALITY|LOW PRECISION|MISLABELED", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s'\"()]+")


class ReferenceError(ValueError):
    """A reference file cannot be read as expected; names the file and row."""


def vintage_of(variable: str, note: str) -> str:
    """Which vintage a population figure is: census_2020, census_revised, pre_census or reported.

    Year-end populations published before the 2020 census were revised afterwards (七人普后 … 调整); mixing the
    two vintages in one series makes spurious jumps, so the vintage is kept with every value.
    """
    if variable == "population_census_2020":
        return "census_2020"
    if "七人普后" in note or "census-revised" in note:
        return "census_revised"
    if "pre-census" in note.lower() or "ORIGINAL" in note:
        return "pre_census"
    return "reported"


def is_usable(note: str) -> bool:
    """False when the source row is marked SUSPECT / LOW-QUALITY / LOW PRECISION / MISLABELED."""
    return not _DOUBT.search(note)


def _rows(path: Path) -> list[dict]:
    return [row for _, row in read_csv_rows(path)]


def _city_stats(path: Path) -> list[dict]:
    out = []
    for i, r in enumerate(_rows(path), start=2):
        variable = "gdp" if r["variable"] == "gdp_current_100m_yuan" else r["variable"]
        try:
            value = float(r["value"]) * (1e8 if variable == "gdp" else 1.0)
        except ValueError:
            raise ReferenceError(f"{path}:{i}: value {r['value']!r} is not a number") from None
        out.append(
            dict(
                ref_id=f"{path.name}#{i}", geo_code=r["geo_code"], variable=variable, kind="actual",
                measure="annual" if variable == "gdp" else "stock", year=int(r["year"]), value=value, unit="CNY" if variable == "gdp" else "person",
                vintage=vintage_of(r["variable"], r["note"]) if variable != "gdp" else "reported",
                usable=is_usable(r["note"]), source_url=r["source_url"], source_quote=r["source_quote"], note=r["note"],
            )
        )
    return out


def _national_actuals(path: Path, mapping: dict, registry: Registry) -> list[dict]:
    out = []
    for i, r in enumerate(_rows(path), start=2):
        if r["indicator_zh"] not in mapping:
            raise ReferenceError(f"{path}:{i}: indicator {r['indicator_zh']!r} not in indicator_map.yaml")
        code, measure = mapping[r["indicator_zh"]]
        registry.indicator(code)
        year_m = re.match(r"(\d{4})", r["year"])
        note = f"year as written: {r['year']}" if r["year"] != (year_m.group(1) if year_m else "") else ""
        try:
            value = parse_value(r["value"] + r["unit"]).value
            usable = True
        except ValueError:
            value, usable = None, False
        if r["value"].startswith(("~", ">", "<")) or "接近" in r["value"]:
            # "~4000 (接近)" is a description, not a measurement: kept for the record, not for analysis.
            value, usable = None, False
            note = (note + "; " if note else "") + f"value as written: {r['value']}"
        out.append(
            dict(
                ref_id=f"{path.name}#{i}", geo_code="100000", variable=code, kind="actual", measure=measure,
                year=int(year_m.group(1)), value=value, unit=registry.indicator(code).unit, vintage="reported",
                usable=usable, source_url=r["source_url"], source_quote=r["source_quote"], note=note,
            )
        )
    return out


def _national_benchmarks(long_path: Path, wide_path: Path, registry: Registry) -> list[dict]:
    wide = {f"{wide_path.name}#{i}": r for i, r in enumerate(_rows(wide_path), start=2)}
    out = []
    for i, r in enumerate(_rows(long_path), start=2):
        src = wide.get(r["source_row"])
        if src is None:
            raise ReferenceError(f"{long_path}:{i}: source_row {r['source_row']!r} not in {wide_path.name}")
        ind = registry.indicator(r["variable"])
        value = parse_value(r["value"] + r["unit_as_written"]).value
        url = _URL.search(src["source"])
        out.append(
            dict(
                ref_id=f"{long_path.name}#{i}", geo_code="100000", variable=ind.code, kind=r["kind"],
                measure=r["measure"], year=int(r["year"]), value=value, unit=ind.unit if r["measure"] != "growth_rate" else "percent",
                vintage="reported", usable=r["usable"] == "true", source_url=url.group(0) if url else "unknown",
                source_quote=src["source"], note=r["note"],
            )
        )
    return out


def build_reference(ref_dir: Path, registry: Registry) -> list[dict]:
    """All reference rows, in a stable order."""
    mapping = load_yaml(ref_dir / "indicator_map.yaml").data
    rows = (
        _city_stats(ref_dir / "city_stats.csv")
        + _national_actuals(ref_dir / "national_actuals.csv", mapping, registry)
        + _national_benchmarks(ref_dir / "national_benchmarks_long.csv", ref_dir / "national_benchmarks.csv", registry)
    )
    for r in rows:
        if r["geo_code"] not in registry.geographies:
            raise ReferenceError(f"{r['ref_id']}: unknown geography {r['geo_code']!r}")
    return rows
