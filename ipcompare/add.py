"""``ipcompare add PATH --geo NAME_OR_CODE``: register a new plan, its geography and its draft statements.

Everything is prepared first and checked (the document registry still loads, the geography registry still
loads); then the files are written, new files only, and ``documents.yaml`` last, so a failure leaves nothing
half-registered. Nothing existing is overwritten; a text already registered is refused with its doc id.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ipcompare.divisions import SOURCE_COMMIT, SOURCE_REPO, Division, DivisionError, lookup, read_divisions
from ipcompare.documents import DocumentError, DocumentMeta, load_documents, sha256_bytes
from ipcompare.registry import ADDED_GEOGRAPHIES, Geography, Registry, RegistryError, load_registry

__all__ = ["AddError", "Added", "add_plan", "geography_entry", "register"]

DIVISIONS = Path("reference") / "divisions.csv"


class AddError(ValueError):
    """A plan cannot be added; the one-line message says why and what to do."""


@dataclass(frozen=True)
class Added:
    """What ``add_plan`` wrote."""

    doc_id: str
    geography: Geography
    new_geography: bool
    text_path: Path
    draft_path: Path
    n_rows: int
    n_review: int
    metadata: dict[str, str]  # field → where its value came from


def _level(d: Division) -> str:
    if d.level != "county":
        return d.level
    return "county-level city" if d.name_zh.endswith("市") else "district" if d.name_zh.endswith("区") else "county"


def _slug(name_en: str) -> str:
    return re.sub(r"_+", "_", re.sub(r"[^a-z]+", "_", name_en.lower().replace("'", "").replace("ü", "v"))).strip("_")


def geography_entry(d: Division, divisions: list[Division], registry: Registry, source_line: str,
                    name_en: str | None = None) -> dict:
    """The ``geographies_added.yaml`` entry of a division: names, level, parent, a slug no other place has, and the
    source line it comes from."""
    by_code = {x.geo_code: x for x in divisions}
    slug = _slug(name_en or d.name_en)
    taken = {g.slug for g in registry.geographies.values()}
    if slug in taken and d.parent_code in by_code:
        slug = f"{_slug(by_code[d.parent_code].name_en)}_{slug}"
    if slug in taken:
        raise AddError(f"slug {slug!r} of {d.label()} is taken; give --name-en with another English name")
    return {
        "geo_code": d.geo_code, "name_zh": d.name_zh, "name_en": name_en or d.name_en, "level": _level(d),
        "parent_code": d.parent_code or None, "province_zh": None if d.level == "province" else d.province_zh,
        "slug": slug, "source_url": f"https://github.com/{SOURCE_REPO}/blob/{SOURCE_COMMIT}/dist/{d.source_file}",
        "source_quote": source_line,
        "note": "Added by `ipcompare add` from data/raw/reference/divisions.csv"
                + ("." if name_en else "; name_en romanised by pypinyin, not an official English name."),
    }


def _source_line(raw_dir: Path, d: Division) -> str:
    lines = (raw_dir / "reference" / "divisions" / d.source_file).read_text(encoding="utf-8").splitlines()
    return lines[d.source_line - 1]


def find_geography(key: str, raw_dir: Path, registry: Registry, name_en: str | None = None) -> tuple[Geography, dict | None]:
    """The registered geography ``key`` names, or a new entry from the division table (then also returned)."""
    try:
        return registry.geography(key), None
    except KeyError:
        pass
    divisions = read_divisions(raw_dir / DIVISIONS)
    try:
        d = lookup(divisions, key)
    except DivisionError as exc:
        raise AddError(f"--geo {key}: {exc}") from None
    if d.geo_code in registry.geographies:
        return registry.geographies[d.geo_code], None
    if d.kind != "division":
        raise AddError(f"--geo {key}: {d.label()} is a statistical zone (NBS code), not a GB/T 2260 division; "
                       f"give its parent {d.parent_code}")
    entry = geography_entry(d, divisions, registry, _source_line(raw_dir, d), name_en)
    return Geography(**entry), entry


def _atomic_write(path: Path, data: bytes, *, new: bool) -> None:
    """Write ``data`` to ``path`` whole (temp file + rename); ``new`` refuses an existing file."""
    if new and path.exists():
        raise AddError(f"{path}: exists; nothing is overwritten")
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _yaml_block(entry: dict) -> str:
    return yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=110)


def _appended(path: Path, block: str) -> str:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    return old + ("" if not old or old.endswith("\n") else "\n") + block


def add_plan(path: Path, geo: str, raw_dir: Path, *, title: str | None = None, issuer: str | None = None,
             date: str | None = None, url: str | None = None, grade: str | None = None, doc_id: str | None = None,
             period: tuple[int, int] | None = None, title_en: str | None = None, name_en: str | None = None,
             ocr: bool = False) -> Added:
    """Store the plan's text, register it and its geography, and write its draft statements."""
    from ipcompare.extract.audit import OUTPUT_COLUMNS, RowWriter
    from ipcompare.extract.context import PlanPeriod
    from ipcompare.extract.extractor import Extractor
    from ipcompare.extract.readers import read_plan
    from ipcompare.planmeta import read_metadata

    plan = read_plan(path)
    data = plan.text.encode("utf-8")
    digest = sha256_bytes(data)
    metas = load_documents(raw_dir)
    for m in metas.values():
        if m.sha256 == digest:
            raise AddError(f"{path}: already added as {m.doc_id!r} ({m.file}); nothing written")
    geo_path = raw_dir / ADDED_GEOGRAPHIES
    registry = load_registry(extra_geographies=geo_path)
    geography, geo_entry = find_geography(geo, raw_dir, registry, name_en)
    found = read_metadata(plan.text)
    source: dict[str, str] = {}

    def pick(field: str, given, option: str, default):
        if given:
            source[field] = f"given ({option})"
            return given
        if field in found:
            source[field] = f"read from text ({found[field].evidence})"
            return found[field].value
        source[field] = "not found in the text" + (f"; give {option}" if option else "")
        return default

    start_end = pick("plan_period", period, "--period", None)
    if start_end is None:
        raise AddError(f"{path}: the plan period is not in the text; give --period START-END (e.g. 2023-2025)")
    start, end = start_end
    doc_id = doc_id or f"{geography.slug}_{start}_{end}"
    if not re.fullmatch(r"[a-z][a-z0-9_]*", doc_id):
        raise AddError(f"--doc-id {doc_id!r}: lower-case letters, digits and _ only, starting with a letter")
    text_path = raw_dir / "docs" / f"{doc_id}.txt"
    statements = raw_dir / "statements"
    draft_path = statements / f"{doc_id}.draft.csv"
    taken = [p for p in (text_path, draft_path, statements / f"{doc_id}.csv") if p.exists()]
    if doc_id in metas or taken:
        raise AddError(f"doc id {doc_id!r} is taken ({', '.join(map(str, taken)) or 'documents.yaml'}); "
                       "give another with --doc-id")
    title_zh = pick("title_zh", title, "--title", "")
    if not title_zh:
        raise AddError(f"{path}: no title found in the first lines; give --title")
    issuer_zh = pick("issuer_zh", issuer, "--issuer", "unknown")
    date_issued = pick("date_issued", date, "--date", "unknown")
    if date_issued != "unknown" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(date_issued)):
        raise AddError(f"--date {date_issued!r}: write it as YYYY-MM-DD")
    document_number = pick("document_number", None, "", "")
    grade = grade or ("official" if url and re.match(r"https?://[^/]*\.gov\.cn(/|$)", url) else "unknown")
    entry = {
        "doc_id": doc_id, "file": f"docs/{doc_id}.txt", "seed_file": path.name, "title_zh": title_zh,
        "title_en": title_en or f"{geography.name_en} IP plan ({start}-{end})",
        "title_note": f"title_zh {source['title_zh']}"
                      + ("" if title_en else "; title_en composed by `ipcompare add`, not a translation"),
        "issuer_zh": issuer_zh,
        "issuer_en": f"{geography.name_en} Municipal People's Government"
        if issuer_zh == geography.name_zh + "人民政府" else "",
        "document_number": document_number, "date_issued": date_issued,
        "date_note": f"date_issued {source['date_issued']}", "plan_period": [start, end],
        "geo_code": geography.geo_code, "source_url": url or "unknown", "source_grade": grade,
        "source_note": f"added with `ipcompare add` from {path.name} ({plan.format}, {plan.encoding}); "
                       + "; ".join(f"{k} {v}" for k, v in source.items()),
        "encoding": "utf-8", "ocr": ocr, "sha256": digest,
    }
    try:
        DocumentMeta(**entry)
    except ValueError as exc:
        raise AddError(f"{path}: the document entry would be invalid: {exc}") from None
    extraction = Extractor(registry).extract(
        plan.text, doc_id, PlanPeriod(start, end, source["plan_period"]))
    buf = io.StringIO()
    n_rows = RowWriter(buf, "csv", OUTPUT_COLUMNS).write(extraction.rows())
    n_review = sum(1 for r in csv.DictReader(io.StringIO(buf.getvalue())) if r["review"])
    docs_yaml = raw_dir / "documents.yaml"
    new_docs = _appended(docs_yaml, _yaml_block(entry))
    new_geos = _appended(geo_path, _yaml_block(geo_entry)) if geo_entry else None
    _check_loads(raw_dir, new_docs, new_geos)
    written: list[Path] = []
    try:
        for p, content in ((text_path, data), (draft_path, buf.getvalue().encode("utf-8"))):
            p.parent.mkdir(parents=True, exist_ok=True)
            _atomic_write(p, content, new=True)
            written.append(p)
        if new_geos is not None:
            _atomic_write(geo_path, new_geos.encode("utf-8"), new=False)
        _atomic_write(docs_yaml, new_docs.encode("utf-8"), new=False)
    except BaseException:
        for p in written:
            p.unlink(missing_ok=True)
        raise
    return Added(doc_id, geography, geo_entry is not None, text_path, draft_path, n_rows, n_review, source)


