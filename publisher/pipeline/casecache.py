"""What each case file reads as, kept in `build/.cache/cases/` by the file's bytes.

A build after an edit reads one case file again, not all of them: an entry holds the
parsed `Case`, the file's own lint findings (text rules and case rules) and the
characters it prints (for the font coverage check), under a key made of the file's
bytes, the path messages show and a fingerprint of this package's code (and PyYAML's
version), so any change to one of them is a different key. What spans
cases (duplicate ids and articles, the settings) is checked afresh on every run.

Entries are JSON (nothing in the build folder is run as code) after a line with their key
and their checksum. An entry that does not match them or cannot be read back into the
model (damaged, cut short, another version's) is ignored and made again. A file that does
not parse is never stored: its error is found every time. Only the build writes here
(`publisher lint` only reads), and a build folder that cannot be written means no cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from ..look.fonts import ROLES, case_chars
from ..model import Author, Case, Correction, Figure, Heading, Note, Paragraph, Run
from ..support.codeversion import package_digest
from ..support.errors import Diagnostic
from ..support.fileio import atomic_write
from . import caserules

FOLDER = Path(".cache") / "cases"  # inside the build folder
FORMAT = 1  # the entries' layout; part of the key

_TYPES = {t.__name__: t for t in (Case, Author, Correction, Heading, Paragraph, Figure, Note, Run)}
_FIELDS = {t: tuple(f.name for f in dataclasses.fields(t)) for t in _TYPES.values()}
_SEVERITIES = ("error", "warning", "info")


@cache
def code_fingerprint() -> str:
    """The package's code, the entries' layout and what parses YAML: an entry made by
    other code is never used."""
    import yaml

    return hashlib.sha256(f"{FORMAT}\0{yaml.__version__}\0{package_digest()}".encode()).hexdigest()


def file_findings(text: str, case: Case, shown: str) -> tuple[Diagnostic, ...]:
    """The lint findings that depend on one case file alone (lint's text and case rules)."""
    return tuple(caserules.check_text_file(text, shown) + caserules.check_case(case, shown))


class CaseCache:
    """The entries of one build folder. `writable`: store new entries and remove those
    no case file uses any more (the build); otherwise only read (`publisher lint`)."""

    def __init__(self, folder: Path, *, writable: bool) -> None:
        self.folder = folder
        self.writable = writable
        self.used: set[str] = set()

    def read(self, data: bytes, shown: str) -> tuple[Case, tuple[Diagnostic, ...], dict[str, str]]:
        """The case file `data` (shown as `shown`) as a Case, its own lint findings and
        the characters it prints (`case_chars`), from the cache when an entry has them;
        raises ContentError as the reader does."""
        from ..readers.casefile import decode_case_file, read_case_file

        key = hashlib.sha256(
            f"{code_fingerprint()}\0{shown}\0".encode() + hashlib.sha256(data).digest()
        ).hexdigest()
        self.used.add(key)
        entry = self._load(key)
        if entry is None:
            text = decode_case_file(data, shown)
            case = read_case_file(text, shown)  # a ContentError leaves nothing behind
            entry = case, file_findings(text, case, shown), case_chars(case)
            if self.writable:
                self._store(key, *entry)
        return entry

    def finish(self) -> None:
        """After every case file is read: remove the entries no case file uses any more
        (edited, deleted)."""
        if not self.writable or not self.folder.is_dir():
            return
        for path in self.folder.glob("*.json"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)

    def _load(self, key: str) -> tuple[Case, tuple[Diagnostic, ...], dict[str, str]] | None:
        try:
            with open(self.folder / f"{key}.json", "rb") as f:
                head, payload = json.loads(f.readline()), f.read()
            if head != {"key": key, "sha256": hashlib.sha256(payload).hexdigest()}:
                return None
            entry = json.loads(payload)
            case = _decode(entry["case"])
            findings = tuple(_finding(f) for f in entry["findings"])
            chars = {role: entry["chars"][role] for role in ROLES}
            if not (isinstance(case, Case) and all(isinstance(c, str) for c in chars.values())):
                return None
        except Exception:  # noqa: BLE001 - whatever is wrong with an entry, it is made again
            return None
        return case, findings, chars

    def _store(
        self, key: str, case: Case, findings: tuple[Diagnostic, ...], chars: dict[str, str]
    ) -> None:
        try:
            entry = {
                "case": _encode(case),
                "findings": [dataclasses.astuple(f) for f in findings],
                "chars": chars,
            }
        except TypeError:  # not kept: read from its file every time
            return
        payload = json.dumps(entry, ensure_ascii=False).encode()
        head = json.dumps({"key": key, "sha256": hashlib.sha256(payload).hexdigest()})
        try:
            atomic_write(self.folder / f"{key}.json", head.encode() + b"\n" + payload)
        except OSError:  # a build folder that cannot be written: build without the cache
            self.writable = False


def _encode(value: Any) -> Any:
    """A model object as JSON: each dataclass tagged with its type, tuples as lists."""
    names = _FIELDS.get(type(value))
    if names is not None:
        return {"_": type(value).__name__, **{n: _encode(getattr(value, n)) for n in names}}
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, (str, int)):  # bool is an int
        return value
    raise TypeError(f"{type(value).__name__} is not kept")  # a model type not listed above


def _decode(value: Any) -> Any:
    """The model object again. Its checks are not run a second time (as unpickling does
    not): the entry's checksum shows these are the values of a model that passed them."""
    if isinstance(value, dict):
        cls = _TYPES[value["_"]]
        obj = object.__new__(cls)
        for name in _FIELDS[cls]:
            object.__setattr__(obj, name, _decode(value[name]))  # frozen: set as __init__ does
        return obj
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    return value


def _finding(row: list[Any]) -> Diagnostic:
    path, line, col, severity, message = row
    if not (
        isinstance(path, str)
        and isinstance(line, int)
        and isinstance(col, int)
        and severity in _SEVERITIES
        and isinstance(message, str)
    ):
        raise ValueError("not a finding")
    return Diagnostic(path, line, col, severity, message)
