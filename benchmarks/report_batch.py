"""Time the default report batch: ipcompare's runner vs the naive loop a user would write.

    .venv/bin/python benchmarks/report_batch.py [--batch reports/batch.yaml] [--jobs 2] [--cold] [--skip-naive]
                                                [--order-from reports/out]
    .venv/bin/python benchmarks/report_batch.py --pdf-only reports/out [--repeat 3]

ipcompare: ``ipcompare report --batch FILE --jobs N`` (spawn pool, warm kernels forked from a pre-imported
process, in-process nbconvert + WeasyPrint); with ``--cold`` also the same with a new interpreter per kernel.
CPU seconds are those of every process of the run (workers, fork servers, kernels, the naive loop's tools).
Naive, per job and one after the other, with the command-line tools (no code of ours):

    papermill NB executed.ipynb -k python3 -y PARAMS
    jupyter nbconvert --to html --no-input --HTMLExporter.language_code=zh executed.ipynb
    weasyprint -s cjk.css executed.html job.pdf      # cjk.css: @font-face with the pip font, A4

The runner orders jobs longest first by the durations in its output folder's index; the benchmark writes to
a fresh folder, so it copies the index of ``--order-from`` (default reports/out, the last ``make reports``)
there first, as a re-render would find it, and says which order was used. ipcompare runs once before the naive
loop and once after it, and the ratio is also given to the mean of the two: on a shared host whose speed drifts
over minutes, one run either side of the naive loop keeps the drift out of the ratio. Prints the wall times,
the ratios, where the naive loop spends its time, and each job's execute_s / pdf_s from ipcompare's index. ``--pdf-only DIR`` times only the PDF step: it renders the executed notebooks of a
previous run (DIR/executed/*.ipynb) again in this one process, as a batch worker does, and prints each job's
CPU and wall seconds (the least of ``--repeat`` runs) — CPU seconds are what a busy machine does not distort —
with the number of whole-document layouts each took (more than 1: a table re-rendered) and the font subsetter.
Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

NAIVE_CSS = """@font-face {{ font-family: "Noto Sans SC"; src: url("{font}"); }}
@page {{ size: A4; margin: 18mm; }}
html {{ font-family: "Noto Sans SC", sans-serif; font-size: 10pt; }}
img {{ max-width: 100%; }}
"""


def cpu() -> float:
    """CPU seconds used so far by finished child processes (and theirs): robust to a busy machine."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(cmd: list[str], **kw) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t


def ours(batch: Path, out: Path, jobs: int, cold: bool = False, order_from: Path | None = None) -> float:
    if order_from is not None and (order_from / "index.csv").is_file():
        out.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(order_from / "index.csv", out / "index.csv")
    t = time.perf_counter()
    env = {**os.environ, **({"IPCOMPARE_COLD_KERNELS": "1"} if cold else {})}
    proc = subprocess.run([str(BIN / "ipcompare"), "report", "--batch", str(batch), "--out", str(out),
                           "--jobs", str(jobs), "--no-progress"], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        print(proc.stdout + proc.stderr, file=sys.stderr)
    return wall


def job_times(out: Path) -> str:
    """Each job's execute_s / pdf_s as ipcompare's index recorded them."""
    import csv

    path = out / "index.csv"
    if not path.is_file():
        return "  (no index)"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return "\n".join(f"  {r['job']:36s} {r['status']:6s} execute {float(r['execute_s']):5.2f} s, "
                     f"pdf {float(r['pdf_s']):5.2f} s, {r['pages'] or '-'} p." for r in rows)


def pdf_only(run_dir: Path, repeat: int) -> None:
    """Render the PDFs of a previous run's executed notebooks again in this process; CPU and wall per job."""
    import nbformat

    from ipcompare.report.pdf import TitleBlock, render_pdf

    notebooks = sorted((run_dir / "executed").glob("*.ipynb"))
    if not notebooks:
        sys.exit(f"no executed notebooks in {run_dir / 'executed'} (run ipcompare report --out {run_dir} first)")
    out = Path(tempfile.mkdtemp(prefix="ipcompare-pdf-"))
    block = TitleBlock(rows=[("数据版本 Dataset", "benchmark")], footer="ipcompare benchmark")
    try:
        t, c = time.perf_counter(), time.process_time()
        render_pdf(nbformat.read(notebooks[0], as_version=4), out / "first.pdf", block)
        print(f"first render in this process (fonts, caches): {time.process_time() - c:.2f} CPU-s, "
              f"{time.perf_counter() - t:.2f} s wall")
        total_cpu = total_wall = 0.0
        layouts = 0
        for path in notebooks:
            nb = nbformat.read(path, as_version=4)
            best = (float("inf"), float("inf"), 0, 0)
            for _ in range(repeat):
                t, c = time.perf_counter(), time.process_time()
                info = render_pdf(nb, out / f"{path.stem}.pdf", block)
                best = min(best, (time.process_time() - c, time.perf_counter() - t, info.pages,
                                  getattr(info, "layouts", 0)))
            total_cpu += best[0]
            total_wall += best[1]
            layouts += best[3]
            print(f"  {path.stem:36s} {best[0]:5.2f} CPU-s {best[1]:5.2f} s wall  {best[2]} p.  "
                  f"{best[3] or '?'} layout(s)")
        print(f"PDF step, {len(notebooks)} reports: {total_cpu:.2f} CPU-s, {total_wall:.2f} s wall, "
              f"{layouts or '?'} layouts (least of {repeat}; load average "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}); font subsetting: {subsetter()}")
    finally:
        shutil.rmtree(out, ignore_errors=True)


