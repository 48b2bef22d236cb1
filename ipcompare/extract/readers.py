"""Read a plan as plain text (UTF-8 or GB18030/GBK, detected), HTML or PDF with a text layer.

The only I/O of the extractor. Every failure is an :class:`ExtractInputError` whose one-line message names the
file and says what to do.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ipcompare.documents import DocumentError, decode_text

__all__ = ["ExtractInputError", "PlanSource", "PlanText", "open_plan", "read_plan", "html_to_text", "pdf_to_text"]


class ExtractInputError(DocumentError):
    """A plan cannot be read; the message names the file and what to do."""


@dataclass(frozen=True)
class PlanText:
    """A plan's text as the extractor reads it; offsets of candidates refer to ``text``."""

    path: Path
    text: str
    format: str  # text / html / pdf
    encoding: str  # as detected, or "pdf"


@dataclass(frozen=True)
class PlanSource:
    """A plan to read in chunks: ``chunks()`` decodes it again on each call (a big text file is never held)."""

    path: Path
    format: str  # text / html / pdf
    encoding: str
    chunks: Callable[[], Iterator[str]]


STREAM_FROM = 4_000_000  # bytes: a plain-text plan at least this big is decoded as it is read
_PREFIX = 1 << 16  # bytes on which the encoding of a streamed text is detected
_BLOCK = 1 << 20


