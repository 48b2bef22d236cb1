"""The rows every analysis draws from: city observations and national benchmarks, one shape, one rule each.

- :func:`observations` — cities' observations plus the national ones (the 纲要's statements and the usable
  reference rows), each with its geography's ``level`` and a ``source`` naming where it comes from.
- :func:`resolve` — one value per geography and key. A plan that states two values for the same thing is
  never resolved by row order: :data:`CONFLICT_RULE` picks one and the others become a caveat.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ipcompare.analysis.comparability import join_caveats, row_caveats
from ipcompare.analysis.memo import kept_per_dataset
from ipcompare.dataset import Dataset

__all__ = ["NATIONAL", "OUT_COLS", "KEY", "national_benchmarks", "national_rows", "observations", "resolve",
           "CONFLICT_RULE", "check_kind", "check_indicator", "resolved", "candidates", "group_keys", "records",
           "rows_at"]

NATIONAL = "100000"
KINDS = ("target", "baseline")
OUT_COLS = ["geo_code", "geo_name_zh", "geo_name_en", "level", "doc_id", "indicator", "kind", "measure", "per",
            "unit", "year", "month", "period_start", "period_end", "value", "value_high", "comparator",
            "commitment", "n_mentions", "source", "source_url", "quote", "obs_id", "flags", "value_text"]
KEY = ["geo_code", "indicator", "kind", "measure", "per", "unit", "year"]
CONFLICT_RULE = ("most mentions first; then firm over aspirational (力争); then the less ambitious value "
                 "(the lower one where higher is better) — so a gap is never overstated by a passing mention")


def check_kind(kind: str) -> str:
    """``kind`` itself, or ValueError naming the valid kinds (a misspelt 'tagret' must not give an empty frame)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; valid: {', '.join(KINDS)}")
    return kind


def check_indicator(ds: Dataset, code: str) -> str:
    """``code`` itself, or KeyError listing similar codes."""
    ds.indicator(code)
    return code


def _month_of(year_text: str) -> float:
    """'2025-06' → 6; '2025' → NaN (a whole-year figure, i.e. year-end)."""
    parts = str(year_text).split("-")
    return float(int(parts[1])) if len(parts) > 1 and parts[1].isdigit() else float("nan")


def national_benchmarks(ds: Dataset) -> pd.DataFrame:
    """National targets and actuals as observation-shaped rows (geography 100000).

    The 纲要's own statements (in ``observations``) and the usable rows of the ``reference`` table (十四五 /
    十三五 national plan targets as ``target``, national actuals as ``baseline``). The 纲要 wins where both give
    the same indicator, kind and year. For actuals, the latest of a year by its reference date wins: a year-end
    figure (16.0 at end-2025) beats a mid-year one (15.3 in June 2025).

    >>> nb = national_benchmarks(load())
    >>> float(nb.query("indicator == 'high_value_invention_patents_per_10k' and kind == 'target' and year == 2025").value.iloc[0])
    12.0
    >>> float(nb.query("indicator == 'high_value_invention_patents_per_10k' and kind == 'baseline' and year == 2025").value.iloc[0])
    16.0

    Computed once per loaded dataset (:func:`national_rows`); each caller gets its own copy, as the public
    results of :func:`~ipcompare.analysis.memo.per_dataset` are handed out.
    """
    return national_rows(ds).copy()


