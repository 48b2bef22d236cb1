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
from ipcompare.sources import GRADES, grade_url
from ipcompare.statements import expected_unit
from ipcompare.yamlfile import load_yaml

__all__ = ["build_reference", "ReferenceError", "vintage_of", "is_usable", "as_of_month", "VINTAGES", "GRADES"]

_DOUBT = re.compile(r"SUSPECT|LOW-QUALITY|LOW PRECISION|MISLABELED", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s'\"()]+")
VINTAGES = ("census_2020", "census_revised", "pre_census", "reported")
# How the notes of city_stats.csv state a row's own vintage. Case matters: "ORIGINAL pre-census" speaks of the
# row itself, while "(original pre-census)" and "census-revised series gives 1205.2万" speak of another row.
_OWN_PRE_CENSUS = re.compile(r"ORIGINAL pre-census|pre-census series")
_OWN_REVISED = re.compile(r"七人普后|treat as revised series")
_CENSUS_YEAR = 2020
_MONTHS = {m: i for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}


class ReferenceError(ValueError):
    """A reference file cannot be read as expected; names the file and row."""


def vintage_of(variable: str, note: str, year: int) -> str:
    """Which vintage a population figure is: census_2020, census_revised, pre_census or reported.

    Year-end populations published before the 2020 census were revised afterwards (七人普后 … 调整); mixing the
    two vintages in one series makes spurious jumps, so the vintage is kept with every value. A row is
    pre-census or census-revised when its note says so of the row itself; every year-end figure after the
    census year is on the census basis (there is no other), so it counts as census_revised; a figure up to
    2020 whose note is silent stays ``reported`` (``build_reference`` then gives it the vintage of a row of the
    same city, year and value, when there is one).
    """
    if variable == "population_census_2020":
        return "census_2020"
    if _OWN_PRE_CENSUS.search(note):
        return "pre_census"
    if _OWN_REVISED.search(note) or year > _CENSUS_YEAR:
        return "census_revised"
    return "reported"


def is_usable(note: str) -> bool:
    """False when the source row is marked SUSPECT / LOW-QUALITY / LOW PRECISION / MISLABELED."""
    return not _DOUBT.search(note)


def as_of_month(year_as_written: str) -> int:
    """Month of a national actual's reference date: 2025-06 → 6, "as of Nov 2025" → 11, a plain year → 12
    (a year-end stock or a calendar year's flow), so that the latest figure of a year can be told by date."""
    m = re.fullmatch(r"\d{4}-(\d{2})", year_as_written.strip())
    if m:
        return int(m.group(1))
    m = re.search(r"as of (\w{3})\w* \d{4}", year_as_written)
    if m and m.group(1) in _MONTHS:
        return _MONTHS[m.group(1)]
    if re.fullmatch(r"\d{4}", year_as_written.strip()):
        return 12
    raise ValueError(f"no reference month in {year_as_written!r}")


def _rows(path: Path) -> list[dict]:
    return [row for _, row in read_csv_rows(path)]


def _city_row(path: Path, i: int, r: dict, vintage: str) -> dict:
    variable = "gdp" if r["variable"] == "gdp_current_100m_yuan" else r["variable"]
    try:
        value = float(r["value"]) * (1e8 if variable == "gdp" else 1.0)
        year = int(r["year"])
    except ValueError:
        raise ReferenceError(f"{path}:{i}: value {r['value']!r} or year {r['year']!r} is not a number") from None
    return dict(
        ref_id=f"{path.name}#{i}", geo_code=r["geo_code"], variable=variable, kind="actual",
        measure="annual" if variable == "gdp" else "stock", year=year,
        # The census counts residents at 0:00 on 1 November 2020; year-end figures and GDP refer to December.
        month=11 if variable == "population_census_2020" else 12,
        value=value, unit="CNY" if variable == "gdp" else "person",
        vintage=vintage if variable != "gdp" else "reported",
        usable=is_usable(r["note"]), source_url=r["source_url"], source_quote=r["source_quote"],
        publisher=r.get("publisher") or None, published=r.get("published") or None,
        source_grade=r.get("source_grade") or None,
        note=r["note"],
    )


def _city_stats(path: Path) -> list[dict]:
    out = []
    for i, r in enumerate(_rows(path), start=2):
        try:
            year = int(r["year"])
        except ValueError:
            raise ReferenceError(f"{path}:{i}: year {r['year']!r} is not a number") from None
        out.append(_city_row(path, i, r, vintage_of(r["variable"], r["note"], year)))
    # A figure whose note is silent on its vintage belongs to the series whose row has the same city, year and
    # value (Suzhou 2018 1072.17万 is the 江苏统计年鉴2019 pre-census figure).
    known = {(o["geo_code"], o["year"], o["value"]): o["vintage"] for o in out
             if o["vintage"] in ("pre_census", "census_revised")}
    for o in out:
        if o["vintage"] == "reported" and o["variable"] != "gdp":
            o["vintage"] = known.get((o["geo_code"], o["year"], o["value"]), "reported")
    return out


def _city_stats_added(path: Path) -> list[dict]:
    """Rows this project sourced itself: an explicit vintage, publisher, published date and source grade."""
    out = []
    for i, r in enumerate(_rows(path), start=2):
        for col, allowed in (("vintage", VINTAGES), ("source_grade", GRADES)):
            if r.get(col) not in allowed:
                raise ReferenceError(f"{path}:{i}: {col} {r.get(col)!r} not one of {', '.join(allowed)}")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", r.get("published", "")):
            raise ReferenceError(f"{path}:{i}: published {r.get('published')!r} is not a YYYY-MM-DD date")
        if not r["source_quote"] or not r["source_url"].startswith("http"):
            raise ReferenceError(f"{path}:{i}: a sourced row needs its URL and exact quote")
        row = _city_row(path, i, r, r["vintage"])
        # The value must be what the quote says, read by the project's own parser (2.77万亿元 → 2.77e12).
        if r.get("value_text", "") not in r["source_quote"] or not r.get("value_text"):
            raise ReferenceError(f"{path}:{i}: value_text {r.get('value_text')!r} is not in the quote")
        try:
            said = parse_value(r["value_text"]).value
        except ValueError as exc:
            raise ReferenceError(f"{path}:{i}: value_text: {exc}") from None
        if abs(said - row["value"]) > 1e-9 * abs(said):
            raise ReferenceError(f"{path}:{i}: value {r['value']} {r['unit']} but the quote says {r['value_text']}")
        out.append(row)
    return out


def _national_actuals(path: Path, mapping: dict, registry: Registry) -> list[dict]:
    out = []
    for i, r in enumerate(_rows(path), start=2):
        if r["indicator_zh"] not in mapping:
            raise ReferenceError(f"{path}:{i}: indicator {r['indicator_zh']!r} not in indicator_map.yaml")
        code, measure = mapping[r["indicator_zh"]]
        registry.indicator(code)
        year_m = re.match(r"(\d{4})", r["year"])
        try:
            month = as_of_month(r["year"])
        except ValueError as exc:
            raise ReferenceError(f"{path}:{i}: {exc}") from None
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
                year=int(year_m.group(1)), month=month, value=value,
                unit=registry.indicator(code).unit, vintage="reported", usable=usable, source_url=r["source_url"],
                source_quote=r["source_quote"], publisher=None, published=None, source_grade=None, note=note,
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
                measure=r["measure"], year=int(r["year"]), month=12 if r["kind"] == "actual" else None, value=value,
                unit=expected_unit(ind.unit, r["measure"]), vintage="reported", usable=r["usable"] == "true",
                source_url=url.group(0) if url else "unknown", source_quote=src["source"], publisher=None, published=None,
                source_grade=None, note=r["note"],
            )
        )
    return out


def build_reference(ref_dir: Path, registry: Registry) -> list[dict]:
    """All reference rows, in a stable order."""
    mapping = load_yaml(ref_dir / "indicator_map.yaml").data
    added = ref_dir / "city_stats_added.csv"
    rows = (
        _city_stats(ref_dir / "city_stats.csv")
        + (_city_stats_added(added) if added.exists() else [])
        + _national_actuals(ref_dir / "national_actuals.csv", mapping, registry)
        + _national_benchmarks(ref_dir / "national_benchmarks_long.csv", ref_dir / "national_benchmarks.csv", registry)
    )
    for r in rows:
        if r["geo_code"] not in registry.geographies:
            raise ReferenceError(f"{r['ref_id']}: unknown geography {r['geo_code']!r}")
        # Rows this project sourced carry their own grade; the copied files are graded by host.
        r["source_grade"] = r.get("source_grade") or grade_url(r["source_url"])
    return rows
