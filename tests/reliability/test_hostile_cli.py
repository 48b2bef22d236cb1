"""Hostile command lines: the extractor never overwrites raw documents, curated statements or tidy outputs,
and absurd input gives a one-line answer, never a traceback."""

import hashlib

import pytest

from ipcompare.cli import main

DOC = "zhengzhou_2022_2025"


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def plan(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("到2025年，每万人口高价值发明专利拥有量达到11.5件。\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("option,target", [
    ("--save-text", f"data/raw/docs/{DOC}.txt"),
    ("--out", "data/tidy/observations.csv"),
    ("--out", "data/tidy/new.csv"),
    ("--out", f"data/raw/docs/{DOC}.txt"),
    ("--out", f"data/raw/statements/{DOC}.csv"),
    ("--save-text", "data/raw/documents.yaml"),
])
def test_extract_never_overwrites_raw_or_tidy_files(scratch, plan, capsys, option, target):
    path = scratch / target
    before = _digest(path) if path.exists() else None
    assert main(["extract", str(plan), option, str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}") and err.count("\n") == 1, err
    assert (_digest(path) if path.exists() else None) == before


def test_extract_may_save_a_new_text_under_raw_docs(scratch, plan, capsys):
    new = scratch / "data" / "raw" / "docs" / "newcity_2025.txt"
    assert main(["extract", str(plan), "--save-text", str(new)]) == 0
    assert new.read_text(encoding="utf-8") == plan.read_text(encoding="utf-8")


def test_a_draft_can_still_be_replaced_with_force(scratch, plan, capsys):
    assert main(["extract", str(plan), "--draft"]) == 0
    assert main(["extract", str(plan), "--draft"]) == 1
    assert main(["extract", str(plan), "--draft", "--force"]) == 0


@pytest.mark.parametrize("numeral", ["〇" * 5000, "一" + "〇" * 5000, "9" * 5000])
def test_absurd_numerals_in_a_plan(tmp_path, capsys, numeral):
    path = tmp_path / "plan.txt"
    path.write_text(f"到2025年，发明专利达到{numeral}件。\n", encoding="utf-8")
    code = main(["extract", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and len(err) < 2000
    assert code == 0 and "ocr_unreadable" in out  # kept and flagged, never guessed


def _pdf_with_text(text: str, **encrypt) -> bytes:
    """A one-page PDF whose text layer is ``text`` (Helvetica, ASCII), encrypted with ``encrypt``."""
    import io

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    w = PdfWriter()
    page = w.add_blank_page(400, 200)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): w._add_object(font)})})
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 12 Tf 10 100 Td ({text}) Tj ET".encode("ascii"))
    page[NameObject("/Contents")] = w._add_object(content)
    w.encrypt(**encrypt)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256"])
def test_aes_encrypted_pdf_with_only_an_owner_password_is_read(algorithm):
    """Every viewer opens these; pypdf needs the cryptography package for AES."""
    from ipcompare.extract.readers import pdf_to_text

    text = "By 2025 the city will have 11.5 invention patents per 10k people"
    data = _pdf_with_text(text, user_password="", owner_password="owner", algorithm=algorithm)
    assert pdf_to_text(data, "plan.pdf").strip() == text


def test_pdf_with_a_user_password_says_so():
    from ipcompare.extract.readers import ExtractInputError, pdf_to_text

    data = _pdf_with_text("secret plan text with enough words to read", user_password="u", owner_password="o",
                          algorithm="AES-256")
    with pytest.raises(ExtractInputError, match="plan.pdf: the PDF is password-protected"):
        pdf_to_text(data, "plan.pdf")


@pytest.mark.parametrize("param,needle", [
    ("city=__import__('os').system('true')", "quote, backslash"),
    ("year=1e309", "expects an integer"),
    ("year=99999999999999999999999", "not a plausible year"),
    ("city=" + "a" * 100_000, "longer than 200"),
    ("cities=,,,", "at least one"),
    ("indicator=../../etc/passwd", "unknown indicator code"),
])
def test_hostile_report_parameters_are_refused_before_any_kernel(tmp_path, capsys, param, needle):
    from pathlib import Path

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "report_fixture.ipynb"
    assert main(["report", str(fixture), "-p", param, "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1 and len(err) < 5000  # the valid codes may be listed
    assert not (tmp_path / "out").exists()
