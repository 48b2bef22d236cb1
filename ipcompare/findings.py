"""What a report says first, and what it leaves out: the first-page findings, the "not compared, and why"
table, the attribution of a document whose city is inferred, and the bounded comparisons of a city profile.

Everything here reads analysis results; nothing is computed that the analysis package does not state.
"""

from __future__ import annotations

import re

import pandas as pd

from ipcompare import analysis as A
from ipcompare.analysis.comparability import BLOCKING, caveat_text, split_caveats
from ipcompare.dataset import Dataset
from ipcompare.narrative import COLS, fmt_value, measure_label, members_text

__all__ = ["summary", "not_compared", "attribution_note", "profile_comparisons", "profile_comparison_plan",
           "HEADLINE", "MAX_PROFILE_CHARTS"]

HEADLINE = "high_value_invention_patents_per_10k"
# A city profile draws at most this many comparison charts; further comparable indicators go into one table.
# The real plans give a city 1–4 comparisons, so their reports are unchanged; with hundreds of plans a city can
# be comparable on 30 indicators, and a chart each (~0.2 CPU-s apiece, most of a profile's cost) would make the
# report's cost grow with the corpus and its length with it (docs/decisions.md, issue 14).
MAX_PROFILE_CHARTS = 4
# Caveats that change how far a first-page finding can be trusted; the others stay footnotes in the tables.
_SAY_IN_SUMMARY = ("ambiguous_measure", "ambiguous_year", "ambiguous_indicator", "aspirational",
                   "conflicting_mentions", "denominator_year_differs")


def _v(r, lang: str, which: str = "value") -> str:
    per = r.per
    return fmt_value(getattr(r, which), r.unit, per, r.comparator if which == "value" else "=", lang)


def _bench_words(ds: Dataset, r, lang: str) -> str:
    if r.benchmark == "national":
        return "全国" if lang == "zh" else "the nation"
    if r.benchmark == "peer median":
        return (f"{r.n_peers}个可比城市中位数（{members_text(ds, r.benchmark_members, lang)}）" if lang == "zh"
                else f"the median of {r.n_peers} comparable cities ({r.benchmark_members})")
    return members_text(ds, r.benchmark, lang)


