"""A chart's PNG data goes into the PDF as it is (ipcompare/report/pdf_images.py): same pixels, no re-encoding."""

from __future__ import annotations

import base64
import io
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader
from pypdf.filters import FlateDecode
from pypdf.generic import DictionaryObject, NameObject, NumberObject

from ipcompare.report import ua_sheet
from ipcompare.report.pdf import html_to_pdf
from ipcompare.report.pdf_images import detach_data_uris, install, png_idat


def _png(mode: str, size=(37, 11), seed: int = 0, **save) -> bytes:
    rng = np.random.default_rng(seed)
    channels = {"L": 1, "RGB": 3, "RGBA": 4, "LA": 2}[mode]
    pixels = rng.integers(0, 256, (size[1], size[0], channels), dtype=np.uint8)
    img = Image.fromarray(pixels[..., 0] if channels == 1 else pixels, mode)
    buf = io.BytesIO()
    img.save(buf, format="PNG", **save)
    return buf.getvalue()


def _pdf_pixels(data: bytes, width: int, colours: int) -> bytes:
    """What a PDF reader makes of IDAT data under /FlateDecode with a PNG predictor (pypdf's decoder)."""
    parms = DictionaryObject({NameObject("/Predictor"): NumberObject(15), NameObject("/Columns"): NumberObject(width),
                              NameObject("/Colors"): NumberObject(colours)})
    return FlateDecode.decode(data, parms)


@pytest.mark.parametrize(("mode", "colours"), [("RGB", 3), ("L", 1)])
def test_idat_of_gray_and_rgb_pngs_decodes_to_their_pixels(mode, colours):
    png = _png(mode, compress_level=1)
    data = png_idat(png, mode)
    assert data is not None
    assert _pdf_pixels(data, 37, colours) == Image.open(io.BytesIO(png)).tobytes()


def test_pngs_a_pdf_cannot_read_as_they_are_take_weasyprints_path():
    assert png_idat(_png("RGBA"), "RGBA") is None  # alpha: WeasyPrint splits it into a mask
    assert png_idat(_png("LA"), "LA") is None
    palette = io.BytesIO()
    Image.open(io.BytesIO(_png("RGB"))).convert("P").save(palette, format="PNG")
    assert png_idat(palette.getvalue(), "P") is None
    sixteen = io.BytesIO()
    Image.fromarray(np.full((4, 5), 40000, dtype=np.uint16)).save(sixteen, format="PNG")  # 16-bit gray
    assert png_idat(sixteen.getvalue(), Image.open(sixteen).mode) is None
    interlaced = _png("RGB")
    assert png_idat(interlaced[:28] + b"\x01" + interlaced[29:], "RGB") is None  # (CRC not checked)
    transparent = io.BytesIO()
    Image.open(io.BytesIO(_png("RGB"))).save(transparent, format="PNG", transparency=(0, 0, 0))
    assert png_idat(transparent.getvalue(), "RGB") is None
    assert png_idat(_png("RGB"), "L") is None  # mode and file disagree
    assert png_idat(_png("RGB")[:-30], "RGB") is None  # truncated
    assert png_idat(b"\xff\xd8\xff\xe0 a JPEG", "RGB") is None
    assert png_idat(b"", "RGB") is None


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["L", "RGB"]), st.integers(1, 60), st.integers(1, 30), st.integers(0, 2**32 - 1),
       st.integers(0, 9), st.booleans())
def test_idat_round_trips_any_8bit_image(mode, width, height, seed, level, optimize):
    png = _png(mode, (width, height), seed, compress_level=level, optimize=optimize)
    data = png_idat(png, mode)
    assert data is not None
    assert _pdf_pixels(data, width, 1 if mode == "L" else 3) == Image.open(io.BytesIO(png)).tobytes()


def _image_streams(pdf) -> list:
    page = PdfReader(pdf).pages[0]
    xobjects = page["/Resources"]["/XObject"]
    return [xobjects[k].get_object() for k in xobjects]


def _page(*pngs: bytes) -> str:
    imgs = "".join(f'<img src="data:image/png;base64,{base64.b64encode(p).decode()}" width="200">' for p in pngs)
    return f'<html lang="zh-CN"><head><title>图</title></head><body><p>图表</p>{imgs}</body></html>'


