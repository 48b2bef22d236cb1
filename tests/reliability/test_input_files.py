"""Damaged and hostile input files: each is refused whole with one line naming file and line, no traceback,
and a failed build leaves data/tidy exactly as it was."""

import hashlib
import shutil

import pytest

from ipcompare.cli import main
from ipcompare.registry import REGISTRY_DIR, RegistryError, load_registry

DOC = "zhengzhou_2022_2025"


def _tidy_hashes(root):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (root / "data" / "tidy").iterdir()}


def _statements(root, doc=DOC):
    return root / "data" / "raw" / "statements" / f"{doc}.csv"


def _fails(root, capsys, argv, *needles):
    before = _tidy_hashes(root)
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(err) < 2000, err[:300]
    for needle in needles:
        assert needle in err, err
    assert _tidy_hashes(root) == before, "a failed build must not touch data/tidy"
    return err


# ------------------------------------------------------------------------------------------ statements CSV


def test_file_cut_off_inside_a_quoted_field(scratch, capsys):
    """Cut in the middle of a quoted note, no final newline: used to build with exit 0 and fewer statements."""
    path = _statements(scratch)
    text = path.read_text(encoding="utf-8")
    cut = text.index('"', len(text) // 2) + 5
    path.write_text(text[:cut], encoding="utf-8")
    _fails(scratch, capsys, ["build"], f"{DOC}.csv:", "cut off")


def test_unclosed_quote_swallowing_the_rest_of_the_file(scratch, capsys):
    path = _statements(scratch)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[10] = lines[10].replace(",", ',"', 1)
    path.write_text("".join(lines), encoding="utf-8")
    _fails(scratch, capsys, ["build"], f"{DOC}.csv:", "quote")


def test_header_only_file(scratch, capsys):
    path = _statements(scratch)
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    _fails(scratch, capsys, ["build"], f"{DOC}.csv:2", "no rows")


def test_second_flags_column_is_refused(scratch, capsys):
    """An empty second `flags` column used to win and erase every flag."""
    path = _statements(scratch)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0] + ",flags"] + [line + "," for line in lines[1:]]) + "\n", encoding="utf-8")
    _fails(scratch, capsys, ["build"], f"{DOC}.csv:1: flags", "repeated column")


def test_unknown_column_is_refused(scratch, capsys):
    path = _statements(scratch)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0] + ",reviewer"] + [line + ",lj" for line in lines[1:]]) + "\n",
                    encoding="utf-8")
    _fails(scratch, capsys, ["build"], f"{DOC}.csv:1: reviewer", "unknown column")


def test_row_with_a_stray_field(scratch, capsys):
    path = _statements(scratch)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].rstrip("\n") + ",extra\n"
    path.write_text("".join(lines), encoding="utf-8")
    _fails(scratch, capsys, ["build"], f"{DOC}.csv:4", "fields but the header has")


def test_duplicated_row_under_a_new_number_is_not_a_restatement(scratch, capsys):
    path = _statements(scratch)
    lines = path.read_text(encoding="utf-8").splitlines()
    n = len(lines)  # header + n-1 rows numbered 1..n-1
    copy = str(n) + lines[5][lines[5].index(","):]
    path.write_text("\n".join([*lines, copy]) + "\n", encoding="utf-8")
    _fails(scratch, capsys, ["build"], f"{DOC}.csv:{n + 1}: n", "repeats the statement on line 6")


def test_nul_character_in_a_note(scratch, capsys):
    path = _statements(scratch)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[7] = lines[7].rstrip("\n") + "\x00\n"
    path.write_text("".join(lines), encoding="utf-8")
    _fails(scratch, capsys, ["build"], f"{DOC}.csv:8", "NUL")


def test_field_longer_than_the_csv_limit(scratch, capsys):
    path = _statements(scratch)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = lines[4].rstrip("\n") + "注" * 140_000 + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    _fails(scratch, capsys, ["build"], f"{DOC}.csv:5", "131,072")


def test_a_draft_under_review_does_not_break_the_build(scratch, capsys):
    draft = scratch / "data" / "raw" / "statements" / f"{DOC}.draft.csv"
    draft.write_text("n,quote\n1,half-reviewed\n", encoding="utf-8")
    assert main(["build", "--check"]) == 0, capsys.readouterr().err
    assert main(["build"]) == 0
    assert f"{DOC}.draft.csv" in capsys.readouterr().out


# ------------------------------------------------------------------------------------------------ YAML


def test_yaml_syntax_error_in_documents_registry(scratch, capsys):
    reg = scratch / "data" / "raw" / "documents.yaml"
    lines = reg.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[6] = "  title_zh: [unclosed\n"
    reg.write_text("".join(lines), encoding="utf-8")
    err = _fails(scratch, capsys, ["build"], "documents.yaml:", "not valid YAML")
    assert err.count("\n") == 1


def test_unknown_key_in_documents_registry_names_the_line(scratch, capsys):
    reg = scratch / "data" / "raw" / "documents.yaml"
    text = reg.read_text(encoding="utf-8")
    reg.write_text(text.replace("  ocr: false", "  ocr: false\n  reviewer: lj", 1), encoding="utf-8")
    _fails(scratch, capsys, ["build"], "documents.yaml:", "reviewer", "Extra inputs are not permitted")


@pytest.fixture()
def registry_copy(tmp_path):
    folder = tmp_path / "registry"
    shutil.copytree(REGISTRY_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return folder


@pytest.mark.parametrize("file,anchor,addition,needle", [
    ("units.yaml", "item:\n", "  plural: items\n", "plural"),
    ("geographies.yaml", "  slug: zhengzhou\n", "  population: 1\n", "population"),
    ("vocab.yaml", "kind:\n", None, "unknown vocabulary 'kinds'"),
])
def test_unknown_keys_in_every_registry_file(registry_copy, file, anchor, addition, needle):
    path = registry_copy / file
    text = path.read_text(encoding="utf-8")
    assert anchor in text
    text = text.replace("kind:\n", "kinds:\n", 1) if addition is None else text.replace(anchor, anchor + addition, 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        load_registry(registry_copy)
    msg = str(err.value)
    assert f"{file}:" in msg and needle in msg and "\n" not in msg, msg


def test_yaml_alias_bomb_is_refused_at_once(registry_copy):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    (registry_copy / "vocab.yaml").write_text(bomb, encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        load_registry(registry_copy)
    assert "alias" in str(err.value) and len(str(err.value)) < 300


@pytest.mark.parametrize("name", ["city_stats.csv", "national_actuals.csv"])
def test_reference_csv_cut_off(scratch, capsys, name):
    path = scratch / "data" / "raw" / "reference" / name
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2].rstrip(b"\n"))
    _fails(scratch, capsys, ["build"], f"{name}:", "cut off")
