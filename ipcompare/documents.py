"""Raw documents: the registry in ``data/raw/documents.yaml`` and reading texts with checks.

Reading is the only I/O here; decoding and checksum logic are small pure helpers so they can be tested
without files.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ipcompare.yamlfile import YamlFileError, load_yaml, one_line

__all__ = [
    "DocumentMeta",
    "DocumentError",
    "load_documents",
    "read_document",
    "decode_text",
    "sha256_bytes",
]


class DocumentError(ValueError):
    """A raw document cannot be used; the message names the file and what to do."""


class DocumentMeta(BaseModel):
    """One registered raw document (an entry of ``data/raw/documents.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    doc_id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    file: str
    seed_file: str
    title_zh: str
    title_en: str
    title_note: str = ""
    issuer_zh: str
    issuer_en: str
    document_number: str = ""
    date_issued: str
    date_note: str = ""
    plan_period: tuple[int, int]
    geo_code: str = Field(pattern=r"^\d{6}$")
    source_url: str
    # official: the issuer's or another government body's own site; official_press: state media; mirror: a
    # third-party repost; unknown: no copy found (source_searched then says what was looked for).
    source_grade: Literal["official", "official_press", "mirror", "unknown"]
    source_searched: str = ""
    source_note: str = ""
    encoding: str = "utf-8"
    ocr: bool
    attribution: str = ""
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Document:
    """A registered document with its verified, decoded text."""

    meta: DocumentMeta
    text: str


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def decode_text(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode a plan's bytes; return ``(text, encoding_used)``.

    With ``encoding`` given it is the only one tried. Otherwise UTF-8 (BOM allowed), then GB18030 (a superset
    of GBK and GB2312, common for Chinese government text), then refuse. Empty or binary input is refused.
    """
    if not data.strip():
        raise DocumentError(f"{name}: the file is empty")
    if b"\x00" in data[:4096]:
        raise DocumentError(f"{name}: looks binary (NUL bytes); give a plain-text, HTML or PDF file")
    tries = [encoding] if encoding else ["utf-8-sig", "gb18030"]
    for enc in tries:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if enc == "gb18030" and not _mostly_cjk_or_ascii(text):
            continue
        return text, "utf-8" if enc == "utf-8-sig" else enc
    if encoding:
        raise DocumentError(
            f"{name}: not valid {encoding} as registered; convert it with `iconv -f <its encoding> -t utf-8`"
        )
    raise DocumentError(
        f"{name}: neither UTF-8 nor GB18030/GBK; convert it to UTF-8 first (e.g. `iconv -f big5 -t utf-8`)"
    )


def _mostly_cjk_or_ascii(text: str) -> bool:
    """Guard against random bytes that happen to decode as GB18030."""
    sample = text[:2000]
    good = sum(1 for c in sample if c.isascii() or "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef")
    return good >= 0.9 * len(sample)


def load_documents(raw_dir: Path) -> dict[str, DocumentMeta]:
    """Read ``documents.yaml``: a dict of doc_id → metadata, with every entry validated."""
    path = raw_dir / "documents.yaml"
    if not path.exists():
        raise DocumentError(f"{path}: missing; the raw-document registry is required")
    try:
        doc = load_yaml(path)
    except YamlFileError as exc:
        raise DocumentError(str(exc)) from None
    entries = doc.data
    if entries is not None and not isinstance(entries, list):
        raise DocumentError(f"{path}: expected a list of documents")
    out: dict[str, DocumentMeta] = {}
    for i, entry in enumerate(entries or []):
        try:
            meta = DocumentMeta(**entry)
        except (ValidationError, TypeError) as exc:
            detail = ("; ".join(f"{'.'.join(map(str, e['loc'])) or '-'}: {e['msg']}" for e in exc.errors())
                      if isinstance(exc, ValidationError) else str(exc))
            raise DocumentError(f"{path}:{doc.line(i)}: entry {i}: {one_line(detail)}") from None
        if meta.doc_id in out:
            raise DocumentError(f"{path}:{doc.line(i)}: duplicate doc_id {meta.doc_id!r}")
        out[meta.doc_id] = meta
    return out


def read_document(raw_dir: Path, meta: DocumentMeta) -> Document:
    """Read a registered document, verifying its checksum and declared encoding."""
    path = raw_dir / meta.file
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DocumentError(f"{path}: registered as {meta.doc_id!r} but missing") from None
    digest = sha256_bytes(data)
    if digest != meta.sha256:
        raise DocumentError(
            f"{path}: sha256 {digest} does not match {meta.sha256} in documents.yaml; raw files are immutable"
        )
    text, _ = decode_text(data, str(path), meta.encoding)
    return Document(meta, text)
