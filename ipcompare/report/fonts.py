"""The Chinese font the project ships: Noto Sans SC from the pip package ``pylopdf-fonts-zh-cn`` (OFL-1.1).

The same file is drawn by matplotlib in the kernel and by WeasyPrint in the PDF, so text and figures match and
nothing depends on fonts the operating system happens to have.

Speed. WeasyPrint subsets every embedded font. Without the system library ``libharfbuzz-subset`` (absent on a
plain Debian image) it falls back to fontTools, which walks every glyph of the font on every PDF: 3.4 s per face
for the 31 000-glyph CFF Noto Sans SC, most of a report's time. So the PDF uses a *core* copy made once and
cached: the same font cut to GB 2312 (6 763 hanzi, the symbols row, Latin, CJK and full-width punctuation) and
converted to TrueType outlines, which fontTools subsets in well under a second. The stylesheet lists the full
font after the core one, so a rarer character still renders (from the full font, just more slowly). With
``libharfbuzz-subset0`` installed, WeasyPrint subsets in C and the core copy is not needed (it does no harm).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path

__all__ = ["FONT_FAMILY", "CORE_FAMILY", "sans_path", "core_path", "core_charset", "use_in_matplotlib"]

FONT_FAMILY = "Noto Sans SC"
CORE_FAMILY = "IPC Noto Sans SC Core"
_CORE_VERSION = "2"  # bump when the charset or the conversion changes


@lru_cache(maxsize=1)
def sans_path() -> Path:
    """Path of NotoSansSC-Regular.otf inside the installed font package."""
    import pylopdf_fonts_zh_cn

    path = Path(pylopdf_fonts_zh_cn.sans_path())
    if not path.is_file():
        raise FileNotFoundError(f"Chinese font missing: {path} (reinstall pylopdf-fonts-zh-cn)")
    return path


def use_in_matplotlib() -> str:
    """Register the font with matplotlib and make it the default sans-serif; returns the family name.

    Call it after ``sns.set_theme()`` if you use seaborn: set_theme resets the font settings.
    """
    from matplotlib import font_manager, rcParams

    font_manager.fontManager.addfont(str(sans_path()))
    rcParams["font.family"] = "sans-serif"
    rcParams["font.sans-serif"] = [FONT_FAMILY, "DejaVu Sans"]
    rcParams["axes.unicode_minus"] = False
    return FONT_FAMILY


def core_charset() -> set[int]:
    """Code points of the core font: everything GB 2312 encodes, plus Latin and common punctuation blocks."""
    blocks = [(0x20, 0x7F), (0xA0, 0x250), (0x370, 0x400),  # Latin, Latin-1, Latin Extended, Greek
              (0x2000, 0x2400),  # punctuation, super/subscripts, currency, letterlike, number forms, arrows, math
              (0x2460, 0x2800),  # enclosed numbers ①, box drawing, shapes, misc symbols, dingbats
              (0x3000, 0x3040), (0x3200, 0x3400),  # CJK punctuation, enclosed CJK ㈠, CJK compatibility ㎡
              (0xFE30, 0xFE50), (0xFF00, 0xFFF0)]  # CJK compatibility forms, full-width forms
    cps = {cp for lo, hi in blocks for cp in range(lo, hi)}
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                cps.add(ord(bytes((hi, lo)).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return cps


def _cache_dir() -> Path:
    base = os.environ.get("IPCOMPARE_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "ipcompare")
    return Path(base) / "fonts"


def core_path() -> Path:
    """The cached core TrueType font, built on first use (about 15 s, once per font version)."""
    src = sans_path()
    st = src.stat()
    import fontTools

    key = hashlib.sha256(f"{src.name}:{st.st_size}:{_CORE_VERSION}:{fontTools.version}".encode()).hexdigest()[:12]
    for d in (_cache_dir(), Path(tempfile.gettempdir()) / "ipcompare-fonts"):
        path = d / f"NotoSansSC-core-{key}.ttf"
        if path.is_file():
            return path
        try:
            d.mkdir(parents=True, exist_ok=True)
            tmp = d / f".{path.name}.{os.getpid()}.tmp"
            _build_core(src, tmp)
            os.replace(tmp, path)  # atomic: a concurrent builder just overwrites with the same bytes
            return path
        except OSError:
            continue
    raise OSError(f"cannot write the core font cache in {_cache_dir()} (set IPCOMPARE_CACHE)")


def _build_core(src: Path, out: Path) -> None:
    """Subset ``src`` to :func:`core_charset` and convert its CFF outlines to TrueType (quadratic) outlines."""
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(src))
    opts = subset.Options()
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.desubroutinize = True
    opts.hinting = False
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=core_charset())
    sub.subset(font)

    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    font["head"].glyphDataFormat = 0
    font["head"].indexToLocFormat = 0
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"
    # A distinct family name, so that fontconfig never confuses the core copy with the full font.
    for rec in font["name"].names:
        if rec.nameID in (1, 16):
            rec.string = CORE_FAMILY
        elif rec.nameID in (4,):
            rec.string = f"{CORE_FAMILY} Regular"
        elif rec.nameID == 6:
            rec.string = "IPCNotoSansSCCore-Regular"
    font.save(str(out))