def summary(ds: Dataset, city: str, lang: str = "zh", limit: int = 5) -> str:
    """3–5 findings that matter, each with its numbers and what it is compared with, as a Markdown list."""
    code = str(ds.geo(city)["geo_code"])
    name = ds.geo_label(code, lang)
    out: list[str] = []
    seen: set[str] = set()
    for bench in ("national", "peer_median"):
        g = A.gaps(ds, code, bench)
        ok = g[g.comparable & g.gap_relative.notna()]
        # The headline indicator of the 纲要 first, then the largest relative gaps.
        ok = ok.assign(_k=(ok.indicator != HEADLINE).astype(int), _g=-ok.gap_relative.abs()).sort_values(["_k", "_g"])
        for r in ok.itertuples():
            if len(out) >= 3 or (r.indicator, bench) in seen or r.indicator in seen:
                continue
            seen.add(r.indicator)
            basis = measure_label(r.measure, r.period_start, r.period_end, lang)
            if lang == "zh":
                yr = f"{r.year}年" + (f"{int(r.month)}月" if pd.notna(r.month) else "")
            else:
                yr = f"{r.year}" + (f"-{int(r.month):02d}" if pd.notna(r.month) else "")
            # Shares and percentages differ in percentage points, not in percent of each other.
            if r.unit == "percent":
                diff_zh, diff_en = f"{abs(r.gap):.3g}个百分点", f"{abs(r.gap):.3g} percentage points"
            else:
                diff_zh, diff_en = f"{abs(r.gap_relative):.0%}", f"{abs(r.gap_relative):.0%}"
            by = r.benchmark_years or r.benchmark_year
            inten = "intensity" in split_caveats(r.caveats)
            if lang == "zh":
                s = (f"**{r.indicator_name_zh}**（{basis}{'，按人口/GDP换算' if inten else ''}）：{name}{yr}目标"
                     f"{_v(r, lang)}，{_bench_words(ds, r, lang)}为{_v(r, lang, 'benchmark_value')}（{by}年），"
                     f"{'高' if r.gap > 0 else '低'}{diff_zh}。")
            else:
                s = (f"**{r.indicator_name_en}** ({basis}{', as an intensity' if inten else ''}): {name}'s {yr} target "
                     f"{_v(r, lang)} against {_bench_words(ds, r, lang)} at {_v(r, lang, 'benchmark_value')} ({by}), "
                     f"{diff_en} {'higher' if r.gap > 0 else 'lower'}.")
            # A finding resting on a curator's reading or a hedged target says so in the sentence itself.
            warn = [caveat_text(c, lang) for c in split_caveats(r.caveats) if c in _SAY_IN_SUMMARY]
            if warn:
                s += ("（注：" + "；".join(warn) + "）") if lang == "zh" else " (Note: " + "; ".join(warn) + ".)"
            out.append(s)
    pairs = A.baseline_pairs(ds, code)
    pairs = pairs[pairs.path == "compound"].dropna(subset=["required_growth"]) if not pairs.empty else pairs
    if not pairs.empty:
        r = pairs.sort_values("required_growth", ascending=False).iloc[0]
        ind = ds.label(r.indicator, lang)
        basis = measure_label(r.measure, r.period_start, r.period_end, lang)
        out.append(
            f"**{ind}**（{basis}）从{fmt_value(r.baseline, r.unit, r.per, '=', lang)}（{r.baseline_year}）到"
            f"{fmt_value(r.target, r.unit, r.per, r.comparator, lang)}（{r.target_year}），需年均增长{r.required_growth:.1%}，"
            f"是本规划同口径目标中要求最高的增速。" if lang == "zh" else
            f"**{ind}** ({basis}) from {fmt_value(r.baseline, r.unit, r.per, '=', lang)} ({r.baseline_year}) to "
            f"{fmt_value(r.target, r.unit, r.per, r.comparator, lang)} ({r.target_year}) needs {r.required_growth:.1%} a year, "
            "the steepest growth among the plan's targets with a baseline on the same basis.")
    out.append(("进展：" if lang == "zh" else "Progress: ") + _progress_sentence(ds, code, lang))
    chk = A.consistency_checks(ds, geo=code)
    chk = chk[(chk.geo_code == code) & chk.check.isin(["implied_population", "multiple_of_national"])] if not chk.empty else chk
    if not chk.empty:
        out.append(("核对：" if lang == "zh" else "Check: ") + chk.iloc[0][f"sentence_{lang}"])
    nc = not_compared(ds, code, lang)
    n_t = int(((ds.observations.geo_code == code) & (ds.observations.kind == "target")).sum())
    if n_t and len(nc):
        out.append(f"{n_t}项目标中有{len(nc)}项无法与全国或可比城市同口径比较（原因见“未比较的指标及原因”）。" if lang == "zh"
                   else f"{len(nc)} of {n_t} targets cannot be compared on the same basis with the nation or peers "
                        "(see “Not compared, and why”).")
    if not seen and len(nc):
        why = [x for r in nc.itertuples() for x in str(r[-1]).split("；" if lang == "zh" else "; ")]
        if why and caveat_text("years_apart", lang) in why:
            docs = ds.documents[ds.documents.geo_code == code]
            span = ", ".join(f"{d.plan_start}–{d.plan_end}" for d in docs.itertuples())
            out.insert(0, f"{name}规划期为{span}年，其目标与其他城市2025年前后的目标不属同一时期，按规则不作同期比较。"
                       if lang == "zh" else
                       f"{name}'s plan covers {span}; its targets belong to another era than the other cities' "
                       "targets around 2025, so by rule they are not compared as peers.")
    if not out:
        out.append("本规划没有可同口径比较的目标。" if lang == "zh" else "No target of this plan is comparable on the same basis.")
    return "\n".join(f"{i}. {s}" for i, s in enumerate(out[:limit], 1))


def _progress_sentence(ds: Dataset, code: str, lang: str) -> str:
    from ipcompare.progress import progress
    from ipcompare.progress_report import city_sentence

    return city_sentence(ds, progress(ds, geo=code), code, lang)


def not_compared(ds: Dataset, city: str, lang: str = "zh", obs_ids: bool = False,
                 benchmarks: tuple[str, ...] = ("national", "peer_median")) -> pd.DataFrame:
    """The city's targets compared with none of ``benchmarks`` (default: the nation and peers; a gap report
    passes its own one, so the reasons are about the benchmark the reader chose), with the reasons in words
    (``obs_ids``: plus an ``obs_id`` column, for pages that link each value to its source)."""
    code = str(ds.geo(city)["geo_code"])
    found = [A.gaps(ds, code, b) for b in benchmarks]
    ok = {i for g in found for i in g.indicator[g.comparable]}
    c = COLS[lang]
    rows = []
    reasons = {}
    # Frames narrowed to the columns read before rows are taken and iterated (each costs per column).
    for g in found:
        for r in g.loc[~g.comparable, ["indicator", "measure", "year", "caveats"]].itertuples():
            reasons.setdefault((r.indicator, r.measure, r.year), []).extend(
                x for x in split_caveats(r.caveats) if x in BLOCKING)
    o = ds.observations
    obs = o.loc[(o.geo_code == code) & (o.kind == "target"),
                ["obs_id", "indicator", f"indicator_name_{lang}", "measure", "period_start", "period_end", "year",
                 "value", "value_high", "value_text", "unit", "per", "comparator", "flags"]]
    for r in obs.itertuples():
        if r.indicator in ok:
            continue
        why = list(dict.fromkeys(reasons.get((r.indicator, r.measure, r.year), [])))
        if pd.isna(r.value):
            why = ["no_value"]
        elif "subtotal" in str(r.flags):
            why = ["part_of_list"]
        if "no_benchmark" in why and len(why) > 1:
            why.remove("no_benchmark")
        text = "；".join(caveat_text(x, lang) for x in why) if lang == "zh" else "; ".join(caveat_text(x, lang) for x in why)
        rows.append({c["indicator"]: getattr(r, f"indicator_name_{lang}"),
                     c["measure"]: measure_label(r.measure, r.period_start, r.period_end, lang),
                     c["value"]: (fmt_value(r.value, r.unit, r.per, r.comparator, lang, r.value_high)
                                  if pd.notna(r.value) else r.value_text) + f" ({r.year})",
                     c["reason"]: text or caveat_text("no_benchmark", lang), "obs_id": r.obs_id})
    cols = [c["indicator"], c["measure"], c["value"], c["reason"]] + (["obs_id"] if obs_ids else [])
    return pd.DataFrame(rows, columns=cols)