def subsetter() -> str:
    """Which font subsetter WeasyPrint uses here: HarfBuzz's hb-subset when the system library is there."""
    from weasyprint.pdf import fonts

    if getattr(fonts, "harfbuzz_subset", None) is not None:
        return "HarfBuzz hb-subset"
    return "fontTools (install libharfbuzz-subset0 for a faster PDF step)"


def naive(batch: Path, out: Path) -> tuple[float, dict[str, float], int]:
    import pylopdf_fonts_zh_cn

    from ipcompare.report.runner import resolve_notebook

    out.mkdir(parents=True, exist_ok=True)
    css = out / "cjk.css"
    css.write_text(NAIVE_CSS.format(font=Path(pylopdf_fonts_zh_cn.sans_path()).as_uri()), encoding="utf-8")
    spec = yaml.safe_load(batch.read_text(encoding="utf-8"))
    parts = {"papermill": 0.0, "nbconvert": 0.0, "weasyprint": 0.0}
    failed = 0
    t0 = time.perf_counter()
    for job in spec["jobs"]:
        nb = resolve_notebook(job["notebook"], base=batch.parent)
        name = job["name"]
        executed = out / f"{name}.ipynb"
        try:
            parts["papermill"] += run([str(BIN / "papermill"), str(nb), str(executed), "-k", "python3", "--cwd",
                                       str(nb.parent), "-y", yaml.safe_dump(job.get("parameters") or {})])
            parts["nbconvert"] += run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                                       "--HTMLExporter.language_code=zh", str(executed)])
            parts["weasyprint"] += run([str(BIN / "weasyprint"), "-s", str(css), str(out / f"{name}.html"),
                                        str(out / f"{name}.pdf")])
        except subprocess.CalledProcessError as exc:
            failed += 1
            print(f"naive: {name} failed: {exc}", file=sys.stderr)
    return time.perf_counter() - t0, parts, failed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch", type=Path, default=ROOT / "reports" / "batch.yaml")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--skip-naive", action="store_true")
    ap.add_argument("--cold", action="store_true",
                    help="also run ipcompare with IPCOMPARE_COLD_KERNELS=1 (a new interpreter per kernel)")
    ap.add_argument("--keep", action="store_true", help="keep the output folder")
    ap.add_argument("--order-from", type=Path, default=ROOT / "reports" / "out", metavar="DIR",
                    help="a previous run whose index.csv orders the jobs longest first (default reports/out)")
    ap.add_argument("--pdf-only", type=Path, metavar="DIR",
                    help="only re-render the PDFs of the executed notebooks in DIR/executed, in this process")
    ap.add_argument("--repeat", type=int, default=1, help="with --pdf-only: renders per report, the least counts")
    args = ap.parse_args()
    if args.pdf_only:
        pdf_only(args.pdf_only, max(1, args.repeat))
        return 0

    from ipcompare.report.fonts import core_path

    t = time.perf_counter()
    core_path()  # one-off cache, not part of either timing
    prep = time.perf_counter() - t
    n = len(yaml.safe_load(args.batch.read_text(encoding="utf-8"))["jobs"])
    tmp = Path(tempfile.mkdtemp(prefix="ipcompare-bench-"))
    try:
        print(f"batch: {args.batch.relative_to(ROOT) if args.batch.is_relative_to(ROOT) else args.batch} "
              f"({n} jobs), {os.cpu_count()} CPUs, python {sys.version.split()[0]}; core font ready in {prep:.1f} s")
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        seeded = (args.order_from / "index.csv").is_file()
        print(f"job order: {'longest first, from ' + str(args.order_from / 'index.csv') if seeded else 'batch file (no previous index)'}")
        c0 = cpu()
        wall = ours(args.batch, tmp / "ours", args.jobs, order_from=args.order_from)
        c1 = cpu()
        print(f"ipcompare report --jobs {args.jobs}: {wall:6.1f} s wall ({wall / n:.2f} s per report), "
              f"{c1 - c0:.1f} CPU-s")
        ours_cpu = c1 - c0
        print(job_times(tmp / "ours"))
        if args.cold:
            cw = ours(args.batch, tmp / "cold", args.jobs, cold=True, order_from=args.order_from)
            c1b = cpu()
            print(f"ipcompare report --jobs {args.jobs}, cold kernels: {cw:6.1f} s wall, {c1b - c1:.1f} CPU-s")
            c1 = c1b
        if args.skip_naive:
            return 0
        nwall, parts, failed = naive(args.batch, tmp / "naive")
        c2 = cpu()
        detail = ", ".join(f"{k} {v:.1f} s" for k, v in parts.items())
        print(f"naive loop (CLI, sequential): {nwall:6.1f} s wall ({nwall / n:.2f} s per report; {detail}), "
              f"{c2 - c1:.1f} CPU-s" + (f"; {failed} failed" if failed else ""))
        print(f"ratio naive / ipcompare: {nwall / wall:.2f}x wall, {(c2 - c1) / ours_cpu:.2f}x CPU")
        # The host's speed drifts over minutes (the same code's CPU-s moved by half between runs here): ipcompare
        # again after the naive loop, and the ratio to the mean of the two runs either side of it.
        wall2 = ours(args.batch, tmp / "ours2", args.jobs, order_from=args.order_from)
        c3 = cpu()
        mean = (wall + wall2) / 2
        print(f"ipcompare report --jobs {args.jobs} again: {wall2:6.1f} s wall, {c3 - c2:.1f} CPU-s; ratio naive / "
              f"mean of the two: {nwall / mean:.2f}x wall ({mean:.1f} s), {(c2 - c1) / ((ours_cpu + c3 - c2) / 2):.2f}x CPU")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        if args.keep:
            print(f"outputs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
