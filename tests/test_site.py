"""The static site: quotes marked at their offsets, every link resolving, nothing loaded from the network, and
(in headless Chromium, as a reader would see it) the home page, the browser's filter and the passages."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import chromium  # tests/chromium.py (pytest puts tests/ on sys.path through its conftest)
import pytest
from bs4 import BeautifulSoup
from hypothesis import example, given, settings
from hypothesis import strategies as st

import ipcompare
from ipcompare.cli import main
from ipcompare.site import links as L
from ipcompare.site.build import MARKER, write_site
from ipcompare.site.highlight import Span, highlight, mark_id
from ipcompare.site.render import link_values

# --- the highlighter ---------------------------------------------------------------------------------------


def _marks(html: str) -> dict[str, str]:
    soup = BeautifulSoup(html, "html.parser")
    return {m["id"]: m.get_text() for m in soup.find_all("mark") if m.get("id")}


def test_nested_and_shared_quotes_each_get_a_mark_with_exactly_their_text():
    # Suzhou's table rows: one quote read as two statements (same offsets), a clause inside a longer sentence.
    text = "到2025年，每万人口高价值发明专利拥有量达到32件，PCT专利申请量达到3000件。"
    outer = (text.index("每万人"), text.index("，PCT"))
    inner = (text.index("32件"), text.index("32件") + 3)
    html = highlight(text, [Span(*outer, (("data.html#o-a", "a"),)), Span(*outer, (("data.html#o-b", "b"),)),
                            Span(*inner)])
    marks = _marks(html)
    assert marks == {mark_id(*outer): text[outer[0]:outer[1]], mark_id(*inner): "32件"}
    assert html.count('class="back"') == 2  # both observations linked back from the shared passage
    assert BeautifulSoup(html, "html.parser").get_text() == text


def test_text_is_escaped_and_blank_runs_collapse_only_outside_marks():
    text = "甲<乙>&丙\n\n\n\n　\n到2025年达到5件\n\n\n丁"
    s = text.index("到")
    html = highlight(text, [Span(s, s + 10)])
    assert "&lt;乙&gt;&amp;丙" in html
    assert _marks(html)[mark_id(s, s + 10)] == "到2025年达到5件"
    assert "\n\n\n" not in html


def test_crossing_spans_are_cut_and_only_the_first_piece_carries_the_id():
    html = highlight("abcdefgh", [Span(0, 5), Span(3, 8)])
    marks = _marks(html)
    assert marks["q-0-5"] == "abcde"
    assert marks["q-3-8"] == "de"  # cut at the crossing: a test comparing marks with quotes notices
    assert BeautifulSoup(html, "html.parser").get_text() == "abcdefgh"


def test_span_outside_the_text_is_an_error():
    with pytest.raises(ValueError, match="outside the text"):
        highlight("短", [Span(0, 5)])


@st.composite
def _laminar(draw):
    """A text and spans that nest or are disjoint (as curated statements are)."""
    text = draw(st.text(alphabet="知识产权专利件万亿元%<&>2025年，。 ", min_size=1, max_size=60))
    spans: list[tuple[int, int]] = []
    for _ in range(draw(st.integers(0, 8))):
        a = draw(st.integers(0, len(text) - 1))
        b = draw(st.integers(a + 1, len(text)))
        if all(b <= c or a >= d or (c <= a and b <= d) or (a <= c and d <= b) for c, d in spans):
            spans.append((a, b))
    return text, spans


@settings(max_examples=150, deadline=None)
@given(_laminar())
@example(("  ", [(0, 2)]))  # a blank quote: html.parser outside <pre> reads "  " as " " (hypothesis found it)
def test_every_mark_holds_exactly_its_quote_and_the_text_is_unchanged(case):
    text, spans = case
    html = highlight(text, [Span(a, b) for a, b in spans])
    marks = _marks(f"<pre>{html}</pre>")  # read as the page shows the text: white-space kept
    assert marks == {mark_id(a, b): text[a:b] for a, b in spans}
    # Inside <pre> (as the page shows it, white-space kept): a bare fragment's trailing spaces are dropped by
    # html.parser itself (hypothesis found "00000  "), not by the highlighter.
    assert BeautifulSoup(f"<pre>{html}</pre>", "html.parser").pre.get_text() == text


def test_link_values_links_the_longest_match_once():
    html = link_values("郑州 ≥11.5件/万人，全国 11.5件/万人", [("≥11.5件/万人", "a.html#q-1-2"), ("11.5件/万人", "b.html#q-3-4")])
    assert str(html) == ('郑州 <a class="v" href="a.html#q-1-2">≥11.5件/万人</a>，全国 '
                         '<a class="v" href="b.html#q-3-4">11.5件/万人</a>')


# --- the built site ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    assert main(["site", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def ds():
    return ipcompare.load()


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _ids(path: Path, cache: dict) -> set[str]:
    if path not in cache:
        cache[path] = {t["id"] for t in BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find_all(id=True)}
    return cache[path]


def test_rebuild_replaces_the_site_and_a_foreign_folder_is_refused(site, tmp_path):
    assert (site / MARKER).exists() and (site / "zh" / "index.html").exists() and (site / "en" / "data.html").exists()
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ValueError, match="not a site built by"):
        write_site({"index.html": b"x"}, foreign)
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep me"
    again = tmp_path / "again"
    write_site({"a.html": b"1", MARKER: b""}, again)
    write_site({"b.html": b"2", MARKER: b""}, again)
    assert sorted(p.name for p in again.iterdir()) == [MARKER, "b.html"]


def test_a_quote_beyond_its_stored_text_names_the_document(ds):
    from ipcompare.site.build import render_site

    texts = {d: "短" for d in ds.documents.doc_id}
    with pytest.raises(ValueError, match=r"^linhai_2021_2025: span \d+-\d+ outside the text"):
        render_site(ds, texts, {})


def test_site_out_refuses_a_foreign_folder_with_one_line(tmp_path, capsys):
    (tmp_path / "thesis.docx").write_bytes(b"x")
    assert main(["site", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "not a site built by" in err and "\n" not in err


def test_no_internal_link_is_broken(site):
    cache: dict = {}
    broken = []
    for page in _pages(site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(href=True) + soup.find_all(src=True):
            ref = tag.get("href") or tag.get("src")
            parts = urlsplit(ref)
            if parts.scheme in ("http", "https", "mailto"):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.exists():
                broken.append(f"{page.relative_to(site)} → {ref}")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in _ids(target, cache):
                broken.append(f"{page.relative_to(site)} → {ref} (no such id)")
    assert not broken, "\n".join(broken[:20])


def test_no_page_loads_anything_from_the_network(site):
    loads = []
    for page in _pages(site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(["script", "img", "iframe", "link", "source", "video", "audio", "embed", "object"]):
            for attr in ("src", "href", "data", "srcset"):
                if re.match(r"\s*(https?:)?//", tag.get(attr) or ""):
                    loads.append(f"{page.relative_to(site)}: <{tag.name} {attr}={tag.get(attr)}>")
        for style in soup.find_all("style"):
            if re.search(r"url\(\s*['\"]?(https?:)?//|@import", style.get_text()):
                loads.append(f"{page.relative_to(site)}: <style> loads a URL")
    for css in site.rglob("*.css"):
        if re.search(r"url\(\s*['\"]?(https?:)?//|@import", css.read_text(encoding="utf-8")):
            loads.append(f"{css.relative_to(site)} loads a URL")
    for js in site.rglob("*.js"):
        if re.search(r"fetch\(|XMLHttpRequest|https?://", js.read_text(encoding="utf-8")):
            loads.append(f"{js.relative_to(site)} may fetch")
    assert not loads, "\n".join(loads)


def test_every_observation_links_to_a_mark_holding_its_quote_and_back(site, ds):
    for lang in L.LANGS:
        soup = BeautifulSoup((site / lang / "data.html").read_text(encoding="utf-8"), "html.parser")
        docs = {}
        for r in ds.observations.itertuples():
            row = soup.find(id=L.obs_anchor(r.obs_id))
            assert row is not None, r.obs_id
            href = row.find("a", class_="v")["href"]
            assert href == L.passage_href(r.doc_id, r.char_start, r.char_end)
            page, frag = href.split("#")
            if page not in docs:
                docs[page] = BeautifulSoup((site / lang / page).read_text(encoding="utf-8"), "html.parser")
            mark = docs[page].find(id=frag)
            assert mark is not None and mark.name == "mark", (r.obs_id, href)
            assert mark.get_text() == r.quote, r.obs_id
            backs = [a["href"] for a in mark.find_next_siblings("a", class_="back")]
            assert L.obs_href(r.obs_id) in backs, r.obs_id


def test_downloads_are_the_published_files_with_licence_and_citation(site, ds):
    tidy = ipcompare.paths.tidy_dir()
    for name in ("observations.csv", "observations.parquet", "ipcompare.xlsx", "datapackage.json", "README.md"):
        assert (site / "downloads" / name).read_bytes() == (tidy / name).read_bytes()
    home = (site / "en" / "index.html").read_text(encoding="utf-8")
    assert "CC BY 4.0" in home and ds.version in home and "Cite as" in home


# --- in a real browser -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    if chromium.find_chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI; .ci/run installs it (apt-get install chromium)")
        pytest.skip("chromium not installed (apt-get install chromium); the site's browser tests need it")
    return chromium


def test_home_page_renders_every_city_and_the_nation(browser, site, ds):
    soup = BeautifulSoup(browser.dump_dom(browser.url_of(site / "zh" / "index.html")), "html.parser")
    cards = [c.find("h3").get_text(strip=True) for c in soup.select("#geos .geo")]
    assert sorted(cards) == sorted(ds.geographies.name_zh)
    assert soup.select("#headline tbody tr"), "no headline targets"


def test_browser_filter_from_the_url_shows_only_matching_rows(browser, site, ds):
    dom = browser.dump_dom(browser.url_of(site / "en" / "data.html", "geo=suzhou&kind=target&sort=value&dir=desc"))
    soup = BeautifulSoup(dom, "html.parser")
    assert soup.html.get("data-ready") == "1", "the browser script did not run"
    rows = soup.select("#obs tbody tr")
    shown = [r for r in rows if not r.has_attr("hidden")]
    obs = ds.observations
    expected = int(((obs.geo_code == "320500") & (obs.kind == "target")).sum())
    assert len(rows) == len(obs) and len(shown) == expected > 0
    assert {(r["data-geo"], r["data-kind"]) for r in shown} == {("suzhou", "target")}
    assert soup.find(id="count").get_text() == str(expected)
    assert soup.select_one('select[data-filter="geo"] option[selected]')["value"] == "suzhou"
    values = [float(r["data-svalue"]) for r in shown if r["data-svalue"]]
    assert values == sorted(values, reverse=True)
    chosen = soup.find(id="sort").find("option", selected=True)
    assert chosen is not None and chosen["value"] == "value:desc"  # the menu shows the sort (headers hide on a phone)


def test_each_passage_in_the_browser_is_a_mark_whose_text_is_the_quote(browser, site, ds):
    for doc_id in sorted(ds.documents.doc_id):
        soup = BeautifulSoup(browser.dump_dom(browser.url_of(site / "zh" / L.doc_page(doc_id))), "html.parser")
        for r in ds.observations[ds.observations.doc_id == doc_id].itertuples():
            mark = soup.find(id=mark_id(r.char_start, r.char_end))
            assert mark is not None and mark.name == "mark" and mark.get_text() == r.quote, r.obs_id
