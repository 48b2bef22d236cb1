"""The extractor on the phrasings of real plans, its coverage audit, its CLI and bad input."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipcompare.cli import main
from ipcompare.extract import Extractor
from ipcompare.extract.readers import ExtractInputError, read_plan
from ipcompare.extract.view import build_view
from ipcompare.registry import Indicator, load_registry

EX = Extractor()


def one(text: str, value_text: str, ex: Extractor = EX):
    """The single candidate whose value text (spaces removed) is ``value_text``."""
    found = [c for c in ex.extract(text).candidates if re.sub(r"\s", "", c.value_text) == value_text]
    assert len(found) == 1, [c.value_text for c in ex.extract(text).candidates]
    return found[0]


def reasons(text: str) -> dict[str, str]:
    return {s.text: s.reason for s in EX.extract(text).skipped}


# --- context ------------------------------------------------------------------------------------------------
def test_a_sentence_with_several_numbers_gives_several_statements():
    text = "到2025年，每万人口高价值发明专利拥有量达到11.5件，知识产权质押融资金额突破25亿元，知识产权保护社会满意度达到85分以上。"
    got = [(c.value_text, c.indicator, c.comparator, c.year, c.kind, c.measure) for c in EX.extract(text).candidates]
    assert got == [
        ("达到11.5件", "high_value_invention_patents_per_10k", "=", 2025, "target", "stock"),
        ("突破25亿元", "ip_pledge_financing", ">=", 2025, "target", "annual"),
        ("达到85分以上", "ip_protection_satisfaction", ">=", 2025, "target", "score"),
    ]


def test_offsets_and_quotes_are_verbatim():
    text = "前言。\n到2026年,每万人口高价 值发明专利拥有量力争超过19件,PCT专利年申请量超75件。"
    for c in EX.extract(text).candidates:
        assert text[c.quote_start : c.quote_end] == c.quote
        assert text[c.value_start : c.value_end] == c.value_text
    c = one(text, "超过19件")
    assert c.quote == "每万人口高价 值发明专利拥有量力争超过19件"  # the space inside the phrase is kept


def test_hedge_governs_its_clause_only():
    text = "到2026年,每万人口高价值发明专利拥有量力争超过19件,PCT专利年申请量超75件。"
    assert one(text, "超过19件").commitment == "aspirational"
    assert one(text, "超75件").commitment == "firm"


def test_a_hedged_lead_clause_governs_the_sentence():
    c = one("力争三年内依托知识产权保护中心,建立15家以上知识产权工作站。", "15家以上")
    assert c.commitment == "aspirational" and c.indicator == "ip_protection_workstations"


@pytest.mark.parametrize(
    "text, value, comparator",
    [
        ("专利导航项目达20项以上。", "达20项以上", ">="),
        ("知识产权保护社会满意度达到83分左右。", "达到83分左右", "~"),
        ("年度知识产权专题培训不低于20场。", "不低于20场", ">="),
        ("知识产权服务机构总数近1200家。", "近1200家", "~"),
        ("新增国家级知识产权保护示范区2-3家。", "2-3家", "range"),
        ("服务小微企业2000余家。", "2000余家", ">="),
    ],
)
def test_comparators(text, value, comparator):
    assert one(text, value).comparator == comparator


def test_month_in_the_target_date_is_kept():
    c = one("到2025年6月,高价值发明专利拥有量力争达到14653件。", "达到14653件")
    assert (c.year, c.month, c.commitment, c.indicator) == (2025, 6, "aspirational", "high_value_invention_patents")
    assert "partial_year" in c.flags


def test_baselines_as_of_a_date_and_from_to():
    text = ("临海市知识产权发展“十四五”规划。截止2020年底,拥有有效发明专利2835件;"
            "每万人发明专利拥有量从2015年的9.26件增加到2020年的26.9件,为全国平均水平的1.7倍。")
    c = one(text, "2835件")
    assert (c.kind, c.year, c.measure, c.indicator) == ("baseline", 2020, "stock", "invention_patents_in_force")
    a, b = one(text, "9.26件"), one(text, "26.9件")
    assert (a.kind, a.year, b.kind, b.year) == ("baseline", 2015, "baseline", 2020)
    assert a.indicator == b.indicator == "invention_patents_per_10k"
    assert one(text, "1.7倍").measure == "multiple"


def test_a_past_period_section_holds_baselines_and_its_totals():
    text = ("苏州市“十四五”知识产权发展规划\n一、发展基础\n“十三五”时期,全市新增专利授权40.25万件,"
            "发明专利授权5.39万件。\n二、发展目标\n到2025年,新增作品登记量达45万件。")
    c = one(text, "40.25万件")
    # 新增 over a period is new_in_period, achievement or target: one wording, one code (issue #8).
    assert (c.kind, c.year, c.measure, c.period_start, c.period_end) == ("baseline", 2020, "new_in_period", 2016, 2020)
    t = one(text, "达45万件")
    assert (t.kind, t.year, t.measure, t.indicator) == ("target", 2025, "new_in_period", "copyright_registrations")


def test_growth_in_times_and_percentage_points_get_their_own_measures():
    text = ("苏州市“十四五”知识产权发展规划\n一、发展基础\n五年来,万人发明专利拥有量达68.85件,增长了1.51倍;"
            "企业专利申请量占比达到92.66%,比“十二五”末提高了0.99个百分点。")
    assert one(text, "1.51倍").measure == "growth_rate"
    assert one(text, "0.99个百分点").measure == "change_pp"


def test_already_achieved_is_a_baseline():
    text = "郑州市知识产权强市建设工作方案(2022-2025年)。目前全市已建成专利导航服务基地12家,到2025年,建成30家专利导航服务基地。"
    now, later = one(text, "12家"), one(text, "30家")
    assert (now.kind, now.year, now.indicator) == ("baseline", 2021, "patent_navigation_bases")
    assert (later.kind, later.year, later.measure) == ("target", 2025, "stock")


def test_per_10k_enterprises_phrasing():
    c = one("到2025年,万企拥有知识产权企业数达1350家。", "达1350家")
    assert c.indicator == "enterprises_with_ip_per_10k_enterprises"


def test_relative_to_a_baseline_and_two_joined_indicators():
    text = "到2026年,商标质押贷款普惠企业数及融资普惠金额较2023年底翻一番。"
    got = [c for c in EX.extract(text).candidates]
    assert {c.indicator for c in got} == {"trademark_pledge_loan_enterprises", "trademark_pledge_financing"}
    for c in got:
        assert (c.kind, c.year, c.measure, c.value) == ("target", 2026, "multiple", 2.0)
        assert "relative_to_baseline" in c.flags and "2023" in c.note


def test_per_10k_and_absolute_are_distinct():
    text = "到2025年,高价值发明专利拥有量力争达到14653件,每万人高价值发明专利达到11.5件。"
    assert one(text, "达到14653件").indicator == "high_value_invention_patents"
    assert one(text, "达到11.5件").indicator == "high_value_invention_patents_per_10k"


def test_lists_totals_and_parts():
    text = "“十三五”时期,新增专利申请19978件,其中发明专利申请4684件。"
    total, part = one(text, "19978件"), one(text, "4684件")
    assert "list_total" in total.flags and "subtotal" in part.flags
    assert (total.indicator, part.indicator) == ("patent_applications", "invention_patent_applications")


def test_each_list_item_takes_its_own_indicator():
    text = "到2025年,重点培育25家左右知识产权服务品牌机构、15家以上高价值专利培育辅导机构、20家以上专利导航服务基地。"
    got = [(c.value_text, c.indicator, c.measure) for c in EX.extract(text).candidates]
    assert got == [
        ("25家左右", "ip_service_brand_institutions", "new_in_period"),
        ("15家以上", "high_value_patent_coaching_institutions", "new_in_period"),
        ("20家以上", "patent_navigation_bases", "new_in_period"),
    ]


@pytest.mark.parametrize(
    "text, value, measure",
    [
        ("到2025年,年度知识产权质押融资额达到7亿元以上。", "达到7亿元以上", "annual"),
        ("到2026年,专利转让许可合同备案金额累计超1.3亿元。", "超1.3亿元", "cumulative"),
        ("到2025年,每年组织知识产权培训班5-10期。", "5-10期", "annual"),
        ("到2025年,新增知识产权保护工作站20家。", "20家", "new_in_period"),
        ("到2025年,建成30家专利导航服务基地。", "30家", "stock"),
        ("到2017年,年专利申请量增长20%以上。", "20%以上", "growth_rate"),
        ("到2025年,专利密集型产业增加值占GDP比重达到13%。", "达到13%", "share"),
    ],
)
def test_measures(text, value, measure):
    assert one(text, value).measure == measure


def test_per_10k_population_phrasing_is_not_a_number():
    """每万人口 names a denominator; 超万人 is a number (a bare 万 after a comparator)."""
    text = "到2026年,每万人口高价值发明专利拥有量超过19件,培训覆盖面超万人。"
    values = [c.value_text for c in EX.extract(text).candidates]
    assert values == ["超过19件", "超万人"]
    assert one(text, "超万人").value == 10_000


def test_chinese_numerals_count_only_when_they_count_something():
    text = "在全省率先发布两项商业秘密保护地方标准规范,依托两个审协中心,培育一批知识产权优势企业。开展知识产权培训,惠及上千家企业、十万余人。"
    got = {c.value_text: c.value for c in EX.extract(text).candidates}
    assert got == {"两项": 2.0, "上千家": 1000.0, "十万余人": 100_000.0}
    skipped = reasons(text)
    assert skipped["两个"] == "phrase" and skipped["一批"] == "vague quantity"


def test_plan_level_facts_are_noted():
    text = "到2025年,每万人口高价值发明专利拥有量达到12件(上述指标均为预期性指标)。"
    assert "indicative" in one(text, "达到12件").note


def test_vocabulary_comes_from_the_registry():
    """A phrase the registry does not know names nothing; add it as an alias and the extractor reads it."""
    text = "到2025年,测试专用指标达到42项。"
    assert one(text, "达到42项").indicator == ""
    reg = load_registry()
    extra = Indicator(code="test_only_indicator", name_zh="测试", name_en="Test", group="creation", unit="item",
                      aliases=("测试专用指标",), description="test")
    reg2 = reg.model_copy(update={"indicators": {**reg.indicators, extra.code: extra}})
    assert one(text, "达到42项", Extractor(reg2)).indicator == "test_only_indicator"


# --- OCR ----------------------------------------------------------------------------------------------------
def test_ocr_variants_are_recognised_and_flagged():
    c = one("到2026年,全市知所权质押融资金额突破25亿元。", "突破25亿元")
    assert c.indicator == "ip_pledge_financing" and "ocr_noise" in c.flags
    assert c.quote == "全市知所权质押融资金额突破25亿元"


def test_garbled_numbers_are_flagged_never_guessed():
    text = "到2026年,企业知识产权专员队伍超UOo名,人才队伍超WOO名,企业知所权专员队伍超00名。"
    got = EX.extract(text).candidates
    assert [c.value_text for c in got] == ["超UOo名", "超WOO名", "超00名"]
    for c in got:
        assert "ocr_unreadable" in c.flags and c.value is None and c.comparator == ">="
    assert got[0].indicator == "enterprise_ip_specialists"


def test_digits_mixed_with_letter_lookalikes_are_unreadable():
    text = "到2O26年,全市建成1O0家知识产权服务机构。"
    assert reasons(text)["2O26"] == "unreadable"
    c = one(text, "1O0家")
    assert "ocr_unreadable" in c.flags and c.value is None and c.indicator == "ip_service_institutions"


def test_ocr_page_breaks_inside_a_phrase():
    text = "到2026年,全市建 成5家省级以上专利导航服务基\n14、地,实施专利导航项目达20项以 上。"
    assert one(text, "5家").indicator == "patent_navigation_bases"
    assert one(text, "达20项以上").value_text == "达20项以 上"
    assert reasons(text)["14、"] == "section number"


# --- coverage audit -------------------------------------------------------------------------------------------
def test_skip_reasons():
    text = ("郑政〔2022〕34号《郑州市知识产权强市建设工作方案(2022-2025年)》\n时间:2023-01-20 19:18:48\n"
            "1.落实《专利导航指南》(GB/T39551-2020),在5G等领域,位居全省第34位(见表1),以4·26知识产权宣传周为契机,"
            "力争5年内完成,联系电话12330,“十四五”时期。")
    got = [(s.text, s.reason) for s in EX.extract(text).skipped]
    assert got == [
        ("〔2022〕34号", "document number"),
        ("2022-2025年", "title year"),
        ("2023-01-20", "date"),
        ("19:18:48", "time"),
        ("1", "section number"),
        ("GB/T39551-2020", "standard number"),
        ("5", "label"),
        ("第34位", "ordinal"),
        ("表1", "table number"),
        ("4·26", "date"),
        ("5年", "duration"),
        ("12330", "no unit"),
        ("十四五", "plan period name"),
    ]
    assert EX.extract(text).candidates == []


def test_every_digit_of_the_six_documents_is_accounted_for(raw_docs):
    for doc_id, text in raw_docs.items():
        ex = EX.extract(text)
        covered = bytearray(len(text))
        for c in ex.candidates:
            covered[c.value_start : c.value_end] = b"\1" * (c.value_end - c.value_start)
        for s in ex.skipped:
            covered[s.start : s.end] = b"\1" * (s.end - s.start)
        lost = [m.group() for m in re.finditer(r"[0-9０-９]+", text) if not all(covered[m.start() : m.end()])]
        assert not lost, (doc_id, lost[:5])


def test_drafts_pass_the_statement_checker_but_for_what_the_reviewer_must_fill(raw_docs, tmp_path):
    """A draft of each plan passes check_statements, except rows with no indicator and flagged unit misfits."""
    from ipcompare.extract.audit import RowWriter
    from ipcompare.statements import check_statements, read_statements_csv

    registry = load_registry()
    for doc_id, text in raw_docs.items():
        path = tmp_path / f"{doc_id}.draft.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            RowWriter(fh, "csv").write(EX.extract(text, doc_id).rows())
        rows = {r["_line"]: r for r in read_statements_csv(path)}
        for p in check_statements(list(rows.values()), text, registry, str(path)):
            row = rows[p.line]
            ok = (p.field == "indicator" and not row["indicator"]) or (
                "does not fit" in p.message and "ambiguous_indicator" in row["flags"])
            assert ok, str(p)


@pytest.fixture(scope="module")
def raw_docs():
    from ipcompare.documents import load_documents, read_document
    from ipcompare.paths import raw_dir

    raw = raw_dir()
    return {d: read_document(raw, m).text for d, m in load_documents(raw).items()}


# --- robustness -----------------------------------------------------------------------------------------------
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_random_unicode_never_crashes(text):
    ex = EX.extract(text)
    for c in ex.candidates:
        assert text[c.quote_start : c.quote_end] == c.quote
        assert text[c.value_start : c.value_end] == c.value_text
    covered = bytearray(len(text))
    for c in ex.candidates:
        covered[c.value_start : c.value_end] = b"\1" * (c.value_end - c.value_start)
    for s in ex.skipped:
        covered[s.start : s.end] = b"\1" * (s.end - s.start)
    assert all(covered[m.start()] for m in re.finditer(r"[0-9０-９]", text))


_PLANISH = st.lists(st.sampled_from(list("到年月日超达以上左右万亿元件家个人%.-、,。;(《》)“”力争累计新增每年其中第表 \n0123456789一二两三十百千")
                                    + ["知识产权", "质押融资金额", "专利", "十四五", "知所权", "翻一番", "分之"]),
                    max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(_PLANISH)
def test_plan_like_noise_never_crashes(text):
    view = build_view(text)
    assert len(view.norm) <= len(text)
    for c in EX.extract(text).candidates:
        assert text[c.value_start : c.value_end] == c.value_text


# --- CLI and bad input ------------------------------------------------------------------------------------------
def _cli(args, capsys):
    code = main(["extract", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_writes_csv_and_jsonl(tmp_path, capsys):
    plan = tmp_path / "plan.txt"
    plan.write_text("到2025年,每万人口高价值发明专利拥有量达到11.5件,注册商标达到1995年水平。", encoding="utf-8")
    code, out, err = _cli([plan], capsys)
    assert code == 0 and out.splitlines()[0].startswith("n,quote,char_start,char_end,value_text,indicator")
    assert "达到11.5件" in out and "candidates" in err
    code, out, _ = _cli([plan, "--out", tmp_path / "c.jsonl"], capsys)
    rows = [json.loads(line) for line in (tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines()]
    assert code == 0 and rows[0]["indicator"] == "high_value_invention_patents_per_10k" and rows[0]["year"] == 2025
    code, out, _ = _cli([plan, "--out", tmp_path / "c.csv", "--audit"], capsys)
    assert code == 0 and "date" in out and "2025年" in out


def test_cli_draft_never_overwrites(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("IPCOMPARE_HOME", str(tmp_path))
    statements = tmp_path / "data" / "raw" / "statements"
    statements.mkdir(parents=True)
    (statements / "plan.csv").write_text("curated\n", encoding="utf-8")
    plan = tmp_path / "plan.txt"
    plan.write_text("到2025年,知识产权服务机构达到100家。", encoding="utf-8")
    assert _cli([plan, "--draft"], capsys)[0] == 0
    assert "达到100家" in (statements / "plan.draft.csv").read_text(encoding="utf-8")
    code, _, err = _cli([plan, "--draft"], capsys)
    assert code == 1 and "--force" in err and len(err.strip().splitlines()) == 1
    assert _cli([plan, "--draft", "--force"], capsys)[0] == 0
    code, _, err = _cli([plan, "--out", statements / "plan.csv"], capsys)
    assert code == 1 and "curated" in err
    assert (statements / "plan.csv").read_text(encoding="utf-8") == "curated\n"


def _blank_pdf() -> bytes:
    import weasyprint

    return weasyprint.HTML(string="<html><body><div style='width:5cm;height:5cm;background:#000'></div></body></html>").write_pdf()


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b" \n\t\n", "empty"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("latin1.txt", "café naïve résumé déjà".encode("latin-1"), "convert it to UTF-8"),
        ("scan.pdf", None, "no text layer"),
        ("fake.pdf", b"not a pdf at all", "not a PDF"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj garbage", "not a readable PDF"),
        ("empty.html", b"<html><head><title>t</title><script>var x = '\xe4\xb8\xad';</script></head><body> </body></html>",
         "no body text"),
        ("punct.txt", "。，；—— ……\n".encode(), "no letters"),
    ],
)
def test_bad_input_gives_one_line_errors(tmp_path, capsys, name, data, words):
    path = tmp_path / name
    path.write_bytes(_blank_pdf() if data is None else data)
    code, out, err = _cli([path], capsys)
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and str(path) in lines[0] and words in lines[0]
    assert "Traceback" not in err
    with pytest.raises(ExtractInputError):
        read_plan(path)


def test_bad_options_give_one_line_errors(tmp_path, capsys):
    plan = tmp_path / "plan.txt"
    plan.write_text("到2025年,知识产权服务机构达到100家。", encoding="utf-8")
    for args in ([plan, "--period", "2026-2024"], [plan, "--draft", "--out", tmp_path / "x.csv"], [tmp_path]):
        code, _, err = _cli(args, capsys)
        assert code == 1 and len(err.strip().splitlines()) == 1 and err.startswith("error: ")
