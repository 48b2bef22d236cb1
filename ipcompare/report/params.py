"""Report parameters: read what a notebook accepts, and check what a job passes, before any kernel starts.

A notebook declares its parameters in the cell tagged ``parameters`` as plain assignments; the literal default
gives the type, a trailing comment is the help text and may list the choices (``# one of: national, peers``)::

    city = "zhengzhou"  # a city: slug, zh or en name, or code
    years = [2020, 2025]
    benchmark = "national"  # one of: national, peers

Values are checked by type, and by meaning for the names the project knows: ``city``/``cities``/``peers``
must be geographies of the registry, ``indicator``/``indicators`` indicator codes. Strings may not contain
quotes, backslashes, newlines or other control characters: a parameter value is data and never becomes code.
"""

from __future__ import annotations

import ast
import difflib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "ReportError",
    "ParameterError",
    "NotebookParam",
    "notebook_parameters",
    "coerce_cli_value",
    "validate_parameters",
    "describe_parameters",
    "GEOGRAPHY_PARAMS",
    "INDICATOR_PARAMS",
]

GEOGRAPHY_PARAMS = frozenset({"city", "cities", "peers", "peer_cities"})
INDICATOR_PARAMS = frozenset({"indicator", "indicators"})
#: names whose values the project knows, unless the notebook's help comment declares its own choices
KNOWN_CHOICES = {"lang": ("zh", "en")}
BENCHMARKS = ("national", "peer_median", "baseline")  # ipcompare.analysis.gaps, or any geography
_BENCHMARK_LABELS = {"national": "全国目标 national", "peer_median": "对标城市中位数 peer median",
                     "baseline": "本市基期值 own baseline"}
_MAX_LEN = 200
_CHOICES = re.compile(r"(?:one of|choices)\s*:\s*(.+)$", re.IGNORECASE)


class ReportError(ValueError):
    """A report job cannot run; the message is one line and says what to change."""


class ParameterError(ReportError):
    """A job's parameters do not fit its notebook."""


@dataclass(frozen=True)
class NotebookParam:
    """One assignment of a notebook's ``parameters`` cell."""

    name: str
    default: Any
    type_name: str  # str | int | float | bool | list | dict | None (no literal default)
    help: str = ""

    @property
    def choices(self) -> tuple[str, ...]:
        """Choices declared in the help comment (``# one of: a, b``), else empty."""
        m = _CHOICES.search(self.help)
        if not m:
            return ()
        return tuple(c.strip(" .;'\"`") for c in re.split(r"[,|/]", m.group(1)) if c.strip(" .;'\"`"))


def _parameters_cell(nb: dict) -> tuple[int, str]:
    for i, cell in enumerate(nb.get("cells") or []):
        if isinstance(cell, dict) and cell.get("cell_type") == "code" \
                and "parameters" in (cell.get("metadata") or {}).get("tags", []):
            source = cell.get("source", "")
            return i, "".join(source) if isinstance(source, list) else str(source)
    raise ParameterError("notebook has no cell tagged 'parameters'")


