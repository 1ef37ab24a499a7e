"""Pictures found in an imported file (a Word file's embedded photos, a saved web page's
images) are written into content/images/, where the case files name them."""

from __future__ import annotations

from ..support.errors import Diagnostic
from ..support.fileio import atomic_write
from .project import Project


def save_images(project: Project, images: dict[str, bytes], source_shown: str) -> list[Diagnostic]:
    """Write each picture (path under content/ → bytes). A file already there with other
    bytes is never replaced: a warning names it (an editor may have put a better photo)."""
    out: list[Diagnostic] = []
    for rel, data in sorted(images.items()):
        target = project.content / rel
        if target.exists():
            if target.read_bytes() != data:
                out.append(
                    Diagnostic(
                        source_shown,
                        0,
                        0,
                        "warning",
                        f"{project.display(target)} exists with another picture:"
                        " kept; the imported one was not written",
                    )
                )
            continue
        atomic_write(target, data)
    return out
