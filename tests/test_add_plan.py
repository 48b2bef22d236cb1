"""Adding a plan (issue 15): the division table, `ipcompare add`, `ipcompare review`, curation provenance, and a
new city end to end — added by name, reviewed, built, validated and profiled. All in scratch copies of data/."""

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from ipcompare.add import AddError, add_plan
from ipcompare.cli import main
from ipcompare.divisions import DivisionError, derive_divisions, lookup, read_divisions, romanise
from ipcompare.planmeta import read_metadata
from ipcompare.review import review_document

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "tests" / "fixtures" / "jiaxing_plan_2023_2025.txt"
DIVISIONS = read_divisions(ROOT / "data" / "raw" / "reference" / "divisions.csv")


def _syllables(text: str) -> list[str]:
    table = {"西": "xi", "安": "an", "市": "shi", "朝": "chao", "阳": "yang", "区": "qu", "吕": "lv", "梁": "liang"}
    return [table[c] for c in text]


# --- the division table -----------------------------------------------------------------------------------------

def test_division_table_is_complete_and_consistent():
    by_code = {d.geo_code: d for d in DIVISIONS}
    levels = pd.Series([d.level for d in DIVISIONS]).value_counts()
    assert levels["province"] == 31 and levels["prefecture"] >= 330 and levels["county"] >= 2800
    assert all(d.parent_code in by_code for d in DIVISIONS if d.level != "province")
    # the six registered places are there, with the names the registry gives them
    for code, name in [("410100", "郑州市"), ("320500", "苏州市"), ("360100", "南昌市"), ("340500", "马鞍山市"),
                       ("331082", "临海市")]:
        assert by_code[code].name_zh == name
    # grouping rows of the source (市辖区 of a municipality) are not divisions; their children hang from the province
    assert by_code["110105"].parent_code == "110000" and "110100" not in by_code
    assert by_code["410173"].kind == "functional_zone"  # 郑州航空港经济综合实验区: an NBS code only


def test_lookup_by_code_name_and_parents():
    assert lookup(DIVISIONS, "330400").name_zh == "嘉兴市"
    assert lookup(DIVISIONS, "嘉兴").geo_code == "330400"
    assert lookup(DIVISIONS, "嘉兴市").geo_code == "330400"
    assert lookup(DIVISIONS, "长春市朝阳区").geo_code == "220104"
    assert lookup(DIVISIONS, "北京朝阳区").geo_code == "110105"
    assert lookup(DIVISIONS, "Jiaxing").geo_code == "330400"


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([d for d in DIVISIONS if d.kind == "division"]))
def test_every_division_is_found_by_code_and_by_name_or_listed(d):
    assert lookup(DIVISIONS, d.geo_code) == d
    try:
        assert lookup(DIVISIONS, d.name_zh).name_zh == d.name_zh
    except DivisionError as exc:  # a shared name: refused, and this division is among the candidates
        assert d.geo_code in str(exc)


def test_ambiguous_name_is_refused_with_the_candidates():
    with pytest.raises(DivisionError) as e:
        lookup(DIVISIONS, "朝阳区")
    assert "110105" in str(e.value) and "220104" in str(e.value) and "北京市" in str(e.value)
    with pytest.raises(DivisionError, match="no division named"):
        lookup(DIVISIONS, "不存在市")


def test_romanise_marks_syllable_boundaries_and_suffixes():
    assert romanise("西安市", _syllables) == "Xi'an"
    assert romanise("朝阳区", _syllables) == "Chaoyang District"
    assert romanise("吕梁市", _syllables) == "Lüliang"


def test_derive_skips_grouping_rows():
    rows = derive_divisions([{"code": "11", "name": "北京市", "_line": 2}],
                            [{"code": "1101", "name": "市辖区", "provinceCode": "11", "_line": 2}],
                            [{"code": "110105", "name": "朝阳区", "cityCode": "1101", "provinceCode": "11", "_line": 4}],
                            _syllables_or_default)
    assert [(r["geo_code"], r["level"], r["parent_code"]) for r in rows] == [("110000", "province", ""),
                                                                           ("110105", "county", "110000")]


def _syllables_or_default(text: str) -> list[str]:
    return ["x"] * len(text)


# --- metadata read from the text ------------------------------------------------------------------------------

def test_metadata_read_from_text():
    m = read_metadata(PLAN.read_text(encoding="utf-8"))
    assert m["title_zh"].value == "嘉兴市人民政府关于印发嘉兴市知识产权强市建设工作方案(2023-2025年)的通知"
    assert m["issuer_zh"].value == "嘉兴市人民政府"
    assert m["document_number"].value == "嘉政发〔2023〕9号"
    assert m["date_issued"].value == "2023-04-18"
    assert m["plan_period"].value == (2023, 2025)


