"""A chart's PNG goes into the PDF as it is compressed, instead of being decoded and compressed again.

Why. A PDF image with ``/FlateDecode`` and a PNG predictor (``/Predictor 15``) is exactly a PNG's IDAT data:
zlib over scanlines that each start with a PNG filter byte. WeasyPrint (70) nevertheless decodes every PNG with
Pillow and encodes it again at zlib level 6 to get that data (``RasterImage._get_png_data``): about 0.13 CPU-s
per report chart (1400 × 760 px), 2–3 CPU-s of the default batch's PDF step. The charts (``plots.Png``) are
already 8-bit RGB PNGs, so their own IDAT data can be copied: the pixels in the PDF are the same, only the
compression differs (the charts' zlib level 1, so the PDF is a little larger).

How. :func:`install` wraps WeasyPrint's private ``RasterImage._get_png_data``, which it calls with a Pillow
image freshly opened on the image's bytes. When those bytes are a PNG that PDF reads unchanged — 8-bit gray or
RGB, not interlaced, no transparency — the wrapper returns their IDAT data; anything else (palette, alpha,
16-bit, interlaced, an image WeasyPrint transformed itself) takes WeasyPrint's own path. Where a WeasyPrint
version has no such method, nothing is patched and PDFs are made as before.

The charts reach WeasyPrint outside the page's text, too (:func:`detach_data_uris`): nbconvert writes each as a
``data:`` URI of 100–200 kB in an ``<img>``, and WeasyPrint's HTML parser (tinyhtml5) reads attribute values a
chunk at a time in Python — about a quarter of its parse of a report, 0.12 CPU-s of the 9 default reports. The
page WeasyPrint parses says ``src="ipc-image:N"`` instead, and a fetcher (:func:`image_fetcher`, a subclass of
WeasyPrint's ``URLFetcher``, its documented way to fetch resources) hands it the decoded bytes — the bytes its
``data:`` handler would have decoded.
"""

from __future__ import annotations

import base64
import io
import re
import struct
from functools import lru_cache

__all__ = ["PNG_SIGNATURE", "png_idat", "install", "IMAGE_SCHEME", "detach_data_uris", "image_fetcher"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_COLOUR_TYPES = {0: "L", 2: "RGB"}  # PNG colour type → Pillow mode, the two a PDF /DeviceGray|RGB image reads as is
IMAGE_SCHEME = "ipc-image"
# An <img>'s base64 data URI as nbconvert writes it (a quoted src, nothing but base64 and line breaks inside).
_DATA_SRC = re.compile(r'(<img\b[^<>]*?\ssrc=")data:(image/(?:png|jpeg|gif|webp));base64,([A-Za-z0-9+/=\r\n]+)"')


def png_idat(data: bytes, mode: str) -> bytes | None:
    """The concatenated IDAT data of ``data`` when it is a PNG of Pillow ``mode`` that a PDF image with
    ``/FlateDecode`` and a PNG predictor reads unchanged (8-bit, gray or RGB, not interlaced, no ``tRNS``);
    None otherwise, or when the file is truncated or malformed."""
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR" or len(data) < 33:
        return None
    _w, _h, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", data[16:29])
    if depth != 8 or _COLOUR_TYPES.get(colour) != mode or (compression, filtering, interlace) != (0, 0, 0):
        return None
    idat: list[bytes] = []
    pos = 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        end = pos + 8 + length
        if end + 4 > len(data):
            return None  # truncated: let Pillow decide what it can read
        if kind == b"IDAT":
            idat.append(data[pos + 8:end])
        elif kind == b"tRNS":
            return None  # a transparent colour: WeasyPrint turns the image into RGBA with a mask
        elif kind == b"IEND":
            return b"".join(idat) or None
        pos = end + 4  # the chunk's CRC is not checked, as WeasyPrint does not check it either
    return None


def _passthrough(original):
    def get_png_data(pillow_image) -> bytes:
        fp = getattr(pillow_image, "fp", None)
        if getattr(pillow_image, "format", None) == "PNG" and isinstance(fp, io.BytesIO):
            idat = png_idat(fp.getvalue(), pillow_image.mode)
            if idat is not None:
                return idat
        return original(pillow_image)

    get_png_data.ipcompare_passthrough = True
    return staticmethod(get_png_data)


def install() -> bool:
    """Patch WeasyPrint once per process; True when the pass-through is in place."""
    from weasyprint.images import RasterImage

    original = RasterImage.__dict__.get("_get_png_data")
    if not isinstance(original, staticmethod):
        return False  # another WeasyPrint: its own path
    if getattr(original.__func__, "ipcompare_passthrough", False):
        return True
    RasterImage._get_png_data = _passthrough(original.__func__)
    return True


def detach_data_uris(page: str) -> tuple[str, dict[str, tuple[bytes, str]]]:
    """``page`` with each ``<img>``'s base64 ``data:`` URI replaced by ``ipc-image:N``, and N's bytes and MIME
    type by URL (the same data, the same URL: WeasyPrint then loads it once, as it did the same data URI)."""
    images: dict[str, tuple[bytes, str]] = {}
    by_data: dict[str, str] = {}

    def sub(m: re.Match) -> str:
        url = by_data.get(m.group(3))
        if url is None:
            url = by_data[m.group(3)] = f"{IMAGE_SCHEME}:{len(by_data)}"
            images[url] = (base64.b64decode(m.group(3)), m.group(2))
        return f'{m.group(1)}{url}"'

    return _DATA_SRC.sub(sub, page), images


@lru_cache(maxsize=1)
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ImageFetcher(URLFetcher):
        """WeasyPrint's fetcher, which also answers the ``ipc-image:N`` URLs of :func:`detach_data_uris`."""

        def __init__(self, images: dict[str, tuple[bytes, str]], **kwargs) -> None:
            super().__init__(**kwargs)
            self.images = images

        def fetch(self, url, headers=None):
            if url in self.images:
                data, mime = self.images[url]
                return URLFetcherResponse(url, data, {"Content-Type": mime})
            return super().fetch(url, headers)

    return ImageFetcher


def image_fetcher(images: dict[str, tuple[bytes, str]]):
    """A WeasyPrint ``URLFetcher`` that answers ``images``' URLs and fetches any other as WeasyPrint does."""
    return _fetcher_class()(images)
