"""Safe, bounded YAML reading for every YAML file the project or a user hands it.

``yaml.safe_load`` never runs code, but it still follows aliases: a few hundred bytes of nested ``*a`` references
become a structure that, once walked (validated, printed in an error), costs minutes and gigabytes. No project
YAML uses anchors or aliases, so aliases are refused outright; files over a size cap and binary files are
refused before parsing. Every error is one line naming the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["YamlFileError", "YamlDoc", "load_yaml", "MAX_BYTES", "one_line"]

# The largest project YAML (indicators.yaml) is about 60 kB; a batch file is a few kB.
MAX_BYTES = 2_000_000


class YamlFileError(ValueError):
    """A YAML file that cannot be read; the message names the file (and line when known)."""


@dataclass(frozen=True)
class YamlDoc:
    """A loaded YAML document and the line where each top-level entry starts (list index or mapping key)."""

    data: Any
    lines: dict[Any, int] = field(default_factory=dict)

    def line(self, key: Any) -> int:
        return self.lines.get(key, 1)


class _NoAliasLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, f"alias *{event.anchor} is not allowed (no anchors or "
                                                          "aliases in ipcompare files)", event.start_mark)
        return super().compose_node(parent, index)


# libyaml's parser when PyYAML has it (its wheels do): 600 entries of documents.yaml took 1.1 CPU-s in the
# pure-Python parser, 0.14 in libyaml. The C composer does not call _NoAliasLoader.compose_node, so its events are
# checked for aliases first; the constructor (SafeConstructor, Resolver) is the same in both, so are the values.
_CLoader = getattr(yaml, "CSafeLoader", None)


def _no_alias_c(text: str) -> None:
    for event in yaml.parse(text, Loader=_CLoader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, f"alias *{event.anchor} is not allowed (no anchors or "
                                                          "aliases in ipcompare files)", event.start_mark)


def one_line(text: object, limit: int = 300) -> str:
    """``text`` squeezed onto one line and cut to ``limit`` characters."""
    s = " ".join(str(text).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def load_yaml(path: Path, *, max_bytes: int = MAX_BYTES, data: bytes | None = None) -> YamlDoc:
    """Read ``path`` as YAML (safe, alias-free, at most ``max_bytes``); raise YamlFileError otherwise."""
    path = Path(path)
    if data is None:
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise YamlFileError(f"{path}: {size:,} bytes, more than the {max_bytes:,} a YAML file here may have")
            data = path.read_bytes()
        except FileNotFoundError:
            raise YamlFileError(f"{path}: not found") from None
        except IsADirectoryError:
            raise YamlFileError(f"{path}: is a folder, not a YAML file") from None
    if len(data) > max_bytes:
        raise YamlFileError(f"{path}: {len(data):,} bytes, more than the {max_bytes:,} a YAML file here may have")
    if b"\x00" in data:
        raise YamlFileError(f"{path}: binary data (NUL bytes), not a YAML text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise YamlFileError(f"{path}: not UTF-8 text; save it as UTF-8") from None
    loader = None
    try:
        if _CLoader is not None:
            _no_alias_c(text)
            loader = _CLoader(text)
        else:
            loader = _NoAliasLoader(text)
        node = loader.get_single_node()
        value = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise YamlFileError(f"{where}: not valid YAML: {one_line(exc.problem or exc.context or exc, 200)}") from None
    except yaml.YAMLError as exc:
        raise YamlFileError(f"{path}: not valid YAML: {one_line(exc, 200)}") from None
    except RecursionError:
        raise YamlFileError(f"{path}: nested too deeply to be a YAML file of this project") from None
    finally:
        if loader is not None:
            loader.dispose()
    return YamlDoc(value, _entry_lines(node))


def _entry_lines(node) -> dict[Any, int]:
    if isinstance(node, yaml.SequenceNode):
        return {i: n.start_mark.line + 1 for i, n in enumerate(node.value)}
    if isinstance(node, yaml.MappingNode):
        return {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    return {}
