"""Zip packages (DOCX) checked from their directory before anything is unpacked.

A 1 MB DOCX can hold a picture that expands to 1 GB: python-docx reads every part into
memory when it opens the file. So every limit applies to what a member expands to, read
from the zip's central directory (which zipfile then holds the member to: it never
returns more bytes than the directory says, and a lie fails its CRC check). The picture
limit is the image stage's (`fileio.MAX_PICTURE_MB`), so import, absorb and the build agree.
"""

from __future__ import annotations

import io
import zipfile

from .errors import ContentError
from .fileio import MAX_PICTURE_MB

MAX_MEMBERS = 10_000  # a Word file has dozens of parts; a few thousand pictures at most
MAX_XML_MB = 64  # document.xml of 32,000 paragraphs is ~15 MB
MAX_TOTAL_MB = 512  # all members together, expanded


def check_package(data: bytes, shown: str) -> None:
    """Refuse a zip package whose members expand beyond the limits, in one line naming
    the member; a package that is no zip at all is left to the reader to report."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return
    except NotImplementedError as exc:  # "zip file version 22.4", an unknown compression
        raise ContentError(
            f"is a zip package this program cannot open ({exc}): open it in Word or WPS"
            " and save it again as .docx",
            path=shown,
        ) from None
    if len(members) > MAX_MEMBERS:
        raise ContentError(
            f"holds {len(members):,} files, more than a Word file has ({MAX_MEMBERS:,}):"
            " refused without unpacking it",
            path=shown,
        )
    total = 0
    for member in members:
        xml = member.filename.lower().endswith((".xml", ".rels"))
        limit_mb = MAX_XML_MB if xml else MAX_PICTURE_MB
        if member.file_size > limit_mb * 2**20:
            raise ContentError(
                f"{member.filename} inside it expands to {_mb(member.file_size)}, more than"
                f" the {limit_mb} MB {'a part' if xml else 'a picture'} may have: refused"
                " without unpacking it (save the pictures smaller, or split the file)",
                path=shown,
            )
        total += member.file_size
    if total > MAX_TOTAL_MB * 2**20:
        raise ContentError(
            f"expands to {_mb(total)}, more than the {MAX_TOTAL_MB} MB a Word file may"
            " have: refused without unpacking it",
            path=shown,
        )


def _mb(size: int) -> str:
    return f"{size / 2**20:,.0f} MB"
