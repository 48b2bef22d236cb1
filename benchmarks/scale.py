"""How build and report cost grow with the number of documents: synthetic corpora of 6, 120 and 600 documents.

    .venv/bin/python benchmarks/scale.py [--sizes 6 120 600] [--city zhengzhou] [--build-only] [--in-process] [--keep]
                                         [--repeat N] [--reports]
    .venv/bin/python benchmarks/scale.py --cells [NOTEBOOK] [--top 30] --sizes 0   # per cell, this checkout's data

Each corpus lives in a scratch IPCOMPARE_HOME (a temporary folder, never the real data/): the 6 real documents
(5 cities and the national outline) plus synthetic cities, each a copy of a real city's plan text and curated
statements under a new geography (codes 9xxx00, slugs ``synth_…``). Synthetic cities are not in the package's
registry, so this script — and only this script — adds them to the registry object the build uses.

For each size it prints: the build (read, check, tables, validation, every output file) in wall and CPU
seconds, per document and per document added since the previous size, and (with --build-only) each stage's
CPU and wall seconds; one city profile's CPU seconds (timed after every build, the sizes alternating
round by round, the least of ``--repeat`` rounds per size; the city_profile notebook's cells run
in this process, each figure rendered to PNG as the inline backend does, each table to HTML; kernel start and
PDF excluded) — as a batch's kernel runs them (the dataset loaded and its whole-dataset results computed once per
batch, before any report: ipcompare.report.data_preload) and, beside it, with the cells loading the dataset
themselves, as in JupyterLab; with --reports, one whole report — kernel, cells and PDF — as ``ipcompare report``
runs it (each job's ``cpu_s`` from the index of a one-worker batch of 5 profiles, its kernel's CPU and its
worker's; the first two jobs, which pay the worker's one-time costs, left out; the median over every round);
and the projected batch of one profile per city on this
machine's cores, with the per-job fixed cost given by --job-overhead (CPU-s of kernel + PDF per report,
measured with benchmarks/report_batch.py). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import string
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
REAL_CITIES = ["zhengzhou_2022_2025", "suzhou_2021_2025", "nanchang_2015_2017", "maanshan_2024_2026",
               "linhai_2021_2025"]


def _letters(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = string.ascii_lowercase[r] + out
    return out


def make_corpus(home: Path, n_docs: int) -> list[dict]:
    """Copy data/raw into ``home`` and add synthetic documents until there are ``n_docs``; their geographies."""
    raw = home / "data" / "raw"
    shutil.copytree(ROOT / "data" / "raw", raw)
    metas = yaml.safe_load((raw / "documents.yaml").read_text(encoding="utf-8"))
    by_id = {m["doc_id"]: m for m in metas}
    geos = []
    for i in range(max(0, n_docs - len(metas))):
        src = by_id[REAL_CITIES[i % len(REAL_CITIES)]]
        code = f"{900000 + (i + 1) * 100:06d}"
        slug = f"synth_{_letters(i)}"
        doc_id = f"{slug}_{src['plan_period'][0]}_{src['plan_period'][1]}"
        shutil.copy(raw / src["file"], raw / "docs" / f"{doc_id}.txt")
        shutil.copy(raw / "statements" / f"{src['doc_id']}.csv", raw / "statements" / f"{doc_id}.csv")
        metas.append({**json.loads(json.dumps(src)), "doc_id": doc_id, "file": f"docs/{doc_id}.txt", "geo_code": code})
        geos.append({"geo_code": code, "name_zh": f"合成{i + 1}市", "name_en": f"Synth {i + 1}",
                     "level": "prefecture", "parent_code": "990000", "province_zh": "合成省", "slug": slug,
                     "source_url": "https://example.invalid/synthetic", "source_quote": "synthetic (benchmark)"})
    (raw / "documents.yaml").write_text(yaml.safe_dump(metas, allow_unicode=True, sort_keys=False),
                                        encoding="utf-8")
    return geos


# The build's stages as (label, module, function): each is timed where the build calls it (the module global
# the caller looks up), so nested calls count in their own stage and "other" is whatever no stage covers.
_STAGES = [
    ("registry", "ipcompare.build", "load_registry"),
    ("documents.yaml", "ipcompare.build", "load_documents"),
    ("texts", "ipcompare.build", "read_document"),
    ("statements.csv", "ipcompare.build", "read_statements_csv"),
    ("reference", "ipcompare.build", "build_reference"),
    ("reference", "ipcompare.build", "read_outcomes"),
    ("hash", "ipcompare.build", "_hash_inputs"),
    ("curate", "ipcompare.build", "check_and_parse"),
    ("normalise", "ipcompare.build", "statement_records"),
    ("normalise", "ipcompare.build", "fold_observations"),
    ("frames", "ipcompare.build", "_frame"),
    ("validate", "ipcompare.export", "validate_tables"),
    ("csv", "ipcompare.export", "table_csv"),
    ("version", "ipcompare.export", "dataset_version"),
    ("csv", "ipcompare.export", "_csv_bytes"),
    ("parquet", "ipcompare.export", "_parquet_bytes"),
    ("readme", "ipcompare.export", "readme_markdown"),
    ("datapackage", "ipcompare.export", "datapackage"),
]


def _timer(clock: dict, label: str, fn):
    def timed(*a, **kw):
        w, c = time.perf_counter(), time.process_time()
        try:
            return fn(*a, **kw)
        finally:
            t = clock.setdefault(label, [0.0, 0.0])
            t[0] += time.perf_counter() - w
            t[1] += time.process_time() - c
    return timed


def build(home: Path, geos: list[dict], concurrent: bool | None = None) -> dict:
    """`ipcompare build` in this process with the synthetic geographies added — the CLI's own sequence
    (:func:`ipcompare.export.tidy_files`), each stage timed where it is looked up; wall/CPU of each stage.

    The workbook is written as the CLI writes it (a forked child on Linux; ``concurrent=False``: in-process, as
    before the child existed): its stage "xlsx" is the parent's wait for it (wall) and the child's CPU seconds,
    which are also added to the build's CPU.
    """
    import importlib
    from contextlib import contextmanager

    import ipcompare.build as B
    import ipcompare.export as E
    from ipcompare.registry import Geography, load_registry
    from ipcompare.tidy_io import write_generation

    base = load_registry()
    reg = base.model_copy(update={"geographies": {**base.geographies,
                                                  **{g["geo_code"]: Geography(**g) for g in geos}}})
    clock: dict[str, list[float]] = {}
    saved = []
    for label, m, f in _STAGES:
        mod = importlib.import_module(m)
        saved.append((mod, f, getattr(mod, f)))
        # benchmark only: synthetic cities are not in the package registry
        setattr(mod, f, _timer(clock, label, (lambda *a, **kw: reg) if f == "load_registry" else getattr(mod, f)))
    job = E.workbook_job

    @contextmanager
    def timed_job(*a, **kw):  # the parent's wait for the workbook
        with job(*a, **kw) as finish:
            yield _timer(clock, "xlsx", finish)

    saved.append((E, "workbook_job", job))
    E.workbook_job = timed_job

    def children_cpu() -> float:
        t = os.times()
        return t.children_user + t.children_system

    try:
        w0, c0, k0 = time.perf_counter(), time.process_time(), children_cpu()
        inputs = B.read_inputs(home / "data" / "raw")
        tables, _, files = E.tidy_files(inputs, concurrent)
        child = children_cpu() - k0  # the child is joined when the workbook's block ends
        clock["xlsx"][1] += child
        _timer(clock, "write", write_generation)(files, home / "data" / "tidy")
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0 + child
    finally:
        for mod, f, fn in saved:
            setattr(mod, f, fn)
    # "other" is the parent's time outside the stages; with the workbook in a child, its CPU is the child's own.
    clock["other"] = [max(0.0, wall - sum(t[0] for t in clock.values())), cpu - sum(t[1] for t in clock.values())]
    return {"wall": wall, "cpu": cpu, "xlsx": clock.get("xlsx", [0.0])[0], "stages": clock,
            "observations": len(tables["observations"]), "statements": len(tables["statements"]),
            "cities": int((tables["geographies"].level != "national").sum())}


def stage_lines(b: dict) -> str:
    """The build's stages in CPU-s (wall in brackets), in the order they run."""
    return "       stages CPU-s (wall): " + ", ".join(
        f"{k} {c:.2f} ({w:.2f})" for k, (w, c) in b["stages"].items())


