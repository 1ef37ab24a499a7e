"""The one guard every patch to a dependency goes through: the installed release is in the
tested range, and what the patch replaces still has the shape it was written against.

A patch whose guard fails is not applied: the dependency runs as released (correct, only
slower) or, for the justification hook, the build stops unless the theme accepts ragged
lines. `state()` says which and why, for the build's warnings and `publisher doctor`.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

__all__ = ["Tested", "WEASYPRINT", "PYDYF", "PYTHON_DOCX", "LOCK", "UNPATCHED", "state", "swapped"]


@dataclass(frozen=True)
class Tested:
    """A dependency's releases a patch is tested with: `spec` as pip writes it (">=68,<71"),
    the same range pyproject.toml pins."""

    distribution: str
    spec: str

    def installed(self) -> str:
        """The installed release, '' when the distribution is not installed."""
        try:
            return importlib.metadata.version(self.distribution)
        except importlib.metadata.PackageNotFoundError:
            return ""

    def contains(self, version: str) -> bool:
        release = _release(version)
        for clause in self.spec.split(","):
            operator, bound = re.fullmatch(r"\s*(>=|<)\s*([\d.]+)\s*", clause).groups()  # type: ignore[union-attr]
            if (release >= _release(bound)) != (operator == ">="):
                return False
        return bool(release)


def _release(version: str) -> tuple[int, ...]:
    found = re.match(r"\d+(\.\d+)*", version)
    return tuple(int(part) for part in found[0].split(".")) if found else ()


# One tested range per patched dependency (keep them in step with pyproject.toml).
WEASYPRINT = Tested("weasyprint", ">=68,<71")
PYDYF = Tested("pydyf", ">=0.11,<0.14")
PYTHON_DOCX = Tested("python-docx", ">=1.1,<1.3")


# Set (to anything) in the environment: the speed-ups are not applied, to measure or test
# the dependencies as released (benchmarks/scaling.py --no-speedups). Workers inherit it.
UNPATCHED = "PUBLISHER_NO_SPEEDUPS"


def state(tested: Tested, shape: Callable[[], str | None], *, speedup: bool = True) -> str:
    """'ok', or why a patch does not apply: the release is not a tested one, or `shape()`
    (what the patch replaces, looked at; None when as expected) names what has changed.
    A `speedup` (the results are the same without it) is off while UNPATCHED is set."""
    if speedup and os.environ.get(UNPATCHED):
        return f"turned off ({UNPATCHED} is set)"
    version = tested.installed()
    if not version:
        return f"{tested.distribution} is not installed"
    if not tested.contains(version):
        return f"{tested.distribution} {version} is not a tested release ({tested.spec})"
    try:
        changed = shape()
    except (ImportError, OSError, AttributeError) as exc:
        changed = f"its internals cannot be read ({exc})"
    return f"{tested.distribution} {version}: {changed}" if changed else "ok"


LOCK = threading.RLock()  # patches are put in and taken out one at a time
_SWAPPED: dict[tuple[int, str], list] = {}  # (owner, name) -> [holders, the original]


@contextmanager
def swapped(owner: object, **replacements: object) -> Iterator[None]:
    """`owner`'s attributes replaced for the duration, then put back as they were: a patch
    is scoped to the code that needs it, never left installed in the process. Counted, so
    that two threads inside the same patch leave it in place until the last one is out."""
    with LOCK:
        for name, replacement in replacements.items():
            holders = _SWAPPED.setdefault((id(owner), name), [0, owner.__dict__[name]])
            if holders[0] == 0:
                setattr(owner, name, replacement)
            holders[0] += 1
    try:
        yield
    finally:
        with LOCK:
            for name in replacements:
                holders = _SWAPPED[(id(owner), name)]
                holders[0] -= 1
                if holders[0] == 0:
                    setattr(owner, name, holders[1])
                    del _SWAPPED[(id(owner), name)]
