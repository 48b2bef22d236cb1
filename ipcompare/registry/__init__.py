"""The registries, declared once in YAML next to this module and loaded into strict models.

Everything else — the pandera schema, the data dictionary, chart labels, the extractor's vocabulary — is
generated from what is loaded here. Unknown keys or codes are errors, never silently dropped.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ipcompare.yamlfile import YamlDoc, YamlFileError, load_yaml, one_line

__all__ = [
    "Indicator",
    "Unit",
    "Geography",
    "Registry",
    "RegistryError",
    "load_registry",
    "REGISTRY_DIR",
    "ADDED_GEOGRAPHIES",
]

REGISTRY_DIR = Path(__file__).parent
# Places registered by `ipcompare add`, in data/raw/ of the checkout (the package's registry is never written).
ADDED_GEOGRAPHIES = "geographies_added.yaml"
Group = Literal["creation", "utilisation", "protection", "management", "service", "talent", "funding", "economy"]
Per = Literal["10k_population", "10k_enterprises"]


class RegistryError(ValueError):
    """A registry file is malformed; the message names the file and entry."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Indicator(_Strict):
    """One indicator: what is counted, in which base unit, per what."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    name_en: str
    group: Group
    unit: str
    per: Per | None = None
    higher_is_better: bool = True
    aliases: tuple[str, ...] = ()
    description: str
    alt_units: tuple[str, ...] = ()

    @field_validator("aliases")
    @classmethod
    def _no_blank_alias(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if any(not a.strip() for a in v):
            raise ValueError("blank alias")
        return v


class Unit(_Strict):
    """A base unit and the zh counters (量词) written for it."""

    code: str
    name_zh: str
    name_en: str
    counters: tuple[str, ...]


class Geography(_Strict):
    """A GB/T 2260 division (or 100000 for the nation)."""

    geo_code: str = Field(pattern=r"^\d{6}$")
    name_zh: str
    name_en: str
    level: Literal["national", "province", "prefecture", "county-level city", "district", "county"]
    parent_code: str | None = None
    province_zh: str | None = None
    slug: str = Field(pattern=r"^[a-z_]+$")
    source_url: str
    source_quote: str
    note: str = ""


class Registry(_Strict):
    """All registries together, with lookups by code."""

    indicators: dict[str, Indicator]
    units: dict[str, Unit]
    geographies: dict[str, Geography]
    vocab: dict[str, dict[str, str]]

    def indicator(self, code: str) -> Indicator:
        """The indicator with ``code``; a KeyError naming the closest codes otherwise."""
        try:
            return self.indicators[code]
        except KeyError:
            raise KeyError(f"unknown indicator code {code!r}") from None

    def geography(self, key: str) -> Geography:
        """Look up a geography by code, slug, zh or en name (case-insensitive for en)."""
        for g in self.geographies.values():
            if key in (g.geo_code, g.slug, g.name_zh, g.name_zh.rstrip("市")) or key.lower() == g.name_en.lower():
                return g
        raise KeyError(
            f"unknown geography {key!r}; known: {', '.join(g.slug for g in self.geographies.values())}"
        )

    def counter_units(self, counter: str) -> set[str]:
        """Base units a written counter (件, 家, 亿元 → 元 …) may stand for."""
        return {u.code for u in self.units.values() if counter in u.counters}

    def allowed(self, field: str) -> list[str]:
        """Allowed values of a controlled-vocabulary field (kind, measure, comparator, commitment, flags)."""
        return list(self.vocab[field])


def _read_yaml(path: Path) -> YamlDoc:
    try:
        return load_yaml(path)
    except YamlFileError as exc:
        raise RegistryError(str(exc)) from None


def _invalid(exc: ValidationError | TypeError) -> str:
    """A pydantic error on one line: ``field: message; field: message``."""
    if isinstance(exc, TypeError):
        return one_line(exc, 200)
    return one_line("; ".join(f"{'.'.join(map(str, e['loc'])) or '-'}: {e['msg']}" for e in exc.errors()), 300)


_M = TypeVar("_M", bound=BaseModel)


def _keyed_entries(path: Path, doc: YamlDoc, model: type[_M], key: str, plural: str, noun: str,
                   dup: str) -> dict[str, _M]:
    """A YAML list of ``model`` entries keyed by their ``key`` field; an invalid entry or a repeated key is an
    error naming the file and line."""
    if not isinstance(doc.data, list):
        raise RegistryError(f"{path}: expected a list of {plural}")
    out: dict[str, _M] = {}
    for i, entry in enumerate(doc.data):
        try:
            item = model(**entry)
        except (ValidationError, TypeError) as exc:
            code = entry.get(key, "?") if isinstance(entry, dict) else "?"
            raise RegistryError(f"{path}:{doc.line(i)}: {noun} {one_line(code, 60)}: {_invalid(exc)}") from None
        k = getattr(item, key)
        if k in out:
            raise RegistryError(f"{path}:{doc.line(i)}: duplicate {dup} {k!r}")
        out[k] = item
    return out


def _indicators_from(path: Path, doc: YamlDoc) -> dict[str, Indicator]:
    return _keyed_entries(path, doc, Indicator, "code", "indicators", "indicator", "indicator code")


def _units_from(path: Path, doc: YamlDoc) -> dict[str, Unit]:
    if not isinstance(doc.data, dict):
        raise RegistryError(f"{path}: expected a mapping of unit code → name_zh, name_en, counters")
    out = {}
    for code, entry in doc.data.items():
        try:
            out[code] = Unit(code=code, **entry)
        except (ValidationError, TypeError) as exc:
            raise RegistryError(f"{path}:{doc.line(code)}: unit {one_line(code, 60)}: {_invalid(exc)}") from None
    return out


def _geographies_from(path: Path, doc: YamlDoc) -> dict[str, Geography]:
    return _keyed_entries(path, doc, Geography, "geo_code", "geographies", "geography", "geo_code")


# The controlled vocabularies the statements contract (docs/curation.md) defines; a misspelt section would
# otherwise be loaded and never consulted.
VOCAB_FIELDS = ("kind", "measure", "comparator", "commitment", "flags", "curation")


def _vocab_from(path: Path, doc: YamlDoc) -> dict[str, dict[str, str]]:
    raw = doc.data
    if not isinstance(raw, dict):
        raise RegistryError(f"{path}: expected a mapping of {', '.join(VOCAB_FIELDS)}")
    for key, entries in raw.items():
        if key not in VOCAB_FIELDS:
            raise RegistryError(f"{path}:{doc.line(key)}: unknown vocabulary {one_line(key, 60)!r}; "
                                f"known: {', '.join(VOCAB_FIELDS)}")
        if not isinstance(entries, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                    for k, v in entries.items()):
            raise RegistryError(f"{path}:{doc.line(key)}: {key}: expected a mapping of value → description")
    missing = [k for k in VOCAB_FIELDS if k not in raw]
    if missing:
        raise RegistryError(f"{path}: missing vocabulary {', '.join(missing)}")
    return raw


def load_registry(registry_dir: Path = REGISTRY_DIR, extra_indicators: Path | None = None,
                  extra_geographies: Path | None = None) -> Registry:
    """Load and cross-check every registry file; ``extra_indicators`` adds proposed entries (curation),
    ``extra_geographies`` the places registered by ``ipcompare add`` (by default the checkout's
    ``data/raw/geographies_added.yaml``, so every command and notebook knows a city as soon as it is added)."""
    if extra_geographies is None:
        from ipcompare.paths import raw_dir

        extra_geographies = raw_dir() / ADDED_GEOGRAPHIES
    # The file changes while a process runs (`add` then `build`): its stamp is part of the cache key.
    stamp = (extra_geographies.stat().st_mtime_ns, extra_geographies.stat().st_size) if extra_geographies.exists() else None
    return _load(registry_dir, extra_indicators, extra_geographies, stamp)


def _added_geographies_from(path: Path, known: dict[str, Geography]) -> dict[str, Geography]:
    """``known`` plus the places ``ipcompare add`` registered in ``path``, read like geographies.yaml; a code or
    slug already known is refused."""
    doc = _read_yaml(path)
    added = _geographies_from(path, doc if doc.data is not None else YamlDoc([]))
    out = dict(known)
    slugs = {g.slug for g in known.values()}
    for i, g in enumerate(added.values()):
        if g.geo_code in out or g.slug in slugs:
            raise RegistryError(f"{path}:{doc.line(i)}: geography {g.geo_code} / slug {g.slug!r} is already registered")
        out[g.geo_code] = g
        slugs.add(g.slug)
    return out


@lru_cache(maxsize=8)
def _load(registry_dir: Path, extra_indicators: Path | None, extra_geographies: Path | None = None,
          stamp: tuple[int, int] | None = None) -> Registry:
    ind_path = registry_dir / "indicators.yaml"
    indicators = _indicators_from(ind_path, _read_yaml(ind_path))
    if extra_indicators is not None and extra_indicators.exists():
        extra = _read_yaml(extra_indicators)
        extra = extra if extra.data is not None else YamlDoc([])
        for code, ind in _indicators_from(extra_indicators, extra).items():
            if code in indicators:
                raise RegistryError(f"{extra_indicators}: indicator {code!r} already in {ind_path}")
            indicators[code] = ind
    units = _units_from(registry_dir / "units.yaml", _read_yaml(registry_dir / "units.yaml"))
    geographies = _geographies_from(registry_dir / "geographies.yaml", _read_yaml(registry_dir / "geographies.yaml"))
    vocab = _vocab_from(registry_dir / "vocab.yaml", _read_yaml(registry_dir / "vocab.yaml"))
    if extra_geographies is not None and extra_geographies.exists():
        geographies = _added_geographies_from(extra_geographies, geographies)
    for ind in indicators.values():
        if ind.unit not in units:
            raise RegistryError(f"{ind_path}: indicator {ind.code!r} has unknown unit {ind.unit!r}")
    return Registry(
        indicators=dict(sorted(indicators.items())),
        units=units,
        geographies=geographies,
        vocab=vocab,
    )