_FIGURES = [0]  # figures rendered by the last profile: comparisons grow with the city's comparable indicators


def _display(obj, *_, **__) -> None:
    """What the inline backend and nbconvert do with a display: figures → PNG, tables and Markdown → HTML."""
    from matplotlib.figure import Figure

    if isinstance(obj, Figure):
        _FIGURES[0] += 1
        obj.savefig(io.BytesIO(), format="png", dpi=obj.dpi * 2, bbox_inches="tight")  # retina, as the kernels
    elif hasattr(obj, "_repr_png_"):  # plots.Png: rendered when made
        _FIGURES[0] += 1
        obj._repr_png_()
    elif hasattr(obj, "_repr_html_"):
        obj._repr_html_()
    elif hasattr(obj, "_repr_markdown_"):
        obj._repr_markdown_()


def notebook_cpu(home: Path | None, notebook: str = "city_profile", params: dict | None = None,
                 profiler=None, preloaded: bool = True) -> tuple[float, list[tuple[str, float]]]:
    """CPU seconds of ``notebook``'s cells run with ``params`` against the corpus in ``home`` (None: this
    checkout's data/tidy), and each code cell's share as (first line, CPU-s); ``profiler`` (a cProfile.Profile)
    is enabled around the cells only.

    ``preloaded``: as a batch's kernel runs them — the dataset loaded and its whole-dataset results computed
    before the cells, once per batch (ipcompare.report.data_preload), outside the timing; otherwise the cells'
    ``ipcompare.load()`` reads the files and everything is computed in the timing, as in JupyterLab."""
    import IPython.display
    import matplotlib

    matplotlib.use("Agg")
    nb = json.loads((ROOT / "notebooks" / f"{notebook}.ipynb").read_text(encoding="utf-8"))
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    IPython.display.display = _display  # the notebook's `from IPython.display import display` picks it up
    if home is not None:
        os.environ["IPCOMPARE_HOME"] = str(home)
    if preloaded:
        from ipcompare.analysis.prewarm import preload_dataset

        preload_dataset()
    from ipcompare import chart_canvas

    chart_canvas.forget()  # a kernel starts with no text kept: its charts measure every string once more
    ns: dict = {"__name__": "__profile__"}
    exec(cells[0], ns)  # the parameters cell (defaults), then ours
    ns.update(params or {})
    _FIGURES[0] = 0
    per_cell = []
    c0 = time.process_time()
    if profiler is not None:
        profiler.enable()
    for src in cells[1:]:
        t = time.process_time()
        exec(compile(src, f"<{notebook}>", "exec"), ns)
        per_cell.append((src.strip().splitlines()[0][:70], time.process_time() - t))
    if profiler is not None:
        profiler.disable()
    import matplotlib.pyplot as plt

    plt.close("all")
    return time.process_time() - c0, per_cell