@kept_per_dataset
def national_rows(ds: Dataset) -> pd.DataFrame:
    """:func:`national_benchmarks`, kept per loaded dataset and handed out without a copy: for the analysis,
    which reads it and never modifies it (:func:`observations`, the consistency checks)."""
    obs = ds.observations[ds.observations.geo_code == NATIONAL].assign(
        source=lambda d: "doc:" + d.doc_id, source_url="")
    ind = ds.indicators.set_index("code")
    ref = ds.reference
    ref = ref[(ref.geo_code == NATIONAL) & ref.usable & ref.value.notna() & ref.variable.isin(ind.index)].copy()
    if "month" in ref.columns:
        # The reference date's month; 12 (year-end, or the calendar year) is a whole-year figure.
        month = pd.to_numeric(ref["month"], errors="coerce").astype(float)
        month = month.where(month < 12)
    else:
        month = ref.note.fillna("").str.extract(r"year as written: (\d{4}-\d{2})")[0].map(
            lambda t: _month_of(t) if isinstance(t, str) else float("nan"))
    ref = ref.assign(
        indicator=ref.variable,
        kind=ref.kind.replace({"actual": "baseline"}),
        per=[None if u != ind.loc[v, "unit"] else ind.loc[v, "per"] for v, u in zip(ref.variable, ref.unit, strict=True)],
        month=month, value_high=float("nan"), comparator="=", commitment="firm", obs_id=ref.ref_id,
        quote=ref.source_quote, flags=["mid_year" if pd.notna(m) else "" for m in month],
        source="reference:" + ref.ref_id, n_mentions=1, doc_id=None, value_text="",
        geo_name_zh="中国", geo_name_en="China",
    )
    # Year-end before mid-year within a year: sort months with NaN (= whole year, year-end) as 13.
    ref = ref.assign(_m=ref.month.fillna(13)).sort_values(["indicator", "kind", "measure", "year", "_m"],
                                                         ascending=[True, True, True, True, False])
    both = pd.concat([obs, ref.drop(columns="_m")], ignore_index=True)
    both = both.drop_duplicates(subset=["indicator", "kind", "measure", "year"], keep="first")
    both = both.assign(level="national")
    return both.reindex(columns=OUT_COLS).reset_index(drop=True)


def observations(ds: Dataset) -> pd.DataFrame:
    """Cities' observations and the national benchmarks in one frame, each row with its geography's level."""
    levels = ds.geographies.set_index("geo_code").level
    city = ds.observations[ds.observations.geo_code != NATIONAL]
    city = city.assign(source="doc:" + city.doc_id, source_url="", level=city.geo_code.map(levels))
    out = pd.concat([city.reindex(columns=OUT_COLS), national_rows(ds)], ignore_index=True)
    return out


# The columns row_caveats reads: converting only these to dicts halves resolve's cost on a large corpus.
_CAVEAT_FIELDS = ["flags", "commitment", "comparator", "month"]


@kept_per_dataset
def resolved(ds: Dataset) -> pd.DataFrame:
    """``resolve(ds, observations(ds))``, computed once per loaded dataset (a report asks for it dozens of
    times). Callers get a copy-free frame and must not modify it."""
    return resolve(ds, observations(ds))


@kept_per_dataset
def _groups(ds: Dataset) -> dict[tuple[str, str], pd.DataFrame]:
    return dict(iter(resolved(ds).groupby(["indicator", "kind"], sort=False)))


def candidates(ds: Dataset, indicator: str, kind: str) -> pd.DataFrame:
    """The rows of :func:`resolved` for one indicator and kind, in their order and with their index labels —
    what ``resolved(ds)[(indicator == …) & (kind == …)]`` gives, looked up instead of filtered, so a report's
    per-row benchmark searches do not scan every city's rows. Callers must not modify it."""
    found = _groups(ds).get((indicator, kind))
    return found if found is not None else resolved(ds).iloc[0:0]


def group_keys(ds: Dataset) -> list[tuple[str, str]]:
    """The (indicator, kind) pairs of :func:`resolved`, in the order they first occur."""
    return list(_groups(ds))


@kept_per_dataset
def _rows(ds: Dataset) -> tuple[list[str], list[list], dict[int, dict], dict[tuple[str, str], list[dict]]]:
    # Every column of resolved() as a Python list, once; a row's dict is made the first time any lookup (by
    # indicator here, by geography in analysis.lookup) asks for it, and shared by them: nobody modifies them.
    frame = resolved(ds)
    return list(frame.columns), [frame.iloc[:, k].tolist() for k in range(frame.shape[1])], {}, {}


def rows_at(ds: Dataset, positions) -> list[dict]:
    """The rows of :func:`resolved` at ``positions`` (its RangeIndex labels) as plain dicts — native numbers,
    ``pd.NA`` kept, as ``Series.tolist`` gives them. Callers must not modify the dicts."""
    cols, values, made, _ = _rows(ds)
    out = []
    for i in positions:
        row = made.get(i)
        if row is None:
            row = made[i] = dict(zip(cols, (v[i] for v in values), strict=True))
        out.append(row)
    return out