def attribution_note(ds: Dataset, city: str, lang: str = "zh") -> str:
    """For a document whose city is inferred (Ma'anshan's OCR text has its name blanked), say so with the
    evidence; '' otherwise."""
    code = str(ds.geo(city)["geo_code"])
    docs = ds.documents[(ds.documents.geo_code == code) & ds.documents.attribution.fillna("").ne("")]
    out = []
    for d in docs.itertuples():
        own = ds.geo_label(code, "zh")
        places = [p for p in dict.fromkeys(re.findall(r"[\u4e00-\u9fff]{2,8}", d.attribution)) if p != own]
        if lang == "zh":
            out.append(f"**归属为推定。** 《{d.title_zh}》的OCR文本中城市名被遮盖；文中地名"
                       f"{'、'.join(places)}指向{ds.geo_label(code, 'zh')}，故归属于该市。")
        else:
            out.append(f"**Attribution inferred.** {d.attribution}")
    return "\n\n".join(out)


def _chartable(ds: Dataset, code: str) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """The city's comparable gap rows to its peers and to the nation (intensity rows aside: a profile tabulates
    those separately), and their indicators in that order."""
    peer, nat = A.gaps(ds, code, "peer_median"), A.gaps(ds, code, "national")
    peer = peer[peer.comparable]
    nat = nat[nat.comparable & ~nat.caveats.fillna("").str.contains("intensity")]
    return peer, nat, list(dict.fromkeys([*peer.indicator, *nat.indicator]))


def profile_comparisons(ds: Dataset, city: str) -> list[tuple[str, pd.DataFrame]]:
    """For a city profile: each indicator where the city has a comparable peer median or national value, the
    city, its bounded peer set and the nation (comparable rows only). The cost does not grow with the number of
    cities: peers are at most ``Rules.max_peers``."""
    code = str(ds.geo(city)["geo_code"])
    peer, _, inds = _chartable(ds, code)
    geo = ds.geographies.set_index("name_en")
    return [(ind, cmp) for ind in inds if (cmp := _comparison(ds, code, ind, peer, geo)) is not None]


def _comparison(ds: Dataset, code: str, ind: str, peer: pd.DataFrame, geo: pd.DataFrame) -> pd.DataFrame | None:
    """The comparable rows of the city, its peer set (from the comparable peer-median gap row) and the nation for
    ``ind``; None when the city's own row is not among them or stands alone."""
    p = peer[peer.indicator == ind]
    members = [name for name, _ in A.split_members(p.benchmark_members.iloc[0] if len(p) else "")]
    geos = [code] + [str(geo.loc[m, "geo_code"]) for m in members if m in geo.index] + [A.NATIONAL]
    cmp = A.compare(ds, ind, geos=geos, side_by_side=True)
    cmp = cmp[cmp.comparable]
    return cmp if code in set(cmp.geo_code) and len(cmp) > 1 else None


def profile_comparison_plan(ds: Dataset, city: str, limit: int = MAX_PROFILE_CHARTS
                            ) -> tuple[list[tuple[str, pd.DataFrame]], pd.DataFrame]:
    """What a city profile's comparison section shows: at most ``limit`` comparisons drawn as charts (as
    :func:`profile_comparisons` builds them, the 纲要's headline indicator first), and for the city's other
    comparable indicators their comparable gap rows to the peer median and the nation (an intensity row
    aside: the profile tabulates those separately), for one table.

    Only the charted comparisons are assembled row by row: with hundreds of plans a city can be comparable on
    30 indicators, and the table needs no more than :func:`~ipcompare.analysis.gaps` has already worked out.
    """
    code = str(ds.geo(city)["geo_code"])
    peer, nat, inds = _chartable(ds, code)
    geo = ds.geographies.set_index("name_en")
    drawn, rest = [], []
    for ind in sorted(inds, key=lambda i: i != HEADLINE):
        if len(drawn) >= limit:
            rest.append(ind)
            continue
        cmp = _comparison(ds, code, ind, peer, geo)
        if cmp is not None:
            drawn.append((ind, cmp))
    rows = pd.concat([peer[peer.indicator.isin(rest)], nat[nat.indicator.isin(rest)]], ignore_index=True)
    return drawn, rows
