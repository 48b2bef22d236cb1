"""Naming indicators by composing concepts: phrasings no alias spells, coordinated values, new concepts proposed
instead of wrong codes; the output columns a reviewer needs; draft-vs-curated comparison."""

from __future__ import annotations

import csv
import re
from importlib.resources import files

import yaml

from ipcompare.cli import main
from ipcompare.extract import Extractor
from ipcompare.extract.compare import compare_rows, comparison_summary
from ipcompare.extract.view import normalise_phrase
from ipcompare.registry import load_registry

EX = Extractor()
REGISTRY = load_registry()


def named(text: str, ex: Extractor = EX) -> list[tuple[str, str]]:
    return [(re.sub(r"\s", "", c.value_text), c.indicator or "NEW:" + c.proposal.get("name_zh", ""))
            for c in ex.extract(text).candidates]


def without(*codes: str) -> Extractor:
    """An extractor whose registry lacks ``codes`` (as for a plan whose concepts are not yet registered)."""
    return Extractor(REGISTRY.model_copy(update={"indicators": {
        k: v for k, v in REGISTRY.indicators.items() if k not in codes}}))


def test_phrasings_no_alias_spells_are_composed():
    text = ("到2025年，PCT国际专利授权量达到150件，作品著作权登记总量达到5万件，计算机软件著作权登记量达到3000件，"
            "海外商标注册量达到230件。")
    assert named(text) == [("达到150件", "pct_grants"), ("达到5万件", "copyright_registrations"),
                           ("达到3000件", "software_copyright_registrations"),
                           ("达到230件", "overseas_trademark_registrations")]
    reasons = EX.extract(text).candidates[0].reasons
    assert any("pct_grants" in r and "state grant" in r for r in reasons)


def test_works_are_not_software_and_madrid_is_not_an_application():
    assert named("力争作品登记量达到2万件。") == [("达到2万件", "copyright_registrations")]
    got = named("到2025年，通过马德里体系的国际商标注册量达到50件，商标注册申请量达到3万件。")
    assert got == [("达到50件", "madrid_trademark_registrations"), ("达到3万件", "trademark_applications")]
    # Madrid applications are neither Madrid registrations nor trademark applications: a new concept.
    assert named("马德里商标国际注册申请量达到80件。") == [("达到80件", "NEW:马德里商标国际注册申请量")]


def test_coordinated_values_take_their_own_indicators():
    got = named("到2025年，发明专利申请量和商标注册申请量分别达到3万件和5万件。")
    assert got == [("达到3万件", "invention_patent_applications"), ("5万件", "trademark_applications")]
    got = named("企业专利申请量、授权量占全市专利申请和授权总量的比重分别达到92.66%和95.05%。")
    assert got == [("达到92.66%", "enterprise_patent_application_share"), ("95.05%", "enterprise_patent_grant_share")]
    # The state written once after the last right: 发明专利和实用新型专利申请量. No code for utility models.
    got = named("发明专利和实用新型专利申请量分别突破3万件和5万件。")
    assert got == [("突破3万件", "invention_patent_applications"), ("5万件", "NEW:实用新型专利申请量")]


def test_a_concept_the_registry_lacks_is_proposed_not_forced_onto_a_near_code():
    ex = without("provincial_famous_trademarks")
    c = ex.extract("到2017年，省著名商标拥有量年均增加50件以上。").candidates[0]
    assert c.indicator == "" and c.proposal["name_zh"] == "省著名商标拥有量"
    assert c.proposal["unit"] == "item" and c.proposal["code"] not in REGISTRY.indicators
    row = c.row(1)
    assert row["proposed_name_zh"] == "省著名商标拥有量" and "new_concept" in row["review"].split(";")
    assert c.confidence <= 0.5 and any("new concept" in r for r in c.reasons)
    # With the code registered, the same words name it.
    assert named("到2017年，省著名商标拥有量年均增加50件以上。") == [("50件以上", "provincial_famous_trademarks")]


