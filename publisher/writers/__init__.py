"""Writers: each reads the content model and writes one format; none re-parses text.

Every writer has the same shape, as Pandoc's writers and Sphinx's builders do: it gets the
model, the theme, the options and the build's pre-flight (`publisher.pipeline.preflight`), and
returns the file's bytes with what the report needs. `WRITERS` is the list the build
runs; the HTML edition (a folder of files) and the EPUB are entries like the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ..look.theme import Theme
    from ..model import Compendium
    from ..pipeline.preflight import Preflight
    from ..support.options import WriterOptions


class Output(Protocol):
    data: bytes


class WriteFunction(Protocol):
    # preflight None: a typesetting writer runs its own (the build passes None when no
    # format it makes needs one).
    def __call__(
        self,
        compendium: Compendium,
        theme: Theme,
        options: WriterOptions,
        *,
        files: dict[str, str],
        preflight: Preflight | None,
    ) -> Any: ...


@dataclass(frozen=True, slots=True)
class Writer:
    format: str  # the --format name
    suffix: str  # of the output file
    typeset: bool  # needs the pre-flight (fonts, photos, numbering)
    load: Callable[[], WriteFunction]  # imported when used: WeasyPrint takes a second
    folder: str = ""  # the output is this folder of files (its `write_into`), not one file


def _pdf() -> WriteFunction:
    from .pdf import write_pdf

    return write_pdf


def _docx() -> WriteFunction:
    from .docx import write_docx

    return write_docx


def _json() -> WriteFunction:
    from .json import write_json

    return write_json


def _html() -> WriteFunction:
    from .site import write_site

    return write_site


def _epub() -> WriteFunction:
    from .epub import write_epub

    return write_epub


WRITERS: dict[str, Writer] = {
    "pdf": Writer("pdf", ".pdf", True, _pdf),
    "docx": Writer("docx", ".docx", True, _docx),
    "json": Writer("json", ".json", False, _json),
    "html": Writer("html", "", True, _html, folder="html"),
    "epub": Writer("epub", ".epub", True, _epub),
}


def output_name(fmt: str, base: str) -> str:
    """The name of a format's output in the build folder: a folder, or base + suffix."""
    writer = WRITERS[fmt]
    return writer.folder or f"{base}{writer.suffix}"
