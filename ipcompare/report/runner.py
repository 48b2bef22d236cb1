"""Run report jobs: papermill executes each notebook in its own kernel, then the PDF is rendered in-process.

Jobs run in parallel in a process pool whose workers are forked from one process that has imported what they and
their kernels use and loaded the dataset (:mod:`~ipcompare.report.warm`; never forks of this process, which may
hold threads — with plain ``fork``, workers were seen to hang after a parent had used native libraries), each
job's kernel a fresh fork (:mod:`~ipcompare.report.kernels`). A failing job is recorded with a one-line error and
the others carry on. Every job
leaves ``executed/<job>.ipynb`` (also when it fails, to see where), ``<job>.pdf`` when it succeeds, and the
kernel's own chatter in ``logs/<job>.log``.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from ipcompare.paths import checkout_root, notebooks_dir, project_root, report_out_dir, tidy_dir
from ipcompare.report import kernels, warm
from ipcompare.report.params import ReportError, validate_parameters
from ipcompare.report.stopping import BatchInterrupted, Stop, raise_stop, stop_pool

__all__ = ["Job", "JobResult", "RunContext", "BatchInterrupted", "make_job", "resolve_notebook",
           "run_jobs", "default_out_dir", "dataset_version", "git_commit"]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_PARAM_LABELS = {"city": ("城市", "City"), "cities": ("城市", "Cities"), "peers": ("对标城市", "Peers"),
                 "peer_cities": ("对标城市", "Peers"), "indicator": ("指标", "Indicator"),
                 "indicators": ("指标", "Indicators"), "year": ("目标年份", "Target year"),
                 "benchmark": ("对标基准", "Benchmark"), "lang": ("语言", "Language")}
_META_LABELS = {"zh": ("数据版本", "生成日期", "代码版本"), "en": ("Dataset version", "Date", "Git commit")}


@dataclass(frozen=True)
class Job:
    name: str
    notebook: Path
    parameters: dict[str, Any]
    title: str | None = None
    timeout: int = 600  # seconds per cell
    # The parameters as the title block names them (params.describe_parameters), worked out where the job is
    # made, with the registry that checked them: a worker then never loads the registry (0.45 CPU-s each).
    labels: tuple[tuple[str, str], ...] | None = None


@dataclass
class JobResult:
    job: str
    notebook: str
    parameters: dict[str, Any]
    dataset_version: str
    git_commit: str
    duration_s: float
    status: str  # ok | failed
    error: str = ""
    pdf: str = ""
    executed: str = ""
    pages: int = 0
    execute_s: float = 0.0
    pdf_s: float = 0.0
    # CPU seconds of the job: its kernel's, and this process's while the job ran (papermill, the PDF step) — what a
    # report costs, apart from a batch's start-up; for planning a national batch and measuring (benchmarks/scale.py).
    # A kernel that died during the job is gone before it can be read: only this process's part is counted.
    cpu_s: float = 0.0
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RunContext:
    out_dir: Path
    dataset_version: str
    git_commit: str
    date: str
    project_root: Path


# --------------------------------------------------------------------------------------------- jobs and batches


def default_out_dir() -> Path:
    """reports/out in a checkout, the current directory outside one."""
    return report_out_dir()


def dataset_version(tidy: Path | None = None) -> str:
    """``version`` of data/tidy/datapackage.json, or "unknown" when the dataset has not been built."""
    path = (tidy or tidy_dir()) / "datapackage.json"
    try:
        return str(json.loads(path.read_text(encoding="utf-8")).get("version") or "unknown")
    except (OSError, ValueError):
        return "unknown"


def git_commit(root: Path | None = None) -> str:
    """Short hash of HEAD, or "unknown" outside a git checkout."""
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root or project_root(),
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "unknown"


def resolve_notebook(ref: str | Path, *, base: Path | None = None) -> Path:
    """``city_profile`` → notebooks/city_profile.ipynb; a path is taken relative to ``base``, then the cwd."""
    ref = str(ref)
    if "/" not in ref and "\\" not in ref and not ref.endswith(".ipynb"):
        path = notebooks_dir() / f"{ref}.ipynb"
        if path.is_file():
            return path
        known = sorted(p.stem for p in notebooks_dir().glob("*.ipynb"))
        raise ReportError(f"unknown notebook {ref!r}; available in {notebooks_dir()}: {', '.join(known) or '(none)'}")
    candidates = [Path(ref)] if Path(ref).is_absolute() else [*([base / ref] if base else []), Path.cwd() / ref,
                                                              project_root() / ref]
    for c in candidates:
        if c.is_file():
            return c.resolve()
    raise ReportError(f"notebook not found: {ref}")


def _default_name(notebook: Path, params: dict[str, Any]) -> str:
    parts = [notebook.stem]
    for v in params.values():
        vals = v if isinstance(v, list) else [v]
        parts.append("-".join(str(x) for x in vals))
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", "_".join(parts)).strip("-_.")
    if len(name) > 80:
        import hashlib

        name = name[:70].rstrip("-_.") + "_" + hashlib.sha1(name.encode()).hexdigest()[:8]
    return name or notebook.stem


def make_job(notebook: str | Path, parameters: dict[str, Any] | None = None, *, name: str | None = None,
             title: str | None = None, timeout: int = 600, base: Path | None = None, registry=None) -> Job:
    """A validated job: the notebook exists, the parameters fit it, the name is a safe file name."""
    path = notebook if isinstance(notebook, Path) and notebook.is_file() else resolve_notebook(notebook, base=base)
    params = validate_parameters(path, dict(parameters or {}), registry=registry)
    name = name or _default_name(path, params)
    if not _NAME.match(name):
        raise ReportError(f"job name {name!r} must be letters, digits, '_', '-' or '.' (a file name), "
                          "starting with a letter or digit")
    if not isinstance(timeout, int) or isinstance(timeout, bool) or timeout <= 0:
        raise ReportError(f"job {name}: timeout must be a positive number of seconds")
    from ipcompare.report.params import describe_parameters

    labels = tuple(describe_parameters(params, registry=registry))
    return Job(name=name, notebook=path, parameters=params, title=title, timeout=timeout, labels=labels)


# ---------------------------------------------------------------------------------------------- one job


def _one_line(text: str, limit: int = 300) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(text))  # ANSI colours of IPython tracebacks
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _lang(job: Job) -> str:
    return "en" if job.parameters.get("lang") == "en" else "zh"


def _title_rows(job: Job, ctx: RunContext) -> list[tuple[str, str]]:
    from ipcompare.report.params import describe_parameters

    lang = _lang(job)
    rows = []
    for name, value in job.labels if job.labels is not None else describe_parameters(job.parameters):
        if name == "lang":
            continue
        if name == "year" and value == "0":
            value = "最新" if lang == "zh" else "latest"
        label = _PARAM_LABELS.get(name, (name, name))[lang == "en"]
        rows.append((label, value))
    rows += list(zip(_META_LABELS[lang], (ctx.dataset_version, ctx.date, ctx.git_commit), strict=True))
    return rows


def run_job(job: Job, ctx: RunContext) -> JobResult:
    """Execute one job and render its PDF; never raises — failures come back as a failed JobResult."""
    t0, c0 = time.perf_counter(), time.process_time()
    kernels.KERNELS.cpu_s = 0.0
    out = ctx.out_dir
    executed = out / "executed" / f"{job.name}.ipynb"
    pdf = out / f"{job.name}.pdf"
    res = JobResult(job=job.name, notebook=_rel(job.notebook, ctx.project_root), parameters=job.parameters,
                    dataset_version=ctx.dataset_version, git_commit=ctx.git_commit, duration_s=0.0,
                    status="failed", executed=_rel(executed, ctx.out_dir))
    try:
        executed.parent.mkdir(parents=True, exist_ok=True)
        pdf.unlink(missing_ok=True)  # never leave last run's PDF looking like this run's
        executed.unlink(missing_ok=True)  # nor its executed notebook
        import papermill as pm
        from papermill.exceptions import PapermillExecutionError

        from ipcompare.report.pdf import TitleBlock, render_pdf

        log = out / "logs" / f"{job.name}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        kernels.KERNELS.log = open(log, "w", encoding="utf-8")  # closed in the finally below
        try:
            # Written once, when the notebook ends or a cell fails (papermill wrote it at every cell's start and
            # end: 0.25 CPU-s a profile); a kernel that dies or times out leaves its log, not a notebook.
            nb = pm.execute_notebook(str(job.notebook), str(executed), parameters=job.parameters,
                                     kernel_name="python3", language="python", progress_bar=False,
                                     request_save_on_cell_execute=False, log_output=False,
                                     cwd=str(job.notebook.parent),
                                     execution_timeout=job.timeout, shutdown_kernel="immediate",
                                     kernel_manager_class=kernels.manager_class(), extra_arguments=kernels.KERNEL_ARGS)
        except PapermillExecutionError as exc:
            raise ReportError(f"cell [{exc.exec_count}]: {exc.ename}: {exc.evalue}") from None
        finally:
            kernels.KERNELS.log.close()
            kernels.KERNELS.log = None
            kernels.kill_kernels()  # papermill has shut it down already, unless the job was interrupted
        t_exec = time.perf_counter()
        res.execute_s = round(t_exec - t0, 2)
        lang = _lang(job)
        footer = f"ipcompare · {_META_LABELS[lang][0]} {ctx.dataset_version} · {ctx.date}"
        keywords = [job.notebook.stem, *(str(x) for v in job.parameters.values()
                                         for x in (v if isinstance(v, list) else [v]))]
        block = TitleBlock(title=job.title or "", rows=_title_rows(job, ctx), footer=footer, lang=lang,
                           keywords=keywords)
        if _PDF_STACK is not None:
            _PDF_STACK.join()  # a worker's first job: the PDF stack it was importing beside the kernel
        info = render_pdf(nb, pdf, block)
        res.pdf_s = round(time.perf_counter() - t_exec, 2)
        res.pdf, res.pages, res.warnings = _rel(pdf, ctx.out_dir), info.pages, info.warnings
        res.status = "ok"
    except Exception as exc:  # a job's failure is data, not a crash of the batch
        msg = str(exc) if isinstance(exc, ReportError) else f"{type(exc).__name__}: {exc}"
        res.error = _one_line(msg)
        if not executed.exists():  # the kernel died or timed out: no notebook to point to, its log says more
            res.executed = ""
            res.error = _one_line(f"{msg} (kernel log: {_rel(out / 'logs' / f'{job.name}.log', ctx.out_dir)})")
    res.duration_s = round(time.perf_counter() - t0, 2)
    res.cpu_s = round(time.process_time() - c0 + kernels.KERNELS.cpu_s, 2)
    return res


def _rel(path: Path, base: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path(base).resolve()))
    except ValueError:
        return str(path)


# ----------------------------------------------------------------------------------------------- the batch


def _longest_first(jobs: list[Job], out_dir: Path) -> list[Job]:
    """Jobs longest first (LPT), by the durations of the last run recorded in ``out_dir``'s index, so that no long
    job starts last and the workers finish together.

    A job that has no successful run in the index takes the mean duration of the jobs of its notebook that do
    (a new city profile costs what the other profiles cost); a job of a notebook never run goes first, since it
    may be the longest. Ties keep the batch file's order, so the order is deterministic.
    """
    from ipcompare.report.index import read_index

    try:
        rows = read_index(out_dir)
    except ReportError:
        rows = []  # only an ordering hint; a damaged index is reported where it matters (merging)
    last: dict[str, float] = {}
    by_notebook: dict[str, list[float]] = {}
    for row in rows:
        try:
            seconds = float(row.get("duration_s") or 0)
        except ValueError:
            continue
        if row.get("status") != "ok" or seconds <= 0:
            continue  # a failed job stopped early: its time says nothing about a full run
        last[row["job"]] = seconds
        by_notebook.setdefault(Path(row.get("notebook") or "").stem, []).append(seconds)

    def expected(job: Job) -> float:
        if job.name in last:
            return last[job.name]
        peers = by_notebook.get(job.notebook.stem)
        return sum(peers) / len(peers) if peers else float("inf")

    return sorted(jobs, key=lambda j: -expected(j))  # stable: ties keep the batch file's order


def _worker_init(env: dict[str, str]) -> None:
    """Runs once in each worker: signals, the kernels' environment, its kernel server, then the PDF stack's
    imports in a thread of their own (:func:`_warm_pdf_stack`) while the first job's kernel runs.

    Ctrl-C goes to the whole terminal process group; the main process decides what happens (it ends the
    workers), so workers ignore SIGINT instead of printing tracebacks. SIGTERM ends the worker's kernel first.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_terminate)
    kernels.KERNEL_ENV.update(env)
    if warm.enabled():
        warm.serve_kernels_from_here()  # before this worker starts a thread or an event loop
    global _PDF_STACK
    # The PDF stack is imported beside the first kernel, not by the pool's server (worker_preload); a job joins
    # this thread before it renders, so nothing is imported or set up by two threads at once.
    _PDF_STACK = threading.Thread(target=_warm_pdf_stack, name="ipcompare-pdf-stack", daemon=True)
    _PDF_STACK.start()


