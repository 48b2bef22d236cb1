"""Batch files: reading and checking ``reports/batch.yaml``-style job lists before any kernel starts.

Safe, bounded YAML (:mod:`ipcompare.yamlfile`). A file that is not a batch at all is refused in one line; within
a batch, an invalid job is set aside with its reason (:class:`InvalidJob`) so that the valid ones still run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ipcompare.report.params import ReportError
from ipcompare.report.runner import _NAME, Job, JobResult, RunContext, _one_line, make_job
from ipcompare.yamlfile import YamlFileError, load_yaml

__all__ = ["BatchFileError", "InvalidJob", "load_batch", "read_batch"]

_JOB_KEYS = {"name", "notebook", "parameters", "title", "timeout"}
_BATCH_MAX_BYTES = 1_000_000  # a batch of a thousand jobs is ~100 kB


class BatchFileError(ReportError):
    """The batch file is malformed; the message names the file and the job."""


@dataclass(frozen=True)
class InvalidJob:
    """A job of a batch file that cannot run; it is reported as failed while the others run."""

    name: str
    where: str
    notebook: str
    parameters: dict[str, Any]
    error: str

    def result(self, ctx: RunContext) -> JobResult:
        return JobResult(job=self.name, notebook=self.notebook, parameters=self.parameters,
                         dataset_version=ctx.dataset_version, git_commit=ctx.git_commit, duration_s=0.0,
                         status="failed", error=_one_line(f"invalid job: {self.error}"))


def load_batch(path: str | Path, *, registry=None) -> list[Job]:
    """Read and validate a batch file (YAML): every job is checked before any kernel starts.

    Format::

        jobs:
          - name: city_profile_zhengzhou   # optional; output file names (default: notebook + values)
            notebook: city_profile         # a name in notebooks/, or a path relative to this file
            parameters: {city: zhengzhou}
            title: ...                     # optional; default: the notebook's first heading
            timeout: 600                   # optional; seconds per cell

    Any invalid job raises BatchFileError listing them all; :func:`read_batch` returns them instead.
    """
    jobs, invalid = read_batch(path, registry=registry)
    if invalid:
        raise BatchFileError(f"{path}: " + "; ".join(f"{j.where}: {j.error}" for j in invalid))
    return jobs


def read_batch(path: str | Path, *, registry=None) -> tuple[list[Job], list[InvalidJob]]:
    """The valid jobs of a batch file and the invalid ones with their reasons.

    A file that is not a batch at all (not YAML, binary, too large, aliases, no ``jobs`` list, unknown
    top-level keys or defaults) raises BatchFileError in one line naming the file.
    """
    path = Path(path)
    try:
        raw = load_yaml(path, max_bytes=_BATCH_MAX_BYTES).data
    except YamlFileError as exc:
        raise BatchFileError(str(exc) if "not found" not in str(exc) else f"batch file not found: {path}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("jobs"), list) or not raw["jobs"]:
        raise BatchFileError(f"{path}: expected a mapping with a non-empty list under 'jobs'")
    unknown_top = set(raw) - {"jobs", "defaults"}
    if unknown_top:
        raise BatchFileError(f"{path}: unknown top-level key(s) {_one_line(', '.join(sorted(map(str, unknown_top))), 100)}; "
                             "allowed: jobs, defaults")
    defaults = raw.get("defaults") or {}
    if not isinstance(defaults, dict) or set(defaults) - (_JOB_KEYS - {"name"}):
        raise BatchFileError(f"{path}: 'defaults' may only set {', '.join(sorted(_JOB_KEYS - {'name'}))}")
    jobs: list[Job] = []
    invalid: list[InvalidJob] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw["jobs"], start=1):
        label = entry.get("name") if isinstance(entry, dict) else None
        label = label if isinstance(label, str) and _NAME.match(label) and label not in seen else f"job{i}"
        where = f"job {i}"
        notebook = str(entry.get("notebook", "")) if isinstance(entry, dict) else ""
        params_raw = entry.get("parameters") if isinstance(entry, dict) else None

        def fail(msg: str, label=label, where=where, notebook=notebook, params_raw=params_raw) -> None:
            seen.add(label)
            invalid.append(InvalidJob(label, where, _one_line(notebook, 200),
                                      params_raw if isinstance(params_raw, dict) else {}, _one_line(msg)))

        if not isinstance(entry, dict):
            fail("expected a mapping with notebook and parameters")
            continue
        where = f"job {i} ({_one_line(entry.get('name') or entry.get('notebook', '?'), 80)})"
        extra = set(entry) - _JOB_KEYS
        if extra:
            fail(f"unknown key(s) {', '.join(sorted(map(str, extra)))}; allowed: {', '.join(sorted(_JOB_KEYS))}",
                 where=where)
            continue
        spec = {**defaults, **entry}
        if "notebook" not in spec:
            fail("missing 'notebook'", where=where)
            continue
        if not isinstance(entry.get("parameters") or {}, dict):
            fail("'parameters' must be a mapping", where=where)
            continue
        params = {**(defaults.get("parameters") or {}), **(entry.get("parameters") or {})}
        try:
            job = make_job(str(spec["notebook"]), params, name=spec.get("name"), title=spec.get("title"),
                           timeout=spec.get("timeout", 600), base=path.parent, registry=registry)
        except ReportError as exc:
            fail(str(exc), where=where)
            continue
        if job.name in seen:
            fail(f"duplicate job name {job.name!r} (set 'name' to tell the jobs apart)", where=where)
            continue
        seen.add(job.name)
        jobs.append(job)
    return jobs, invalid
