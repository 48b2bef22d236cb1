"""Extractor throughput and memory: MB of plan text per second on one core, and peak memory by corpus size.

    .venv/bin/python benchmarks/extract_speed.py                 # 5, 20 and 50 MB, many files and one big file
    .venv/bin/python benchmarks/extract_speed.py --mb 5 --mb 20  # chosen sizes only

The corpus is the six registered plans copied to files until it holds at least the asked size ("many files"),
or the same text concatenated into one file ("one file"). Each run is a fresh single-threaded process that
works as `ipcompare extract` does: open a file (a big text file is decoded block by block), extract it part by
part (`Extractor.stream`), write each part's rows to a CSV, forget it. Throughput counts the UTF-8 bytes of
the input over wall time and over CPU time (the second is what one core delivers, whatever else the machine is
doing). Peak memory is the process's maximum resident set size (`resource.getrusage`); a small corpus and a
large one should show the same peak (memory flat in corpus size), in both layouts.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build_corpus(folder: Path, mb: float, one_file: bool = False) -> tuple[int, int]:
    """Copy the six plans into ``folder`` until it holds ``mb`` MB (as one file if asked); returns (files, bytes)."""
    docs = sorted((ROOT / "data" / "raw" / "docs").glob("*.txt"))
    total = n = 0
    big = (folder / "corpus.txt").open("wb") if one_file else None
    while total < mb * 1e6:
        for src in docs:
            data = src.read_bytes()
            if big is not None:
                big.write(data + b"\n\n")
            else:
                (folder / f"{n:05d}_{src.name}").write_bytes(data)
            total += len(data)
            n += 1
    if big is not None:
        big.close()
        return 1, total
    return n, total


def stream(folder: Path, out: Path) -> dict:
    """Extract every file of ``folder`` one at a time into ``out``; returns the measurements."""
    from ipcompare.extract.audit import RowWriter
    from ipcompare.extract.extractor import Extractor
    from ipcompare.extract.readers import open_plan

    extractor = Extractor()
    rss_ready = _maxrss_mb()
    files = sorted(folder.iterdir())
    nbytes = candidates = skipped = 0
    wall, cpu = time.perf_counter(), time.process_time()
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = RowWriter(fh, "csv")
        for path in files:
            plan = open_plan(path)
            first = candidates + 1
            for part in extractor.stream(plan.chunks, path.stem):
                candidates += writer.write(part.extraction.rows(start=candidates - first + 2))
                skipped += len(part.extraction.skipped)
            nbytes += path.stat().st_size
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"files": len(files), "mb": nbytes / 1e6, "wall_s": wall, "cpu_s": cpu, "candidates": candidates,
            "skipped": skipped, "rss_ready_mb": rss_ready, "rss_peak_mb": _maxrss_mb()}


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, action="append", help="corpus size(s) in MB (default: 5 and 20)")
    ap.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(stream(args.worker, args.worker.parent / "candidates.csv")))
        return 0
    sizes = args.mb or [5.0, 20.0, 50.0]
    print(f"extractor speed, one process on one core (machine has {os.cpu_count()} cores, load "
          f"{os.getloadavg()[0]:.1f})")
    print(f"{'layout':>10} {'corpus':>8} {'files':>6} {'cands':>7} {'skipped':>8} {'wall s':>7} {'MB/s':>6} "
          f"{'cpu s':>7} {'MB/cpu-s':>8} {'RSS ready':>10} {'RSS peak':>9}")
    for mb, one_file in [(mb, one) for mb in sizes for one in (False, True)]:
        tmp = Path(tempfile.mkdtemp(prefix="ipcompare-speed-"))
        try:
            corpus = tmp / "corpus"
            corpus.mkdir()
            build_corpus(corpus, mb, one_file)
            run = subprocess.run([sys.executable, __file__, "--worker", str(corpus)], capture_output=True, text=True,
                                 check=True)
            r = json.loads(run.stdout)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        print(f"{'one file' if one_file else 'many files':>10} {r['mb']:7.1f}M {r['files']:6d} {r['candidates']:7d} {r['skipped']:8d} {r['wall_s']:7.2f} "
              f"{r['mb'] / r['wall_s']:6.2f} {r['cpu_s']:7.2f} {r['mb'] / r['cpu_s']:8.2f} "
              f"{r['rss_ready_mb']:8.1f}MB {r['rss_peak_mb']:7.1f}MB")
    print(f"load at the end {os.getloadavg()[0]:.1f}; RSS ready = resident memory once the registry and vocabulary "
          "are loaded; peak = the process's maximum after the whole corpus (getrusage)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