def test_a_level_or_qualifier_the_code_lacks_means_another_concept():
    ex = without("provincial_trade_secret_protection_bases", "ip_service_brand_institutions")
    got = named("省级商业秘密保护示范园区达到2个，知识产权服务品牌机构达到25家。", ex)
    assert got == [("达到2个", "NEW:省级商业秘密保护示范园区"), ("达到25家", "NEW:知识产权服务品牌机构")]
    assert named("省级商业秘密保护示范园区达到2个，知识产权服务品牌机构达到25家。") == [
        ("达到2个", "provincial_trade_secret_protection_bases"), ("达到25家", "ip_service_brand_institutions")]


def test_review_says_what_needs_a_decision():
    rows = EX.extract("到2025年，知识产权质押融资金额突破25亿元。目前已建成知识产权服务机构20家。").rows()
    assert rows[0]["review"] == "ambiguous_measure"  # a flow with no 累计/年度 marker
    assert "ambiguous_kind" in rows[1]["review"].split(";")


def test_output_columns_give_value_unit_and_per():
    rows = EX.extract("到2025年，每万人口高价值发明专利拥有量达到11.5件，知识产权质押融资金额突破25亿元，"
                      "知识产权服务机构达到5家至10家，PCT专利申请量年均增长20%。").rows()
    got = [(r["value"], r["value_high"], r["unit"], r["per"]) for r in rows]
    assert got == [(11.5, None, "item", "10k_population"), (2500000000, None, "CNY", ""),
                   (5, 10, "organisation", ""), (20, None, "percent", "")]


def test_concept_tables_are_in_view_form_and_name_known_things():
    raw = yaml.safe_load((files("ipcompare.extract") / "concepts.yaml").read_text(encoding="utf-8"))
    for table in ("objects", "states", "per", "qualifiers", "levels", "glossary"):
        for key in raw[table]:
            assert normalise_phrase(key) == key, (table, key)
    assert set(raw["per"].values()) <= {"10k_population", "10k_enterprises"}


# --- draft vs curated ---------------------------------------------------------------------------------------------
def _row(n, start, quote, value_text, **kw):
    base = {"n": n, "char_start": start, "char_end": start + len(quote), "quote": quote, "value_text": value_text,
            "indicator": "patent_applications", "kind": "target", "measure": "annual", "year": 2025, "month": None,
            "period_start": None, "period_end": None, "comparator": "=", "commitment": "firm", "flags": ""}
    return {**base, **kw}


def test_compare_rows_says_what_agrees_and_what_differs():
    curated = [_row(1, 0, "专利申请量达到100件", "100件"), _row(2, 12, "商标注册量达到50件", "50件"),
               _row(3, 30, "培训1000人次", "1000人次")]
    draft = [_row(1, 0, "专利申请量达到100件", "达到100件"),
             _row(2, 12, "商标注册量达到50件", "达到50件", indicator="", measure="stock"),
             _row(3, 40, "超200亿元", "超200亿元")]
    rows = compare_rows(draft, curated)
    assert [(r["status"], r["differs"]) for r in rows] == [
        ("agree", ""), ("differ", "indicator;measure"), ("curated_only", ""), ("draft_only", "")]
    assert comparison_summary(rows) == ("1 agree, 1 differ (indicator 1, measure 1), 1 only in the draft, "
                                        "1 only in the curated file")


def test_cli_compare_with_the_curated_file(tmp_path, capsys):
    out = tmp_path / "cmp.csv"
    doc = "data/raw/docs/zhengzhou_2022_2025.txt"
    assert main(["extract", doc, "--compare", "data/raw/statements/zhengzhou_2022_2025.csv", "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["status"] for r in rows} <= {"agree", "differ", "draft_only", "curated_only"}
    assert sum(r["status"] == "agree" for r in rows) >= 30
    assert "agree" in capsys.readouterr().out
    assert main(["extract", doc, "--compare", str(tmp_path / "missing.csv")]) == 1
    assert capsys.readouterr().err.strip().count("\n") == 0