def test_metadata_of_a_seed_with_two_issuers_and_a_signature():
    text = (ROOT / "data" / "raw" / "docs" / "linhai_2021_2025.txt").read_text(encoding="utf-8")
    m = read_metadata(text)
    assert m["issuer_zh"].value == "临海市发展和改革局 临海市市场监督管理局"
    assert m["date_issued"].value == "2021-12-07"
    assert "document_number" not in m  # 临政发〔2017〕28号 is cited in the body, not this document's number


# --- add --------------------------------------------------------------------------------------------------------

def test_add_gbk_text_by_name_then_refuse_the_same_file(scratch, tmp_path):
    raw = scratch / "data" / "raw"
    gbk = tmp_path / "plan_gbk.txt"
    gbk.write_bytes(PLAN.read_text(encoding="utf-8").encode("gbk"))
    added = add_plan(gbk, "嘉兴", raw)
    assert added.doc_id == "jiaxing_2023_2025" and added.new_geography
    assert added.text_path.read_text(encoding="utf-8") == PLAN.read_text(encoding="utf-8")
    docs = {d["doc_id"]: d for d in yaml.safe_load((raw / "documents.yaml").read_text(encoding="utf-8"))}
    entry = docs["jiaxing_2023_2025"]
    assert entry["geo_code"] == "330400" and entry["issuer_zh"] == "嘉兴市人民政府"
    assert "read from text" in entry["date_note"] and entry["date_issued"] == "2023-04-18"
    geos = yaml.safe_load((raw / "geographies_added.yaml").read_text(encoding="utf-8"))
    assert [(g["geo_code"], g["slug"], g["level"]) for g in geos] == [("330400", "jiaxing", "prefecture")]
    before = {p: p.read_bytes() for p in raw.rglob("*") if p.is_file()}
    with pytest.raises(AddError, match="already added as 'jiaxing_2023_2025'"):
        add_plan(PLAN, "330400", raw)  # the same text in UTF-8
    assert {p: p.read_bytes() for p in raw.rglob("*") if p.is_file()} == before


def test_add_html_page_in_gbk(scratch, tmp_path):
    lines = PLAN.read_text(encoding="utf-8").splitlines()
    page = ('<html><head><meta charset="gbk"><title>嘉兴</title><script>var x = "2099年";</script></head><body>'
            + "".join(f"<p>{ln}</p>" for ln in lines if ln) + "</body></html>")
    src = tmp_path / "plan.html"
    src.write_bytes(page.encode("gbk"))
    added = add_plan(src, "330400", scratch / "data" / "raw", url="http://example.org/plan.html")
    stored = added.text_path.read_text(encoding="utf-8")
    assert "2099" not in stored and "每万人口高价值发明专利拥有量达到16件" in stored
    entry = next(d for d in yaml.safe_load((scratch / "data" / "raw" / "documents.yaml").read_text(encoding="utf-8"))
                 if d["doc_id"] == added.doc_id)
    assert entry["source_grade"] == "unknown" and "(html, gbk)" in entry["source_note"]


def test_add_refuses_ambiguous_place_and_taken_id_writing_nothing(scratch):
    raw = scratch / "data" / "raw"
    before = {p: p.read_bytes() for p in raw.rglob("*") if p.is_file()}
    with pytest.raises(AddError, match="110105.*220104"):
        add_plan(PLAN, "朝阳区", raw)
    (raw / "docs" / "jiaxing_2023_2025.txt").write_text("someone else's file", encoding="utf-8")
    with pytest.raises(AddError, match="doc id 'jiaxing_2023_2025' is taken"):
        add_plan(PLAN, "嘉兴", raw)
    assert (raw / "docs" / "jiaxing_2023_2025.txt").read_text(encoding="utf-8") == "someone else's file"
    after = {p: p.read_bytes() for p in raw.rglob("*") if p.is_file() and p.name != "jiaxing_2023_2025.txt"}
    assert after == before