def _check_loads(raw_dir: Path, docs: str, geos: str | None) -> None:
    """The registries as they would be written still load (checked in a scratch folder, nothing touched)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        (t / "documents.yaml").write_text(docs, encoding="utf-8")
        try:
            load_documents(t)
            if geos is not None:
                (t / ADDED_GEOGRAPHIES).write_text(geos, encoding="utf-8")
                load_registry(extra_geographies=t / ADDED_GEOGRAPHIES)
        except (DocumentError, RegistryError) as exc:
            raise AddError(f"the registries would not load after adding: {exc}") from None


def register(sub) -> None:
    """Add the ``add`` subcommand to the main CLI."""
    p = sub.add_parser("add", help="add a plan: store its text, register it and its geography, draft its statements",
                       description="Store a plan (text in UTF-8 or GBK, HTML, or PDF with a text layer) under "
                       "data/raw/docs/, register it in documents.yaml (title, issuer, document number, date and "
                       "period read from the text unless given), register its geography from the GB/T 2260 "
                       "division table, and write data/raw/statements/<doc_id>.draft.csv for `ipcompare review`.")
    p.add_argument("path", type=Path, help="the plan file")
    p.add_argument("--geo", required=True, help="the place it covers: name (嘉兴市, 嘉兴, 长春市朝阳区) or GB/T 2260 code")
    p.add_argument("--title", help="the title, when the text's first lines do not hold it")
    p.add_argument("--title-en", help="an English title (default: composed from the place and period)")
    p.add_argument("--issuer", help="the issuing body (default: read from the title or the signature)")
    p.add_argument("--date", help="date issued, YYYY-MM-DD (default: read from the signature)")
    p.add_argument("--url", help="where the text was published")
    p.add_argument("--grade", choices=("official", "official_press", "mirror", "unknown"),
                   help="source grade of --url (default: official for a gov.cn address, else unknown)")
    p.add_argument("--period", help="plan span START-END when the text does not state it")
    p.add_argument("--doc-id", help="document id (default: <geography slug>_<start>_<end>)")
    p.add_argument("--name-en", help="English name of a newly registered geography (default: romanised)")
    p.add_argument("--ocr", action="store_true", help="the text is OCR output")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from ipcompare.extract.cli import _period
    from ipcompare.paths import raw_dir

    added = add_plan(args.path, args.geo, raw_dir(), title=args.title, issuer=args.issuer, date=args.date,
                     url=args.url, grade=args.grade, doc_id=args.doc_id,
                     period=_period(args.period) if args.period else None, title_en=args.title_en,
                     name_en=args.name_en, ocr=args.ocr)
    g = added.geography
    print(f"added {added.doc_id}: {g.name_zh} {g.name_en} ({g.geo_code}, {g.level}"
          + (", newly registered in data/raw/geographies_added.yaml" if added.new_geography else "") + ")")
    for field, how in added.metadata.items():
        print(f"  {field}: {how}")
    print(f"  text: {added.text_path}\n  draft: {added.draft_path} ({added.n_rows} rows, {added.n_review} need a "
          f"decision)\nnext: ipcompare review {added.doc_id}")
    return 0
