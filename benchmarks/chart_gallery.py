"""Every chart the default reports draw, written as the PNGs the reports embed, with the CPU seconds of each.

    .venv/bin/python benchmarks/chart_gallery.py OUT_DIR [--repeat 3]

The charts of the five city profiles (zh and en), the city comparison, the gap analysis of every city against the
nation, the progress report's trajectories and the coverage heatmap, each rendered with ``plots.Png`` (one draw at
the print dpi) from this checkout's data/tidy (``IPCOMPARE_HOME`` names another, e.g. a scale.py corpus kept with
--keep). The files are named after the chart, so two runs (before and after a change) can be compared side by
side. Each report's charts start with no text kept, as its kernel does (``ipcompare.chart_canvas``). Prints the
least CPU-s of ``--repeat`` runs per kind of chart and in all. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

CITIES = ["zhengzhou", "suzhou", "nanchang", "maanshan", "linhai"]


def charts(ds):
    """(file name, kind, function making the figure) for every chart of the default reports, zh and en."""
    from ipcompare import analysis as A
    from ipcompare import findings as F
    from ipcompare import narrative as N
    from ipcompare import plots as P
    from ipcompare import progress_report as R
    from ipcompare.progress import progress

    out = []
    for city in CITIES:
        code = ds.geo(city)["geo_code"]
        drawn, _ = F.profile_comparison_plan(ds, city)
        for lang in ("zh", "en"):
            for ind, cmp in drawn:
                out.append((f"profile_{city}_{lang}_{ind}", "profile", lambda cmp=cmp, ind=ind, lang=lang, code=code:
                            P.comparison_chart(cmp, ds.label(ind, lang), lang=lang, notes=N.Footnotes(lang),
                                               highlight=code, source=N.sources_text(ds, cmp, lang))))
            gp = A.gaps(ds, city, "national")
            ok = gp[gp.comparable]
            if not ok.empty:
                out.append((f"gap_{city}_{lang}", "gap", lambda ok=ok, lang=lang: P.gap_chart(
                    ok, "相对差距（目标相对基准）" if lang == "zh" else "Relative gap (target vs benchmark)", lang=lang,
                    source=N.sources_text(ds, ok, lang))))
    for lang in ("zh", "en"):
        cmp = A.compare(ds, "high_value_invention_patents_per_10k", geos=CITIES + ["china"], side_by_side=True)
        if cmp.comparable.any():
            out.append((f"compare_{lang}", "compare", lambda cmp=cmp, lang=lang: P.comparison_chart(
                cmp, ds.label("high_value_invention_patents_per_10k", lang), lang=lang, notes=N.Footnotes(lang),
                source=N.sources_text(ds, cmp[cmp.comparable], lang))))
        cov = A.coverage(ds, N.comparable_indicators(ds, min_geos=2))
        cov.columns = [ds.geo(c)[f"name_{lang}"] for c in cov.columns]
        out.append((f"coverage_{lang}", "coverage", lambda cov=cov, lang=lang: P.coverage_heatmap(
            cov, {c: ds.label(c, lang) for c in cov.index}, lang=lang)))
        codes = [ds.geo(g)["geo_code"] for g in CITIES + ["china"]]
        p = progress(ds, today=date(2026, 12, 1))
        p = p[p.geo_code.isin(codes)]
        for ind in R.HEADLINE:
            if R.trajectory_chart(ds, p, ind, lang)[0] is not None:
                out.append((f"trajectory_{lang}_{ind}", "trajectory",
                            lambda p=p, ind=ind, lang=lang: R.trajectory_chart(ds, p, ind, lang)[0]))
    import matplotlib.pyplot as plt

    plt.close("all")
    return out


def _report(name: str, kind: str) -> str:
    """The report a chart belongs to: profiles and gap analyses per city and language, the others per language."""
    parts = name.split("_")
    return "_".join(parts[:3] if kind in ("profile", "gap") else parts[:2])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    import matplotlib.pyplot as plt

    import ipcompare
    from ipcompare import chart_canvas
    from ipcompare import plots as P

    ds = ipcompare.load()
    todo = charts(ds)
    args.out.mkdir(parents=True, exist_ok=True)
    best: dict[str, float] = {}
    for _ in range(max(1, args.repeat)):
        run: dict[str, float] = {}
        report = None
        for name, kind, make in todo:
            if _report(name, kind) != report:  # each report's kernel starts with no text kept (chart_canvas)
                report = _report(name, kind)
                chart_canvas.forget()
            c = time.process_time()
            fig = make()
            data = P.Png(fig).data
            plt.close(fig)
            run[kind] = run.get(kind, 0.0) + time.process_time() - c
            (args.out / f"{name}.png").write_bytes(data)
        best = {k: min(v, best.get(k, v)) for k, v in run.items()}
    counts = {k: sum(1 for _, kk, _ in todo if kk == k) for k in best}
    print(f"{len(todo)} charts in {args.out}; CPU-s, least of {args.repeat}: "
          + ", ".join(f"{k} {v:.2f} ({counts[k]})" for k, v in best.items()) + f"; all {sum(best.values()):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