def test_cli_add_error_is_one_line(scratch, capsys):
    assert main(["add", str(PLAN), "--geo", "朝阳区"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: --geo 朝阳区") and "Traceback" not in err


# --- review, curation provenance, pending drafts ----------------------------------------------------------------

def test_unreviewed_plan_is_pending_not_built(scratch, capsys):
    add_plan(PLAN, "嘉兴", scratch / "data" / "raw")
    assert main(["build"]) == 0
    assert "pending: data/raw/statements/jiaxing_2023_2025.draft.csv" in capsys.readouterr().out
    obs = pd.read_csv(scratch / "data" / "tidy" / "observations.csv")
    assert "jiaxing_2023_2025" not in set(obs.doc_id)
    assert set(obs.curation) == {"human"}  # every row of the six curated plans


def test_accept_confident_then_promote_checked(scratch):
    raw = scratch / "data" / "raw"
    add_plan(PLAN, "嘉兴", raw)
    r = review_document("jiaxing_2023_2025", raw, confident=True)
    assert r.promoted and all(not row["review"] for row in r.promoted)
    assert r.pending and all(row["review"] for row in r.pending)
    with (raw / "statements" / "jiaxing_2023_2025.csv").open(encoding="utf-8") as fh:
        curated = list(csv.DictReader(fh))
    assert {row["curation"] for row in curated} == {"drafted_accepted"}
    assert [int(row["char_start"]) for row in curated] == sorted(int(row["char_start"]) for row in curated)
    # a person fixes one draft row (the 2022 pledge financing is that year's flow) and marks it human
    draft_path = raw / "statements" / "jiaxing_2023_2025.draft.csv"
    with draft_path.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        cols, rows = reader.fieldnames, list(reader)
    fixed = next(row for row in rows if row["value_text"] == "达到85亿元")
    fixed.update(curation="human", flags="", note="", review="")
    with draft_path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    r2 = review_document("jiaxing_2023_2025", raw, checked=True)
    assert [row["value_text"] for row in r2.promoted] == ["达到85亿元"]
    assert len(r2.pending) == len(rows) - 1
    assert main(["build"]) == 0 and main(["validate"]) == 0
    st = pd.read_csv(scratch / "data" / "tidy" / "statements.csv")
    mine = st[st.doc_id == "jiaxing_2023_2025"]
    assert set(mine.curation) == {"drafted_accepted", "human"}
    assert mine.set_index("value_text").curation["达到85亿元"] == "human"


def test_curated_row_without_curation_is_refused(scratch, capsys):
    path = scratch / "data" / "raw" / "statements" / "nanchang_2015_2017.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].rstrip("\n").removesuffix("human") + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert "nanchang_2015_2017.csv:2: curation: required" in err


def test_population_of_a_place_without_reference_rows_is_missing_not_a_crash(ds):
    from ipcompare.analysis.denominators import MissingDenominator, population

    with pytest.raises(MissingDenominator):
        population(ds, "330400", 2025)


# --- end to end -------------------------------------------------------------------------------------------------

def test_new_city_end_to_end_by_name(scratch, tmp_path, capsys):
    shutil.copytree(ROOT / "notebooks", scratch / "notebooks")
    assert main(["add", str(PLAN), "--geo", "嘉兴市", "--url", "https://www.jiaxing.gov.cn/example.html"]) == 0
    assert main(["review", "jiaxing_2023_2025", "--accept-confident"]) == 0
    out = capsys.readouterr().out
    assert "promoted" in out and "【" in out  # rows left for a decision are shown in their text
    assert main(["build"]) == 0 and main(["validate"]) == 0
    tidy = scratch / "data" / "tidy"
    obs = pd.read_csv(tidy / "observations.csv", dtype={"geo_code": str})
    mine = obs[obs.geo_code == "330400"]
    assert {"达到16件", "突破25000件", "达到11.2件"} <= set(mine.value_text)
    restated = mine[mine.value_text == "达到16件"]
    assert len(restated) == 1 and int(restated.n_mentions.iloc[0]) == 2  # the restatement folded
    docs = pd.read_csv(tidy / "documents.csv")
    assert docs.set_index("doc_id").source_grade["jiaxing_2023_2025"] == "official"
    assert main(["report", "city_profile", "-p", "city=jiaxing", "--out", str(tmp_path / "out")]) == 0
    pdf = tmp_path / "out" / "city_profile_jiaxing.pdf"
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "嘉兴市" in text and "11.2件" in text and "16件" in text


def test_a_prefecture_city_without_counties_is_one_division():
    """东莞, 中山, 儋州 are listed again among modood's areas under their own code: one place, one row (the copy
    was its own parent, and a lookup by name returned the county-level copy)."""
    from collections import Counter

    from ipcompare.divisions import lookup, read_divisions

    divs = read_divisions(ROOT / "data" / "raw" / "reference" / "divisions.csv")
    assert not [c for c, n in Counter(d.geo_code for d in divs).items() if n > 1]
    for name in ("东莞", "中山市", "儋州市"):
        assert lookup(divs, name).level == "prefecture"
