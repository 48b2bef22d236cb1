"""Bad input gets a clear error naming the file, line or field — and the build writes nothing partial."""

import csv
import hashlib
import io

import pytest

from ipcompare.cli import main
from ipcompare.documents import DocumentError, decode_text

DOC = "zhengzhou_2022_2025"


def _edit_statement(root, doc_id, n, **changes):
    path = root / "data" / "raw" / "statements" / f"{doc_id}.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    for r in rows:
        if r["n"] == str(n):
            r.update(changes)
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _first_row(root, doc_id=DOC):
    path = root / "data" / "raw" / "statements" / f"{doc_id}.csv"
    return next(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _tidy_hashes(root):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (root / "data" / "tidy").iterdir()}


def _build_fails(root, capsys, *needles):
    before = _tidy_hashes(root)
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    for needle in needles:
        assert needle in err, err
    assert _tidy_hashes(root) == before, "a failed build must not touch data/tidy"
    return err


def test_quote_not_in_document(scratch, capsys):
    row = _first_row(scratch)
    _edit_statement(scratch, DOC, row["n"], quote=row["quote"] + "（虚构）")
    _build_fails(scratch, capsys, f"{DOC}.csv:2: char_start", "not in the document")


def test_offsets_wrong(scratch, capsys):
    row = _first_row(scratch)
    _edit_statement(scratch, DOC, row["n"], char_start=str(int(row["char_start"]) + 1),
                    char_end=str(int(row["char_end"]) + 1))
    _build_fails(scratch, capsys, f"{DOC}.csv:2: char_start", "the quote is found at")


def test_unknown_indicator(scratch, capsys):
    row = _first_row(scratch)
    _edit_statement(scratch, DOC, row["n"], indicator="patents_per_capita_typo")
    _build_fails(scratch, capsys, f"{DOC}.csv:2: indicator", "unknown indicator code 'patents_per_capita_typo'")


def test_unit_does_not_fit_indicator(scratch, capsys):
    """亿元 for a patent count is refused."""
    path = scratch / "data" / "raw" / "statements" / "maanshan_2024_2026.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    pledge = next(r for r in rows if r["value_text"] == "突破25亿元")
    _edit_statement(scratch, "maanshan_2024_2026", pledge["n"], indicator="invention_patents_in_force",
                    measure="stock")
    _build_fails(scratch, capsys, "value_text", "unit '元'", "does not fit invention_patents_in_force")


def test_unknown_geography(scratch, capsys):
    reg = scratch / "data" / "raw" / "documents.yaml"
    reg.write_text(reg.read_text(encoding="utf-8").replace('geo_code: "410100"', 'geo_code: "419999"'), encoding="utf-8")
    _build_fails(scratch, capsys, "unknown geography code '419999'")


def test_checksum_mismatch(scratch, capsys):
    doc = scratch / "data" / "raw" / "docs" / f"{DOC}.txt"
    doc.write_bytes(doc.read_bytes() + b"\n")
    _build_fails(scratch, capsys, f"{DOC}.txt: sha256", "raw files are immutable")


def test_empty_statements_file(scratch, capsys):
    (scratch / "data" / "raw" / "statements" / f"{DOC}.csv").write_bytes(b"")
    _build_fails(scratch, capsys, f"{DOC}.csv:1", "the file is empty")


def test_statements_not_utf8(scratch, capsys):
    path = scratch / "data" / "raw" / "statements" / f"{DOC}.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    _build_fails(scratch, capsys, f"{DOC}.csv:1", "not UTF-8")


def test_all_problems_reported_at_once(scratch, capsys):
    row = _first_row(scratch)
    _edit_statement(scratch, DOC, row["n"], indicator="nope", kind="maybe", year="1850")
    err = _build_fails(scratch, capsys, "indicator", "kind", "year")
    assert "3 problem(s)" in err


def test_gbk_text_is_detected_and_decoded():
    text = "到2025年，每万人口高价值发明专利拥有量达到11.5件。"
    assert decode_text(text.encode("gbk"), "plan.txt") == (text, "gb18030")
    assert decode_text(text.encode("utf-8"), "plan.txt") == (text, "utf-8")


def test_registered_encoding_mismatch_says_how_to_convert():
    with pytest.raises(DocumentError, match=r"plan\.txt: not valid utf-8 as registered; convert it with `iconv"):
        decode_text("知识产权".encode("gbk"), "plan.txt", "utf-8")


@pytest.mark.parametrize("data, msg", [(b"", "empty"), (b"  \n", "empty"), (b"\x00\x01\x02binary", "binary")])
def test_empty_or_binary_document(data, msg):
    with pytest.raises(DocumentError, match=msg):
        decode_text(data, "x.txt")


def test_validate_before_build_says_what_to_do(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("IPCOMPARE_HOME", str(tmp_path))
    (tmp_path / "data" / "tidy").mkdir(parents=True)
    assert main(["validate"]) == 1
    assert "run `ipcompare build` first" in capsys.readouterr().err
