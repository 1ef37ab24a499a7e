"""TOML files checked against a dataclass schema, with errors that name the key and line.

Both the compendium settings (`content/compendium.toml`) and the theme
(`styles/theme.toml`) are read through `load_dataclass`, so a misspelt key gets the same
"unknown key 'titel' (did you mean 'title'?)" message with its line everywhere.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import tomllib
import types
import typing
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import ContentError
from .fileio import read_limited

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")


MAX_TOML_BYTES = 1_000_000  # settings and themes are a few kilobytes


def read_toml(
    path: Path, display: str, within: tuple[Path, ...] = ()
) -> tuple[dict[str, Any], str]:
    """Parse a TOML file (a regular file, inside the folders `within` when given); a
    syntax error names the file and line."""
    try:
        text = read_limited(path, display, limit=MAX_TOML_BYTES, within=within).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContentError(
            f"not UTF-8 text ({exc.reason} at byte {exc.start})", path=display
        ) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", 0) or _line_from_message(str(exc))
        message = str(exc).split(" (at line")[0]
        raise ContentError(f"TOML syntax: {message}", path=display, line=line) from None
    except RecursionError:  # tomllib recurses once a level: [[[[…]]]] a thousand deep
        raise ContentError(
            "TOML: lists or tables nested far too deep", path=display, line=_deepest_line(text)
        ) from None


def _deepest_line(text: str) -> int:
    """The line where brackets nest deepest (strings not told apart: a hint, not a parse)."""
    depth, deepest, where = 0, 0, 0
    for number, line in enumerate(text.splitlines(), 1):
        for ch in line:
            depth += ch in "[{"
            depth -= ch in "]}"
            if depth > deepest:
                deepest, where = depth, number
    return where


def _line_from_message(message: str) -> int:
    m = re.search(r"line (\d+)", message)
    return int(m.group(1)) if m else 0


def key_line(text: str, section: str, key: str) -> int:
    """Best-effort line number of `key` in `[section]`, or in the n-th `[[section]]` when
    `section` is written `parts[n]` (0-based), or at the top level."""
    m = re.match(r"^(.*?)(?:\[(\d+)\])?$", section)
    name, index = (m.group(1), int(m.group(2) or 0)) if m else (section, 0)
    current, seen = "", -1
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        header = re.match(r"^\[\[?\s*([^\]]+?)\s*\]\]?", line)
        if header:
            current = header.group(1).strip()
            seen += current == name
            continue
        if (
            current == name
            and (not name or seen == index)
            and re.match(rf'^"?{re.escape(key)}"?\s*=', line)
        ):
            return number
    return 0


def load_dataclass(
    cls: type[T], table: dict[str, Any], *, path: str, text: str, section: str = ""
) -> T:
    """Build `cls` from a TOML table, checking keys and value types against its fields."""
    fields = {f.name: f for f in dataclasses.fields(cls)}
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in fields:
            close = difflib.get_close_matches(key, fields, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            where = f" in [{section.split('[')[0]}]" if section else ""
            raise ContentError(
                f"unknown key {key!r}{where}{hint}", path=path, line=key_line(text, section, key)
            )
        values[key] = _convert(hints[key], value, path=path, text=text, section=section, key=key)
    missing = [
        n
        for n, f in fields.items()
        if f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
        and n not in values
    ]
    if missing:
        where = f"[{section}]" if section else "the top level"
        raise ContentError(f"missing key {missing[0]!r} in {where}", path=path)
    try:
        return cls(**values)
    except ValueError as exc:
        raise ContentError(str(exc), path=path) from None


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin is tuple:
        return f"a list of {_type_name(typing.get_args(tp)[0])}"
    if dataclasses.is_dataclass(tp):
        return "a table"
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(option) for option in typing.get_args(tp))
    if origin is typing.Literal:
        return " or ".join(f'"{a}"' if isinstance(a, str) else str(a) for a in typing.get_args(tp))
    return {str: "text", int: "a whole number", float: "a number", bool: "true or false"}.get(
        tp, getattr(tp, "__name__", str(tp))
    )


# C901 allowed here: a TOML value checked against its field's type, a branch per kind of type.
def _convert(tp: Any, value: Any, *, path: str, text: str, section: str, key: str) -> Any:  # noqa: C901
    def wrong() -> ContentError:
        return ContentError(
            f"{key!r} must be {_type_name(tp)}, not {value!r}",
            path=path,
            line=key_line(text, section, key),
        )

    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        for option in typing.get_args(tp):
            try:
                return _convert(option, value, path=path, text=text, section=section, key=key)
            except ContentError:
                continue
        raise wrong()
    if origin is typing.Literal:
        if value in typing.get_args(tp):
            return value
        choices = " | ".join(str(a) for a in typing.get_args(tp))
        raise ContentError(
            f"{key!r} must be one of {choices}, not {value!r}",
            path=path,
            line=key_line(text, section, key),
        )
    if origin is tuple:
        if not isinstance(value, list):
            raise wrong()
        item = typing.get_args(tp)[0]
        inner = f"{section}.{key}" if section else key
        if isinstance(item, type) and dataclasses.is_dataclass(item):  # [[parts]]: tables
            if not all(isinstance(v, dict) for v in value):
                raise wrong()
            return tuple(
                load_dataclass(item, v, path=path, text=text, section=f"{inner}[{i}]")
                for i, v in enumerate(value)
            )
        return tuple(
            _convert(item, v, path=path, text=text, section=section, key=key) for v in value
        )
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise wrong()
        return load_dataclass(
            tp, value, path=path, text=text, section=f"{section}.{key}" if section else key
        )
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise wrong()
        return float(value)
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise wrong()
        return value
    if tp in (str, bool):
        if not isinstance(value, tp):
            raise wrong()
        return value
    raise TypeError(f"unsupported schema type {tp!r}")  # a bug in a schema, not user input
