"""The package's own code as one digest, for caches whose entries code could change."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]


@cache
def package_digest() -> str:
    """sha256 of every module of the package, by path and content. Coarse on purpose: a
    cached result made by other code is never used, whichever module changed (an
    upgrade lays the book out again once; a list of "the modules that matter" goes stale)."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