def open_plan(path: Path, stream_from: int = STREAM_FROM) -> PlanSource:
    """Like :func:`read_plan`, but a big plain-text plan is decoded block by block as the extractor asks for it.

    The encoding (UTF-8, else GB18030) is detected on the first 64 KB; a later byte that does not decode stops
    with an error naming its offset. HTML, PDF, UTF-16 and smaller files are read whole, as by ``read_plan``.
    """
    name = str(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            prefix = fh.read(_PREFIX)
    except FileNotFoundError:
        raise ExtractInputError(f"{name}: no such file; check the path") from None
    except IsADirectoryError:
        raise ExtractInputError(f"{name}: is a folder; give one plan file (text, HTML or PDF)") from None
    if (size < stream_from or prefix.lstrip()[:5] == b"%PDF-" or path.suffix.lower() == ".pdf"
            or prefix[:2] in (b"\xff\xfe", b"\xfe\xff") or path.suffix.lower() in _HTML_SUFFIXES
            or _HTML_SNIFF.match(prefix[:4096])):
        plan = read_plan(path)
        return PlanSource(path, plan.format, plan.encoding, lambda: iter((plan.text,)))
    enc = _prefix_encoding(prefix, name)
    text = codecs.getincrementaldecoder("utf-8-sig" if enc == "utf-8" else enc)().decode(prefix)
    if _HTML_SNIFF.match(text[:4096].encode("utf-8", "replace")):
        plan = read_plan(path)
        return PlanSource(path, plan.format, plan.encoding, lambda: iter((plan.text,)))
    if not _WORDS.search(text):
        raise ExtractInputError(f"{path}: holds no letters, digits or Chinese characters; is it the right file?")
    return PlanSource(path, "text", enc, lambda: _decode_blocks(path, enc))


def _prefix_encoding(prefix: bytes, name: str) -> str:
    """UTF-8 or GB18030, decided on the first bytes (a character cut at their end is fine)."""
    # UTF-8 first, as documents.decode_text: a cut UTF-8 character must not make GB18030 look right.
    cuts = [prefix[: len(prefix) - k] for k in range(4)]
    utf8 = next((c for c in cuts if _decodes(c)), None)
    for candidate in ([utf8] if utf8 is not None else cuts):
        try:
            return decode_text(candidate, name)[1]
        except DocumentError as exc:
            error = exc
    raise ExtractInputError(str(error)) from None


def _decodes(data: bytes) -> bool:
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def _decode_blocks(path: Path, enc: str) -> Iterator[str]:
    """The file decoded block by block; a byte sequence that does not decode is a one-line error."""
    decoder = codecs.getincrementaldecoder("utf-8-sig" if enc == "utf-8" else enc)()
    done = 0
    with path.open("rb") as fh:
        while True:
            block = fh.read(_BLOCK)
            try:
                text = decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                raise ExtractInputError(
                    f"{path}: not valid {enc} at byte {done + exc.start}, although its start is; "
                    "convert the whole file to UTF-8 first"
                ) from None
            if text:
                yield text
            if not block:
                return
            done += len(block)


_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
_HTML_SNIFF = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
_WORDS = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")


def read_plan(path: Path) -> PlanText:
    """Read ``path`` as text, HTML or PDF (told apart by content first, then by suffix)."""
    name = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ExtractInputError(f"{name}: no such file; check the path") from None
    except IsADirectoryError:
        raise ExtractInputError(f"{name}: is a folder; give one plan file (text, HTML or PDF)") from None
    if data.lstrip()[:5] == b"%PDF-":
        return PlanText(path, pdf_to_text(data, name), "pdf", "pdf")
    if path.suffix.lower() == ".pdf":
        raise ExtractInputError(f"{name}: named .pdf but not a PDF file; check the file or rename it")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return _text_or_html(path, data.decode("utf-16"), "utf-16", data)
        except UnicodeDecodeError:
            raise ExtractInputError(f"{name}: broken UTF-16; convert it to UTF-8 first") from None
    html_like = path.suffix.lower() in _HTML_SUFFIXES or bool(_HTML_SNIFF.match(data[:4096]))
    if html_like:
        m = _CHARSET.search(data[:4096])
        if m:
            enc = m.group(1).decode("ascii").lower()
            try:
                return PlanText(path, html_to_text(data.decode(enc), name), "html", enc)
            except (LookupError, UnicodeDecodeError):
                pass  # the declared charset is wrong or unknown; detect as for text
    try:
        text, enc = decode_text(data, name)
    except DocumentError as exc:
        raise ExtractInputError(str(exc)) from None
    return _text_or_html(path, text, enc, data)


def _text_or_html(path: Path, text: str, enc: str, data: bytes) -> PlanText:
    if path.suffix.lower() in _HTML_SUFFIXES or _HTML_SNIFF.match(text[:4096].encode("utf-8", "replace")):
        return PlanText(path, html_to_text(text, str(path)), "html", enc)
    if not _WORDS.search(text):
        raise ExtractInputError(f"{path}: holds no letters, digits or Chinese characters; is it the right file?")
    return PlanText(path, text, "text", enc)


# --- HTML -------------------------------------------------------------------------------------------------
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "title", "svg", "iframe", "object", "canvas"}
_BLOCK_TAGS = {
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table", "ul", "ol",
    "dd", "dt", "dl", "blockquote", "pre", "hr", "header", "footer", "main", "aside", "nav", "form", "figure",
    "figcaption", "caption", "address", "center",
}
_CELL_TAGS = {"td", "th"}


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in _CELL_TAGS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in ("br", "hr"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_to_text(html: str, name: str = "<html>") -> str:
    """Body text of an HTML page in reading order: scripts, styles and the head dropped, blocks on new lines."""
    parser = _TextCollector()
    try:
        parser.feed(html)
        parser.close()
    except Exception as exc:  # html.parser is lenient; anything it still refuses is a broken page
        raise ExtractInputError(f"{name}: cannot parse the HTML ({type(exc).__name__}); save the page again") from None
    text = "".join(parser.parts).replace("\r\n", "\n").replace("\xa0", " ")
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if not _WORDS.search(text):
        raise ExtractInputError(
            f"{name}: the HTML page has no body text (only markup or scripts); save the page's text or its PDF"
        )
    return text + "\n"


# --- PDF --------------------------------------------------------------------------------------------------
def pdf_to_text(data: bytes, name: str = "<pdf>") -> str:
    """The text layer of a PDF, page by page. A scanned PDF (no text layer) is refused, not OCR'd."""
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - pypdf is a dependency
        raise ExtractInputError(f"{name}: reading PDF needs pypdf; `pip install pypdf`") from None
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractInputError(f"{name}: the PDF is password-protected; save an unprotected copy")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ExtractInputError:
        raise
    except Exception as exc:  # pypdf raises many types for damaged files
        raise ExtractInputError(f"{name}: not a readable PDF ({type(exc).__name__}); check the file") from None
    text = "\n".join(p.strip("\n") for p in pages)
    if len(_WORDS.findall(text)) < 10:
        raise ExtractInputError(
            f"{name}: the PDF has no text layer (a scan?); OCR it first, e.g. `ocrmypdf -l chi_sim in.pdf out.pdf`"
        )
    return text + "\n"
