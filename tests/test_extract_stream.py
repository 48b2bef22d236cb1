"""One big document read in parts (extract/parts.py, Extractor.stream): the same output as read whole.

Every plan of data/raw/docs and the test fixture is extracted in parts of 2 KB and compared, field by field and
offset by offset, with the unsplit extraction; Hypothesis tries random part sizes and random chunkings of the
input on real plans; the streamed file reader and the CLI's streamed path give byte-identical output.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipcompare.extract import Extractor, parts, readers
from ipcompare.extract.cli import run
from ipcompare.extract.parts import split_parts
from ipcompare.extract.readers import ExtractInputError, open_plan, read_plan

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted((ROOT / "data" / "raw" / "docs").glob("*.txt"))
PLANS = [*DOCS, ROOT / "tests" / "fixtures" / "jiaxing_plan_2023_2025.txt"]
EX = Extractor()
WHOLE = 10**9  # a part size no plan reaches: the document in one part, as before streaming


def _dump(extraction) -> tuple:
    return (extraction.rows(), [(s.start, s.end, s.text, s.reason) for s in extraction.skipped], extraction.period)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_plan_in_2kb_parts_gives_the_same_statements(path: Path):
    text = _text(path)
    size = min(2000, len(text) // 4)  # the fixture is short
    pieces = list(EX.stream(lambda: (text,), path.stem, None, size))
    if path.stem == "maanshan_2024_2026":
        assert len(pieces) == 1  # its line breaks are OCR page breaks inside sentences (…服务基\n14、地): no cut
    elif path in DOCS:  # (the fixture is shorter than the first part's minimum, enough for a plan's heading)
        assert len(pieces) >= 3  # really cut
    assert "".join(p.text for p in pieces) == text
    assert _dump(EX.extract(text, path.stem, part_size=size)) == _dump(EX.extract(text, path.stem, part_size=WHOLE))


def test_concatenated_plans_in_parts_keep_sections_and_period():
    # Six plans one after another: headings, past-results sections and 《…》 titles cross many cuts.
    text = "".join(_text(p) + "\n\n" for p in DOCS)
    whole = EX.extract(text, "all", part_size=WHOLE)
    assert len(whole.candidates) > 200
    for size in (700, 2000, 30000):
        assert _dump(EX.extract(text, "all", part_size=size)) == _dump(whole)


def test_plan_without_a_dated_heading_reads_its_period_from_all_parts():
    # The heading gone, the period comes from the target years of the whole text (read once before the parts).
    text = _text(ROOT / "data" / "raw" / "docs" / "zhengzhou_2022_2025.txt")
    body = text[text.index("\n", len(text) // 3) + 1 :]
    whole = EX.extract(body, "x", part_size=WHOLE)
    assert whole.period is not None and whole.period.source.startswith("target year 2025")
    assert len(list(EX.stream(lambda: (body,), "x", None, 1500))) > 3
    assert _dump(EX.extract(body, "x", part_size=1500)) == _dump(whole)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(DOCS), st.integers(min_value=40, max_value=6000), st.lists(st.integers(1, 5000), max_size=12))
def test_random_parts_and_chunks_of_a_real_plan(path: Path, size: int, cuts: list[int]):
    text = _text(path)
    marks = sorted({c % len(text) for c in cuts} | {0, len(text)})
    chunks = [text[a:b] for a, b in zip(marks, marks[1:], strict=False)]
    got = list(EX.stream(lambda: iter(chunks), path.stem, None, size))
    assert "".join(p.text for p in got) == text
    want = EX.extract(text, path.stem, part_size=WHOLE)
    assert [c.row(0) for p in got for c in p.extraction.candidates] == [c.row(0) for c in want.candidates]
    assert [s for p in got for s in p.extraction.skipped] == want.skipped


def test_cuts_fall_at_a_line_start_after_a_sentence_end_before_a_kept_character():
    text = ("一、总体要求：\n\n到2025年，专利授权量达到100件。\n\n  “十四五”时期，商标注册量达到50件\n\n"
            "服务基\n\n14、地。\n\n（二）主要目标\n\n发明专利拥有量达到30件。\n  商标有效注册量达到9万件\n（三）保护\n")
    got = list(split_parts([text], 1))
    assert "".join(p for _, p in got) == text
    # Not after 要求： (the sentence runs on), nor before “ (removed by the view) or 14、 (an OCR page number), nor
    # at a single line break without 。; after 30件。 the next part starts at its line's start (indent and all).
    assert [p[:6] for _, p in got] == ["一、总体要求", "服务基\n\n1", "（二）主要目", "发明专利拥有", "  商标有效"]
    for offset, _ in got[1:]:
        assert text[offset - 1] == "\n"


def test_a_text_without_blank_lines_stays_one_part():
    text = "到2025年，专利授权量达到100件。" * 500
    assert [p for _, p in split_parts((text[i : i + 97] for i in range(0, len(text), 97)), 100)] == [text]


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_streamed_reader_decodes_like_the_whole_file(tmp_path: Path, encoding: str, monkeypatch):
    monkeypatch.setattr(readers, "_PREFIX", 1001)  # cuts a character at the prefix's end
    monkeypatch.setattr(readers, "_BLOCK", 777)
    text = "".join(_text(p) + "\n\n" for p in DOCS[:2])
    path = tmp_path / "plan.txt"
    path.write_bytes(text.encode(encoding))
    src = open_plan(path, stream_from=0)
    assert (src.format, src.encoding) == ("text", encoding)
    assert "".join(src.chunks()) == text == read_plan(path).text


def test_streamed_reader_names_a_bad_byte_after_the_prefix(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(readers, "_PREFIX", 4096)
    path = tmp_path / "plan.txt"
    good = ("到2025年，专利授权量达到100件。\n" * 400).encode("utf-8")
    path.write_bytes(good + b"\xff\xfe broken" + good)
    src = open_plan(path, stream_from=0)
    with pytest.raises(ExtractInputError, match=rf"plan.txt: not valid utf-8 at byte {len(good)}, "):
        "".join(src.chunks())


def _cli(path: Path, out: Path | None = None, audit: bool = True) -> argparse.Namespace:
    return argparse.Namespace(path=path, out=out, format=None, audit=audit, draft=False, force=False, period=None,
                              save_text=None, compare=None)


def test_cli_streamed_output_is_byte_identical(tmp_path: Path, monkeypatch, capsys):
    text = "".join(_text(p) + "\n\n" for p in DOCS)
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")
    assert run(_cli(path)) == 0
    whole = capsys.readouterr()
    monkeypatch.setattr(readers, "STREAM_FROM", 0)
    monkeypatch.setattr(readers, "_BLOCK", 5000)
    monkeypatch.setattr(parts, "PART_SIZE", 3000)
    assert run(_cli(path)) == 0
    streamed = capsys.readouterr()
    assert streamed.out == whole.out and streamed.err == whole.err
    assert streamed.out.count("\n") > 250 and streamed.err.count("\n") > 500  # rows; audit lines
    out = tmp_path / "c.csv"
    assert run(_cli(path, out, audit=False)) == 0
    assert out.read_text(encoding="utf-8") == whole.out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.txt", "c.csv"]  # no temporary file left


def test_cli_leaves_no_output_when_the_file_breaks_midway(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(readers, "STREAM_FROM", 0)
    monkeypatch.setattr(readers, "_BLOCK", 4096)
    monkeypatch.setattr(parts, "PART_SIZE", 3000)
    good = ("到2025年，专利授权量达到100件。\n\n" * 3000).encode("utf-8")
    path = tmp_path / "plan.txt"
    path.write_bytes(good + b"\xff" + good)
    out = tmp_path / "c.csv"
    with pytest.raises(ExtractInputError, match="not valid utf-8 at byte"):
        run(_cli(path, out, audit=False))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.txt"]


def _same_in_parts(text: str, size: int = 1) -> None:
    pieces = list(EX.stream(lambda: (text,), "t", None, size))
    assert len(pieces) > 1
    assert _dump(EX.extract(text, "t", part_size=size)) == _dump(EX.extract(text, "t", part_size=WHOLE))


PREAMBLE = "某市知识产权发展规划（2021-2025年）\n\n" + "为加快建设知识产权强市，制定本规划。" * 30 + "\n\n"


def test_a_past_results_section_goes_on_in_the_next_part():
    # The section heading (成效: baselines for the year before the plan) is in an earlier part than the number.
    text = PREAMBLE + "一、发展成效\n\n专利授权量达到5000件。\n发明专利拥有量达到900件。\n\n二、主要目标\n\n商标注册量达到70件。\n"
    got = EX.extract(text, "t", part_size=1)
    assert [(c.value_text, c.kind, c.year) for c in got.candidates] == [
        ("达到5000件", "baseline", 2020), ("达到900件", "baseline", 2020), ("达到70件", "target", 2025)]
    _same_in_parts(text)


def test_a_document_title_open_across_a_cut():
    text = PREAMBLE + "依据《某某纲要。\n（2021-2035年）》，专利授权量达到100件。\n"
    got = EX.extract(text, "t", part_size=1)
    assert any(s.reason == "title year" and s.text.startswith("2021-2035") for s in got.skipped)
    _same_in_parts(text)


def test_an_indicator_table_goes_on_in_the_next_part():
    text = (PREAMBLE + "指标 | 单位 | 2020年（基期） | 2025年（目标） | 属性\n"
            "发明专利拥有量 | 件 | 100 | 200 | 预期性。\n商标注册量 | 件 | 300 | 400 | 预期性。\n")
    got = EX.extract(text, "t", part_size=1)
    assert [(c.value_text, c.kind, c.year) for c in got.candidates] == [
        ("100", "baseline", 2020), ("200", "target", 2025), ("300", "baseline", 2020), ("400", "target", 2025)]
    _same_in_parts(text)
