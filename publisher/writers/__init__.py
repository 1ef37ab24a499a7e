"""Writers: each reads the content model and writes one format; none re-parses text.

Every typesetting writer has the same shape, as Pandoc's writers and Sphinx's builders do:
it gets the model, the theme, the options and the build's pre-flight (`preflight.py`: fonts,
photos, numbers, the table of contents, the resolved styles), with the process's resources
apart (`support.options.WriterResources`), and returns the file's bytes with what the
report needs. `WRITERS` is the list the build runs; the HTML edition (a folder of files)
and the EPUB are entries like the others; the JSON writer writes the model alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from pathlib import Path

    from ..look.theme import Theme
    from ..model import Compendium
    from ..support.options import WriterOptions, WriterResources
    from .preflight import Preflight


class Output(Protocol):
    """What every writer returns: the output's bytes, and warnings for the build."""

    @property
    def data(self) -> bytes: ...

    @property
    def warnings(self) -> tuple[str, ...]: ...


@runtime_checkable
class FolderOutput(Output, Protocol):
    """An output that is a folder of files (the HTML edition): `data` is its manifest, and
    the build swaps the folder in whole."""

    def write_into(self, folder: Path) -> None: ...


class WriteFunction(Protocol):
    """A typesetting writer."""

    def __call__(
        self,
        compendium: Compendium,
        theme: Theme,
        options: WriterOptions,
        preflight: Preflight,
        /,
        *,
        resources: WriterResources,
    ) -> Output: ...


class ModelWriteFunction(Protocol):
    """A writer of the model as it is (JSON): no theme, no pre-flight."""

    def __call__(self, compendium: Compendium, /) -> Output: ...


@dataclass(frozen=True, slots=True)
class Writer:
    format: str  # the --format name
    suffix: str  # of the output file
    # Imported when used (WeasyPrint takes a second): a typesetting writer, which needs the
    # pre-flight, or else a writer of the model alone.
    load: Callable[[], WriteFunction] | None
    load_model: Callable[[], ModelWriteFunction] | None = None
    folder: str = ""  # the output is this folder of files (its `write_into`), not one file

    @property
    def typeset(self) -> bool:
        """Whether the writer needs the pre-flight (fonts, photos, numbering)."""
        return self.load is not None

    def write(
        self,
        compendium: Compendium,
        theme: Theme,
        options: WriterOptions,
        preflight: Preflight | None,
        *,
        resources: WriterResources,
    ) -> Output:
        """The output; `preflight` may be None only for a writer of the model alone (the
        build runs the pre-flight only when a typesetting format is asked for)."""
        if self.load is None:
            if self.load_model is None:
                raise TypeError(f"the {self.format} writer has nothing to load")
            return self.load_model()(compendium)
        if preflight is None:
            raise TypeError(f"the {self.format} writer typesets: it needs the pre-flight")
        return self.load()(compendium, theme, options, preflight, resources=resources)


def _pdf() -> WriteFunction:
    from .pdf import write_pdf

    return write_pdf


def _docx() -> WriteFunction:
    from .docx import write_docx

    return write_docx


def _json() -> ModelWriteFunction:
    from .json import write_json

    return write_json


def _html() -> WriteFunction:
    from .site import write_site

    return write_site


def _epub() -> WriteFunction:
    from .epub import write_epub

    return write_epub


WRITERS: dict[str, Writer] = {
    "pdf": Writer("pdf", ".pdf", _pdf),
    "docx": Writer("docx", ".docx", _docx),
    "json": Writer("json", ".json", None, _json),
    "html": Writer("html", "", _html, folder="html"),
    "epub": Writer("epub", ".epub", _epub),
}


def output_name(fmt: str, base: str) -> str:
    """The name of a format's output in the build folder: a folder, or base + suffix."""
    writer = WRITERS[fmt]
    return writer.folder or f"{base}{writer.suffix}"
