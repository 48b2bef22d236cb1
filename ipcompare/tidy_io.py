"""``data/tidy`` as one unit: written as a new generation beside the old one and swapped in, and checked on read.

Writing file by file into ``data/tidy`` (even from a finished temporary folder) leaves a mix of new and old
files when one move fails or the build is killed half-way, and ``datapackage.json`` then describes files that
are not there. So a build writes a complete generation into ``data/.tidy-new-<id>/`` (each file flushed to
disk), then swaps folders with two renames: ``data/tidy`` → ``data/.tidy-old-<id>``, the new folder →
``data/tidy``, and removes the old one. A build killed at any point leaves either the old or the new
generation whole; the next build removes what a killed one left, and puts a moved-away generation back if it
was killed between the two renames.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from pathlib import Path

import pandas as pd

__all__ = ["TidyError", "write_generation", "clean_stale", "read_datapackage", "file_problems", "table_problems",
           "read_checked_tables"]

_NEW, _OLD = ".tidy-new-", ".tidy-old-"


class TidyError(OSError):
    """data/tidy cannot be written or is not one consistent build; the message says what to do."""


def clean_stale(out_dir: Path) -> list[Path]:
    """Remove the temporary generations killed builds left beside ``out_dir``; put a moved-away one back.

    Returns the folders removed. A build killed between its two renames leaves no ``out_dir`` and a whole
    old generation: that is restored rather than deleted.
    """
    parent = out_dir.parent
    if not parent.is_dir():
        return []
    # ".tidy-" also catches the temporary folders of builds before generations existed.
    stale = sorted(p for p in parent.iterdir() if p.is_dir() and p.name.startswith(".tidy-"))
    if not out_dir.exists():
        olds = [p for p in stale if p.name.startswith(_OLD)]
        if olds:
            newest = max(olds, key=lambda p: p.stat().st_mtime)
            os.rename(newest, out_dir)
            stale.remove(newest)
    for p in stale:
        shutil.rmtree(p, ignore_errors=True)
    return stale


def _write_file(path: Path, data: bytes) -> None:
    with open(path, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # not every platform opens folders; the rename is still atomic there
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_generation(files: dict[str, bytes], out_dir: Path) -> Path:
    """Replace ``out_dir`` with exactly ``files``, all at once; on any failure ``out_dir`` is left as it was.

    Files in the old generation that a build does not write (a user's notes) are carried over.
    """
    out_dir = Path(out_dir)
    parent = out_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        clean_stale(out_dir)
    except OSError as exc:
        raise TidyError(f"{parent}: cannot prepare the output folder ({exc.strerror or exc})") from None
    tag = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    new, old = parent / f"{_NEW}{tag}", parent / f"{_OLD}{tag}"
    name = "-"
    try:
        new.mkdir()
        for name, data in sorted(files.items()):
            _write_file(new / name, data)
        if out_dir.is_dir():
            for extra in sorted(out_dir.iterdir()):
                if extra.is_file() and extra.name not in files:
                    name = extra.name
                    shutil.copy2(extra, new / extra.name)
        _fsync_dir(new)
    except OSError as exc:
        shutil.rmtree(new, ignore_errors=True)
        raise TidyError(f"{new / name}: cannot write ({exc.strerror or exc}); {out_dir} left unchanged") from None
    try:
        if out_dir.exists():
            os.rename(out_dir, old)
        os.rename(new, out_dir)
    except OSError as exc:
        if old.exists() and not out_dir.exists():
            os.rename(old, out_dir)
        shutil.rmtree(new, ignore_errors=True)
        raise TidyError(f"{out_dir}: cannot swap in the new build ({exc.strerror or exc}); left unchanged") from None
    _fsync_dir(parent)
    shutil.rmtree(old, ignore_errors=True)
    return out_dir


# ------------------------------------------------------------------------------------------------ reading


def read_datapackage(folder: Path) -> dict:
    """``folder/datapackage.json`` as a dict; TidyError naming the file when it is missing or damaged."""
    path = Path(folder) / "datapackage.json"
    try:
        pkg = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise TidyError(f"{path}: missing; rebuild with `ipcompare build`") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f":{exc.lineno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise TidyError(f"{path}{where}: damaged ({type(exc).__name__}); rebuild with `ipcompare build`") from None
    if not isinstance(pkg, dict) or not isinstance(pkg.get("resources"), list):
        raise TidyError(f"{path}: not a data package (no resources list); rebuild with `ipcompare build`")
    return pkg


def file_problems(folder: Path, pkg: dict, only: set[str] | None = None) -> list[str]:
    """Every resource of ``pkg`` whose file is missing or whose bytes or sha256 differ from the descriptor."""
    out = []
    for res in pkg["resources"]:
        rel = res.get("path") if isinstance(res, dict) else None
        if not isinstance(rel, str) or Path(rel).name != rel:
            out.append(f"{folder / 'datapackage.json'}: resource {str(res)[:60]!r} has no plain file name")
            continue
        if only is not None and rel not in only:
            continue
        path = Path(folder) / rel
        try:
            data = path.read_bytes()
        except OSError as exc:
            out.append(f"{path}: listed in datapackage.json but unreadable ({exc.strerror or exc})")
            continue
        # CSV resources carry frictionless' bytes + hash; Parquet ones only `sha256` (frictionless cannot count a
        # Parquet source's bytes and would flag them), so the digest is the check every file gets.
        want = res.get("sha256") or str(res.get("hash") or "").removeprefix("sha256:")
        if "bytes" in res and len(data) != res["bytes"]:
            out.append(f"{path}: {len(data)} bytes, datapackage.json says {res['bytes']}")
        elif not want:
            out.append(f"{path}: datapackage.json gives no sha256 for it")
        elif hashlib.sha256(data).hexdigest() != want:
            out.append(f"{path}: sha256 differs from datapackage.json")
    return out


def table_problems(name: str, df: pd.DataFrame, columns: list[str]) -> list[str]:
    """Whether ``df`` is the table ``name``: exactly its declared columns, in order."""
    got = list(df.columns)
    if got == columns:
        return []
    missing = [c for c in columns if c not in got]
    extra = [c for c in got if c not in columns]
    detail = "; ".join(x for x in (f"missing {', '.join(missing[:6])}" if missing else "",
                                    f"unexpected {', '.join(map(str, extra[:6]))}" if extra else "") if x)
    return [f"{name}.parquet is not the {name} table ({detail or 'columns out of order'})"]


def read_checked_tables(folder: Path) -> tuple[dict[str, pd.DataFrame], str]:
    """The six tables of a built ``folder`` and its version, refusing a mixed or foreign generation.

    Each Parquet file must match its hash in datapackage.json (when there is one) and hold its table's
    declared columns, so that new rows are never served under an old version, nor one table as another.
    """
    from ipcompare.columns import TABLE_ORDER, table_specs

    folder = Path(folder)
    pkg = read_datapackage(folder) if (folder / "datapackage.json").exists() else None
    problems = file_problems(folder, pkg, only={f"{n}.parquet" for n in TABLE_ORDER}) if pkg else []
    tables: dict[str, pd.DataFrame] = {}
    for name in TABLE_ORDER:
        path = folder / f"{name}.parquet"
        try:
            tables[name] = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise TidyError(f"{path}: not a readable Parquet file ({type(exc).__name__}); rebuild with "
                            "`ipcompare build`") from None
        problems += table_problems(name, tables[name], table_specs()[name]["columns"])
    if problems:
        raise TidyError(f"{folder}: not one consistent build ({'; '.join(problems[:4])}); rebuild with "
                        "`ipcompare build`")
    version = str(pkg.get("version") or "unknown") if pkg else "unknown"
    return tables, version
