"""The six plans as HTML, as PDF (rendered here with the project's CJK font) and as GBK text give the statements
their stored UTF-8 text gives."""

from __future__ import annotations

import hashlib
import html
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from ipcompare.documents import load_documents, read_document
from ipcompare.extract import Extractor
from ipcompare.extract.readers import read_plan
from ipcompare.paths import raw_dir

EX = Extractor()


@pytest.fixture(scope="module")
def docs() -> dict[str, str]:
    raw = raw_dir()
    return {d: read_document(raw, m).text for d, m in load_documents(raw).items()}


def statements(text: str) -> list[tuple]:
    """What a reviewer would compare: everything but offsets and quotes (line breaks differ between formats)."""
    return [
        (re.sub(r"\s", "", c.value_text), c.indicator, c.kind, c.measure, c.year, c.month, c.period_start,
         c.period_end, c.comparator, c.commitment, tuple(sorted(c.flags)))
        for c in EX.extract(text).candidates
    ]


def to_html(text: str, title: str) -> str:
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.split("\n") if line.strip())
    return (
        "<!DOCTYPE html>\n<html lang='zh'><head><meta charset='utf-8'><title>" + html.escape(title) + "</title>"
        "<style>p { margin: 0 0 0.4em 0 } .n { content: '2025年 99%' }</style>"
        "<script>var target = '到2030年达到100件'; document.title = 12345;</script></head>\n"
        "<body>\n" + body + "<script>console.log('超200亿元')</script>\n</body></html>\n"
    )


def _render_pdf(job: tuple[str, str, str]) -> str:
    """Render one plan to PDF with the project's CJK font (in a worker process); returns the PDF's path."""
    import pylopdf_fonts_zh_cn
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    doc_id, page, path = job
    fonts = FontConfiguration()
    font = Path(pylopdf_fonts_zh_cn.sans_path()).as_uri()
    css = weasyprint.CSS(string=f"@font-face {{ font-family: SC; src: url('{font}') }}" + _PAGE_CSS, font_config=fonts)
    weasyprint.HTML(string=page).write_pdf(path, stylesheets=[css], font_config=fonts)
    return path


_PAGE_CSS = "@page { size: A4; margin: 1.5cm } body { font-family: SC; font-size: 9pt }"


@pytest.fixture(scope="module")
def pdf_texts(docs, pytestconfig, tmp_path_factory) -> dict[str, str]:
    """The six plans rendered to PDF and read back. Font subsetting makes rendering slow (seconds a plan), so
    plans render in parallel and PDFs are kept in pytest's cache, keyed by page, CSS and WeasyPrint version."""
    import weasyprint

    cache = getattr(pytestconfig, "cache", None)
    folder = cache.mkdir("ipcompare-extract-pdf") if cache is not None else tmp_path_factory.mktemp("pdf")
    jobs, paths = [], {}
    for doc_id, text in docs.items():
        page = to_html(text, doc_id)
        key = hashlib.sha256(f"{weasyprint.__version__}|{_PAGE_CSS}|{page}".encode()).hexdigest()[:16]
        paths[doc_id] = folder / f"{doc_id}-{key}.pdf"
        if not paths[doc_id].exists():
            jobs.append((doc_id, page, str(paths[doc_id]) + ".part"))
    if jobs:
        workers = max(1, min(len(jobs), os.cpu_count() or 1))
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            for part in pool.map(_render_pdf, jobs):
                Path(part).replace(part[: -len(".part")])
    out = {}
    for doc_id, path in paths.items():
        plan = read_plan(path)
        assert plan.format == "pdf"
        out[doc_id] = plan.text
    return out


def test_html_gives_the_same_statements(docs, tmp_path):
    for doc_id, text in docs.items():
        path = tmp_path / f"{doc_id}.html"
        path.write_text(to_html(text, doc_id), encoding="utf-8")
        plan = read_plan(path)
        assert plan.format == "html" and "console.log" not in plan.text and "到2030年" not in plan.text
        assert statements(plan.text) == statements(text), doc_id


def test_pdf_gives_the_same_statements(docs, pdf_texts):
    for doc_id, text in docs.items():
        assert statements(pdf_texts[doc_id]) == statements(text), doc_id


def test_gbk_copy_gives_the_same_statements(docs, tmp_path):
    for doc_id, text in docs.items():
        # GBK has no no-break space or katakana middle dot; one character each keeps offsets identical.
        gbk_text = text.replace("\xa0", " ").replace("・", "·")
        path = tmp_path / f"{doc_id}.txt"
        path.write_bytes(gbk_text.encode("gbk"))
        plan = read_plan(path)
        assert plan.encoding == "gb18030" and plan.text == gbk_text
        got = EX.extract(plan.text).candidates
        want = EX.extract(text).candidates
        assert statements(plan.text) == statements(text), doc_id
        assert [(c.quote_start, c.quote_end) for c in got] == [(c.quote_start, c.quote_end) for c in want]


def test_html_declared_charset_is_honoured(tmp_path):
    page = "<html><head><meta charset='gbk'></head><body><p>到2025年,知识产权服务机构达到100家。</p></body></html>"
    path = tmp_path / "plan.htm"
    path.write_bytes(page.encode("gbk"))
    plan = read_plan(path)
    assert plan.format == "html" and [c.value_text for c in EX.extract(plan.text).candidates] == ["达到100家"]


def test_kangxi_radicals_from_pdf_text_layers_are_read_as_ideographs():
    """Many PDFs map glyphs to Kangxi radicals (⼈, ⽐): matched as 人, 比, quoted as written."""
    text = "到2026年,知识产权⼈才队伍超1000名,专利密集型产业增加值占GDP⽐重达到13%。"
    got = [(c.value_text, c.indicator) for c in EX.extract(text).candidates]
    assert got == [("超1000名", "ip_professionals"), ("达到13%", "patent_intensive_industry_gdp_share")]
    assert "⼈才" in EX.extract(text).candidates[0].quote