def profile_cpu(home: Path | None, city: str, preloaded: bool = True) -> float:
    """CPU seconds of the city_profile notebook's cells for ``city`` against the corpus in ``home``."""
    return notebook_cpu(home, "city_profile", {"city": city, "lang": "zh"}, preloaded=preloaded)[0]


_REPORT_JOBS = 5  # profiles per measured batch (one worker)
_WORKER_WARMUP = 2  # its first jobs, which pay the worker's one-time costs, are not counted


def report_cpu(home: Path, city: str, jobs: int) -> list[float]:
    """Each job's CPU seconds (its kernel's and its worker's: ``cpu_s`` in the batch's index) when ``ipcompare
    report`` runs ``jobs`` city profiles of ``city`` against the corpus in ``home`` one after the other on one
    worker. A worker's first jobs also pay its one-time costs (the PDF stack's imports, the first layouts' font
    and style caches): only the later ones are what one more report costs."""
    import csv
    import subprocess

    spec = {"jobs": [{"name": f"p{i}", "notebook": str(ROOT / "notebooks" / "city_profile.ipynb"),
                      "parameters": {"city": city}} for i in range(jobs)]}
    batch = home / f"batch{jobs}.yaml"
    batch.write_text(yaml.safe_dump(spec), encoding="utf-8")
    out = home / f"out{jobs}"
    subprocess.run([str(Path(sys.executable).parent / "ipcompare"), "report", "--batch", str(batch), "--out",
                    str(out), "--jobs", "1", "--no-progress"], check=True,
                   env={**os.environ, "IPCOMPARE_HOME": str(home), "IPCOMPARE_REPORT_DATE": "2026-01-01"},
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with (out / "index.csv").open(encoding="utf-8", newline="") as fh:
        return [float(r["cpu_s"]) for r in csv.DictReader(fh)]


def print_cells(home: Path | None, notebook: str, params: dict, top: int, repeat: int = 1) -> None:
    """Per-cell CPU seconds of the cheapest of ``repeat`` runs (after a warm-up run), and the ``top`` functions by
    cumulative time."""
    import cProfile
    import pstats

    notebook_cpu(home, notebook, params)  # warm-up
    prof = cProfile.Profile() if top else None
    total, cells = min(notebook_cpu(home, notebook, params, prof) for _ in range(repeat))
    print(f"{notebook} {params}: {total:.2f} CPU-s, {_FIGURES[0]} figures" + (" (under cProfile)" if top else "")
          + (f" (least of {repeat} runs)" if repeat > 1 else ""))
    for first, s in cells:
        print(f"  {s:6.2f}  {first}")
    if prof is not None:
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(top)
        print(out.getvalue())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[6, 120, 600])
    ap.add_argument("--city", default="zhengzhou")
    ap.add_argument("--job-overhead", type=float, default=2.0,
                    help="CPU-s per report outside the notebook's cells (kernel start, PDF); default 2.0")
    ap.add_argument("--build-only", action="store_true", help="time the builds only (no profiles)")
    ap.add_argument("--in-process", action="store_true",
                    help="write the workbook in this process after the version, as before ipcompare.workbook_job")
    ap.add_argument("--keep", action="store_true", help="keep the scratch homes")
    ap.add_argument("--reports", action="store_true",
                    help="also one whole report (kernel, cells, PDF) as `ipcompare report` runs it: the median "
                         "cpu_s of the index, over the jobs after a worker's first two, every round")
    ap.add_argument("--cells", metavar="NOTEBOOK", nargs="?", const="city_profile",
                    help="per-cell CPU-s of one notebook (default city_profile) for --city against each corpus size, "
                         "or against this checkout's data/tidy with --sizes 0")
    ap.add_argument("--top", type=int, default=0, help="with --cells: also the N costliest functions (cProfile)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="with --cells: the least of N runs (a busy machine); profiles: rounds over the sizes "
                         "(at least 2, after a warm-up round)")
    args = ap.parse_args()

    import ipcompare.plots  # noqa: F401  fonts and theme once, outside the timings

    cores = os.cpu_count() or 1
    print(f"{cores} CPUs, python {sys.version.split()[0]}; load average before: "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    tmp = Path(tempfile.mkdtemp(prefix="ipcompare-scale-"))
    first = None
    prev: tuple[int, float] | None = None  # last build: documents, CPU-s
    built: list[tuple[int, Path, dict]] = []  # profile mode: every corpus is built first, then timed
    try:
        for n in args.sizes:
            home = tmp / f"home{n}"
            if args.cells:
                params = {"city": args.city, "lang": "zh"} if args.cells != "progress" else {}
                if n:
                    build(home, make_corpus(home, n))
                print_cells(home if n else None, args.cells, params, args.top, args.repeat)
                continue
            geos = make_corpus(home, n)
            b = build(home, geos, False if args.in_process else None)
            if args.build_only:
                print(f"{n:4d} documents, {b['cities']:3d} cities, {b['observations']:5d} observations, "
                      f"{b['statements']:5d} statements: build {b['wall']:5.1f} s wall / {b['cpu']:5.1f} CPU-s; "
                      f"{1000 * b['cpu'] / n:.1f} CPU-ms per document"
                      + (f", {1000 * (b['cpu'] - prev[1]) / (n - prev[0]):.1f} per added document since {prev[0]}"
                         if prev and n > prev[0] else ""), flush=True)
                print(stage_lines(b), flush=True)
                prev = (n, b["cpu"])
                continue
            built.append((n, home, b))
        # The profiles are timed after every build, the sizes alternating round by round (least of the rounds
        # per size): on a shared machine whose speed drifts, timing one size after the other skewed the ratio.
        best: dict[tuple[int, bool], float] = {}
        whole: dict[int, list[float]] = {}  # steady-state jobs' CPU-s, every round
        figures: dict[int, int] = {}
        for round_ in range(1 + max(2, args.repeat)):
            for n, home, _ in built:
                for pre in (True, False):
                    p = profile_cpu(home, args.city, preloaded=pre)
                    figures[n] = _FIGURES[0]
                    if round_:  # round 0 is the warm-up: first use of fonts, caches of the matplotlib text engine
                        best[n, pre] = min(best.get((n, pre), p), p)
                if args.reports and round_:
                    whole.setdefault(n, []).extend(report_cpu(home, args.city, _REPORT_JOBS)[_WORKER_WARMUP:])
        cold_first = None
        for n, _, b in built:
            p, cold = best[n, True], best[n, False]
            first = first or p
            cold_first = cold_first or cold
            per_job = p + args.job_overhead
            projected = b["cities"] * per_job / cores
            print(f"{n:4d} documents, {b['cities']:3d} cities, {b['observations']:5d} observations: build "
                  f"{b['wall']:5.1f} s wall / {b['cpu']:5.1f} CPU-s (Excel {b['xlsx']:4.1f} s); one profile "
                  f"{p:4.2f} CPU-s ({p / first:.2f}x the first size; {figures[n]} figures) as in a batch, {cold:4.2f} CPU-s "
                  f"({cold / cold_first:.2f}x) loading the dataset in the notebook; projected batch of one "
                  f"profile per city {projected / 60:5.1f} min on {cores} cores ({per_job:.1f} CPU-s per report)",
                  flush=True)
            if n in whole:
                first_whole, this = statistics.median(whole[built[0][0]]), statistics.median(whole[n])
                print(f"     one whole report (kernel, cells, PDF) as `ipcompare report` runs it: {this:4.2f} CPU-s "
                      f"({this / first_whole:.2f}x the first size), median of {len(whole[n])} jobs "
                      f"(least {min(whole[n]):.2f}, most {max(whole[n]):.2f}); projected batch of one profile per "
                      f"city from it {b['cities'] * this / cores / 60:5.1f} min on {cores} cores (CPU-bound, without "
                      f"the batch's start-up)", flush=True)
        print("load average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    finally:
        if args.keep:
            print(f"scratch homes kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