_PDF_STACK: threading.Thread | None = None


def _warm_pdf_stack() -> None:
    """What a worker's first PDF needs, made ready while its first notebook runs: nbconvert and WeasyPrint
    imported, nbconvert's templates compiled, the lean user-agent sheet parsed, fonts and stylesheet loaded.
    Quiet on failure: the job's own rendering then raises the error, with its one line."""
    try:
        import nbconvert  # noqa: F401
        import weasyprint  # noqa: F401
        from nbformat.v4 import new_notebook

        from ipcompare.report.pdf import _shared_styles
        from ipcompare.report.print_html import _exporter
        from ipcompare.report.table_widths import advances
        from ipcompare.report.ua_sheet import html_class

        _exporter().from_notebook_node(new_notebook())
        html_class()
        _shared_styles()
        advances()
    except Exception:  # noqa: BLE001
        pass


def _worker_terminate(signum, frame) -> None:
    kernels.kill_kernels()
    os._exit(128 + signum)


def _kernel_env(root: Path | None) -> dict[str, str]:
    # Outside a checkout the kernel finds the wheel's own data, so IPCOMPARE_HOME must stay unset there.
    home = {"IPCOMPARE_HOME": str(root)} if root is not None else {}
    return {**home, "PYDEVD_DISABLE_FILE_VALIDATION": "1", "PYTHONIOENCODING": "utf-8"}


