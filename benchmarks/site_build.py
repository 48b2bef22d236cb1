"""Time ``ipcompare site`` on today's data, by stage: import and load, render every page, write the files.

    .venv/bin/python benchmarks/site_build.py [--repeat 3]

Prints wall and CPU seconds per stage and the number of pages. Nothing is asserted (the target is under 10 s
for the whole command).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(t: tuple[float, float]) -> str:
    w, c = _clock()
    return f"{w - t[0]:6.2f} s wall {c - t[1]:6.2f} s CPU"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=1, help="render this many times (the first pays the analysis)")
    args = ap.parse_args()
    t0 = _clock()
    from ipcompare.dataset import load
    from ipcompare.documents import load_documents, read_document
    from ipcompare.paths import raw_dir, tidy_dir
    from ipcompare.site.build import render_site, write_site

    raw = raw_dir()
    texts = {d: read_document(raw, m).text for d, m in load_documents(raw).items()}
    ds = load()
    tidy = {p.name: p.read_bytes() for p in sorted(tidy_dir().iterdir()) if p.is_file() and not p.name.startswith(".")}
    print(f"import + load      {_since(t0)}")
    for i in range(args.repeat):
        t = _clock()
        files = render_site(ds, texts, tidy)
        print(f"render (run {i + 1})    {_since(t)}  {sum(f.endswith('.html') for f in files)} pages, "
              f"{sum(map(len, files.values())) / 1e6:.1f} MB")
    with tempfile.TemporaryDirectory() as d:
        t = _clock()
        write_site(files, Path(d) / "site")
        print(f"write              {_since(t)}")
    print(f"total              {_since(t0)}")


if __name__ == "__main__":
    main()