def test_a_charts_png_data_is_copied_into_the_pdf_not_reencoded(tmp_path):
    """Fails without the pass-through: WeasyPrint re-encodes the level-1 PNG at Pillow's level 6."""
    png = _png("RGB", (300, 120), compress_level=1)
    html_to_pdf(_page(png), tmp_path / "chart.pdf")
    (stream,) = _image_streams(tmp_path / "chart.pdf")
    assert stream["/Filter"] == "/FlateDecode"
    assert stream._data == png_idat(png, "RGB")
    assert stream.decode_as_image().tobytes() == Image.open(io.BytesIO(png)).tobytes()


def test_images_weasyprint_converts_keep_their_pixels(tmp_path):
    rgba, gray = _png("RGBA", (40, 20), seed=1), _png("L", (40, 20), seed=2, compress_level=9)
    html_to_pdf(_page(rgba, gray), tmp_path / "two.pdf")
    streams = {s["/ColorSpace"]: s for s in _image_streams(tmp_path / "two.pdf")}
    assert streams["/DeviceGray"]._data == png_idat(gray, "L")
    want = Image.open(io.BytesIO(rgba))
    assert zlib.decompress(streams["/DeviceRGB"]["/SMask"].get_object()._data)  # the alpha mask is there
    got = _pdf_pixels(streams["/DeviceRGB"]._data, 40, 3)
    assert got == want.convert("RGB").tobytes()


def test_install_is_idempotent():
    from weasyprint.images import RasterImage

    assert install() and install()
    assert getattr(RasterImage.__dict__["_get_png_data"].__func__, "ipcompare_passthrough", False)
    wrapped = RasterImage.__dict__["_get_png_data"].__func__
    install()
    assert RasterImage.__dict__["_get_png_data"].__func__ is wrapped  # not wrapped twice


def test_a_weasyprint_without_the_method_is_left_alone(monkeypatch):
    from weasyprint.images import RasterImage

    monkeypatch.delattr(RasterImage, "_get_png_data")
    assert install() is False
    assert "_get_png_data" not in RasterImage.__dict__  # nothing added where the method was missing


def test_data_uris_leave_the_page_weasyprint_parses(tmp_path, monkeypatch):
    """Fails before detach_data_uris: WeasyPrint's parser read every chart's base64 text."""
    parsed: list[str] = []
    cls = ua_sheet.html_class()

    class Spy(cls):
        def __init__(self, *a, string=None, **kw):
            parsed.append(string)
            super().__init__(*a, string=string, **kw)

    monkeypatch.setattr(ua_sheet, "html_class", lambda: Spy)
    png = _png("RGB", (60, 20), compress_level=1)
    html_to_pdf(_page(png, png), tmp_path / "twice.pdf")
    assert len(parsed) == 1 and "base64" not in parsed[0] and parsed[0].count('src="ipc-image:0"') == 2
    (stream,) = _image_streams(tmp_path / "twice.pdf")  # the same data: one image, as with the same data URI
    assert stream._data == png_idat(png, "RGB")


def test_only_base64_image_sources_are_detached():
    png = _png("L", (5, 3))
    b64 = base64.b64encode(png).decode()
    wrapped = "\n".join(b64[i:i + 20] for i in range(0, len(b64), 20))  # base64 with line breaks decodes too
    page = (f'<img alt="图" src="data:image/png;base64,{wrapped}"><a href="data:image/png;base64,{b64}">链接</a>'
            '<img src="data:image/svg+xml;utf8,<svg/>"><img src="chart.png">')
    detached, images = detach_data_uris(page)
    assert detached.startswith('<img alt="图" src="ipc-image:0">') and detached.count("ipc-image") == 1
    assert detached.endswith(page[page.index("<a href"):])
    assert images == {"ipc-image:0": (png, "image/png")}


def test_other_images_are_fetched_as_weasyprint_does(tmp_path):
    png = _png("RGB", (30, 10), seed=3)
    (tmp_path / "chart.png").write_bytes(png)
    page = _page(png).replace("</body>", f'<img src="{(tmp_path / "chart.png").as_uri()}"></body>')
    html_to_pdf(page, tmp_path / "both.pdf")
    assert len(_image_streams(tmp_path / "both.pdf")) == 2
