"""China's administrative divisions (GB/T 2260 codes): the full table and looking a place up by name or code.

``data/raw/reference/divisions.csv`` is derived from the verbatim copies of modood/Administrative-divisions-of-China
in ``data/raw/reference/divisions/`` (source, commit and vintage in ``data/raw/reference/README.md``) by
``python -m ipcompare.divisions`` — the only place that needs ``pypinyin`` (the ``reference`` extra).
Deriving and looking up are pure; reading and writing happen in ``read_divisions`` and ``main``.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Division", "DivisionError", "COLUMNS", "SOURCE_REPO", "SOURCE_COMMIT", "derive_divisions", "read_divisions", "lookup", "romanise"]

# The copies in data/raw/reference/divisions/ are dist/*.csv of this repository at this commit (dist last changed in
# dc3a1d7, 2023-09-13); see data/raw/reference/README.md for the vintage.
SOURCE_REPO = "modood/Administrative-divisions-of-China"
SOURCE_COMMIT = "57a0aa9cef47169a2eb74cf057b0245052a34e8c"
COLUMNS = ["geo_code", "name_zh", "name_en", "level", "kind", "parent_code", "province_zh", "source_file", "source_line"]

# The source lists grouping rows that are not divisions: the city level of a municipality (市辖区, 县) and the
# "directly administered county-level divisions" of a province (省直辖县级行政区划). Their children hang from the
# province instead.
_GROUPING = re.compile(r"^(市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$")
# English for the generic part of a name; the specific part is romanised (pinyin, not an official English name).
_SUFFIXES = [
    ("维吾尔自治区", " Uygur Autonomous Region"), ("壮族自治区", " Zhuang Autonomous Region"),
    ("回族自治区", " Hui Autonomous Region"), ("自治区", " Autonomous Region"), ("自治州", " Autonomous Prefecture"),
    ("自治县", " Autonomous County"), ("自治旗", " Autonomous Banner"), ("特别行政区", " SAR"), ("林区", " Forestry District"),
    ("地区", " Prefecture"), ("新区", " New Area"), ("省", ""), ("市", ""), ("盟", " League"), ("旗", " Banner"),
    ("区", " District"), ("县", " County"),
]


class DivisionError(ValueError):
    """A place cannot be looked up (unknown, or ambiguous: the message lists the candidates)."""


@dataclass(frozen=True)
class Division:
    """One row of the division table."""

    geo_code: str
    name_zh: str
    name_en: str
    level: str  # province / prefecture / county
    kind: str  # division / functional_zone (an NBS statistical code that GB/T 2260 does not have)
    parent_code: str
    province_zh: str
    source_file: str
    source_line: int

    @property
    def short_zh(self) -> str:
        """The name without its generic suffix: 嘉兴市 → 嘉兴, 当涂县 → 当涂 (at least two characters kept)."""
        for suffix, _ in _SUFFIXES:
            if self.name_zh.endswith(suffix) and len(self.name_zh) - len(suffix) >= 2:
                return self.name_zh[: -len(suffix)]
        return self.name_zh

    def label(self) -> str:
        """``330402 南湖区 (浙江省 嘉兴市)``-style label used in messages."""
        return f"{self.geo_code} {self.name_zh}"


def romanise(name_zh: str, syllables: Callable[[str], list[str]]) -> str:
    """English form of a division name: pinyin of its specific part (apostrophe before a/o/e syllables, Xi'an) plus
    the English of its generic suffix. ``syllables`` maps text to toneless pinyin syllables (pypinyin's lazy_pinyin).
    Not an official English name: a polyphonic character may be read wrongly (朝阳市 comes out Zhaoyang)."""
    for suffix, en in _SUFFIXES:
        if name_zh.endswith(suffix) and len(name_zh) - len(suffix) >= 2:
            stem, tail = name_zh[: -len(suffix)], en
            break
    else:
        stem, tail = name_zh, ""
    # The whole name is romanised and the suffix's syllables dropped: pypinyin's phrase dictionary reads place
    # names better whole (朝阳区 chao, 番禺区 pan, 六安市 lu), one syllable per character.
    whole = syllables(name_zh)
    parts = whole[: len(stem)] if len(whole) == len(name_zh) else syllables(stem)
    out = ""
    for i, s in enumerate(parts):
        s = s.replace("v", "ü")
        out += ("'" if i and s[:1] in "aoe" else "") + s
    return out[:1].upper() + out[1:] + tail


def derive_divisions(provinces: Iterable[dict], cities: Iterable[dict], areas: Iterable[dict],
                     syllables: Callable[[str], list[str]]) -> list[dict]:
    """The division table from modood's provinces.csv / cities.csv / areas.csv rows (dicts with ``_line``)."""
    rows: list[dict] = []
    prov = {}
    for p in provinces:
        code = p["code"] + "0000"
        prov[p["code"]] = p["name"]
        rows.append(_row(code, p["name"], "province", "division", "", p["name"], "provinces.csv", p["_line"], syllables))
    grouping = set()
    for c in cities:
        if _GROUPING.match(c["name"]):
            grouping.add(c["code"])
            continue
        rows.append(_row(c["code"] + "00", c["name"], "prefecture", "division", c["provinceCode"] + "0000",
                         prov[c["provinceCode"]], "cities.csv", c["_line"], syllables))
    for a in areas:
        parent = a["provinceCode"] + "0000" if a["cityCode"] in grouping else a["cityCode"] + "00"
        if a["code"] == parent:
            # 东莞, 中山, 儋州: prefecture-level cities without counties are listed again among the areas under
            # their own code; one place is one row (a second one would be its own parent).
            continue
        # NBS numbers 71-80 under a city are development zones and scenic areas it adds for statistics.
        kind = "functional_zone" if 71 <= int(a["code"][4:]) <= 80 else "division"
        rows.append(_row(a["code"], a["name"], "county", kind, parent, prov[a["provinceCode"]], "areas.csv",
                         a["_line"], syllables))
    return sorted(rows, key=lambda r: r["geo_code"])


def _row(code: str, name: str, level: str, kind: str, parent: str, province: str, file: str, line: int,
         syllables: Callable[[str], list[str]]) -> dict:
    return {"geo_code": code, "name_zh": name, "name_en": romanise(name, syllables), "level": level, "kind": kind,
            "parent_code": parent, "province_zh": province, "source_file": file, "source_line": line}


def read_divisions(path: Path) -> list[Division]:
    """Read the division table; a malformed file is an error naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DivisionError(f"{path}: missing; the division table ships with the repository") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames != COLUMNS:
        raise DivisionError(f"{path}: header must be {','.join(COLUMNS)}")
    try:
        return [Division(**{**r, "source_line": int(r["source_line"])}) for r in reader]
    except (TypeError, ValueError) as exc:
        raise DivisionError(f"{path}: line {reader.line_num}: {exc}") from None


def _ancestors(d: Division, by_code: dict[str, Division]) -> list[Division]:
    out = []
    while d.parent_code and d.parent_code in by_code and d.parent_code != d.geo_code:
        d = by_code[d.parent_code]
        out.append(d)
    return out


def _names(d: Division) -> set[str]:
    return {d.name_zh, d.short_zh}


def lookup(divisions: list[Division], key: str) -> Division:
    """The division a user means by ``key``: a six-digit code, a zh name with or without its suffix (嘉兴, 嘉兴市),
    optionally led by its province or city (长春市朝阳区, 吉林长春朝阳区), or the romanised name (Jiaxing).
    Unknown or ambiguous keys raise DivisionError listing the candidates."""
    key = key.strip()
    by_code = {d.geo_code: d for d in divisions}
    if re.fullmatch(r"\d{6}", key):
        if key not in by_code:
            raise DivisionError(f"no division with code {key} in the division table")
        return by_code[key]
    found = [d for d in divisions if key in _names(d) or key.lower() == d.name_en.lower()]
    if not found:  # led by its parents' names: 长春市朝阳区
        for d in divisions:
            for name in _names(d):
                if key.endswith(name) and len(key) > len(name) and _is_parents(key[: -len(name)], _ancestors(d, by_code)):
                    found.append(d)
                    break
    if not found:
        raise DivisionError(f"no division named {key!r}; give its GB/T 2260 code or the name as written (e.g. 嘉兴市)")
    real = [d for d in found if d.kind == "division"] or found
    if len(real) > 1:
        # A prefecture and a same-named county-level place: 吉林 the province vs 吉林市; prefer the exact name.
        exact = [d for d in real if d.name_zh == key]
        if len(exact) == 1:
            return exact[0]
        options = "; ".join(f"{d.label()} ({' '.join(a.name_zh for a in reversed(_ancestors(d, by_code)))})"
                            for d in real)
        raise DivisionError(f"{key!r} names {len(real)} divisions: {options}; give the code or lead with the "
                            "province or city (e.g. 长春市朝阳区)")
    return real[0]


def _is_parents(prefix: str, ancestors: list[Division]) -> bool:
    """``prefix`` is the names of some of ``ancestors`` outermost first (吉林长春, 长春市, 吉林省长春市)."""
    for a in reversed(ancestors):
        for name in sorted(_names(a), key=len, reverse=True):
            if prefix.startswith(name):
                prefix = prefix[len(name):]
                break
    return prefix == ""


def _read_source(path: Path) -> list[dict]:
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    return [{**r, "_line": reader.line_num} for r in reader]


def main(argv: list[str] | None = None) -> int:
    """``python -m ipcompare.divisions SRC_DIR OUT_CSV``: derive the table from modood's dist/*.csv copies."""
    from pypinyin import lazy_pinyin

    src, out = (Path(a) for a in (argv or sys.argv[1:]))
    rows = derive_divisions(_read_source(src / "provinces.csv"), _read_source(src / "cities.csv"),
                            _read_source(src / "areas.csv"), lambda t: lazy_pinyin(t, errors="ignore"))
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    out.write_text(buf.getvalue(), encoding="utf-8")
    print(f"wrote {len(rows)} divisions to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
