"""Fingerprints of everything the reports say, to show that a speed-up changed no output.

    .venv/bin/python benchmarks/profile_outputs.py [--corpus 120] [--cities ...] --save before.txt
    .venv/bin/python benchmarks/profile_outputs.py [--corpus 120] [--cities ...] --check before.txt

For each city × zh/en it hashes what the city profile, gap and comparison reports show: the profile's comparison
plan (charted frames and the tabulated rest), the summary, the not-compared table, the targets, growth,
comparisons and gap tables with their footnotes, the gap texts to the nation, the peer median, the own baseline
and every other real city, the comparable-indicator lists, one `compare()` per indicator of the city, the
progress sentence and status table, and the consistency checks. With ``--corpus N`` the same runs against a
synthetic corpus of N documents (as benchmarks/scale.py builds it; there a city has more comparable
indicators than the profile charts, so the tabulated rest is exercised too). Frames are hashed with their
dtypes, index and every value (floats as repr). ``--check`` names each item that differs. Nothing is timed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

REAL = ["zhengzhou", "suzhou", "nanchang", "maanshan", "linhai"]


def _digest(obj) -> str:
    """A stable hash of a frame (dtypes, index, values), a string, or a list/tuple of those."""
    import pandas as pd

    h = hashlib.sha256()

    def feed(o) -> None:
        if isinstance(o, pd.DataFrame):
            h.update(repr((list(o.columns), [str(t) for t in o.dtypes], list(o.index))).encode())
            for row in o.itertuples(index=False):
                h.update(repr(tuple(row)).encode())
        elif isinstance(o, list | tuple):
            h.update(b"[")
            for x in o:
                feed(x)
            h.update(b"]")
        else:
            h.update(repr(o).encode())

    feed(obj)
    return h.hexdigest()[:16]


def fingerprints(cities: list[str], others: list[str]) -> list[tuple[str, str]]:
    """(item, hash) for every city × language; the dataset is the one ``ipcompare.load()`` finds."""
    import ipcompare
    from ipcompare import analysis as A
    from ipcompare import findings as F
    from ipcompare import narrative as N
    from ipcompare import progress_report as PR

    ds = ipcompare.load()
    out: list[tuple[str, str]] = []

    def add(name: str, obj) -> None:
        out.append((name, _digest(obj)))

    add("comparable_indicators min2", N.comparable_indicators(ds, min_geos=2))
    for city in cities:
        code = str(ds.geo(city)["geo_code"])
        drawn, rest = F.profile_comparison_plan(ds, city)
        add(f"{city} plan", [[ind, cmp] for ind, cmp in drawn] + [rest])
        benches = ["national", "peer_median", "baseline"] + [o for o in others if o != city]
        for b in benches:
            add(f"{city} gaps {b}", A.gaps(ds, city, b))
        own = set(ds.observations[ds.observations.geo_code == code].indicator)
        add(f"{city} comparable_indicators among", N.comparable_indicators(ds, min_geos=2, among=own))
        for ind in sorted(own):
            for kind in ("target", "baseline"):
                add(f"{city} compare {ind} {kind}", A.compare(ds, ind, kind=kind, side_by_side=True))
        add(f"{city} checks", A.consistency_checks(ds, geo=code))
        pg = A.progress(ds, geo=city)
        for lang in ("zh", "en"):
            p = f"{city} {lang}"
            add(f"{p} summary", F.summary(ds, city, lang))
            add(f"{p} attribution", F.attribution_note(ds, city, lang))
            add(f"{p} overview", N.city_overview(ds, city, lang))
            for ind, cmp in drawn:
                fn = N.Footnotes(lang)
                marks = [fn.mark(c) for c in cmp.caveats]
                add(f"{p} compare_text {ind}", [N.compare_text(ds, cmp, city, lang), N.sources_text(ds, cmp, lang),
                                                marks, fn.markdown()])
            fn = N.Footnotes(lang)
            add(f"{p} comparisons_table", [N.comparisons_table(ds, rest, lang, notes=fn), fn.markdown(),
                                           N.sources_text(ds, rest, lang)])
            for b in benches:
                gp = A.gaps(ds, city, b)
                fn = N.Footnotes(lang)
                add(f"{p} gaps_table {b}", [N.gaps_table(ds, gp, lang, notes=fn), fn.markdown(),
                                            N.gaps_text(ds, gp, city, lang)])
                add(f"{p} not_compared {b}", F.not_compared(ds, city, lang, benchmarks=(b,)))
            add(f"{p} not_compared", F.not_compared(ds, city, lang, obs_ids=True))
            for headline in (True, False):
                fn = N.Footnotes(lang)
                add(f"{p} targets_table {headline}", [N.targets_table(ds, city, lang, kind="target" if headline
                                                                      else None, headline_only=headline, notes=fn),
                                                      fn.markdown()])
            fn = N.Footnotes(lang)
            add(f"{p} growth_table", [N.growth_table(ds, city, lang, notes=fn), fn.markdown()])
            add(f"{p} progress", [PR.city_sentence(ds, pg, city, lang), PR.status_table(ds, pg, lang)])
            add(f"{p} checks_text", N.checks_text(ds, city, lang))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=int, default=0, help="a synthetic corpus of N documents (0: this checkout's data)")
    ap.add_argument("--cities", nargs="+", default=None,
                    help="cities to fingerprint (default: the five real ones; with --corpus also two synthetic)")
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path)
    group.add_argument("--check", type=Path)
    args = ap.parse_args()
    tmp = None
    try:
        cities = args.cities or REAL
        if args.corpus:
            import scale

            tmp = Path(tempfile.mkdtemp(prefix="ipcompare-fp-"))
            geos = scale.make_corpus(tmp, args.corpus)
            scale.build(tmp, geos)
            os.environ["IPCOMPARE_HOME"] = str(tmp)
            cities = args.cities or REAL + [g["slug"] for g in geos[:2]]
        lines = [f"{k}\t{v}" for k, v in fingerprints(cities, REAL)]
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    if args.save:
        args.save.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{len(lines)} fingerprints written to {args.save}")
        return 0
    want = dict(x.split("\t") for x in args.check.read_text(encoding="utf-8").splitlines())
    got = dict(x.split("\t") for x in lines)
    bad = [k for k in want.keys() | got.keys() if want.get(k) != got.get(k)]
    for k in sorted(bad):
        print(f"DIFFERS: {k}: {want.get(k)} → {got.get(k)}")
    print(f"{len(got)} fingerprints, {len(bad)} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