def run_jobs(jobs: list[Job], out_dir: Path | None = None, *, n_jobs: int = 2, progress: bool = True,
             stream: IO[str] | None = None, scheduler: str | None = None) -> tuple[list[JobResult], RunContext]:
    """Run ``jobs`` on ``n_jobs`` worker processes with a progress bar; results in the order of ``jobs``.

    ``scheduler`` runs them on Dask distributed instead: "local" for a LocalCluster of ``n_jobs`` workers, or
    a scheduler's address (:mod:`ipcompare.report.dask_executor`).

    SIGINT (Ctrl-C) and SIGTERM stop the batch promptly: no further job starts, running jobs, their workers and
    kernels are ended, and :class:`BatchInterrupted` carries the results of the jobs that finished.
    """
    from tqdm import tqdm

    from ipcompare.report.fonts import core_path

    root = project_root()
    ctx = RunContext(out_dir=Path(out_dir or default_out_dir()).resolve(), dataset_version=dataset_version(),
                     git_commit=git_commit(root), date=os.environ.get("IPCOMPARE_REPORT_DATE")
                     or dt.date.today().isoformat(), project_root=root)
    ctx.out_dir.mkdir(parents=True, exist_ok=True)
    core_path()  # build the cached core font once here, not in every worker at the same time
    env = _kernel_env(checkout_root())
    stream = stream or sys.stderr
    results: dict[str, JobResult] = {}
    workers = max(1, min(n_jobs, len(jobs)))
    if workers == 1 and not scheduler and warm.enabled():
        from ipcompare.analysis.prewarm import preload_dataset

        preload_dataset()  # the dataset for this process's kernels, as a pool's server does (data_preload)
        warm.serve_kernels_from_here()  # here, before the progress bar's thread and the kernels' event loop
    bar = tqdm(total=len(jobs), unit="job", desc="reports", file=stream, disable=not progress, leave=True)

    def done(r: JobResult) -> None:
        results[r.job] = r
        mark = "ok  " if r.status == "ok" else "FAIL"
        detail = f"{r.pages} p." if r.status == "ok" else r.error
        bar.write(f"  {mark} {r.job} ({r.duration_s:.1f} s) {detail}", file=stream)
        bar.update(1)

    main_thread = threading.current_thread() is threading.main_thread()
    old_handlers = {s: signal.signal(s, raise_stop) for s in (signal.SIGINT, signal.SIGTERM)} if main_thread else {}
    stopped: int | None = None
    try:
        if scheduler:
            from ipcompare.report.dask_executor import run_on_dask

            try:
                run_on_dask(_longest_first(jobs, ctx.out_dir), ctx, env, scheduler=scheduler, n_workers=workers,
                            done=done, crashed=lambda job, exc: _crashed(job, ctx, exc))
            except Stop as stop:
                stopped = stop.signum
        elif workers == 1:
            kernels.KERNEL_ENV.update(env)
            try:
                for job in jobs:
                    done(run_job(job, ctx))
            except Stop as stop:
                stopped = stop.signum
                kernels.kill_kernels()
        else:
            # Workers forked from one process that imported what they and their kernels use (warm.py), else
            # new interpreters (spawn: never fork this process, which may hold threads).
            start = warm.pool_context() if warm.enabled() else multiprocessing.get_context("spawn")
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=start, initializer=_worker_init,
                                       initargs=(env,))
            try:
                futures = {pool.submit(run_job, job, ctx): job for job in _longest_first(jobs, ctx.out_dir)}
                for fut in as_completed(futures):
                    job = futures[fut]
                    try:
                        r = fut.result()
                    except Exception as exc:  # the worker process itself died
                        r = _crashed(job, ctx, exc)
                    done(r)
                pool.shutdown(wait=True)
            except Stop as stop:
                stopped = stop.signum
                stop_pool(pool)
            except BaseException:
                stop_pool(pool)
                raise
    finally:
        for sig, handler in old_handlers.items():
            signal.signal(sig, handler)
        bar.close()
    if stopped is not None:
        everything = [results.get(j.name) or _interrupted(j, ctx, stopped) for j in jobs]
        raise BatchInterrupted(stopped, everything, ctx)
    return [results[j.name] for j in jobs if j.name in results], ctx


def _crashed(job: Job, ctx: RunContext, exc: BaseException) -> JobResult:
    return JobResult(job=job.name, notebook=_rel(job.notebook, ctx.project_root), parameters=job.parameters,
                     dataset_version=ctx.dataset_version, git_commit=ctx.git_commit, duration_s=0.0,
                     status="failed", error=_one_line(f"worker crashed: {type(exc).__name__}: {exc}"))


def _interrupted(job: Job, ctx: RunContext, signum: int) -> JobResult:
    return JobResult(job=job.name, notebook=_rel(job.notebook, ctx.project_root), parameters=job.parameters,
                     dataset_version=ctx.dataset_version, git_commit=ctx.git_commit, duration_s=0.0,
                     status="interrupted", error=f"not finished: the batch was stopped by {signal.Signals(signum).name}")


def result_dict(r: JobResult) -> dict[str, Any]:
    return asdict(r)


def __getattr__(name: str):
    """Batch-file reading lives in :mod:`ipcompare.report.batch`; the old names still work from here."""
    if name in ("BatchFileError", "InvalidJob", "load_batch", "read_batch"):
        from ipcompare.report import batch

        return getattr(batch, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
