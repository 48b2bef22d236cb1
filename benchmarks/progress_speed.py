"""How long does rating every target take? Prints wall and CPU seconds of `progress(ds)` on the real dataset,
and of the same call on a dataset whose targets are repeated N times (a stand-in for many more plans).

    .venv/bin/python benchmarks/progress_speed.py            # N = 1, 10, 50
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ipcompare.dataset import load  # noqa: E402
from ipcompare.progress import progress  # noqa: E402


def main() -> None:
    ds = load(ROOT / "data" / "tidy")
    for n in (1, 10, 50):
        obs = ds.observations
        if n > 1:
            copies = [obs.assign(obs_id=obs.obs_id + f"~{i}") for i in range(n)]
            obs = pd.concat(copies, ignore_index=True)
        big = replace(ds, observations=obs)
        t0, c0 = time.perf_counter(), time.process_time()
        p = progress(big, today=date(2026, 12, 1))
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(f"targets x{n:<3} {len(p):6d} rows  wall {wall:6.2f} s  cpu {cpu:6.2f} s")


if __name__ == "__main__":
    main()
