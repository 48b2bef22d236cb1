"""Build the static site: every page rendered in memory from the library, then written whole or not at all.

:func:`render_site` is pure (dataset, source texts, published files, PDFs in; ``{path: bytes}`` out);
:func:`write_site` is the only writer. No notebook is executed: pages call the same functions the notebooks
call (:mod:`ipcompare.findings`, :mod:`ipcompare.narrative`, :mod:`ipcompare.analysis`).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from ipcompare.dataset import Dataset
from ipcompare.narrative import comparable_indicators
from ipcompare.site import links as L
from ipcompare.site.city import city_context
from ipcompare.site.indicator import compared, indicator_context
from ipcompare.site.pages import browser_context, doc_context, home_context, reference_context
from ipcompare.site.render import environment

__all__ = ["render_site", "write_site", "check_out_dir", "MARKER"]

# A file every built site carries, so that a rebuild replaces only a folder this command made.
MARKER = ".ipcompare-site"


def render_site(ds: Dataset, texts: Mapping[str, str], tidy_files: Mapping[str, bytes],
                pdfs: Mapping[str, bytes] | None = None) -> dict[str, bytes]:
    """All files of the site, by path relative to its root.

    ``texts``: each document's stored text by doc_id (offsets refer to it); ``tidy_files``: the published
    dataset files by name, copied into ``downloads/``; ``pdfs``: rendered city profiles by city slug
    (``reports/out/city_profile_<slug>.pdf``), copied into ``pdf/`` and linked from the city pages.
    """
    missing = sorted(set(ds.documents.doc_id) - set(texts))
    if missing:
        raise ValueError(f"no stored text for document(s) {', '.join(missing)}; the site needs data/raw/docs")
    env = environment()
    linker = L.Linker(ds.observations)
    cities = {str(g.slug) for g in ds.geographies.itertuples() if g.level != "national"
              and (ds.observations.geo_code == g.geo_code).any()}
    pdfs = {slug: data for slug, data in (pdfs or {}).items() if slug in cities}
    indicators = sorted(ds.observations.indicator.unique())
    pages = set(indicators)
    out: dict[str, bytes] = {}

    def page(lang: str, name: str, template: str, ctx: dict) -> None:
        html = env.get_template(template).render(lang=lang, page=name, version=ds.version, **ctx)
        out[f"{lang}/{name}"] = html.encode("utf-8")

    # Documents first: a quote that does not fit its stored text stops the build before the analysis runs.
    for lang in L.LANGS:
        for doc_id in sorted(ds.documents.doc_id):
            page(lang, L.doc_page(doc_id), "doc.html", doc_context(ds, doc_id, texts[doc_id], lang, cities))
    cmp = compared(ds, indicators)
    headline = comparable_indicators(ds, min_geos=3)
    headline_any = set(comparable_indicators(ds, min_geos=2))
    sizes = {n: len(b) for n, b in tidy_files.items()}
    # The citation as the data package states it (the codebook and the workbook carry the same words).
    cite = json.loads(tidy_files["datapackage.json"]).get("citation", "") if "datapackage.json" in tidy_files else ""
    for lang in L.LANGS:
        page(lang, "index.html", "home.html",
             home_context(ds, lang, linker, cmp, headline, cities, pages, sizes, cite))
        page(lang, "data.html", "data.html", browser_context(ds, lang, linker, cities, pages))
        page(lang, "reference.html", "reference.html", reference_context(ds, lang))
        for slug in sorted(cities):
            pdf = [dict(name=f"city_profile_{slug}.pdf", href=f"../pdf/city_profile_{slug}.pdf")] if slug in pdfs else []
            page(lang, L.city_page(slug), "city.html",
                 city_context(ds, slug, lang, linker, headline_any, pages, pdf))
        for code in indicators:
            page(lang, L.indicator_page(code), "indicator.html", indicator_context(ds, code, lang, cmp, linker, cities))
    out["index.html"] = env.get_template("root.html").render(version=ds.version).encode("utf-8")
    static = resources.files("ipcompare.site") / "static"
    for name in ("style.css", "browse.js"):
        out[f"assets/{name}"] = (static / name).read_bytes()
    for name, data in tidy_files.items():
        out[f"downloads/{name}"] = data
    for slug, data in pdfs.items():
        out[f"pdf/city_profile_{slug}.pdf"] = data
    out[MARKER] = f"ipcompare static site, dataset {ds.version}\n".encode()
    return out


def check_out_dir(out: Path) -> Path:
    """``out`` itself if a site may be written there (absent, empty, or a previous build); ValueError otherwise."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise ValueError(f"{out}: exists and is not a site built by `ipcompare site`; choose another --out")
    return out


def write_site(files: Mapping[str, bytes], out: Path) -> None:
    """Write ``files`` under ``out``, replacing a previous build whole: written to a sibling folder first,
    then swapped in. A folder that is not empty and was not made by this command is refused."""
    out = check_out_dir(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        for rel, data in sorted(files.items()):
            p = tmp / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)
        old = None
        if out.exists():
            old = out.with_name(f".{out.name}-old-{tmp.name[-8:]}")
            out.rename(old)
        tmp.rename(out)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
