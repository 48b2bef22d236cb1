"""The batch index: one row per job, as ``index.csv`` (for tools) and ``index.md`` (for people)."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any

from ipcompare.report.params import ReportError
from ipcompare.report.runner import JobResult, RunContext

__all__ = ["COLUMNS", "write_index", "read_index"]

COLUMNS = ["job", "notebook", "parameters", "dataset_version", "git_commit", "duration_s", "status", "error",
           "pdf", "pages", "executed", "execute_s", "pdf_s", "cpu_s", "date"]


def _row(r: JobResult, ctx: RunContext) -> dict[str, Any]:
    return {
        "job": r.job, "notebook": r.notebook,
        "parameters": json.dumps(r.parameters, ensure_ascii=False, separators=(",", ":")),
        "dataset_version": r.dataset_version, "git_commit": r.git_commit, "duration_s": f"{r.duration_s:.2f}",
        "status": r.status, "error": r.error or "; ".join(r.warnings), "pdf": r.pdf, "pages": r.pages or "",
        "executed": r.executed, "execute_s": f"{r.execute_s:.2f}", "pdf_s": f"{r.pdf_s:.2f}", "cpu_s": f"{r.cpu_s:.2f}",
        "date": ctx.date,
    }


def read_index(out_dir: Path) -> list[dict[str, str]]:
    path = Path(out_dir) / "index.csv"
    if not path.is_file():
        return []
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return [row for row in csv.DictReader(fh, strict=True) if row.get("job")]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ReportError(f"{path}: damaged ({type(exc).__name__}); delete it or choose another --out") from None


def write_index(results: list[JobResult], ctx: RunContext, *, merge: bool = False,
                wall_s: float | None = None) -> tuple[Path, Path]:
    """Write index.csv and index.md in ``ctx.out_dir``.

    ``merge=True`` (a single job, or part of a batch) keeps the other jobs' rows already in the index and
    replaces the rows of the jobs just run; otherwise the index is exactly this run.
    """
    new = [_row(r, ctx) for r in results]
    rows: list[dict[str, Any]] = []
    if merge:
        fresh = {r["job"]: r for r in new}
        for old in read_index(ctx.out_dir):
            rows.append(fresh.pop(old["job"], old))
        rows += list(fresh.values())
    else:
        rows = new
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    csv_path, md_path = ctx.out_dir / "index.csv", ctx.out_dir / "index.md"
    _replace(csv_path, buf.getvalue())
    _replace(md_path, _markdown(rows, ctx, wall_s))
    return csv_path, md_path


def _replace(path: Path, text: str) -> None:
    """Write whole or not at all: a temporary file beside ``path``, then an atomic rename."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _cell(v: Any) -> str:
    return " ".join(str(v).split()).replace("|", "\\|")


def _markdown(rows: list[dict[str, Any]], ctx: RunContext, wall_s: float | None) -> str:
    ok = sum(r["status"] == "ok" for r in rows)
    failed = len(rows) - ok
    cpu = sum(float(r.get("cpu_s") or 0) for r in rows)  # an index from before cpu_s was recorded has none
    lines = [
        "# 报告索引 Report index",
        "",
        f"- 生成日期 Date: {ctx.date}",
        f"- 数据版本 Dataset version: {ctx.dataset_version}",
        f"- 代码版本 Git commit: {ctx.git_commit}",
        f"- 任务 Jobs: {len(rows)} ({ok} ok, {failed} failed)" + (f"; wall time {wall_s:.1f} s" if wall_s else "")
        + (f"; CPU time of the jobs listed {cpu:.1f} s" if cpu else ""),
        "",
        "| 任务 Job | 笔记本 Notebook | 参数 Parameters | 数据版本 Dataset | 提交 Commit | 用时 Duration (s) "
        "| 状态 Status | 错误 Error |",
        "|---|---|---|---|---|---:|---|---|",
    ]
    for r in rows:
        job = f"[{_cell(r['job'])}]({r['pdf']})" if r.get("pdf") and r["status"] == "ok" else _cell(r["job"])
        lines.append(
            f"| {job} | {_cell(r['notebook'])} | `{_cell(r['parameters'])}` | {_cell(r['dataset_version'])} "
            f"| {_cell(r['git_commit'])} | {_cell(r['duration_s'])} | {_cell(r['status'])} | {_cell(r['error'])} |"
        )
    return "\n".join(lines) + "\n"
