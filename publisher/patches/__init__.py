"""Patches to dependencies, one module per dependency, each in place only while the code
that needs it runs, all through one guard (`guard`: the installed release is in the tested
range, what is replaced has the expected shape; otherwise the dependency runs as released
and `publisher doctor` says why).

`PATCHES` lists them for `publisher doctor` and the README; benchmarks/NOTES.md has the
measurements, and `patches/upstream/` (at the repository's top) the changes that would let
a patch go.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import guard

__all__ = ["Patch", "PATCHES"]


@dataclass(frozen=True)
class Patch:
    name: str
    tested: guard.Tested  # the dependency's releases it is checked against
    where: str  # the function that puts it in place (and takes it out)
    fixes: str
    upstream: str  # the upstream issue or change it stands in for
    state: Callable[[], str]  # 'ok', or why it is not applied
    speedup: bool = True  # the output is the same without it, only slower


def _state(module: str, function: str) -> Callable[[], str]:
    def state() -> str:
        from importlib import import_module

        return str(getattr(import_module(f"{__name__}.{module}"), function)())

    return state


PATCHES: tuple[Patch, ...] = (
    Patch(
        "inter-character justification",
        guard.WEASYPRINT,
        "patches.weasyprint.justification_hook (around HTML.render of a piece)",
        "Chinese lines justified flush: the missing width shared between the characters",
        "CSS text-justify: inter-character (CSS Text 3), not implemented in WeasyPrint; "
        "no upstream issue or change yet",
        _state("weasyprint", "justification_state"),
        speedup=False,
    ),
    Patch(
        "deferred subsetting",
        guard.WEASYPRINT,
        "patches.weasyprint.deferred_subsetting (around write_pdf of a piece)",
        "each face subset once for the book, not once per piece; face data not copied",
        "none upstream: one font per face in a book made of several documents",
        _state("weasyprint", "subsetting_state"),
    ),
    Patch(
        "page references",
        guard.PYDYF,
        "patches.pydyf.cached_page_references (around write_pdf of a piece)",
        "PDF.page_references computed once per page, not per call (quadratic when tagged)",
        "patches/upstream/pydyf-page-references.diff",
        _state("pydyf", "patch_state"),
    ),
    Patch(
        "linear composition",
        guard.PYTHON_DOCX,
        "patches.python_docx.linear_steps (around the DOCX composer)",
        "sectPr look-up, part naming, image hashing, relationships, shape ids: constant "
        "time per call, not a scan of the document",
        "patches/upstream/python-docx-partname-and-sha1.diff",
        _state("python_docx", "patch_state"),
    ),
)