def _read_notebook(path: Path) -> dict:
    """The notebook's JSON (nbformat 4). Read as plain JSON: nbformat's schema validation cost the main process
    1 CPU-s (import and schema compilation) before any job started; the kernel side reads it with nbformat."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(nb, dict) or nb.get("nbformat") != 4 or not isinstance(nb.get("cells"), list):
        raise ValueError("not a version 4 notebook (no 'nbformat': 4 and list of 'cells')")
    return nb


def notebook_parameters(path: str | Path) -> dict[str, NotebookParam]:
    """The parameters a notebook accepts, read from its ``parameters`` cell without running anything."""
    path = Path(path)
    try:
        nb = _read_notebook(path)
    except FileNotFoundError:
        raise ReportError(f"notebook not found: {path}") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError is a ValueError
        raise ReportError(f"{path}: not a readable notebook ({type(exc).__name__}: {exc})") from None
    try:
        _, source = _parameters_cell(nb)
    except ParameterError as exc:
        raise ParameterError(f"{path.name}: {exc}") from None
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ParameterError(f"{path.name}: parameters cell is not valid Python ({exc.msg}, line {exc.lineno})") from None
    lines = source.splitlines()
    out: dict[str, NotebookParam] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, value, ann = node.targets[0].id, node.value, None
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            name, value, ann = node.target.id, node.value, ast.unparse(node.annotation)
        else:
            continue
        try:
            default = ast.literal_eval(value)
        except ValueError:
            default = None
        type_name = _type_name(ann, default)
        end = lines[node.end_lineno - 1] if node.end_lineno else ""
        help_ = end.split("#", 1)[1].strip() if "#" in end[node.end_col_offset or 0:] else ""
        out[name] = NotebookParam(name, default, type_name, help_)
    return out


def _type_name(annotation: str | None, default: Any) -> str:
    if annotation:
        base = annotation.split("[", 1)[0].split("|", 1)[0].strip().lower()
        if base in {"str", "int", "float", "bool", "list", "dict"}:
            return base
    if default is None:
        return "None"
    if isinstance(default, tuple):
        return "list"
    return type(default).__name__ if type(default).__name__ in {"str", "int", "float", "bool", "list", "dict"} else "None"


def _elem_type(param: NotebookParam) -> str | None:
    if param.type_name == "list" and isinstance(param.default, list | tuple) and param.default:
        return _type_name(None, param.default[0])
    return None


def coerce_cli_value(param: NotebookParam, raw: str) -> Any:
    """Turn the text of ``-p name=value`` into the parameter's type (lists are comma-separated)."""
    raw = raw.strip()
    if param.type_name == "list":
        if raw.startswith("[") and raw.endswith("]"):
            raw = raw[1:-1]
        items = [x.strip() for x in raw.split(",") if x.strip()]
        et = _elem_type(param)
        return [_coerce_scalar(param.name, et, x) for x in items]
    if param.type_name == "dict":
        raise ParameterError(f"parameter {param.name!r} is a mapping; set it in a batch file, not with -p")
    return _coerce_scalar(param.name, param.type_name, raw)


def _coerce_scalar(name: str, type_name: str | None, raw: str) -> Any:
    try:
        if type_name == "int":
            return int(raw)
        if type_name == "float":
            return float(raw)
    except ValueError:
        raise ParameterError(f"parameter {name!r} expects {'an integer' if type_name == 'int' else 'a number'}, "
                             f"got {raw!r}") from None
    if type_name == "bool":
        low = raw.lower()
        if low in {"true", "yes", "1", "on"}:
            return True
        if low in {"false", "no", "0", "off"}:
            return False
        raise ParameterError(f"parameter {name!r} expects true or false, got {raw!r}")
    if type_name == "None":
        for conv in (int, float):
            try:
                return conv(raw)
            except ValueError:
                pass
    return raw


def _unsafe(s: str) -> bool:
    return any(ch in "\"'`\\" or unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} for ch in s)


def _type_ok(type_name: str | None, value: Any) -> bool:
    if type_name in (None, "None"):
        return isinstance(value, str | int | float | bool) or value is None
    if type_name == "float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if type_name == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "list":
        return isinstance(value, list | tuple)
    return type(value).__name__ == type_name


_ARTICLE = {"str": "a string", "int": "an integer", "float": "a number", "bool": "true or false",
            "list": "a list", "dict": "a mapping"}


def _check_strings(name: str, value: Any, problems: list[str]) -> None:
    if isinstance(value, str):
        if _unsafe(value):
            problems.append(f"{name}: value {value!r} contains a quote, backslash, newline or control character "
                            f"(not allowed in parameters)")
        elif len(value) > _MAX_LEN:
            problems.append(f"{name}: value is longer than {_MAX_LEN} characters")
    elif isinstance(value, list | tuple):
        for v in value:
            _check_strings(name, v, problems)
    elif isinstance(value, dict):
        for k, v in value.items():
            _check_strings(name, k, problems)
            _check_strings(name, v, problems)
    elif not (value is None or isinstance(value, bool | int | float)):
        problems.append(f"{name}: unsupported value type {type(value).__name__}")


