"""The reference table as it is (SUSPECT rows included): population vintages, usability and reference dates.

One test per trap: each names the raw row (`data/raw/reference/city_stats.csv#<line>`) whose note decides it.
"""

from pathlib import Path

import pytest

from ipcompare.reference import as_of_month, vintage_of


@pytest.fixture(scope="module")
def ref(ds):
    return ds.reference.set_index("ref_id")


def _v(ref, line, file="city_stats.csv"):
    return ref.loc[f"{file}#{line}"]


def test_zhengzhou_pre_census_2018_2019_are_not_census_revised(ref):
    """#45 (1013.6万) and #47 (1035.2万) are ORIGINAL pre-census figures; their notes only *mention* the
    census-revised series (1205.2万, 1235.5万), which are other rows."""
    for line in (45, 47):
        assert _v(ref, line).vintage == "pre_census", line
    for line in (44, 46):
        assert _v(ref, line).vintage == "census_revised", line


def test_zhengzhou_revised_table_and_sample_survey_rows(ref):
    """The 七人普后 maigoo table (2014-2020) is census-revised; the 2016/2017 sample-survey figures are not."""
    for line in (38, 39, 40, 42, 44, 46, 48):
        assert _v(ref, line).vintage == "census_revised", line
    for line in (41, 43):
        assert _v(ref, line).vintage == "pre_census", line


def test_suzhou_2019_population_is_pre_census(ref):
    """Suzhou's 2019 1075万 (and 1074.99万) predate the census (1274.8万): pre-census, never a 2020 denominator."""
    for line in (74, 75):
        row = _v(ref, line)
        assert (row.year, row.vintage) == (2019, "pre_census"), line
    census = _v(ref, 69)
    assert (census.vintage, census.value, census.month) == ("census_2020", 12_748_262, 11)


def test_a_silent_note_takes_the_vintage_of_the_same_figure(ref):
    """#73 (Suzhou 2018, 1072.17万, note only 'matches 江苏统计年鉴2019') is the yearbook's pre-census figure #72."""
    assert _v(ref, 72).vintage == _v(ref, 73).vintage == "pre_census"
    assert _v(ref, 72).value == _v(ref, 73).value


def test_a_note_that_says_treat_as_revised_wins_over_a_mention_of_pre_census(ref):
    """Nanchang 2015 559万 (#99): '530.29万 … (original pre-census). 559万 is presumably the census-REVISED 2015
    figure; treat as revised series' — the row is the revised one, #97 the pre-census one."""
    assert _v(ref, 99).vintage == "census_revised"
    assert _v(ref, 97).vintage == "pre_census"


def test_year_end_figures_after_the_census_are_on_the_census_basis(ref):
    """No pre-census estimate exists for 2021 on: Suzhou 2021 1284.78万, Linhai 2021-2023, China 2021."""
    for line in (76, 77, 79, 136, 137, 138, 13, 49, 101):
        assert _v(ref, line).vintage == "census_revised", line


def test_a_2020_year_end_figure_with_a_silent_note_keeps_an_unknown_vintage(ref):
    """China 2020 year-end 141212万 (#12, a data dump) states no vintage: 'reported', not census-revised."""
    assert _v(ref, 12).vintage == "reported"


@pytest.mark.parametrize("line", [6, 47, 57, 58, 78, 98, 125, 128, 131, 139])
def test_suspect_low_quality_and_mislabelled_rows_are_kept_unusable(ref, line):
    """Kept for the record (SUSPECT / LOW-QUALITY / MISLABELED in the note), skipped by the analysis."""
    row = _v(ref, line)
    assert not row.usable and row.source_url.startswith("http")


def test_mislabelled_suzhou_2022_is_not_a_2022_population(ref):
    """#78 is the 2020 census figure (1274.83万) labelled 2022: unusable; #77 (1291.06万) is Suzhou's 2022."""
    assert not _v(ref, 78).usable and _v(ref, 77).usable and _v(ref, 77).value == 12_910_600


def test_maanshan_census_row_is_unusable_as_it_stands(ref):
    """#125 '约215.99万' from a low-quality page: no usable census figure for Ma'anshan in city_stats.csv."""
    pop = ref[(ref.geo_code == "340500") & (ref.variable == "population_census_2020")]
    from_copied_file = pop[pop.index.str.startswith("city_stats.csv#")]
    assert not from_copied_file.usable.any()


def test_vintage_rules_directly():
    assert vintage_of("population_census_2020", "", 2020) == "census_2020"
    assert vintage_of("population_resident_yearend", "ORIGINAL pre-census figure; census-revised series gives 1205.2万",
                      2018) == "pre_census"
    assert vintage_of("population_resident_yearend", "'注:七人普后,2011-2020年常住人口数等指标调整'", 2018) == "census_revised"
    assert vintage_of("population_resident_yearend", "(original pre-census). treat as revised series", 2015) == "census_revised"
    assert vintage_of("population_resident_yearend", "converted from 111.7万人", 2021) == "census_revised"
    assert vintage_of("population_resident_yearend", "secondary", 2020) == "reported"


def test_year_end_actual_beats_mid_year_by_reference_month(ref):
    """national_actuals has 15.3 as of 2025-06 and 16.0 at end-2025: the month tells which is the year's latest."""
    hv = ref[(ref.variable == "high_value_invention_patents_per_10k") & (ref.kind == "actual") & (ref.year == 2025)]
    assert dict(zip(hv.month, hv.value, strict=True)) == {6: 15.3, 12: 16.0}
    latest = hv.sort_values("month").iloc[-1]
    assert latest.value == 16.0


def test_reference_months():
    assert as_of_month("2025-06") == 6 and as_of_month("2025") == 12
    assert as_of_month("2025 (approx., as of Nov 2025)") == 11
    with pytest.raises(ValueError):
        as_of_month("sometime")


def test_every_population_and_gdp_row_has_a_month(ref):
    city = ref[ref.index.str.startswith("city_stats")]
    assert city.month.notna().all()
    assert set(city[city.variable == "population_census_2020"].month) == {11}


def test_added_rows_carry_url_publisher_date_quote_and_grade(ref):
    added = ref[ref.index.str.startswith("city_stats_added.csv#")]
    assert len(added) >= 2
    for rid, r in added.iterrows():
        assert r.source_url.startswith("http") and r.publisher and r.source_quote, rid
        assert r.source_grade in ("official", "official_press", "mirror") and len(r.published) == 10, rid
    sz = added[(added.geo_code == "320500") & (added.year == 2025) & (added.variable == "gdp")].iloc[0]
    assert sz.value == 2.77e12 and "2.77万亿元" in sz.source_quote
    zz = added[(added.geo_code == "410100") & (added.year == 2019)].iloc[0]
    assert (zz.value, zz.vintage, zz.source_grade, zz.usable) == (10_352_000, "pre_census", "official", True)


def test_an_added_row_whose_value_is_not_its_quote_is_refused(tmp_path):
    import shutil

    from ipcompare.reference import ReferenceError, build_reference
    from ipcompare.registry import load_registry

    src = Path(__file__).resolve().parent.parent / "data" / "raw" / "reference"
    shutil.copytree(src, tmp_path / "reference")
    path = tmp_path / "reference" / "city_stats_added.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",27700,", ",27000,"), encoding="utf-8")
    with pytest.raises(ReferenceError, match=r"city_stats_added.csv:2: value 27000 亿元 but the quote says 2.77万亿元"):
        build_reference(tmp_path / "reference", load_registry())
