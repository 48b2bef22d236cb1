"""``ipcompare site [--out DIR]``: build the static site (default ``site/`` in a checkout)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

__all__ = ["register", "run"]


def register(sub) -> None:
    """Add the ``site`` sub-command to the main CLI's subparsers."""
    p = sub.add_parser("site", help="build the static website (every value linked to its highlighted source)",
                       description="Render the dataset as a static site (zh and en) that works from file:// and "
                                   "any static host; nothing is fetched from the network.")
    p.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: site/ in the checkout)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ipcompare.dataset import load
    from ipcompare.documents import load_documents, read_document
    from ipcompare.paths import project_root, raw_dir, report_out_dir, tidy_dir
    from ipcompare.site.build import check_out_dir, render_site, write_site

    wall, cpu = time.perf_counter(), time.process_time()
    out = check_out_dir(args.out if args.out is not None else project_root() / "site")
    raw = raw_dir()
    if not (raw / "documents.yaml").exists():
        raise ValueError(f"{raw}: no documents.yaml; the site shows the stored source texts, so build it in a "
                         "clone of the repository (the installed package ships no raw documents)")
    texts = {d: read_document(raw, m).text for d, m in load_documents(raw).items()}
    ds = load()
    tidy = tidy_dir()
    tidy_files = {p.name: p.read_bytes() for p in sorted(tidy.iterdir()) if p.is_file() and not p.name.startswith(".")}
    reports = report_out_dir()
    pdfs = {p.stem.removeprefix("city_profile_"): p.read_bytes() for p in sorted(reports.glob("city_profile_*.pdf"))}
    files = render_site(ds, texts, tidy_files, pdfs)
    write_site(files, out)
    n_pages = sum(1 for f in files if f.endswith(".html"))
    print(f"built site: {n_pages} pages, {len(files)} files in {out} "
          f"({time.perf_counter() - wall:.1f} s wall, {time.process_time() - cpu:.1f} s CPU); "
          f"open {out / 'index.html'}")
    return 0
