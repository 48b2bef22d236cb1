"""``ipcompare report``: render a batch of reports, or one, to PDF.

    ipcompare report --batch                               # the default batch (reports/batch.yaml), 2 at a time
    ipcompare report --batch my_batch.yaml                 # every job in a batch file
    ipcompare report --batch --scheduler local -j 4         # on a local Dask cluster of 4 workers
    ipcompare report --batch --scheduler tcp://HOST:8786   # on a running Dask cluster
    ipcompare report city_profile -p city=zhengzhou        # one job
    ipcompare report compare_cities -p cities=zhengzhou,suzhou -o compare_zz_sz
"""

from __future__ import annotations

import argparse
import fnmatch
import sys
import time
from pathlib import Path

from ipcompare.report.params import ParameterError, ReportError, coerce_cli_value, notebook_parameters

__all__ = ["register", "run"]

_DEFAULT_BATCH = Path("<default batch>")


def register(sub) -> None:
    """Add the ``report`` sub-command to the main CLI's subparsers."""
    p = sub.add_parser("report", help="render parameterised notebooks to PDF reports (a batch file or one job)",
                       description="Run notebooks with papermill and render each to an A4 PDF with Chinese text. "
                                   "Writes <out>/<job>.pdf, <out>/executed/<job>.ipynb and <out>/index.{md,csv}.")
    p.add_argument("notebook", nargs="?", help="a notebook in notebooks/ (e.g. city_profile) or a path, for one job")
    p.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                   help="a parameter of the single job (repeatable; lists are comma-separated)")
    p.add_argument("-o", "--output", metavar="NAME", help="output name of the single job (default: notebook + values)")
    p.add_argument("--batch", metavar="FILE", type=Path, nargs="?", const=_DEFAULT_BATCH,
                   help="a batch file; without FILE the default batch (reports/batch.yaml, or the copy "
                        "shipped with the package outside a checkout)")
    p.add_argument("--only", action="append", default=[], metavar="JOB",
                   help="with --batch: run only the jobs whose name matches (glob, repeatable)")
    p.add_argument("--jobs", "-j", type=int, default=2, metavar="N", help="jobs run in parallel (default: 2)")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help="output folder (default: reports/out in a checkout, else the current directory)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run the jobs on Dask distributed: 'local' for a local cluster of --jobs workers, or a "
                        "scheduler address such as tcp://10.0.0.5:8786 (needs ipcompare[dask]; see README)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def _single_job_params(notebook: Path, pairs: list[str]) -> dict:
    declared = notebook_parameters(notebook)
    params: dict = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ParameterError(f"-p expects NAME=VALUE, got {pair!r}")
        if name in params:
            raise ParameterError(f"parameter {name!r} given twice")
        if name not in declared:
            raise ParameterError(f"{notebook.stem}: unknown parameter {name!r}; valid: {', '.join(declared) or '(none)'}")
        params[name] = coerce_cli_value(declared[name], raw)
    return params


def run(args: argparse.Namespace) -> int:
    if args.jobs < 1:
        raise ReportError("--jobs must be at least 1")
    if args.batch and args.notebook:
        raise ReportError("give either --batch FILE or a notebook, not both")
    if args.batch and args.jobs > 1 and not args.scheduler:
        from ipcompare.report import warm

        if warm.enabled():
            warm.pool_context(start=True)  # the workers' imports start now, beside this process's own and the checks
    from ipcompare.report.batch import read_batch
    from ipcompare.report.index import read_index, write_index
    from ipcompare.report.runner import BatchInterrupted, default_out_dir, make_job, resolve_notebook, run_jobs
    invalid = []
    if args.batch:
        if args.param or args.output:
            raise ReportError("-p and -o are for a single job; put parameters in the batch file")
        if args.batch == _DEFAULT_BATCH:
            from ipcompare.paths import default_batch

            args.batch = default_batch()
        jobs, invalid = read_batch(args.batch)
        if args.only:
            jobs = [j for j in jobs if any(fnmatch.fnmatch(j.name, pat) for pat in args.only)]
            invalid = [j for j in invalid if any(fnmatch.fnmatch(j.name, pat) for pat in args.only)]
            if not jobs and not invalid:
                raise ReportError(f"--only {' '.join(args.only)} matches no job in {args.batch}")
        for bad in invalid:  # an invalid job fails alone; the valid ones still run
            print(f"invalid: {args.batch}: {bad.where}: {bad.error}", file=sys.stderr)
        if not jobs:
            raise ReportError(f"{args.batch}: no valid job to run ({len(invalid)} invalid)")
        merge = bool(args.only)
    elif args.notebook:
        if args.only:
            raise ReportError("--only is for --batch")
        nb = resolve_notebook(args.notebook)
        jobs = [make_job(nb, _single_job_params(nb, args.param), name=args.output)]
        merge = True
    else:
        raise ReportError("nothing to do: give --batch FILE or a notebook (e.g. ipcompare report city_profile -p city=zhengzhou)")

    if merge:
        read_index(args.out or default_out_dir())  # a damaged index to merge into is refused before any job runs
    t0 = time.perf_counter()
    try:
        results, ctx = run_jobs(jobs, args.out, n_jobs=args.jobs, progress=not args.no_progress,
                                scheduler=args.scheduler)
    except BatchInterrupted as stop:
        # The index of what finished is written (unfinished jobs marked interrupted), then one line, no traceback.
        results = stop.results + [bad.result(stop.ctx) for bad in invalid]
        _, md = write_index(results, stop.ctx, merge=merge, wall_s=time.perf_counter() - t0)
        print(f"{stop}; index: {md}", file=sys.stderr)
        return 128 + stop.signum
    wall = time.perf_counter() - t0
    results += [bad.result(ctx) for bad in invalid]
    _, md = write_index(results, ctx, merge=merge, wall_s=wall)
    failed = [r for r in results if r.status != "ok"]
    print(f"{len(results)} report(s) in {wall:.1f} s: {len(results) - len(failed)} ok, {len(failed)} failed; "
          f"index: {md}")
    for r in failed:
        see = f" (see {ctx.out_dir / r.executed})" if r.executed else ""
        print(f"failed: {r.job}: {r.error}{see}", file=sys.stderr)
    return 1 if failed else 0