def records(ds: Dataset, indicator: str, kind: str) -> list[dict]:
    """:func:`candidates` as a list of plain dicts, made once per indicator and kind: the peer search and the
    comparable-group count read rows one by one, and a pandas row costs a hundred times a dict lookup. Callers
    must not modify the list or its dicts (:func:`rows_at`: a group costs its rows, not a pass of pandas over
    every column)."""
    by_key = _rows(ds)[3]
    found = by_key.get((indicator, kind))
    if found is None:
        found = by_key[(indicator, kind)] = rows_at(ds, candidates(ds, indicator, kind).index)
    return found


def resolve(ds: Dataset, obs: pd.DataFrame) -> pd.DataFrame:
    """One row per :data:`KEY`, picked by :data:`CONFLICT_RULE`; the others listed in ``other_values``.

    Rows without a value (OCR) and parts of a list (``subtotal``) are left out here: they are never a key's
    value. Adds ``caveats`` (the row's own caveats, plus ``conflicting_mentions`` when others were set aside).

    >>> from ipcompare.analysis import pool
    >>> zz = pool.resolve(load(), pool.observations(load()))
    >>> r = zz[zz.indicator == "high_value_patent_coaching_institutions"].iloc[0]
    >>> (float(r.value), r.other_values)
    (10.0, '15家以上')
    """
    obs = obs[obs.value.notna() & ~obs["flags"].fillna("").str.contains("subtotal")].copy()
    hib = ds.indicators.set_index("code").higher_is_better.to_dict()  # a dict: looked up once per row
    obs["_firm"] = (obs.commitment != "aspirational").astype(int)
    obs["_n"] = obs.n_mentions.fillna(1).astype(int)
    obs["_amb"] = [(-v if bool(hib.get(i, True)) else v) for v, i in zip(obs.value, obs.indicator, strict=True)]
    obs["_per"] = obs.per.fillna("")
    keys = [k if k != "per" else "_per" for k in KEY]
    obs = obs.sort_values(keys + ["_n", "_firm", "_amb"], ascending=[True] * len(keys) + [False, False, False],
                          kind="stable")
    # One pass over the sorted rows instead of a pandas object per key (a report resolves the whole dataset
    # once; at national scale there are tens of thousands of keys): the first row of each key is its pick.
    gid = obs.groupby(keys, sort=True, dropna=False).ngroup().to_numpy()
    first = ~pd.Series(gid).duplicated().to_numpy()
    picks = obs[first]
    pick_of = dict(zip(gid[first], range(int(first.sum())), strict=True))
    p_value = picks.value.to_numpy()[[pick_of[g] for g in gid]]
    p_high = picks.value_high.to_numpy()[[pick_of[g] for g in gid]]
    # Identical values stated with another comparator or hedge are restatements, not conflicts.
    other = ~first & ((obs.value.to_numpy() != p_value)
                      | (obs.value_high.fillna(-1).to_numpy() != pd.Series(p_high).fillna(-1).to_numpy()))
    texts: dict[int, list[str]] = {}
    for g, t, v in zip(gid[other], obs.value_text.fillna("").to_numpy()[other], obs.value.to_numpy()[other],
                       strict=True):
        texts.setdefault(g, []).append(str(t) if t else f"{v:g}")
    picks = picks.assign(other_values=["; ".join(texts.get(g, [])) for g in gid[first]])
    picks = picks.assign(caveats=[join_caveats(row_caveats(r) + (["conflicting_mentions"] if g in texts else []))
                                  for g, r in zip(gid[first], picks[_CAVEAT_FIELDS].to_dict("records"), strict=True)])
    picks = picks.iloc[np.argsort(gid[first], kind="stable")].drop(columns=["_firm", "_n", "_amb", "_per"])
    # Plain object columns, then inferred, as the tables of rows this function used to build — the callers'
    # arithmetic and formatting were written against those types.
    out = pd.DataFrame(picks.astype(object).to_numpy(), columns=picks.columns).infer_objects()
    return out.reset_index(drop=True)
