"""Parameters are checked before any kernel starts, with messages that list the valid choices."""

from pathlib import Path

import pytest

from ipcompare.cli import main
from ipcompare.report.params import (
    ParameterError,
    ReportError,
    coerce_cli_value,
    notebook_parameters,
    validate_parameters,
)
from ipcompare.report.runner import BatchFileError, load_batch, make_job

FIXTURE = Path(__file__).parent / "fixtures" / "report_fixture.ipynb"


def test_parameters_are_read_from_the_tagged_cell():
    p = notebook_parameters(FIXTURE)
    assert list(p) == ["city", "indicator", "cities", "year", "fail"]
    assert (p["city"].type_name, p["year"].type_name, p["cities"].type_name) == ("str", "int", "list")
    assert p["city"].help.startswith("a city")


def test_valid_parameters_are_normalised():
    clean = validate_parameters(FIXTURE, {"city": "郑州", "cities": ["Suzhou", "331082", "马鞍山市"], "year": 2030})
    assert clean == {"city": "zhengzhou", "cities": ["suzhou", "linhai", "maanshan"], "year": 2030}


@pytest.mark.parametrize("params, message", [
    ({"cty": "zhengzhou"}, "unknown parameter 'cty' (did you mean city?); valid: city, indicator, cities, year, fail"),
    ({"city": "beijing"}, "unknown city 'beijing'; valid: zhengzhou (郑州市), suzhou (苏州市)"),
    ({"cities": ["suzhou", "shanghai"]}, "unknown city 'shanghai'"),
    ({"indicator": "patents_per_10k"}, "unknown indicator code 'patents_per_10k' (did you mean"),
    ({"indicator": "nope"}, "valid codes: business_environment_ip_score,"),
    ({"year": "2025"}, "year: expected an integer, got '2025'"),
    ({"year": 25}, "not a plausible year"),
    ({"fail": "yes"}, "fail: expected true or false"),
    ({"cities": "suzhou"}, "cities: expected a list"),
    ({"cities": ["suzhou", 3]}, "cities: every item must be a string, got 3"),
    ({"cities": []}, "cities: give at least one"),
], ids=["name", "city", "city-in-list", "indicator-near", "indicator-list", "type", "year", "bool", "list", "item",
        "empty"])
def test_bad_parameters_get_a_clear_message(params, message):
    with pytest.raises(ParameterError) as exc:
        validate_parameters(FIXTURE, params)
    assert message in str(exc.value)
    assert "\n" not in str(exc.value)


@pytest.mark.parametrize("value", [
    'zhengzhou"; import os; os.system("touch /tmp/pwned"); "',
    "zhengzhou'\nimport os",
    "zheng\\zhou",
    "zheng\x00zhou",
    "zheng\u2028zhou",
    "zheng\u202ezhou",
])
def test_values_never_become_code(value):
    with pytest.raises(ParameterError, match="quote, backslash, newline or control character"):
        validate_parameters(FIXTURE, {"city": value})
    with pytest.raises(ParameterError, match="quote, backslash, newline or control character"):
        validate_parameters(FIXTURE, {"cities": ["suzhou", value]})


def test_all_problems_are_reported_together():
    with pytest.raises(ParameterError) as exc:
        validate_parameters(FIXTURE, {"city": "x", "year": "y", "colour": "red"})
    msg = str(exc.value)
    assert "unknown city 'x'" in msg and "year: expected an integer" in msg and "unknown parameter 'colour'" in msg


def test_cli_values_are_coerced_to_the_declared_type():
    p = notebook_parameters(FIXTURE)
    assert coerce_cli_value(p["cities"], "zhengzhou, suzhou") == ["zhengzhou", "suzhou"]
    assert coerce_cli_value(p["cities"], "[zhengzhou,suzhou]") == ["zhengzhou", "suzhou"]
    assert coerce_cli_value(p["year"], "2030") == 2030
    assert coerce_cli_value(p["fail"], "true") is True
    with pytest.raises(ParameterError, match="expects an integer"):
        coerce_cli_value(p["year"], "next year")


def test_job_names_are_safe_file_names():
    assert make_job(FIXTURE, {"city": "郑州"}).name == "report_fixture_zhengzhou"
    for bad in ("../escape", "a/b", ".hidden", "名字"):
        with pytest.raises(ReportError, match="job name"):
            make_job(FIXTURE, {}, name=bad)


def test_real_notebooks_know_their_choices():
    with pytest.raises(ParameterError, match="lang: 'fr' is not one of zh, en"):
        make_job("city_profile", {"lang": "fr"})
    with pytest.raises(ParameterError, match="neither national, peer_median, baseline nor a known city"):
        make_job("gap_analysis", {"benchmark": "world"})
    assert make_job("gap_analysis", {"benchmark": "郑州"}).parameters["benchmark"] == "zhengzhou"
    with pytest.raises(ReportError, match="unknown notebook 'city_profiles'; available in .*city_profile"):
        make_job("city_profiles", {})


def test_default_batch_is_valid():
    jobs = load_batch(Path(__file__).parent.parent / "reports" / "batch.yaml")
    assert len(jobs) == 9 and len({j.name for j in jobs}) == 9
    assert sum(j.notebook.stem == "city_profile" for j in jobs) == 5


def test_batch_file_problems_are_listed(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "jobs:\n"
        f"  - {{name: a, notebook: {FIXTURE}, parameters: {{city: atlantis}}}}\n"
        f"  - {{name: a, notebook: {FIXTURE}}}\n"
        f"  - {{name: a, notebook: {FIXTURE}}}\n"
        f"  - {{notebook: {FIXTURE}, params: {{}}}}\n", encoding="utf-8")
    with pytest.raises(BatchFileError) as exc:
        load_batch(bad)
    msg = str(exc.value)
    assert "job 1 (a)" in msg and "unknown city 'atlantis'" in msg
    assert "duplicate job name 'a'" in msg and "unknown key(s) params" in msg
    (tmp_path / "empty.yaml").write_text("jobs: []\n", encoding="utf-8")
    with pytest.raises(BatchFileError, match="non-empty list under 'jobs'"):
        load_batch(tmp_path / "empty.yaml")


def test_cli_reports_errors_in_one_line_before_running(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["report", str(FIXTURE), "-p", 'city=a"b', "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: report_fixture: city:") and err.count("\n") == 1
    assert not out.exists()  # nothing ran
    assert main(["report", str(FIXTURE), "-p", "town=x", "--out", str(out)]) == 1
    assert "unknown parameter 'town'" in capsys.readouterr().err
    assert main(["report", "--out", str(out)]) == 1
    assert "nothing to do" in capsys.readouterr().err


def test_max_rows_of_the_dataset_tour_must_be_positive():
    tour = Path(__file__).resolve().parent.parent / "notebooks" / "dataset_tour.ipynb"
    assert validate_parameters(tour, {"max_rows": 5}) == {"max_rows": 5}
    for bad, message in [(0, "max_rows: 0 — a table prints at least 1 row"), ("5", "max_rows: expected an integer")]:
        with pytest.raises(ParameterError, match=message):
            validate_parameters(tour, {"max_rows": bad})