def _near(key: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(key, choices, n=3, cutoff=0.6)
    if len(key) >= 3:
        close += [c for c in choices if key.lower() in c.lower() and c not in close][: 5 - len(close)]
    return f" (did you mean {', '.join(close)}?)" if close else ""


def validate_parameters(notebook: str | Path, params: dict[str, Any], *, registry=None) -> dict[str, Any]:
    """Check ``params`` against the notebook's parameters cell and the registry; return them normalised.

    Geographies are normalised to their slug (``郑州`` → ``zhengzhou``). All problems are collected and raised
    together as one :class:`ParameterError` whose message lists the valid choices.
    """
    notebook = Path(notebook)
    declared = notebook_parameters(notebook)
    if registry is None:
        from ipcompare.registry import load_registry

        registry = load_registry()
    problems: list[str] = []
    clean: dict[str, Any] = {}
    geos = {g.slug: g for g in registry.geographies.values()}
    for name, value in params.items():
        if not isinstance(name, str) or name not in declared:
            problems.append(f"unknown parameter {name!r}{_near(str(name), list(declared))}; "
                            f"valid: {', '.join(declared) or '(none)'}")
            continue
        p = declared[name]
        before = len(problems)
        _check_strings(name, value, problems)
        if len(problems) > before:
            continue
        if not _type_ok(p.type_name, value):
            problems.append(f"{name}: expected {_ARTICLE.get(p.type_name, p.type_name)}, got {value!r}")
            continue
        et = _elem_type(p)
        if p.type_name == "list":
            bad = [v for v in value if not _type_ok(et, v)]
            if bad:
                problems.append(f"{name}: every item must be {_ARTICLE.get(et or 'None', 'a plain value')}, "
                                f"got {bad[0]!r}")
                continue
            value = list(value)
        items = value if isinstance(value, list) else [value]
        if not items and name in GEOGRAPHY_PARAMS | INDICATOR_PARAMS:
            problems.append(f"{name}: give at least one")
            continue
        if name in GEOGRAPHY_PARAMS:
            out = []
            for v in items:
                try:
                    out.append(registry.geography(str(v)).slug)
                except KeyError:
                    choices = [f"{g.slug} ({g.name_zh})" for g in geos.values()]
                    problems.append(f"{name}: unknown city {v!r}{_near(str(v), list(geos))}; valid: {', '.join(choices)}")
            value = out if isinstance(value, list) else (out[0] if out else value)
        elif name in INDICATOR_PARAMS:
            codes = list(registry.indicators)
            for v in items:
                if v not in registry.indicators:
                    problems.append(f"{name}: unknown indicator code {v!r}{_near(str(v), codes)}; valid codes: "
                                    f"{', '.join(codes)}")
        elif p.choices or name in KNOWN_CHOICES:
            choices = p.choices or KNOWN_CHOICES[name]
            for v in items:
                if str(v) not in choices:
                    problems.append(f"{name}: {v!r} is not one of {', '.join(choices)}")
        elif name == "benchmark":
            out = []
            for v in items:
                if v in BENCHMARKS:
                    out.append(v)
                    continue
                try:
                    out.append(registry.geography(str(v)).slug)
                except KeyError:
                    problems.append(f"{name}: {v!r} is neither {', '.join(BENCHMARKS)} nor a known city "
                                    f"({', '.join(geos)})")
            value = out if isinstance(value, list) else (out[0] if out else value)
        elif name in {"year", "years"}:
            for v in items:
                if isinstance(v, int) and v != 0 and not 1990 <= v <= 2100:
                    problems.append(f"{name}: {v} is not a plausible year (1990–2100, or 0 for the latest)")
        elif name == "max_rows" and isinstance(value, int) and value < 1:
            problems.append(f"{name}: {value} — a table prints at least 1 row")
        clean[name] = value
    if problems:
        raise ParameterError(f"{notebook.stem}: " + "; ".join(problems))
    return clean


def describe_parameters(params: dict[str, Any], *, registry=None) -> list[tuple[str, str]]:
    """Human labels for a title block: cities as ``郑州市 Zhengzhou``, indicators as their zh name and code."""
    if registry is None:
        from ipcompare.registry import load_registry

        registry = load_registry()

    def one(name: str, v: Any) -> str:
        if name == "benchmark" and v in _BENCHMARK_LABELS:
            return _BENCHMARK_LABELS[v]
        if name in GEOGRAPHY_PARAMS or name == "benchmark":
            try:
                g = registry.geography(str(v))
                return f"{g.name_zh} {g.name_en}"
            except KeyError:
                return str(v)
        if name in INDICATOR_PARAMS and v in registry.indicators:
            ind = registry.indicators[v]
            return f"{ind.name_zh}（{ind.code}）"
        return str(v)

    rows = []
    for name, v in params.items():
        vals = v if isinstance(v, list | tuple) else [v]
        rows.append((name, "、".join(one(name, x) for x in vals)))
    return rows
