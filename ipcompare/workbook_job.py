"""The workbook written in a child process while the build validates, versions and renders the other files.

Writing the Excel file is the largest single part of a large build (at 600 documents about 3.6 of 8 CPU-s, with
the data rows written in one pass, :mod:`ipcompare.workbook_rows`; 11 of 18 before), and it needs only the tables
and, for its README sheet, the dataset version. So on Linux, for a
workbook of at least ``FORK_FROM_CELLS`` cells, the build forks a child as soon as the tables exist: the child
writes every table sheet while the parent validates the tables, renders the CSV text and computes the version;
the parent then hands the version over, the child fills in the README sheet, closes the workbook and sends back
its bytes. The bytes are those of :func:`ipcompare.workbook.xlsx_bytes` called in-process (the same function
runs in the child; tested), and the parent writes nothing until it has every file, so data/tidy is still
replaced whole or not at all.

Forking is used (not spawning) so that the child needs neither imports nor a copy of the tables sent through a
pipe. Where fork is not the platform's way (macOS, Windows), and for small workbooks, the workbook is written
in-process after the version is known: same bytes, no overlap.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pandas as pd

from ipcompare.gc_pause import paused_gc
from ipcompare.registry import Registry
from ipcompare.workbook import xlsx_bytes

__all__ = ["WorkbookError", "workbook_job", "in_process", "forks", "FORK_FROM_CELLS"]

# Below this many cells the workbook takes well under a second and a child would only compete with the parent
# for a core (the 6 real documents are about 19,000 cells; 600 synthetic ones 1.6 million).
FORK_FROM_CELLS = 100_000


class WorkbookError(ValueError):
    """The child writing the workbook failed; the message says how."""


def forks() -> bool:
    """Whether the workbook is written in a forked child here (Linux) rather than in-process."""
    return sys.platform.startswith("linux")


def in_process(tables: dict[str, pd.DataFrame], order: list[str], registry: Registry) -> Callable[[str], bytes]:
    """``finish(version) -> bytes`` writing the workbook in this process once the version is known: the way
    where no child is forked, and the one :func:`ipcompare.export.render_files` takes when given none."""
    return lambda version: xlsx_bytes(tables, order, registry, version)


def _child(conn, tables: dict[str, pd.DataFrame], order: list[str], registry: Registry) -> None:
    # Ctrl-C reaches the whole process group: the parent reports it and stops this child, which would otherwise
    # print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with paused_gc():
            data = xlsx_bytes(tables, order, registry, conn.recv)
        conn.send(("ok", None))
        conn.send_bytes(data)
    except Exception as exc:  # reported to the parent as one line; the parent raises it
        try:
            conn.send(("error", f"{type(exc).__name__}: {exc}"))
        except OSError:
            pass  # the parent has gone: nobody is waiting for the workbook
    finally:
        conn.close()


@contextmanager
def workbook_job(tables: dict[str, pd.DataFrame], order: list[str], registry: Registry,
                 concurrent: bool | None = None) -> Iterator[Callable[[str], bytes]]:
    """Start the workbook of ``tables``; yields ``finish(version) -> bytes``, which waits for it.

    ``concurrent`` chooses the forked child (default: where :func:`forks`, for tables of at least
    :data:`FORK_FROM_CELLS` cells); leaving the block without calling ``finish`` (an error elsewhere in the
    build) stops the child.
    """
    if concurrent is None:
        concurrent = forks() and sum(df.size for df in tables.values()) >= FORK_FROM_CELLS
    if not concurrent:
        yield in_process(tables, order, registry)
        return
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_child, args=(child, tables, order, registry), name="ipcompare-workbook", daemon=True)
    proc.start()
    child.close()

    done = []

    def finish(version: str) -> bytes:
        try:
            parent.send(version)
        except OSError:
            pass  # the child failed before it asked for the version and closed its end: its message says why
        try:
            status, message = parent.recv()
            if status != "ok":
                raise WorkbookError(f"ipcompare.xlsx: not written ({message}); nothing in data/tidy was changed")
            data = parent.recv_bytes()
        except (EOFError, OSError):  # the pipe closed: the child died (killed, out of memory)
            proc.join()
            raise WorkbookError(f"ipcompare.xlsx: the process writing it ended early (exit code {proc.exitcode}); "
                                "nothing in data/tidy was changed") from None
        done.append(True)
        return data

    try:
        yield finish
    finally:
        if not done:  # left early (an error in the parent, or in the child): its work is not wanted
            proc.terminate()
        parent.close()
        proc.join()
